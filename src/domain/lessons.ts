// An instructor's driving lessons: one schedule the student, the instructor and the school see.
// A lesson is planned by staff, or made at once when an instructor accepts a booking that holds a
// slot; staff and the student (from the bot, before the cut-off) move and cancel it; staff mark
// how it went. Every change is one transaction that also writes the application's history (a
// 'lesson' event, src/model/lesson-event.ts), the audit log and the message to the other side.
//
// Who may touch a lesson is the LessonActor: an instructor their own lessons, a school its
// instructors' lessons, a student the lessons of their applications; another's lesson is "not
// found", never "forbidden", so ids cannot be probed. Changes to an instructor's calendar take the
// instructor's row lock first (lockCalendar), so two bookings of one time serialize and the second
// sees the first: no double booking, even in the same millisecond (the unique indexes on
// applications.slot_id and lessons.slot_id stay as the last line). Lesson outcomes feed the trust
// and discipline indexes (src/domain/indexes.ts).
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import { inLanguage } from "../model/content.ts";
import { requestReviewAfterLesson } from "./reviews.ts";
import { and, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, instructors, instructorSlots, lessons, students, type LessonCanceller, type LessonState } from "../db/schema.ts";
import { insideCutoff } from "../model/lesson-policy.ts";
import type { LessonEventPayload } from "../model/lesson-event.ts";
import { lessonCancelled, lessonMoved, lessonPlanned, studentChangedLesson, type LessonFacts, type StudentLessonChange } from "../notify/lesson.ts";
import { recordAudit } from "./audit.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { lessonPolicyOf } from "./lesson-policy.ts";
import { enqueueMessage } from "./outbox.ts";
import { BOOKABLE, HOLDS_SLOT, lockCalendar, overlaps } from "./slots.ts";
import { staffChatsFor } from "./staff-telegram.ts";

export type Lesson = typeof lessons.$inferSelect;

export type LessonErrorCode = "not_found" | "invalid";

/** The form field a refusal belongs to (null: the form as a whole). */
export type LessonField = "application" | "startsAt" | "minutes" | null;

/**
 * Why a lesson action was refused, for a reader who is not staff (the bot says it in the student's
 * language): the lesson is not there or no longer planned, the time is past, the time is taken, the
 * cut-off has passed.
 */
export type LessonRefusal = "not_found" | "not_planned" | "past" | "taken" | "cutoff" | "bad_input";

/**
 * What was wrong, for staff: a code the CRM's dictionary turns into their language
 * (src/i18n/crm/lessons.ts lessonProblemText), with the numbers a message needs.
 */
export type LessonProblem =
  | "unknownMark"
  | "unknownNoShow"
  | "notFound"
  | "applicationNotFound"
  | "slotNotFound"
  | "markOnlyPlanned"
  | "notStarted"
  | "badStart"
  | "past"
  | "taken"
  | "notAccepted"
  | "notPlanned"
  | "started"
  | "cutoff"
  | "slotTaken"
  | "chooseSlot"
  | { code: "minutes"; min: number; max: number }
  | { code: "placeTooLong" | "reasonTooLong"; max: number };

/** A refused lesson action; `problem` for staff, `refusal` for the bot. Routes: not_found → 404, invalid → 400/409. */
export class LessonError extends Error {
  constructor(
    readonly code: LessonErrorCode,
    readonly problem: LessonProblem,
    readonly field: LessonField = null,
    readonly refusal: LessonRefusal = code === "not_found" ? "not_found" : "bad_input",
  ) {
    super(typeof problem === "string" ? problem : problem.code);
  }
}

/** Who acts on a lesson: its instructor, the instructor's school, or the student of its application. */
export type LessonActor =
  | { kind: "instructor"; instructorId: number; accountId: number | null }
  | { kind: "school"; schoolId: number; accountId: number | null }
  | { kind: "student"; studentId: number };

/** The lessons an actor may see and change. */
export function ownLessons(actor: LessonActor): SQL {
  if (actor.kind === "instructor") return eq(lessons.instructorId, actor.instructorId);
  if (actor.kind === "school") return inArray(lessons.instructorId, sql`(select ${instructors.id} from ${instructors} where ${instructors.schoolId} = ${actor.schoolId})`);
  return inArray(lessons.applicationId, sql`(select ${applications.id} from ${applications} where ${applications.studentId} = ${actor.studentId})`);
}

