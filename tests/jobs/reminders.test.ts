// Lesson reminders through the real database with an injected clock (no sleeping for a day): the
// first reminder at T−24h and the second at T−2h, each once however many rounds or instances run
// (concurrently too: Promise.all, which on PostgreSQL really races); a round that dies before its
// commit loses nothing and doubles nothing; after a long stop only the
// latest one; a lesson planned 5 h ahead only the second; a cancelled lesson nothing; a moved
// lesson its new time's reminders only; a school's or instructor's own hours honoured; and the
// outbox only gets a reminder when it is due, so no message waits behind one (and none is overtaken).
import { reminderButtons } from "../../src/bot/callback-data.ts";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { instructors, lessonReminders, lessons, outbox, schools, students } from "../../src/db/schema.ts";
import { parseCallbackData } from "../../src/bot/callback-data.ts";
import { dueLessons, sendDueReminders } from "../../src/domain/lesson-reminders.ts";
import { queryRows } from "../../src/db/client.ts";
import { cancelLesson, moveLesson, planLesson } from "../../src/domain/lessons.ts";
import { claimDue, enqueueMessage } from "../../src/domain/outbox.ts";
import { reminderSender } from "../../src/jobs/reminders.ts";
import type { Sleep } from "../../src/jobs/loop.ts";
import { createTestDatabase, serverUrl, type TestDatabase } from "../support/db.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const ZONE = "Asia/Almaty";
const H = 3_600_000;
const M = 60_000;
let d: TestDatabase;
const db = () => d.db;

beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.dispose());

// Every test has its own stretch of time, later than the one before, so another test's lessons
// are long past (and never due) when a round runs.
let stretch = 0;
const nextBase = () => new Date(Date.UTC(2027, 2, 1, 4) + ++stretch * 20 * 24 * H);

/** An instructor (optionally of a school), an accepted application of a new student, and a lesson planned at `now` for `startsAt`. */
async function setUp(now: Date, startsAt: Date, opts: { instructor?: { id: number; cityId: number } } = {}) {
  const instructor = opts.instructor ?? (await fx.createInstructor(db(), { name: "Ерлан <Б>" }));
  const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
  const lesson = await planLesson(db(), instructor.id, app.id, startsAt, 90, { now, timeZone: ZONE, place: "ТЦ «Мега»" });
  const [student] = await db().select({ chatId: students.chatId }).from(students).where(eq(students.id, app.studentId));
  const chatId = student!.chatId;
  return { instructor, app, lesson, chatId };
}

/** The reminders in a chat's outbox, oldest first: their text and buttons. */
async function remindersTo(chatId: number) {
  const rows = await db().select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(asc(outbox.id));
  return rows
    .map((r) => r.payload as unknown as { params: { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } } })
    .filter((p) => p.params.text.includes("Напоминание") || p.params.text.includes("еске салу"))
    .map((p) => ({ text: p.params.text, buttons: (p.params.reply_markup?.inline_keyboard ?? []).flat() }));
}

const round = (now: Date) => sendDueReminders(db(), now, { timeZone: ZONE, buttons: reminderButtons });
const before = (at: Date, ms: number) => new Date(at.getTime() - ms);

