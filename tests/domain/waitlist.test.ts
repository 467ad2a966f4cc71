// The waitlist's domain: which freed times are offered to whom and in what order, one holder per
// time when two students confirm at once (real concurrency through the pool on PostgreSQL), and
// entries leaving when their day has passed; a time freed again is offered again, an offer whose
// time was taken another way is told gone, an entry whose application got a lesson stops waiting,
// and a confirmation and an acceptance of the same application end with the lesson in either order.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { accounts, applicationEvents, applications, instructors, instructorSlots, lessons, outbox, waitlistEntries, waitlistOffers } from "../../src/db/schema.ts";
import { joinWaitlist, leaveWaitlist, takeOffer, WaitlistError } from "../../src/domain/waitlist.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import { cancelByStudent, changeStatus } from "../../src/domain/status.ts";
import { waitlistOfferer, waitlistRound } from "../../src/jobs/waitlist.ts";
import { parseCallbackData } from "../../src/bot/callback-data.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { createApplication, createCity, createInstructor, createStudent } from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const ZONE = "Asia/Almaty";
const almaty = (s: string) => new Date(`${s}+05:00`);
const now = almaty("2030-03-10T10:00:00");
const tz = { timeZone: ZONE };

let d: TestDatabase;
let cityId: number;

beforeAll(async () => {
  d = await createTestDatabase();
  cityId = (await createCity(d.db)).id;
});
afterAll(() => d?.dispose());

const slotAt = async (instructorId: number, local: string, minutes = 90) =>
  (await d.db.insert(instructorSlots).values({ instructorId, startsAt: almaty(local), minutes }).returning())[0]!;

/** A student with a slot-less application to the instructor, waiting for `day`/`part`. */
async function waiting(instructorId: number, day: string, part: "morning" | "afternoon" | "evening" | "day", status: "new" | "accepted" = "new", language: "ru" | "kk" = "ru") {
  const student = await createStudent(d.db, { language });
  const app = await createApplication(d.db, { instructorId, cityId }, { studentId: student.id, status });
  const entry = await d.db.transaction((tx) => joinWaitlist(tx, { applicationId: app.id, instructorId, day, daypart: part }));
  return { student, app, entry };
}

const offersOf = (entryIds: number[]) =>
  d.db.select().from(waitlistOffers).where(inArray(waitlistOffers.entryId, entryIds));

const outboxOf = (chatIds: number[]) => d.db.select().from(outbox).where(inArray(outbox.chatId, chatIds)).orderBy(outbox.id);

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(WaitlistError);
  return (err as WaitlistError).refusal;
}