const accountOf = (actor: LessonActor): number | null => (actor.kind === "student" ? null : actor.accountId);

/**
 * The time is taken for the instructor: a planned lesson (other than `exceptLesson`) or a slot a
 * live application (other than `exceptApplication`) holds overlaps it.
 */
async function timeTaken(tx: Tx, instructorId: number, startsAt: Date, minutes: number, except: { lesson?: number; application?: number }): Promise<boolean> {
  const [lesson] = await tx
    .select({ id: lessons.id })
    .from(lessons)
    .where(and(eq(lessons.instructorId, instructorId), eq(lessons.state, "planned"), overlaps(lessons.startsAt, lessons.minutes, startsAt, minutes), except.lesson ? ne(lessons.id, except.lesson) : undefined))
    .limit(1);
  if (lesson) return true;
  const [booked] = await tx
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .where(and(eq(instructorSlots.instructorId, instructorId), HOLDS_SLOT, overlaps(instructorSlots.startsAt, instructorSlots.minutes, startsAt, minutes), except.application ? ne(applications.id, except.application) : undefined))
    .limit(1);
  return Boolean(booked);
}

/** The lesson's application, student and instructor: what its messages and history need. */
async function contextOf(tx: Tx, applicationId: number, instructorId: number) {
  const [row] = await tx
    .select({
      app: applications,
      chatId: students.chatId,
      language: students.language,
      instructorName: instructors.name,
      meetingPoint: instructors.meetingPoint,
      meetingPointKk: instructors.meetingPointKk,
    })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .innerJoin(instructors, eq(instructors.id, instructorId))
    .where(eq(applications.id, applicationId));
  // The meeting point a lesson gets when none is typed: in the student's language (model/content.ts).
  return { ...row!, meetingPoint: inLanguage(row!.language, row!.meetingPoint, row!.meetingPointKk) };
}

type LessonContext = Awaited<ReturnType<typeof contextOf>>;

const factsOf = (c: LessonContext, l: { startsAt: Date; minutes: number; place: string }, timeZone: string): LessonFacts => ({
  number: c.app.publicNumber,
  instructor: c.instructorName,
  startsAt: l.startsAt,
  minutes: l.minutes,
  place: l.place,
  timeZone,
});

async function recordLessonEvent(tx: Tx, applicationId: number, actor: LessonActor | null, payload: LessonEventPayload, at?: Date): Promise<void> {
  await tx.insert(applicationEvents).values({ applicationId, accountId: actor ? accountOf(actor) : null, type: "lesson", payload, ...(at ? { at } : {}) });
}

/** The student moved or cancelled: the instructor's linked staff (and the school's) are told. */
async function tellStaff(tx: Tx, c: LessonContext, instructorId: number, facts: LessonFacts, change: StudentLessonChange): Promise<void> {
  const chats = new Map((await staffChatsFor(tx, { instructorId })).map((s) => [s.chatId, s.language]));
  if (c.app.schoolId) for (const s of await staffChatsFor(tx, { schoolId: c.app.schoolId })) chats.set(s.chatId, s.language);
  for (const [chat, lang] of chats) await enqueueMessage(tx, chat, studentChangedLesson(lang, { ...facts, studentName: c.app.studentName }, change));
}

/** A booking whose time a lesson took no longer holds the slot once the lesson moves or is cancelled. */
async function freeBookedSlot(tx: Tx, lesson: Lesson): Promise<void> {
  if (lesson.slotId) await tx.update(applications).set({ slotId: null, updatedAt: sql`now()` }).where(and(eq(applications.id, lesson.applicationId), eq(applications.slotId, lesson.slotId)));
}

/** A lesson can be marked conducted or missed once it has started and while it is planned. */
export function isMarkable(lesson: { state: LessonState; startsAt: Date }, now: Date): boolean {
  return lesson.state === "planned" && lesson.startsAt.getTime() <= now.getTime();
}

