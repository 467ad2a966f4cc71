// The lesson core (issue 15): a booking's acceptance makes its lesson; a planned lesson holds its
// time against the bot's offers; staff and students move and cancel it (the student only from the
// instructor's open slots and before the cut-off); the other side is told; history and slots follow.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { accounts, applicationEvents, applications, instructors, instructorSlots, lessons, outbox, schools } from "../../src/db/schema.ts";
import { cancelLesson, LessonError, moveLesson, planLesson, type LessonActor } from "../../src/domain/lessons.ts";
import { listSlotsWithHolders } from "../../src/domain/availability.ts";
import { blockDay, cancelSlot } from "../../src/domain/slot-cancel.ts";
import { freeSlots } from "../../src/domain/slots.ts";
import { cancelByStudent, changeStatus } from "../../src/domain/status.ts";
import { lessonEventLine } from "../../src/notify/lesson-event-line.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { createApplication, createCity, createInstructor, createSchool, createStaff, createStudent } from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const ZONE = "Asia/Almaty";
const almaty = (s: string) => new Date(`${s}+05:00`);
const NOW = almaty("2030-03-10T12:00:00");

let d: TestDatabase;

beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(async () => {
  await d?.close();
});

async function slot(instructorId: number, at: string, minutes = 90) {
  const [s] = await d.db.insert(instructorSlots).values({ instructorId, startsAt: almaty(at), minutes }).returning();
  return s!;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(LessonError);
  return (err as LessonError).refusal;
}

const messagesTo = async (chatId: number) =>
  (await d.db.select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(outbox.id)).map((r) => String(r.payload.params.text ?? ""));

/** An instructor with a linked staff account, a student (in `language`) who booked a slot, accepted by the instructor. */
async function acceptedBooking(language: "ru" | "kk" = "ru", opts: { schoolId?: number } = {}) {
  const city = await createCity(d.db);
  const instructor = await createInstructor(d.db, { cityId: city.id });
  await d.db.update(instructors).set({ meetingPoint: "ТЦ «Мега», парковка", schoolId: opts.schoolId ?? null }).where(eq(instructors.id, instructor.id));
  const staff = await createStaff(d.db, { instructorId: instructor.id });
  const staffChat = 900_000 + instructor.id;
  await d.db.update(accounts).set({ telegramChatId: staffChat }).where(eq(accounts.id, staff.id));
  const booked = await slot(instructor.id, "2030-03-14T09:00:00");
  const student = await createStudent(d.db, { language });
  const app = await createApplication(d.db, { instructorId: instructor.id, cityId: city.id, slotId: booked.id }, { studentId: student.id });
  const scope = { kind: "instructor" as const, instructorId: instructor.id, accountId: staff.id };
  const result = await changeStatus(d.db, scope, app.id, { from: "new", to: "accepted" }, { now: NOW, timeZone: ZONE });
  expect(result.ok).toBe(true);
  const [lesson] = await d.db.select().from(lessons).where(eq(lessons.applicationId, app.id));
  const staffActor: LessonActor = { kind: "instructor", instructorId: instructor.id, accountId: staff.id };
  const studentActor: LessonActor = { kind: "student", studentId: student.id };
  return { city, instructor, staff, staffChat, booked, student, app, lesson: lesson!, staffActor, studentActor };
}