describe("offerFreedSlots", () => {
  test("offers open slots of the entry's day and part, in join order, once; not a time a lesson covers", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const other = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-12", "morning");
    const b = await waiting(instructor.id, "2030-03-12", "day", "new", "kk");
    const morning = await slotAt(instructor.id, "2030-03-12T09:00:00");
    const afternoon = await slotAt(instructor.id, "2030-03-12T15:00:00");
    await slotAt(instructor.id, "2030-03-13T09:00:00"); // another day
    await slotAt(other.id, "2030-03-12T09:00:00"); // another instructor
    // A lesson planned by hand (another accepted application) covers 11:00: that time is not free.
    const covered = await slotAt(instructor.id, "2030-03-12T11:00:00");
    const busy = await createApplication(d.db, { instructorId: instructor.id, cityId }, { status: "accepted" });
    await d.db.insert(lessons).values({ applicationId: busy.id, instructorId: instructor.id, startsAt: almaty("2030-03-12T11:30:00"), minutes: 60, state: "planned" });

    const round = await waitlistRound(d.db, now, ZONE);
    const offers = await offersOf([a.entry.id, b.entry.id]);
    expect(offers.map((o) => [o.entryId, o.slotId, o.state]).sort()).toEqual(
      [[a.entry.id, morning.id, "offered"], [b.entry.id, morning.id, "offered"], [b.entry.id, afternoon.id, "offered"]].sort() as never,
    );
    expect(offers.some((o) => o.slotId === covered.id)).toBe(false);
    expect(round.offered).toBe(3);

    // The messages: A first (joined first), then B's two, earlier time first; each with its two buttons.
    const sent = await outboxOf([a.student.chatId, b.student.chatId]);
    expect(sent.map((m) => m.chatId)).toEqual([a.student.chatId, b.student.chatId, b.student.chatId]);
    const first = sent[0]!.payload.params as { text: string; reply_markup: { inline_keyboard: { text: string; callback_data: string }[][] } };
    expect(first.text).toContain("Освободилось время у инструктора");
    expect(first.text).toContain("09:00");
    expect(first.reply_markup.inline_keyboard.flat().map((k) => k.text)).toEqual(["Записаться", "Выйти из листа ожидания"]);
    expect(parseCallbackData(first.reply_markup.inline_keyboard[0]![0]!.callback_data)).toEqual({ kind: "waitlistOffer", entryId: a.entry.id, slotId: morning.id, take: true });
    expect((sent[1]!.payload.params as { text: string }).text).toContain("нұсқаушысында уақыт босады");

    // A second round offers nothing again.
    await waitlistRound(d.db, now, ZONE);
    expect(await offersOf([a.entry.id, b.entry.id])).toHaveLength(3);
    expect(await outboxOf([a.student.chatId, b.student.chatId])).toHaveLength(3);
  });

  test("an entry whose day has passed, or whose application ended, leaves and gets nothing", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const past = await waiting(instructor.id, "2030-03-09", "day");
    const ended = await waiting(instructor.id, "2030-03-12", "day");
    await d.db.update(applications).set({ status: "cancelled" }).where(eq(applications.id, ended.app.id));
    const today = await waiting(instructor.id, "2030-03-10", "day");
    await slotAt(instructor.id, "2030-03-12T09:00:00");
    await slotAt(instructor.id, "2030-03-10T18:00:00");
    await waitlistRound(d.db, now, ZONE);
    const states = await d.db.select().from(waitlistEntries).where(inArray(waitlistEntries.id, [past.entry.id, ended.entry.id, today.entry.id]));
    expect(Object.fromEntries(states.map((e) => [e.id, e.state]))).toEqual({ [past.entry.id]: "left", [ended.entry.id]: "left", [today.entry.id]: "waiting" });
    expect(await offersOf([past.entry.id, ended.entry.id])).toHaveLength(0);
    expect(await offersOf([today.entry.id])).toHaveLength(1);
  });

  test("the local day and part decide, not UTC: 00:30 local is the next local day, though the same UTC day", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const late = await slotAt(instructor.id, "2030-03-18T23:30:00", 30);
    const early = await slotAt(instructor.id, "2030-03-19T00:30:00", 30);
    const noon = await slotAt(instructor.id, "2030-03-19T12:00:00", 60);
    const eve = await waiting(instructor.id, "2030-03-18", "evening");
    const morning = await waiting(instructor.id, "2030-03-19", "morning");
    const afternoon = await waiting(instructor.id, "2030-03-19", "afternoon");
    await waitlistRound(d.db, now, ZONE);
    const slotsOf = async (entryId: number) => (await offersOf([entryId])).map((o) => o.slotId);
    expect(await slotsOf(eve.entry.id)).toEqual([late.id]);
    expect(await slotsOf(morning.entry.id)).toEqual([early.id]);
    expect(await slotsOf(afternoon.entry.id)).toEqual([noon.id]);
  });
});

describe("the job", () => {
  test("a round runs on the loop with the injected clock; a slot freed by a cancelled booking is picked up", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const slot = await slotAt(instructor.id, "2030-03-17T10:00:00");
    // The time is booked; then the booking is cancelled (no hook: the next round sees it open).
    const booked = await createApplication(d.db, { instructorId: instructor.id, cityId, slotId: slot.id });
    const a = await waiting(instructor.id, "2030-03-17", "morning");
    const runOnce = async () => {
      let paused!: () => void;
      const firstPause = new Promise<void>((resolve) => (paused = resolve));
      const job = waitlistOfferer(d.db, {
        timeZone: ZONE,
        now: () => now,
        firstAfterMs: 0,
        // The pause after the first round: the round is over; wait there until stop() aborts it.
        sleep: (_ms, signal) => (paused(), new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }))),
      });
      job.start();
      await firstPause;
      await job.stop();
    };
    await runOnce();
    expect(await offersOf([a.entry.id])).toHaveLength(0);
    await d.db.update(applications).set({ status: "cancelled" }).where(eq(applications.id, booked.id));
    await runOnce();
    expect((await offersOf([a.entry.id])).map((o) => o.slotId)).toEqual([slot.id]);
  });
});