/** A lesson can still be moved or cancelled while it is planned and has not started. */
export function isAhead(lesson: { state: LessonState; startsAt: Date }, now: Date): boolean {
  return lesson.state === "planned" && lesson.startsAt.getTime() > now.getTime();
}

export const MIN_LESSON_MINUTES = 30;
export const MAX_LESSON_MINUTES = 240;

export interface MarkOptions {
  /** The staff account doing it, for the history (null = system). */
  accountId?: number | null;
  /** Defaults to the clock; a lesson cannot be marked before it starts. */
  now?: Date;
  /** The zone of the review request's polite hour (reviews.ts). */
  timeZone?: string;
}

/**
 * Records how a planned lesson went, and a 'lesson' event {conducted | no_show} on its application.
 * `noShowBy` names who missed it; an unnamed no-show counts for neither side in the indexes.
 */
export async function markLesson(
  db: Db | Tx,
  instructorId: number,
  lessonId: number,
  state: "conducted" | "no_show",
  noShowBy?: "student" | "instructor" | null,
  opts: MarkOptions = {},
): Promise<Lesson> {
  if (state !== "conducted" && state !== "no_show") throw new LessonError("invalid", "unknownMark");
  if (noShowBy != null && noShowBy !== "student" && noShowBy !== "instructor") throw new LessonError("invalid", "unknownNoShow");
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(lessons)
      .where(and(eq(lessons.id, lessonId), eq(lessons.instructorId, instructorId)))
      .for("update");
    if (!current) throw new LessonError("not_found", "notFound");
    if (current.state !== "planned") throw new LessonError("invalid", "markOnlyPlanned", null, "not_planned");
    if (!isMarkable(current, now)) throw new LessonError("invalid", "notStarted");
    const who = state === "no_show" ? (noShowBy ?? null) : null;
    const [updated] = await tx
      .update(lessons)
      .set({ state, noShowBy: who })
      .where(and(eq(lessons.id, lessonId), eq(lessons.state, "planned")))
      .returning();
    const startsAt = current.startsAt.toISOString();
    const payload: LessonEventPayload = state === "conducted" ? { lesson: lessonId, action: "conducted", startsAt } : { lesson: lessonId, action: "no_show", startsAt, noShowBy: who };
    await recordLessonEvent(tx, current.applicationId, { kind: "instructor", instructorId, accountId: opts.accountId ?? null }, payload, now);
    const [app] = await tx.select().from(applications).where(eq(applications.id, current.applicationId));
    if (app) await markDirty(tx, subjectsOf(app)); // conducted / no-show moves trust and discipline
    // The last planned lesson of an instructor application over (held, or missed after earlier
    // ones were held): its review is asked for (reviews.ts checks a conducted one exists).
    await requestReviewAfterLesson(tx, current.applicationId, now, opts.timeZone ?? DEFAULT_TIME_ZONE);
    await recordAudit(tx, { accountId: opts.accountId ?? null, action: "lesson.mark", subject: `lesson:${lessonId}`, before: { state: "planned" }, after: { state: updated!.state, noShowBy: updated!.noShowBy } });
    return updated!;
  });
}

export interface PlanOptions {
  accountId?: number | null;
  /** Defaults to the clock; a lesson cannot be planned at a time already past. */
  now?: Date;
  /** Where the lesson starts; '' or absent: the instructor's meeting point. */
  place?: string;
  /** For the student's message (dates in the configured zone). */
  timeZone?: string;
}

export const MAX_PLACE_LENGTH = 200;