describe("a booking becomes a lesson", () => {
  test("accepting an application that holds a slot makes the lesson at the slot's time, with its place, and tells the student", async () => {
    const b = await acceptedBooking("kk");
    expect(b.lesson).toMatchObject({ state: "planned", startsAt: b.booked.startsAt, minutes: 90, slotId: b.booked.id, place: "ТЦ «Мега», парковка" });
    const texts = await messagesTo(b.student.chatId);
    // The status message first, then the lesson's, in Kazakh, in Almaty time.
    expect(texts.at(-1)).toContain("сабақ белгіленді");
    expect(texts.at(-1)).toContain("09:00");
    expect(texts.at(-1)).toContain("Орны: ТЦ «Мега», парковка");
    const events = await d.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, b.app.id), eq(applicationEvents.type, "lesson")));
    expect(events.map((e) => e.payload)).toEqual([{ lesson: b.lesson.id, action: "planned", startsAt: b.booked.startsAt.toISOString(), minutes: 90, fromBooking: true }]);
    expect(lessonEventLine("ru", events[0]!.payload, ZONE)).toContain("Занятие назначено");
  });

  test("a time under a planned lesson is not offered, and the lesson's own planning refuses a booked time", async () => {
    const b = await acceptedBooking();
    const overlapping = await slot(b.instructor.id, "2030-03-14T10:00:00", 60);
    const later = await slot(b.instructor.id, "2030-03-14T12:00:00", 60);
    const offered = (await freeSlots(d.db, b.instructor.id, NOW)).map((s) => s.id);
    expect(offered).not.toContain(overlapping.id);
    expect(offered).toContain(later.id);
    const other = await createApplication(d.db, { instructorId: b.instructor.id, cityId: b.city.id }, { status: "accepted" });
    expect(await refusal(planLesson(d.db, b.instructor.id, other.id, almaty("2030-03-14T09:30:00"), 60, { now: NOW }))).toBe("taken");
    // The instructor's slot list shows the time under the lesson as taken by that application.
    const planned = await planLesson(d.db, b.instructor.id, other.id, almaty("2030-03-14T12:30:00"), 60, { now: NOW });
    const listed = await listSlotsWithHolders(d.db, b.instructor.id, NOW, almaty("2030-03-15T00:00:00"));
    expect(listed.find((s) => s.id === later.id)?.applicationId).toBe(planned.applicationId);
    expect(listed.find((s) => s.id === overlapping.id)?.applicationId).toBe(b.app.id);
  });
});

describe("moving", () => {
  test("staff move a lesson: the booked slot is freed, the answer forgotten, the student told of both times", async () => {
    const b = await acceptedBooking();
    await d.db.update(lessons).set({ studentAnswer: "coming", answeredAt: NOW }).where(eq(lessons.id, b.lesson.id));
    const moved = await moveLesson(d.db, b.staffActor, b.lesson.id, { startsAt: almaty("2030-03-15T23:30:00"), minutes: 60 }, { now: NOW, timeZone: ZONE });
    expect(moved).toMatchObject({ startsAt: almaty("2030-03-15T23:30:00"), minutes: 60, slotId: null, studentAnswer: null, timedAt: NOW });
    const [app] = await d.db.select().from(applications).where(eq(applications.id, b.app.id));
    expect(app!.slotId).toBeNull();
    expect((await freeSlots(d.db, b.instructor.id, NOW)).map((s) => s.id)).toContain(b.booked.id);
    const text = (await messagesTo(b.student.chatId)).at(-1)!;
    expect(text).toContain("занятие перенесено");
    expect(text).toMatch(/09:00.*23:30/s);
    // A place cleared by staff falls back to the meeting point, as when planning.
    const cleared = await moveLesson(d.db, b.staffActor, b.lesson.id, { startsAt: almaty("2030-03-16T10:00:00"), place: " " }, { now: NOW, timeZone: ZONE });
    expect(cleared.place).toBe("ТЦ «Мега», парковка");
  });

  test("the student moves only to an open slot, only before the cut-off; the staff are told", async () => {
    const b = await acceptedBooking();
    const free = await slot(b.instructor.id, "2030-03-16T09:00:00");
    const taken = await slot(b.instructor.id, "2030-03-16T12:00:00");
    await createApplication(d.db, { instructorId: b.instructor.id, cityId: b.city.id, slotId: taken.id });
    expect(await refusal(moveLesson(d.db, b.studentActor, b.lesson.id, { slotId: taken.id }, { now: NOW, timeZone: ZONE }))).toBe("taken");
    expect(await refusal(moveLesson(d.db, b.studentActor, b.lesson.id, { startsAt: almaty("2030-03-16T15:00:00") }, { now: NOW, timeZone: ZONE }))).toBe("bad_input");
    // 20 hours before the lesson: inside the default 24 h cut-off.
    expect(await refusal(moveLesson(d.db, b.studentActor, b.lesson.id, { slotId: free.id }, { now: almaty("2030-03-13T13:00:00"), timeZone: ZONE }))).toBe("cutoff");
    const moved = await moveLesson(d.db, b.studentActor, b.lesson.id, { slotId: free.id }, { now: NOW, timeZone: ZONE });
    expect(moved).toMatchObject({ slotId: free.id, startsAt: free.startsAt });
    expect((await messagesTo(b.staffChat)).at(-1)).toContain("ученик перенёс занятие");
    // Another student's lesson is not found for this student.
    const stranger: LessonActor = { kind: "student", studentId: (await createStudent(d.db)).id };
    expect(await refusal(moveLesson(d.db, stranger, b.lesson.id, { slotId: b.booked.id }, { now: NOW, timeZone: ZONE }))).toBe("not_found");
  });

  test("a school's cut-off applies to its instructors' lessons", async () => {
    const school = await createSchool(d.db);
    await d.db.update(schools).set({ cancelCutoffHours: 2 }).where(eq(schools.id, school.id));
    const b = await acceptedBooking("ru", { schoolId: school.id });
    const free = await slot(b.instructor.id, "2030-03-16T09:00:00");
    // 20 hours before: outside the school's 2 h cut-off.
    const moved = await moveLesson(d.db, b.studentActor, b.lesson.id, { slotId: free.id }, { now: almaty("2030-03-13T13:00:00"), timeZone: ZONE });
    expect(moved.slotId).toBe(free.id);
  });
});