describe("takeOffer", () => {
  test("two confirmations of one time at once: exactly one gets it, the other is told it is gone and keeps waiting", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-14", "afternoon");
    const b = await waiting(instructor.id, "2030-03-14", "afternoon");
    const slot = await slotAt(instructor.id, "2030-03-14T14:00:00");
    await waitlistRound(d.db, now, ZONE);
    const before = (await outboxOf([a.student.chatId, b.student.chatId])).length;

    const results = await Promise.allSettled([
      takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz),
      takeOffer(d.db, b.student.id, b.entry.id, slot.id, now, tz),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(WaitlistError);
    expect((lost[0]!.reason as WaitlistError).refusal).toBe("taken");

    const holders = await d.db.select().from(applications).where(eq(applications.slotId, slot.id));
    expect(holders).toHaveLength(1);
    const winner = holders[0]!.id === a.app.id ? a : b;
    const loser = winner === a ? b : a;
    const entries = await d.db.select().from(waitlistEntries).where(inArray(waitlistEntries.id, [a.entry.id, b.entry.id]));
    expect(Object.fromEntries(entries.map((e) => [e.id, e.state]))).toEqual({ [winner.entry.id]: "booked", [loser.entry.id]: "waiting" });
    const offers = await offersOf([a.entry.id, b.entry.id]);
    expect(Object.fromEntries(offers.map((o) => [o.entryId, o.state]))).toEqual({ [winner.entry.id]: "taken", [loser.entry.id]: "gone" });
    const told = (await outboxOf([loser.student.chatId])).map((m) => (m.payload.params as { text: string }).text);
    expect(told.at(-1)).toContain("уже заняли. Вы остаётесь в листе ожидания.");
    expect((await outboxOf([a.student.chatId, b.student.chatId])).length).toBe(before + 1);
    const [event] = await d.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, winner.app.id), eq(applicationEvents.type, "slot")));
    expect(event!.payload).toEqual({ action: "waitlist", slotId: slot.id, startsAt: slot.startsAt.toISOString() });

    // The slot is no longer offered to anyone in the next round.
    const c = await waiting(instructor.id, "2030-03-14", "day");
    await waitlistRound(d.db, now, ZONE);
    expect(await offersOf([c.entry.id])).toHaveLength(0);
  });

  test("an accepted application gets a lesson at the time, and the instructor's linked staff are told", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const account = await createAccount(d.db, { login: `wl-alert-${instructor.id}`, password: "long-password-1", role: "instructor", instructorId: instructor.id });
    await d.db.update(accounts).set({ telegramChatId: 880_000 + instructor.id }).where(eq(accounts.id, account.id));
    const a = await waiting(instructor.id, "2030-03-15", "evening", "accepted");
    const slot = await slotAt(instructor.id, "2030-03-15T18:00:00");
    await waitlistRound(d.db, now, ZONE);
    const result = await takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz);
    expect(result.kind).toBe("lesson");
    const [lesson] = await d.db.select().from(lessons).where(eq(lessons.applicationId, a.app.id));
    expect(lesson).toMatchObject({ slotId: slot.id, state: "planned", startsAt: slot.startsAt, minutes: 90 });
    const alerts = await d.db.select().from(outbox).where(eq(outbox.chatId, 880_000 + instructor.id)).orderBy(outbox.id);
    expect(String(alerts.at(-1)!.payload.params.text)).toContain("записался на занятие из листа ожидания");
    // The time is the lesson's now: a later entry is not offered it.
    const b = await waiting(instructor.id, "2030-03-15", "evening");
    await waitlistRound(d.db, now, ZONE);
    expect(await offersOf([b.entry.id])).toHaveLength(0);
  });

  test("refusals: not the student's, past, no longer waiting; leaving", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-16", "morning");
    const slot = await slotAt(instructor.id, "2030-03-16T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    const stranger = await createStudent(d.db);
    expect(await refusal(takeOffer(d.db, stranger.id, a.entry.id, slot.id, now, tz))).toBe("not_yours");
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id + 1000, now, tz))).toBe("not_yours");
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id, almaty("2030-03-16T09:30:00"), tz))).toBe("past");
    await leaveWaitlist(d.db, a.student.id, a.entry.id);
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz))).toBe("left");
    expect(await refusal(leaveWaitlist(d.db, a.student.id, a.entry.id))).toBe("left");
    const [offer] = await offersOf([a.entry.id]);
    expect(offer!.state).toBe("gone");
    const [app] = await d.db.select().from(applications).where(eq(applications.id, a.app.id));
    expect(app!.slotId).toBeNull();
  });
});