function checkTime(startsAt: Date, minutes: number, now: Date): void {
  if (!Number.isInteger(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
    throw new LessonError("invalid", { code: "minutes", min: MIN_LESSON_MINUTES, max: MAX_LESSON_MINUTES }, "minutes");
  if (Number.isNaN(startsAt.getTime())) throw new LessonError("invalid", "badStart", "startsAt");
  if (startsAt.getTime() <= now.getTime()) throw new LessonError("invalid", "past", "startsAt", "past");
}

/** A lesson's place: what staff typed, or else the instructor's meeting point (what the messages and the calendar feed show). */
const placeOr = (typed: string, meetingPoint: string): string => typed.trim() || meetingPoint;

/**
 * A lesson at a time for an application (the calendar already locked): refused when the time is
 * taken; the history, the audit and the student's message go with it.
 */
async function insertLesson(
  tx: Tx,
  c: LessonContext,
  instructorId: number,
  at: { startsAt: Date; minutes: number; slotId: number | null; place: string },
  actor: LessonActor | null,
  opts: { now: Date; timeZone: string; fromBooking?: boolean },
): Promise<Lesson> {
  if (await timeTaken(tx, instructorId, at.startsAt, at.minutes, { application: c.app.id })) throw new LessonError("invalid", "taken", "startsAt", "taken");
  const place = placeOr(at.place, c.meetingPoint);
  const [lesson] = await tx
    .insert(lessons)
    .values({ applicationId: c.app.id, instructorId, startsAt: at.startsAt, minutes: at.minutes, slotId: at.slotId, place, state: "planned", timedAt: opts.now })
    .returning();
  await recordLessonEvent(tx, c.app.id, actor, { lesson: lesson!.id, action: "planned", startsAt: lesson!.startsAt.toISOString(), minutes: lesson!.minutes, ...(opts.fromBooking ? { fromBooking: true } : {}) });
  if (actor?.kind !== "student") await enqueueMessage(tx, c.chatId, lessonPlanned(c.language, factsOf(c, lesson!, opts.timeZone)));
  await recordAudit(tx, { accountId: actor ? accountOf(actor) : null, action: "lesson.plan", subject: `lesson:${lesson!.id}`, after: { applicationId: c.app.id, startsAt: lesson!.startsAt.toISOString(), minutes: lesson!.minutes, slotId: at.slotId } });
  return lesson!;
}

/**
 * Plans a lesson for one of the instructor's accepted applications, audited. Refuses a time
 * already past or one that overlaps another planned lesson or a booking of the same instructor.
 * The student is told in their language.
 */
export async function planLesson(
  db: Db | Tx,
  instructorId: number,
  applicationId: number,
  startsAt: Date,
  minutes: number,
  opts: PlanOptions = {},
): Promise<Lesson> {
  const now = opts.now ?? new Date();
  checkTime(startsAt, minutes, now);
  if ((opts.place ?? "").length > MAX_PLACE_LENGTH) throw new LessonError("invalid", { code: "placeTooLong", max: MAX_PLACE_LENGTH });
  return db.transaction(async (tx) => {
    await lockCalendar(tx, instructorId);
    const [app] = await tx
      .select({ id: applications.id, status: applications.status })
      .from(applications)
      .where(and(eq(applications.id, applicationId), eq(applications.instructorId, instructorId)));
    if (!app) throw new LessonError("not_found", "applicationNotFound");
    if (app.status !== "accepted") throw new LessonError("invalid", "notAccepted", "application");
    const c = await contextOf(tx, applicationId, instructorId);
    const actor: LessonActor = { kind: "instructor", instructorId, accountId: opts.accountId ?? null };
    return insertLesson(tx, c, instructorId, { startsAt, minutes, slotId: null, place: opts.place ?? "" }, actor, { now, timeZone: opts.timeZone ?? DEFAULT_TIME_ZONE });
  });
}

/**
 * An instructor accepted an application that holds a slot: the lesson exists at once at the
 * slot's time (inside the acceptance's transaction). Nothing when the slot's time is past.
 */
export async function lessonFromBooking(tx: Tx, applicationId: number, accountId: number | null, opts: { now: Date; timeZone: string }): Promise<Lesson | null> {
  const [row] = await tx
    .select({ slot: instructorSlots })
    .from(applications)
    .innerJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .where(eq(applications.id, applicationId));
  if (!row || row.slot.startsAt.getTime() <= opts.now.getTime()) return null;
  const instructorId = row.slot.instructorId;
  await lockCalendar(tx, instructorId);
  const [already] = await tx.select({ id: lessons.id }).from(lessons).where(and(eq(lessons.slotId, row.slot.id), eq(lessons.state, "planned")));
  if (already) return null;
  const c = await contextOf(tx, applicationId, instructorId);
  const actor: LessonActor = { kind: "instructor", instructorId, accountId };
  return insertLesson(tx, c, instructorId, { startsAt: row.slot.startsAt, minutes: row.slot.minutes, slotId: row.slot.id, place: "" }, actor, { ...opts, fromBooking: true });
}

/**
 * A waitlisted student took an open slot for an accepted application: the lesson at the slot's
 * time (the calendar already locked by the caller, the slot checked open). The student chose it,
 * so they get no "planned" message; the instructor's linked staff are told.
 */
export async function lessonAtSlot(tx: Tx, applicationId: number, slotId: number, opts: { now: Date; timeZone: string }): Promise<Lesson> {
  const [slot] = await tx.select().from(instructorSlots).where(eq(instructorSlots.id, slotId));
  if (!slot) throw new LessonError("not_found", "slotNotFound");
  const c = await contextOf(tx, applicationId, slot.instructorId);
  const lesson = await insertLesson(tx, c, slot.instructorId, { startsAt: slot.startsAt, minutes: slot.minutes, slotId, place: "" }, { kind: "student", studentId: c.app.studentId }, opts);
  await tellStaff(tx, c, slot.instructorId, factsOf(c, lesson, opts.timeZone), { kind: "booked" });
  return lesson;
}

/** Where a lesson moves: a time the staff typed, or one of the instructor's open slots (the student's choice). */
export type LessonMove = { startsAt: Date; minutes?: number; place?: string } | { slotId: number };

export interface ChangeOptions {
  now?: Date;
  timeZone: string;
}

/** The actor's planned lesson, locked; LessonError when it is not theirs, not planned or already started. */
async function plannedLesson(tx: Tx, actor: LessonActor, lessonId: number, now: Date): Promise<Lesson> {
  const [visible] = await tx.select({ instructorId: lessons.instructorId }).from(lessons).where(and(eq(lessons.id, lessonId), ownLessons(actor)));
  if (!visible) throw new LessonError("not_found", "notFound");
  await lockCalendar(tx, visible.instructorId);
  const [lesson] = await tx.select().from(lessons).where(eq(lessons.id, lessonId)).for("update");
  if (lesson!.state !== "planned") throw new LessonError("invalid", "notPlanned", null, "not_planned");
  if (lesson!.startsAt.getTime() <= now.getTime()) throw new LessonError("invalid", "started", null, "past");
  return lesson!;
}

/** The student may not move a lesson inside its instructor's cut-off. */
async function checkCutoff(tx: Tx, lesson: Lesson, now: Date): Promise<boolean> {
  return insideCutoff(await lessonPolicyOf(tx, lesson.instructorId), lesson.startsAt, now);
}

/**
 * Moves a planned lesson. Staff give a time (any free time; no cut-off); the student picks one of
 * the instructor's open slots, and only before the cut-off. The slot the lesson held is freed, the
 * student's reminder answer is forgotten (it was for the old time), and the other side is told.
 */
export async function moveLesson(db: Db | Tx, actor: LessonActor, lessonId: number, to: LessonMove, opts: ChangeOptions): Promise<Lesson> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const lesson = await plannedLesson(tx, actor, lessonId, now);
    if (actor.kind === "student" && (await checkCutoff(tx, lesson, now))) throw new LessonError("invalid", "cutoff", null, "cutoff");
    const target = await moveTarget(tx, actor, lesson, to, now);
    if (target.startsAt.getTime() === lesson.startsAt.getTime() && target.minutes === lesson.minutes && target.place === lesson.place) return lesson;
    if (await timeTaken(tx, lesson.instructorId, target.startsAt, target.minutes, { lesson: lesson.id, application: lesson.applicationId }))
      throw new LessonError("invalid", "taken", "startsAt", "taken");
    await freeBookedSlot(tx, lesson);
    const [moved] = await tx
      .update(lessons)
      .set({ startsAt: target.startsAt, minutes: target.minutes, slotId: target.slotId, place: target.place, timedAt: now, studentAnswer: null, answeredAt: null })
      .where(eq(lessons.id, lesson.id))
      .returning();
    const by = actor.kind;
    await recordLessonEvent(tx, lesson.applicationId, actor, { lesson: lesson.id, action: "moved", from: lesson.startsAt.toISOString(), startsAt: moved!.startsAt.toISOString(), minutes: moved!.minutes, by });
    const c = await contextOf(tx, lesson.applicationId, lesson.instructorId);
    const facts = factsOf(c, moved!, opts.timeZone);
    if (actor.kind === "student") await tellStaff(tx, c, lesson.instructorId, facts, { kind: "moved", from: lesson.startsAt });
    else await enqueueMessage(tx, c.chatId, lessonMoved(c.language, facts, lesson.startsAt));
    await recordAudit(tx, { accountId: accountOf(actor), action: "lesson.move", subject: `lesson:${lesson.id}`, before: { startsAt: lesson.startsAt.toISOString(), minutes: lesson.minutes }, after: { startsAt: moved!.startsAt.toISOString(), minutes: moved!.minutes, by } });
    return moved!;
  });
}

