// Lesson reminders (issue 15): before each planned lesson the student gets a reminder with
// "Приду" / "Не смогу" (by default 24 h and 2 h before; the school's or independent instructor's
// rules, src/model/lesson-policy.ts), and their answer reaches the instructor.
//
// Why a table and not a future-dated outbox row: the outbox lets no message overtake an older one
// in a chat, so a row due tomorrow would hold back every message to that student until then. The
// schedule is the lessons themselves; lesson_reminders records which reminder went out for which
// lesson time. A round (src/jobs/reminders.ts, every minute on every instance) finds the lessons
// whose reminder is due, and in one transaction inserts their lesson_reminders rows
// `on conflict do nothing returning` and enqueues exactly the rows it got back: the insert is the
// claim, so two instances (or a restart mid-round) never send one twice, and a crash before the
// commit loses nothing (the next round finds the reminder still due). The lessons are locked
// (`for update`) and re-read in that transaction, so a lesson cancelled or moved meanwhile gets no
// reminder for its old time; a moved lesson is keyed by its new start and gets that time's reminders.
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { staffChatsWhere, type StaffChat } from "./staff-telegram.ts";
import type { Db, Tx } from "../db/client.ts";
import { accounts, applicationEvents, applications, instructors, lessonReminders, lessons, schools, students, type Language, type LessonAnswer, type ReminderKind } from "../db/schema.ts";
import { dueReminder, MAX_POLICY_HOURS, type LessonPolicy } from "../model/lesson-policy.ts";
import type { LessonEventPayload } from "../model/lesson-event.ts";
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import type { LessonFacts } from "../notify/lesson.ts";
import { lessonReminder, reminderAnswerAlert, type ReminderButtons, type ReminderRefusal } from "../notify/reminder.ts";
import { recordAudit } from "./audit.ts";
import { policyColumns } from "./lesson-policy.ts";
import { enqueueMessage } from "./outbox.ts";

const instant = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;

/**
 * The reminder due for a lesson row at `at`, in SQL: the same rule as the pure `dueReminder`
 * (the latest reminder whose time has come, unless that time came before the lesson got its
 * current time). It narrows the query to the lessons with something to send, so a round reads no
 * lesson that already had its reminder, however many are planned; `dueReminder` has the last word
 * on every row (the job tests check both agree).
 */
function dueKindSql(at: SQL) {
  const first = policyColumns.reminderFirstHours;
  const second = policyColumns.reminderSecondHours;
  const opened = (hours: SQL) => sql`${lessons.startsAt} - make_interval(hours => ${hours}) <= ${at}`;
  return {
    kind: sql<ReminderKind | null>`(case when ${opened(second)} then 'second' when ${opened(first)} then 'first' end)`,
    hours: sql`(case when ${opened(second)} then ${second} when ${opened(first)} then ${first} end)`,
  };
}

export interface ReminderRound {
  /** Reminders enqueued by this round (0 when another instance claimed them first). */
  sent: number;
  /** The query hit its limit: more may be due, run another round at once. */
  full: boolean;
}

/**
 * The planned lessons with a reminder due at `now` that no round sent yet, soonest first, with
 * what the reminder says: one query over the partial index lessons_planned_idx (starts_at where planned).
 */
export function dueLessons(db: Db | Tx, now: Date, limit: number) {
  const at = instant(now);
  const due = dueKindSql(at);
  return db
    .select({
      id: lessons.id,
      startsAt: lessons.startsAt,
      minutes: lessons.minutes,
      timedAt: lessons.timedAt,
      kind: due.kind,
      ...policyColumns,
      chatId: students.chatId,
      language: students.language,
      number: applications.publicNumber,
      instructor: instructors.name,
    })
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .innerJoin(students, eq(students.id, applications.studentId))
    .innerJoin(instructors, eq(instructors.id, lessons.instructorId))
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(
      and(
        eq(lessons.state, "planned"),
        sql`${lessons.startsAt} > ${at}`,
        sql`${lessons.startsAt} <= ${at} + make_interval(hours => ${MAX_POLICY_HOURS})`,
        sql`${due.kind} is not null`,
        sql`${lessons.startsAt} - make_interval(hours => ${due.hours}) >= ${lessons.timedAt}`,
        sql`not exists (select 1 from ${lessonReminders} r where r.lesson_id = ${lessons.id} and r.starts_at = ${lessons.startsAt} and r.kind = ${due.kind})`,
      ),
    )
    .orderBy(asc(lessons.startsAt), asc(lessons.id))
    .limit(limit);
}

/**
 * One round: enqueues every reminder due at `now` that no round sent before (at most `limit`
 * lessons, soonest first). Safe to run on several instances at once and again after a crash.
 */