const textsOf = async (chatId: number) => (await outboxOf([chatId])).map((m) => (m.payload.params as { text: string }).text);

describe("a time that changes hands", () => {
  test("a time freed a second time is offered again to the student told it was gone, once", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-20", "morning");
    const b = await waiting(instructor.id, "2030-03-20", "morning");
    const slot = await slotAt(instructor.id, "2030-03-20T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    await takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz);
    expect((await textsOf(b.student.chatId)).at(-1)).toContain("уже заняли. Вы остаётесь в листе ожидания.");

    // A cancels: the time is open again, and B (still waiting) is offered it again.
    expect((await cancelByStudent(d.db, a.app.id, a.student.id)).ok).toBe(true);
    const round = await waitlistRound(d.db, now, ZONE);
    expect(round.offered).toBe(1);
    const offers = await offersOf([a.entry.id, b.entry.id]);
    expect(Object.fromEntries(offers.map((o) => [o.entryId, o.state]))).toEqual({ [a.entry.id]: "taken", [b.entry.id]: "offered" });
    const told = await textsOf(b.student.chatId);
    expect(told).toHaveLength(3); // the offer, "gone", the offer again
    expect(told.at(-1)).toContain("Освободилось время у инструктора");
    // And only once per freeing.
    expect((await waitlistRound(d.db, now, ZONE)).offered).toBe(0);
    expect(await textsOf(b.student.chatId)).toHaveLength(3);
    // B takes it now.
    expect((await takeOffer(d.db, b.student.id, b.entry.id, slot.id, now, tz)).kind).toBe("booked");
  });

  test("a direct booking of an offered time: the next round tells the student it is gone, once; a started time goes silently", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-21", "day");
    const slot = await slotAt(instructor.id, "2030-03-21T09:00:00");
    const later = await slotAt(instructor.id, "2030-03-21T15:00:00");
    await waitlistRound(d.db, now, ZONE);
    expect(await textsOf(a.student.chatId)).toHaveLength(2);

    // Another student books 09:00 straight in the bot (no waitlist): the offer is gone, A is told.
    await createApplication(d.db, { instructorId: instructor.id, cityId, slotId: slot.id });
    const round = await waitlistRound(d.db, now, ZONE);
    expect(round.gone).toBe(1);
    const byslot = async () => Object.fromEntries((await offersOf([a.entry.id])).map((o) => [o.slotId, o.state]));
    expect(await byslot()).toEqual({ [slot.id]: "gone", [later.id]: "offered" });
    const told = await textsOf(a.student.chatId);
    expect(told).toHaveLength(3);
    expect(told.at(-1)).toContain("уже заняли. Вы остаётесь в листе ожидания.");
    expect(told.at(-1)).toContain("09:00");
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz))).toBe("taken");
    await waitlistRound(d.db, now, ZONE);
    expect(await textsOf(a.student.chatId)).toHaveLength(3);

    // 15:00 starts unanswered: the offer goes, and nobody is told it was "taken".
    const afterStart = almaty("2030-03-21T15:05:00");
    await waitlistRound(d.db, afterStart, ZONE);
    expect(await byslot()).toEqual({ [slot.id]: "gone", [later.id]: "gone" });
    expect(await textsOf(a.student.chatId)).toHaveLength(3);
  });

  test("a deactivated instructor's times: an open offer goes (the student told), no new one is made", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-28", "day");
    const slot = await slotAt(instructor.id, "2030-03-28T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    await d.db.update(instructors).set({ active: false }).where(eq(instructors.id, instructor.id));
    await slotAt(instructor.id, "2030-03-28T15:00:00");
    const round = await waitlistRound(d.db, now, ZONE);
    expect(round).toMatchObject({ gone: 1, offered: 0 });
    expect((await offersOf([a.entry.id])).map((o) => [o.slotId, o.state])).toEqual([[slot.id, "gone"]]);
    expect((await textsOf(a.student.chatId)).at(-1)).toContain("уже заняли");
  });

  test("an entry whose application got a lesson planned by hand is booked: no offers, its open ones gone silently", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-22", "day", "accepted");
    const slot = await slotAt(instructor.id, "2030-03-22T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    expect(await offersOf([a.entry.id])).toHaveLength(1);
    // The instructor plans the lesson by hand, on another day than wished; a second time frees that day.
    await d.db.insert(lessons).values({ applicationId: a.app.id, instructorId: instructor.id, startsAt: almaty("2030-03-23T10:00:00"), minutes: 90, state: "planned" });
    const second = await slotAt(instructor.id, "2030-03-22T16:00:00");
    const round = await waitlistRound(d.db, now, ZONE);
    expect(round).toMatchObject({ booked: 1, offered: 0 });
    const [entry] = await d.db.select().from(waitlistEntries).where(eq(waitlistEntries.id, a.entry.id));
    expect(entry!.state).toBe("booked");
    expect(Object.fromEntries((await offersOf([a.entry.id])).map((o) => [o.slotId, o.state]))).toEqual({ [slot.id]: "gone" });
    expect(second.id).toBeGreaterThan(0);
    expect(await textsOf(a.student.chatId)).toHaveLength(1); // only the first offer
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz))).toBe("left");
  });
});