async function moveTarget(tx: Tx, actor: LessonActor, lesson: Lesson, to: LessonMove, now: Date): Promise<{ startsAt: Date; minutes: number; slotId: number | null; place: string }> {
  if ("slotId" in to) {
    const [slot] = await tx
      .select()
      .from(instructorSlots)
      .where(and(eq(instructorSlots.id, to.slotId), eq(instructorSlots.instructorId, lesson.instructorId), BOOKABLE));
    if (!slot) throw new LessonError("invalid", "slotTaken", "startsAt", "taken");
    if (slot.startsAt.getTime() <= now.getTime()) throw new LessonError("invalid", "past", "startsAt", "past");
    return { startsAt: slot.startsAt, minutes: slot.minutes, slotId: slot.id, place: lesson.place };
  }
  if (actor.kind === "student") throw new LessonError("invalid", "chooseSlot", null, "bad_input");
  const minutes = to.minutes ?? lesson.minutes;
  checkTime(to.startsAt, minutes, now);
  if (to.place === undefined) return { startsAt: to.startsAt, minutes, slotId: null, place: lesson.place };
  if (to.place.trim().length > MAX_PLACE_LENGTH) throw new LessonError("invalid", { code: "placeTooLong", max: MAX_PLACE_LENGTH });
  const [instructor] = await tx.select({ meetingPoint: instructors.meetingPoint }).from(instructors).where(eq(instructors.id, lesson.instructorId));
  return { startsAt: to.startsAt, minutes, slotId: null, place: placeOr(to.place, instructor!.meetingPoint) };
}