describe("reminders of a lesson planned three days ahead", () => {
  test("the first at T−24h, the second at T−2h, each once across rounds and instances", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { lesson, chatId } = await setUp(t0, start);

    await round(before(start, 24 * H + M));
    expect(await remindersTo(chatId)).toHaveLength(0);

    // Four instances at the same minute: one of them sends it.
    const at24 = before(start, 24 * H);
    const results = await Promise.all([round(at24), round(at24), round(at24), round(at24)]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    // And a round again later that hour, on "another instance": nothing more.
    await round(before(start, 23 * H));
    let sent = await remindersTo(chatId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Напоминание о занятии");
    expect(sent[0]!.text).toContain("09:00"); // 04:00 UTC is 09:00 in Almaty
    expect(sent[0]!.text).toContain("90 мин.");
    expect(sent[0]!.text).toContain("Ерлан &lt;Б&gt;");
    expect(sent[0]!.text).toContain("ТЦ «Мега»");
    expect(sent[0]!.buttons.map((b) => b.text)).toEqual(["Приду", "Не смогу"]);
    expect(sent[0]!.buttons.map((b) => parseCallbackData(b.callback_data))).toEqual([
      { kind: "lesson", lessonId: lesson.id, action: "coming" },
      { kind: "lesson", lessonId: lesson.id, action: "not_coming" },
    ]);

    const at2 = before(start, 2 * H);
    await Promise.all([round(at2), round(at2)]);
    await round(before(start, H));
    await round(before(start, M));
    sent = await remindersTo(chatId);
    expect(sent).toHaveLength(2);
    const rows = await db().select().from(lessonReminders).where(eq(lessonReminders.lessonId, lesson.id)).orderBy(asc(lessonReminders.sentAt));
    expect(rows.map((r) => [r.kind, r.startsAt.toISOString(), r.sentAt.toISOString()])).toEqual([
      ["first", start.toISOString(), at24.toISOString()],
      ["second", start.toISOString(), at2.toISOString()],
    ]);
    // Once the lesson has begun, nothing.
    await round(new Date(start.getTime() + M));
    expect(await remindersTo(chatId)).toHaveLength(2);
  });

  test(`concurrent instances ${serverUrl ? "on PostgreSQL" : "on PGlite"}: several lessons, each reminder once`, async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const instructor = await fx.createInstructor(db());
    const set = [];
    for (let i = 0; i < 5; i++) set.push(await setUp(t0, new Date(start.getTime() + i * 2 * H), { instructor }));
    const at = before(start, 16 * H); // every lesson's first reminder is due
    const results = await Promise.all(Array.from({ length: 6 }, () => sendDueReminders(db(), at, { timeZone: ZONE, limit: 2, buttons: reminderButtons })));
    // Small batches: rounds that hit the limit say so, and the rest go in the next rounds.
    let sent = results.reduce((n, r) => n + r.sent, 0);
    for (let r = await sendDueReminders(db(), at, { timeZone: ZONE, limit: 2, buttons: reminderButtons }); ; r = await sendDueReminders(db(), at, { timeZone: ZONE, limit: 2, buttons: reminderButtons })) {
      sent += r.sent;
      if (!r.full) break;
    }
    expect(sent).toBe(5); // what the rounds say they sent is what went out: no double claim
    for (const s of set) expect(await remindersTo(s.chatId)).toHaveLength(1);
    const ids = set.map((s) => s.lesson.id);
    expect(await db().select().from(lessonReminders).where(inArray(lessonReminders.lessonId, ids))).toHaveLength(5);
  });

  test("a round that dies before its commit claims nothing: the next round sends the reminder, once", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { lesson, chatId } = await setUp(t0, start);
    // The crash: writing this chat's outbox row fails inside the round's transaction.
    await db().execute(sql.raw(`create function fail_reminder_outbox() returns trigger language plpgsql as $$ begin
      if new.chat_id = ${chatId} then raise exception 'crash before commit'; end if; return new; end $$`));
    await db().execute(sql.raw(`create trigger fail_reminder_outbox before insert on outbox for each row execute function fail_reminder_outbox()`));
    try {
      await expect(round(before(start, 24 * H))).rejects.toThrow();
    } finally {
      await db().execute(sql.raw(`drop trigger fail_reminder_outbox on outbox`));
      await db().execute(sql.raw(`drop function fail_reminder_outbox()`));
    }
    expect(await db().select().from(lessonReminders).where(eq(lessonReminders.lessonId, lesson.id))).toEqual([]);
    await round(before(start, 23 * H));
    await round(before(start, 22 * H));
    expect(await remindersTo(chatId)).toHaveLength(1);
  });

  test("after a long stop only the latest due reminder goes out", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { chatId } = await setUp(t0, start);
    // The job was down from before T−24h until T−1h.
    await round(before(start, H));
    await round(before(start, 30 * M));
    const sent = await remindersTo(chatId);
    expect(sent).toHaveLength(1);
    const rows = await db().select().from(lessonReminders).innerJoin(lessons, eq(lessons.id, lessonReminders.lessonId)).where(eq(lessons.startsAt, start));
    expect(rows.map((r) => r.lesson_reminders.kind)).toEqual(["second"]);
  });

  test("a lesson planned 5 h ahead gets only the second reminder", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 5 * H);
    const { chatId } = await setUp(t0, start);
    await round(new Date(t0.getTime() + M));
    await round(before(start, 3 * H));
    expect(await remindersTo(chatId)).toHaveLength(0);
    await round(before(start, 2 * H));
    await round(before(start, H));
    expect(await remindersTo(chatId)).toHaveLength(1);
  });

  test("a cancelled lesson gets nothing", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { instructor, lesson, chatId } = await setUp(t0, start);
    await cancelLesson(db(), { kind: "instructor", instructorId: instructor.id, accountId: null }, lesson.id, { now: new Date(t0.getTime() + H), timeZone: ZONE });
    await round(before(start, 24 * H));
    await round(before(start, 2 * H));
    expect(await remindersTo(chatId)).toHaveLength(0);
  });

  test("a moved lesson gets the reminders of its new time only", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { instructor, lesson, chatId } = await setUp(t0, start);
    await round(before(start, 24 * H)); // the first, for the old time
    const newStart = new Date(start.getTime() + 48 * H);
    await moveLesson(db(), { kind: "instructor", instructorId: instructor.id, accountId: null }, lesson.id, { startsAt: newStart }, { now: before(start, 23 * H), timeZone: ZONE });
    await round(before(start, 2 * H)); // the old time's second: not sent
    expect(await remindersTo(chatId)).toHaveLength(1);
    await round(before(newStart, 24 * H));
    await round(before(newStart, 2 * H));
    const sent = await remindersTo(chatId);
    expect(sent).toHaveLength(3);
    expect(sent[1]!.text).toContain(`${newStart.getUTCDate()}`);
    const rows = await db().select().from(lessonReminders).where(eq(lessonReminders.lessonId, lesson.id));
    expect(rows.map((r) => `${r.kind}@${r.startsAt.toISOString()}`).sort()).toEqual([`first@${newStart.toISOString()}`, `first@${start.toISOString()}`, `second@${newStart.toISOString()}`].sort());
  });

  test("a moved lesson whose new time is inside the window gets nothing for a window that opened before the move", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { instructor, lesson, chatId } = await setUp(t0, start);
    const moveAt = new Date(t0.getTime() + H);
    const newStart = new Date(moveAt.getTime() + 10 * H); // its first window (T−24h) opened before the move
    await moveLesson(db(), { kind: "instructor", instructorId: instructor.id, accountId: null }, lesson.id, { startsAt: newStart }, { now: moveAt, timeZone: ZONE });
    await round(new Date(moveAt.getTime() + M));
    expect(await remindersTo(chatId)).toHaveLength(0);
    await round(before(newStart, 2 * H));
    expect(await remindersTo(chatId)).toHaveLength(1);
  });
});