export async function sendDueReminders(db: Db, now: Date, opts: { timeZone: string; limit?: number; buttons: (lessonId: number) => ReminderButtons }): Promise<ReminderRound> {
  const limit = opts.limit ?? 500;
  const rows = await dueLessons(db, now, limit);
  const candidates = rows.filter((r) => r.kind && dueReminder(r satisfies LessonPolicy, r, now) === r.kind);
  if (!candidates.length) return { sent: 0, full: rows.length === limit };

  const sent = await db.transaction(async (tx) => {
    // The lessons as they are now, locked against a concurrent move or cancellation until the commit.
    const current = await tx
      .select({ id: lessons.id, startsAt: lessons.startsAt, minutes: lessons.minutes, place: lessons.place })
      .from(lessons)
      .where(and(inArray(lessons.id, candidates.map((c) => c.id)), eq(lessons.state, "planned")))
      .orderBy(asc(lessons.id))
      .for("update");
    const byId = new Map(current.map((l) => [l.id, l]));
    const still = candidates.filter((c) => byId.get(c.id)?.startsAt.getTime() === c.startsAt.getTime());
    if (!still.length) return 0;
    const claimed = await tx
      .insert(lessonReminders)
      .values(still.map((c) => ({ lessonId: c.id, kind: c.kind!, startsAt: c.startsAt, sentAt: now })))
      .onConflictDoNothing()
      .returning({ lessonId: lessonReminders.lessonId });
    const mine = new Set(claimed.map((r) => r.lessonId));
    for (const c of still) {
      if (!mine.has(c.id)) continue; // another instance claimed it first
      const l = byId.get(c.id)!;
      const facts: LessonFacts = { number: c.number, instructor: c.instructor, startsAt: l.startsAt, minutes: l.minutes, place: l.place, timeZone: opts.timeZone };
      await enqueueMessage(tx, c.chatId, lessonReminder(c.language, facts, opts.buttons(c.id)));
    }
    return mine.size;
  });
  return { sent, full: rows.length === limit };
}

export type ReminderAnswerResult =
  | { ok: true; changed: boolean; answer: LessonAnswer; facts: LessonFacts; language: Language }
  | { ok: false; refusal: ReminderRefusal };

/**
 * The student answered a reminder: stores the answer on their own planned lesson that has not
 * begun, writes the 'lesson' history event {answered} and the audit row, and alerts the staff who
 * asked for answers in Telegram (the instructor's accounts and their school's). The last answer
 * counts; the same answer again changes nothing and alerts no one. Runs in the caller's
 * transaction when given one (the bot's update), as a savepoint.
 */
export async function answerReminder(
  db: Db | Tx,
  studentId: number,
  lessonId: number,
  answer: LessonAnswer,
  now: Date,
  opts: { timeZone?: string } = {},
): Promise<ReminderAnswerResult> {
  if (answer !== "coming" && answer !== "not_coming") return { ok: false, refusal: "not_found" };
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        lesson: lessons,
        number: applications.publicNumber,
        studentName: applications.studentName,
        language: students.language,
        instructor: instructors.name,
        schoolId: instructors.schoolId,
      })
      .from(lessons)
      .innerJoin(applications, eq(applications.id, lessons.applicationId))
      .innerJoin(students, eq(students.id, applications.studentId))
      .innerJoin(instructors, eq(instructors.id, lessons.instructorId))
      .where(and(eq(lessons.id, lessonId), eq(applications.studentId, studentId)))
      .for("update", { of: lessons });
    if (!row) return { ok: false, refusal: "not_found" };
    const l = row.lesson;
    if (l.state !== "planned") return { ok: false, refusal: "not_planned" };
    if (l.startsAt.getTime() <= now.getTime()) return { ok: false, refusal: "past" };
    const facts: LessonFacts = { number: row.number, instructor: row.instructor, startsAt: l.startsAt, minutes: l.minutes, place: l.place, timeZone };
    if (l.studentAnswer === answer) return { ok: true, changed: false, answer, facts, language: row.language };

    await tx.update(lessons).set({ studentAnswer: answer, answeredAt: now }).where(eq(lessons.id, l.id));
    const payload: LessonEventPayload = { lesson: l.id, action: "answered", startsAt: l.startsAt.toISOString(), answer };
    await tx.insert(applicationEvents).values({ applicationId: l.applicationId, accountId: null, type: "lesson", payload, at: now });
    await recordAudit(tx, { accountId: null, action: "lesson.answer", subject: `lesson:${l.id}`, before: { answer: l.studentAnswer }, after: { answer } });
    for (const staff of await answerAlertChats(tx, l.instructorId, row.schoolId))
      await enqueueMessage(tx, staff.chatId, reminderAnswerAlert(staff.language, { ...facts, studentName: row.studentName }, answer));
    return { ok: true, changed: true, answer, facts, language: row.language };
  });
}

/** Linked, enabled staff of the instructor (and of the instructor's school) who asked for answers in Telegram. */
function answerAlertChats(tx: Tx, instructorId: number, schoolId: number | null): Promise<StaffChat[]> {
  const whose = schoolId ? or(eq(accounts.instructorId, instructorId), eq(accounts.schoolId, schoolId)) : eq(accounts.instructorId, instructorId);
  return staffChatsWhere(tx, and(whose, eq(accounts.lessonAnswerAlerts, true)));
}