describe("a confirmation and an acceptance of one application", () => {
  async function staffOf(instructorId: number) {
    const account = await createAccount(d.db, { login: `wl-${instructorId}-${Math.random().toString(36).slice(2, 7)}`, password: "long-password-1", role: "instructor", instructorId });
    return { kind: "instructor" as const, instructorId, accountId: account.id };
  }
  const lessonsOf = (applicationId: number) => d.db.select().from(lessons).where(eq(lessons.applicationId, applicationId));

  test("confirmed first, then accepted: the acceptance makes the lesson at the held time", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-24", "morning");
    const slot = await slotAt(instructor.id, "2030-03-24T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    expect((await takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz)).kind).toBe("booked");
    const result = await changeStatus(d.db, await staffOf(instructor.id), a.app.id, { from: "new", to: "accepted" }, { now, timeZone: ZONE });
    expect(result.ok).toBe(true);
    const made = await lessonsOf(a.app.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ slotId: slot.id, state: "planned", startsAt: slot.startsAt });
  });

  test("accepted first, then confirmed: the confirmation makes the lesson, the application holds no slot", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-25", "morning");
    const slot = await slotAt(instructor.id, "2030-03-25T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    expect((await changeStatus(d.db, await staffOf(instructor.id), a.app.id, { from: "new", to: "accepted" }, { now, timeZone: ZONE })).ok).toBe(true);
    expect(await lessonsOf(a.app.id)).toHaveLength(0);
    expect((await takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz)).kind).toBe("lesson");
    const made = await lessonsOf(a.app.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ slotId: slot.id, state: "planned" });
    const [app] = await d.db.select().from(applications).where(eq(applications.id, a.app.id));
    expect(app!.slotId).toBeNull();
  });

  test("confirmed and accepted at once (real concurrency on PostgreSQL): whichever runs first, the lesson exists", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-27", "morning");
    const slot = await slotAt(instructor.id, "2030-03-27T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    const scope = await staffOf(instructor.id);
    const [took, accepted] = await Promise.all([
      takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz),
      changeStatus(d.db, scope, a.app.id, { from: "new", to: "accepted" }, { now, timeZone: ZONE }),
    ]);
    expect(["booked", "lesson"]).toContain(took.kind);
    expect(accepted.ok).toBe(true);
    const made = await lessonsOf(a.app.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ slotId: slot.id, state: "planned" });
  });

  test("a cancellation before the confirmation: the confirmation is refused and nobody is told the time is gone", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-26", "morning");
    const b = await waiting(instructor.id, "2030-03-26", "morning");
    const slot = await slotAt(instructor.id, "2030-03-26T09:00:00");
    await waitlistRound(d.db, now, ZONE);
    await cancelByStudent(d.db, a.app.id, a.student.id);
    expect(await refusal(takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz))).toBe("left");
    expect(await textsOf(b.student.chatId)).toHaveLength(1);
    expect((await takeOffer(d.db, b.student.id, b.entry.id, slot.id, now, tz)).kind).toBe("booked");
  });
});