describe("the rules' hours", () => {
  test("an independent instructor's own hours are honoured", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const instructor = await fx.createInstructor(db());
    await db().update(instructors).set({ reminderFirstHours: 48, reminderSecondHours: 6 }).where(eq(instructors.id, instructor.id));
    const { chatId } = await setUp(t0, start, { instructor });
    await round(before(start, 48 * H + M));
    expect(await remindersTo(chatId)).toHaveLength(0);
    await round(before(start, 48 * H));
    await round(before(start, 24 * H));
    expect(await remindersTo(chatId)).toHaveLength(1);
    await round(before(start, 6 * H));
    await round(before(start, 2 * H));
    expect(await remindersTo(chatId)).toHaveLength(2);
  });

  test("a school's instructor follows the school's hours, not their own", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const school = await fx.createSchool(db());
    await db().update(schools).set({ reminderFirstHours: 12, reminderSecondHours: 1 }).where(eq(schools.id, school.id));
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId });
    await db().update(instructors).set({ schoolId: school.id, reminderFirstHours: 48, reminderSecondHours: 6 }).where(eq(instructors.id, instructor.id));
    const { chatId } = await setUp(t0, start, { instructor });
    await round(before(start, 48 * H));
    await round(before(start, 24 * H));
    expect(await remindersTo(chatId)).toHaveLength(0);
    await round(before(start, 12 * H));
    await round(before(start, 2 * H));
    expect(await remindersTo(chatId)).toHaveLength(1);
    await round(before(start, H));
    expect(await remindersTo(chatId)).toHaveLength(2);
  });
});

