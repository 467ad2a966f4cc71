// The waitlist's domain: which freed times are offered to whom and in what order, one holder per
// time when two students confirm at once (real concurrency through the pool on PostgreSQL), and
// entries leaving when their day has passed.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { applicationEvents, applications, instructorSlots, lessons, outbox, waitlistEntries, waitlistOffers } from "../../src/db/schema.ts";
import { joinWaitlist, leaveWaitlist, takeOffer, WaitlistError } from "../../src/domain/waitlist.ts";
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

  test("an accepted application gets a lesson at the time", async () => {
    const instructor = await createInstructor(d.db, { cityId });
    const a = await waiting(instructor.id, "2030-03-15", "evening", "accepted");
    const slot = await slotAt(instructor.id, "2030-03-15T18:00:00");
    await waitlistRound(d.db, now, ZONE);
    const result = await takeOffer(d.db, a.student.id, a.entry.id, slot.id, now, tz);
    expect(result.kind).toBe("lesson");
    const [lesson] = await d.db.select().from(lessons).where(eq(lessons.applicationId, a.app.id));
    expect(lesson).toMatchObject({ slotId: slot.id, state: "planned", startsAt: slot.startsAt, minutes: 90 });
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