export const MAX_LESSON_REASON = 500;

/**
 * Cancels a planned lesson that has not started. A student's cancellation inside the cut-off is
 * allowed but late: it counts against their discipline like a no-show (docs/analytics.md). The
 * slot the lesson held is freed (a waitlist may get it), and the other side is told.
 */
export async function cancelLesson(db: Db | Tx, actor: LessonActor, lessonId: number, opts: ChangeOptions & { reason?: string }): Promise<Lesson> {
  const now = opts.now ?? new Date();
  const reason = (opts.reason ?? "").trim();
  if (reason.length > MAX_LESSON_REASON) throw new LessonError("invalid", { code: "reasonTooLong", max: MAX_LESSON_REASON });
  return db.transaction(async (tx) => {
    const lesson = await plannedLesson(tx, actor, lessonId, now);
    const late = actor.kind === "student" && (await checkCutoff(tx, lesson, now));
    const by: LessonCanceller = actor.kind;
    await freeBookedSlot(tx, lesson);
    const [cancelled] = await tx.update(lessons).set({ state: "cancelled", cancelledBy: by, cancelledLate: late }).where(eq(lessons.id, lesson.id)).returning();
    // The last planned lesson cancelled after earlier ones were held: the lessons are over (reviews.ts).
    await requestReviewAfterLesson(tx, lesson.applicationId, now, opts.timeZone ?? DEFAULT_TIME_ZONE);
    await recordLessonEvent(tx, lesson.applicationId, actor, { lesson: lesson.id, action: "cancelled", startsAt: lesson.startsAt.toISOString(), by, ...(late ? { late } : {}), ...(reason ? { reason } : {}) });
    const c = await contextOf(tx, lesson.applicationId, lesson.instructorId);
    const facts = factsOf(c, lesson, opts.timeZone);
    if (actor.kind === "student") await tellStaff(tx, c, lesson.instructorId, facts, { kind: "cancelled", late });
    else await enqueueMessage(tx, c.chatId, lessonCancelled(c.language, facts, reason));
    // A late cancellation moves the discipline index; one by the school or instructor is a broken promise (trust).
    if (late || by !== "student") await markDirty(tx, subjectsOf(c.app));
    await recordAudit(tx, { accountId: accountOf(actor), action: "lesson.cancel", subject: `lesson:${lesson.id}`, before: { state: "planned" }, after: { state: "cancelled", by, late, ...(reason ? { reason } : {}) } });
    return cancelled!;
  });
}