describe("the outbox", () => {
  /** The chat's messages the delivery would take now (claimDue takes due rows of all chats; without a send pace only the outbox's order decides). */
  const claimable = async (chatId: number) => (await claimDue(db(), null, 1000, 0)).filter((r) => r.chatId === chatId).map((r) => String((r.payload as unknown as { params: { text: string } }).params.text));
  const markAllSent = (chatId: number) => db().update(outbox).set({ state: "sent" }).where(and(eq(outbox.chatId, chatId), eq(outbox.state, "pending")));

  test("a newer message is not held back by a reminder still to come", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { chatId } = await setUp(t0, start);
    await markAllSent(chatId);
    await round(new Date(t0.getTime() + M)); // not due yet: nothing enters the outbox
    await enqueueMessage(db(), chatId, { text: "Ответ автошколы" });
    expect(await claimable(chatId)).toEqual(["Ответ автошколы"]);
  });

  test("a reminder does not overtake an older pending message; it follows it", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { chatId } = await setUp(t0, start);
    await markAllSent(chatId);
    await enqueueMessage(db(), chatId, { text: "Старое сообщение" });
    await round(before(start, 24 * H));
    expect(await claimable(chatId)).toEqual(["Старое сообщение"]);
    await markAllSent(chatId);
    await round(before(start, 2 * H));
    const [reminder] = await claimable(chatId);
    expect(reminder).toContain("Напоминание о занятии");
  });
});

describe("the round's query", () => {
  test("can use the partial index of planned lessons (lessons_planned_idx)", async () => {
    const plan = await db().transaction(async (tx) => {
      // With a few rows a sequential scan is cheaper; forbid it to see whether the index is usable at all.
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<Record<string, string>>(tx, sql`explain ${dueLessons(tx, new Date(), 500)}`);
    });
    const text = plan.map((r) => Object.values(r)[0]).join("\n");
    if (process.env.SHOW_PLAN) console.log(text);
    expect(text).toContain("lessons_planned_idx");
  });
});

describe("the job", () => {
  test("a round runs on start with the injected clock, then pauses a minute until stopped", async () => {
    const t0 = nextBase();
    const start = new Date(t0.getTime() + 72 * H);
    const { chatId } = await setUp(t0, start);
    const pauses: number[] = [];
    let paused!: () => void;
    const firstPause = new Promise<void>((r) => (paused = r));
    // The pause never ends by itself: only stop() ends it.
    const sleep: Sleep = (ms, signal) => {
      pauses.push(ms);
      if (ms === 60_000) paused();
      return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
    };
    const job = reminderSender(db(), { timeZone: ZONE, firstAfterMs: 0, now: () => before(start, 24 * H), sleep });
    job.start();
    await firstPause;
    await job.stop();
    expect(pauses).toEqual([60_000]);
    expect(await remindersTo(chatId)).toHaveLength(1);
  });
});