describe("cancelling", () => {
  test("a student's cancellation inside the cut-off is late; outside it is not; either frees the time", async () => {
    const late = await acceptedBooking();
    const cancelled = await cancelLesson(d.db, late.studentActor, late.lesson.id, { now: almaty("2030-03-14T07:00:00"), timeZone: ZONE });
    expect(cancelled).toMatchObject({ state: "cancelled", cancelledBy: "student", cancelledLate: true });
    expect((await messagesTo(late.staffChat)).at(-1)).toContain("Поздняя отмена");
    expect((await freeSlots(d.db, late.instructor.id, almaty("2030-03-14T07:00:00"))).map((s) => s.id)).toContain(late.booked.id);
    expect(await refusal(cancelLesson(d.db, late.studentActor, late.lesson.id, { now: NOW, timeZone: ZONE }))).toBe("not_planned");

    const early = await acceptedBooking();
    expect(await cancelLesson(d.db, early.studentActor, early.lesson.id, { now: NOW, timeZone: ZONE })).toMatchObject({ cancelledLate: false });
  });

  test("staff cancel with a reason the student reads; a started lesson cannot be cancelled", async () => {
    const b = await acceptedBooking();
    expect(await refusal(cancelLesson(d.db, b.staffActor, b.lesson.id, { now: almaty("2030-03-14T09:30:00"), timeZone: ZONE }))).toBe("past");
    await cancelLesson(d.db, b.staffActor, b.lesson.id, { now: NOW, timeZone: ZONE, reason: "Машина <в ремонте>" });
    const text = (await messagesTo(b.student.chatId)).at(-1)!;
    expect(text).toContain("Причина: Машина &lt;в ремонте&gt;");
  });

  test("the student cancelling the application cancels its planned lessons, late inside the cut-off, and the staff are told", async () => {
    const b = await acceptedBooking();
    await d.db.transaction((tx) => cancelByStudent(tx, b.app.id, b.student.id, { now: almaty("2030-03-14T08:00:00"), timeZone: ZONE }));
    const rows = await d.db.select().from(lessons).where(inArray(lessons.applicationId, [b.app.id]));
    expect(rows.map((l) => [l.state, l.cancelledBy, l.cancelledLate])).toEqual([["cancelled", "student", true]]);
    expect((await messagesTo(b.staffChat)).at(-1)).toContain("Поздняя отмена");

    const early = await acceptedBooking();
    await d.db.transaction((tx) => cancelByStudent(tx, early.app.id, early.student.id, { now: NOW, timeZone: ZONE }));
    const [l] = await d.db.select().from(lessons).where(eq(lessons.applicationId, early.app.id));
    expect([l!.state, l!.cancelledLate]).toEqual(["cancelled", false]);
  });

  test("withdrawing a booked slot cancels the lesson on it, with the reason in the history", async () => {
    const b = await acceptedBooking();
    const result = await cancelSlot(d.db, { instructorId: b.instructor.id, accountId: b.staff.id }, b.booked.id, { reason: "Болею", timeZone: ZONE });
    expect(result.ok).toBe(true);
    const [l] = await d.db.select().from(lessons).where(eq(lessons.id, b.lesson.id));
    expect([l!.state, l!.cancelledBy]).toEqual(["cancelled", "instructor"]);
    const events = await d.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, b.app.id), eq(applicationEvents.type, "lesson")));
    expect(events.at(-1)!.payload).toMatchObject({ action: "cancelled", by: "instructor", reason: "Болею" });
  });

  test("a slot a moved lesson holds is withdrawn only with a reason, which cancels the lesson and reaches the student", async () => {
    const b = await acceptedBooking();
    const s2 = await slot(b.instructor.id, "2030-03-16T09:00:00");
    await moveLesson(d.db, b.studentActor, b.lesson.id, { slotId: s2.id }, { now: NOW, timeZone: ZONE });
    const actor = { instructorId: b.instructor.id, accountId: b.staff.id };
    const asked = await cancelSlot(d.db, actor, s2.id, { timeZone: ZONE });
    expect(asked).toMatchObject({ ok: false, reason: "needs_reason", booking: { applicationId: b.app.id } });
    expect((await d.db.select().from(lessons).where(eq(lessons.id, b.lesson.id)))[0]!.state).toBe("planned");
    expect(await cancelSlot(d.db, actor, s2.id, { timeZone: ZONE, reason: "Машина в ремонте" })).toMatchObject({ ok: true, released: { applicationId: b.app.id } });
    expect((await d.db.select().from(lessons).where(eq(lessons.id, b.lesson.id)))[0]!.state).toBe("cancelled");
    expect((await messagesTo(b.student.chatId)).at(-1)).toContain("Причина: Машина в ремонте");
  });

  test("a day off keeps a hand-planned lesson without a reason, and cancels it (telling the student) with one", async () => {
    const b = await acceptedBooking();
    const other = await createApplication(d.db, { instructorId: b.instructor.id, cityId: b.city.id }, { status: "accepted", studentId: (await createStudent(d.db)).id });
    const byHand = await planLesson(d.db, b.instructor.id, other.id, almaty("2030-03-17T15:00:00"), 60, { now: NOW });
    const under = await slot(b.instructor.id, "2030-03-17T15:00:00", 60);
    const actor = { instructorId: b.instructor.id, accountId: b.staff.id };
    const kept = await blockDay(d.db, actor, "2030-03-17", { timeZone: ZONE });
    expect(kept.keptLessons.map((l) => l.lessonId)).toEqual([byHand.id]);
    expect((await d.db.select().from(lessons).where(eq(lessons.id, byHand.id)))[0]!.state).toBe("planned");
    const done = await blockDay(d.db, actor, "2030-03-17", { timeZone: ZONE, cancelBookings: { reason: "Болею" } });
    expect(done.released.map((r) => r.applicationId)).toEqual([other.id]);
    expect((await d.db.select().from(lessons).where(eq(lessons.id, byHand.id)))[0]!.state).toBe("cancelled");
    expect((await d.db.select().from(instructorSlots).where(eq(instructorSlots.id, under.id)))[0]!.state).toBe("cancelled");
  });
});