/**
 * The application ended (rejected, or cancelled by the student or staff): its planned lessons are
 * cancelled with it, in the same transaction; the status message tells the student. The student
 * ending it cannot dodge the cut-off: a lesson inside it is cancelled late, as from /my, and the
 * instructor's staff are told of each lesson.
 */
export async function cancelLessonsOf(tx: Tx, applicationId: number, by: LessonCanceller, accountId: number | null, opts: { now?: Date; timeZone?: string } = {}): Promise<void> {
  const now = opts.now ?? new Date();
  const planned = await tx.select().from(lessons).where(and(eq(lessons.applicationId, applicationId), eq(lessons.state, "planned"))).for("update");
  if (!planned.length) return;
  // An application's lessons are all its one instructor's: one policy for all of them.
  const policy = by === "student" ? await lessonPolicyOf(tx, planned[0]!.instructorId) : null;
  for (const l of planned) {
    const late = policy !== null && l.startsAt.getTime() > now.getTime() && insideCutoff(policy, l.startsAt, now);
    await tx.update(lessons).set({ state: "cancelled", cancelledBy: by, cancelledLate: late }).where(eq(lessons.id, l.id));
    const payload: LessonEventPayload = { lesson: l.id, action: "cancelled", startsAt: l.startsAt.toISOString(), by, ...(late ? { late } : {}) };
    await tx.insert(applicationEvents).values({ applicationId, accountId, type: "lesson", payload });
    if (by !== "student" || l.startsAt.getTime() <= now.getTime()) continue;
    const c = await contextOf(tx, applicationId, l.instructorId);
    await tellStaff(tx, c, l.instructorId, factsOf(c, l, opts.timeZone ?? DEFAULT_TIME_ZONE), { kind: "cancelled", late });
  }
}

/**
 * The instructor withdrew a booked slot (src/domain/slot-cancel.ts): a planned lesson on it is
 * cancelled with it; the slot's message to the student already says the time is cancelled and why.
 */
export async function cancelLessonAtSlot(tx: Tx, slotId: number, accountId: number | null, reason: string): Promise<void> {
  const cancelled = await tx
    .update(lessons)
    .set({ state: "cancelled", cancelledBy: "instructor" })
    .where(and(eq(lessons.slotId, slotId), eq(lessons.state, "planned")))
    .returning();
  // A lesson the instructor cancelled is a broken promise in the trust index of the application's school or instructor.
  if (cancelled.length) {
    const apps = await tx.select().from(applications).where(inArray(applications.id, cancelled.map((l) => l.applicationId)));
    await markDirty(tx, apps.flatMap(subjectsOf));
  }
  for (const l of cancelled)
    await tx.insert(applicationEvents).values({
      applicationId: l.applicationId,
      accountId,
      type: "lesson",
      payload: { lesson: l.id, action: "cancelled", startsAt: l.startsAt.toISOString(), by: "instructor", ...(reason ? { reason } : {}) } satisfies LessonEventPayload,
    });
}

export interface PlannableApplication {
  id: number;
  publicNumber: string;
  studentName: string;
}

/** The instructor's accepted applications (the ones a lesson can be planned for), newest first. */
export function listAcceptedApplications(db: Db | Tx, instructorId: number, limit = 200): Promise<PlannableApplication[]> {
  return db
    .select({ id: applications.id, publicNumber: applications.publicNumber, studentName: applications.studentName })
    .from(applications)
    .where(and(eq(applications.instructorId, instructorId), eq(applications.kind, "instructor"), eq(applications.status, "accepted")))
    .orderBy(sql`${applications.createdAt} desc`, sql`${applications.id} desc`)
    .limit(limit);
}

