// An instructor's driving lessons: planning them for an accepted application and marking how
// they went. Every function takes the instructor's id from the session (the tenant) and only
// ever sees that instructor's rows: another instructor's lesson or application is "not found",
// never "forbidden", so ids cannot be probed. Lesson outcomes feed the trust and discipline
// indexes (src/domain/indexes.ts).
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, lessons, type LessonState } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { overlaps } from "./slots.ts";

export type Lesson = typeof lessons.$inferSelect;

export interface LessonListItem {
  id: number;
  applicationId: number;
  publicNumber: string;
  startsAt: Date;
  minutes: number;
  state: LessonState;
  noShowBy: "student" | "instructor" | null;
  studentId: number;
  studentName: string;
  studentPhone: string;
}

export type LessonErrorCode = "not_found" | "invalid";

/** The form field a refusal belongs to (null: the form as a whole). */
export type LessonField = "application" | "startsAt" | "minutes" | null;

/** A refused lesson action; `message` is Russian, for the instructor. Routes: not_found → 404, invalid → 400/409. */
export class LessonError extends Error {
  constructor(
    readonly code: LessonErrorCode,
    message: string,
    readonly field: LessonField = null,
  ) {
    super(message);
  }
}

/** A lesson can be marked conducted or missed once it has started and while it is planned. */
export function isMarkable(lesson: { state: LessonState; startsAt: Date }, now: Date): boolean {
  return lesson.state === "planned" && lesson.startsAt.getTime() <= now.getTime();
}

export const MIN_LESSON_MINUTES = 30;
export const MAX_LESSON_MINUTES = 240;

/** A lesson with its student, as the lessons page lists it. */
const lessonItemColumns = {
  id: lessons.id,
  applicationId: lessons.applicationId,
  publicNumber: applications.publicNumber,
  startsAt: lessons.startsAt,
  minutes: lessons.minutes,
  state: lessons.state,
  noShowBy: lessons.noShowBy,
  studentId: applications.studentId,
  studentName: applications.studentName,
  studentPhone: applications.studentPhone,
};

/** The instructor's lessons starting in [from, to), with the student from the application: one query. */
export function listLessons(db: Db | Tx, instructorId: number, from: Date, to: Date): Promise<LessonListItem[]> {
  return db
    .select(lessonItemColumns)
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .where(and(eq(lessons.instructorId, instructorId), gte(lessons.startsAt, from), lt(lessons.startsAt, to)))
    .orderBy(asc(lessons.startsAt), asc(lessons.id));
}

export interface MarkOptions {
  /** The staff account doing it, for the history (null = system). */
  accountId?: number | null;
  /** Defaults to the clock; a lesson cannot be marked before it starts. */
  now?: Date;
}

/**
 * Records how a planned lesson went, and a 'note' event {lesson, state} on its application.
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
  if (state !== "conducted" && state !== "no_show") throw new LessonError("invalid", "Неизвестная отметка занятия.");
  if (noShowBy != null && noShowBy !== "student" && noShowBy !== "instructor") throw new LessonError("invalid", "Неизвестно, кто не пришёл.");
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(lessons)
      .where(and(eq(lessons.id, lessonId), eq(lessons.instructorId, instructorId)))
      .for("update");
    if (!current) throw new LessonError("not_found", "Занятие не найдено.");
    if (current.state !== "planned") throw new LessonError("invalid", "Отметить можно только запланированное занятие.");
    if (!isMarkable(current, now)) throw new LessonError("invalid", "Занятие ещё не началось.");
    const who = state === "no_show" ? (noShowBy ?? null) : null;
    const [updated] = await tx
      .update(lessons)
      .set({ state, noShowBy: who })
      .where(and(eq(lessons.id, lessonId), eq(lessons.state, "planned")))
      .returning();
    const payload: Record<string, unknown> = { lesson: lessonId, state };
    if (who) payload.noShowBy = who;
    await tx.insert(applicationEvents).values({ applicationId: current.applicationId, accountId: opts.accountId ?? null, type: "note", payload, at: now });
    const [app] = await tx.select().from(applications).where(eq(applications.id, current.applicationId));
    if (app) await markDirty(tx, subjectsOf(app)); // conducted / no-show moves trust and discipline
    await recordAudit(tx, { accountId: opts.accountId ?? null, action: "lesson.mark", subject: `lesson:${lessonId}`, before: { state: "planned" }, after: { state: updated!.state, noShowBy: updated!.noShowBy } });
    return updated!;
  });
}

export interface PlanOptions {
  accountId?: number | null;
  /** Defaults to the clock; a lesson cannot be planned at a time already past. */
  now?: Date;
}

/**
 * Plans a lesson for one of the instructor's accepted applications, audited. Refuses a time
 * already past or one that overlaps another planned lesson of the same instructor. Records a
 * 'note' event {lesson, state: 'planned'}.
 */
export async function planLesson(
  db: Db | Tx,
  instructorId: number,
  applicationId: number,
  startsAt: Date,
  minutes: number,
  opts: PlanOptions = {},
): Promise<Lesson> {
  if (!Number.isInteger(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
    throw new LessonError("invalid", `Длительность занятия — от ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`, "minutes");
  if (Number.isNaN(startsAt.getTime())) throw new LessonError("invalid", "Неверное время начала.", "startsAt");
  if (startsAt.getTime() <= (opts.now ?? new Date()).getTime()) throw new LessonError("invalid", "Это время уже прошло.", "startsAt");
  return db.transaction(async (tx) => {
    const [app] = await tx
      .select({ id: applications.id, status: applications.status })
      .from(applications)
      .where(and(eq(applications.id, applicationId), eq(applications.instructorId, instructorId)));
    if (!app) throw new LessonError("not_found", "Заявка не найдена.");
    if (app.status !== "accepted") throw new LessonError("invalid", "Занятие можно назначить только по принятой заявке.", "application");
    const [clash] = await tx
      .select({ id: lessons.id })
      .from(lessons)
      .where(and(eq(lessons.instructorId, instructorId), eq(lessons.state, "planned"), overlaps(lessons.startsAt, lessons.minutes, startsAt, minutes)))
      .limit(1);
    if (clash) throw new LessonError("invalid", "В это время уже есть другое занятие.");
    const [lesson] = await tx.insert(lessons).values({ applicationId, instructorId, startsAt, minutes, state: "planned" }).returning();
    await tx.insert(applicationEvents).values({
      applicationId,
      accountId: opts.accountId ?? null,
      type: "note",
      payload: { lesson: lesson!.id, state: "planned" },
    });
    await recordAudit(tx, { accountId: opts.accountId ?? null, action: "lesson.plan", subject: `lesson:${lesson!.id}`, after: { applicationId, startsAt: lesson!.startsAt.toISOString(), minutes: lesson!.minutes } });
    return lesson!;
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

/** One lesson of the instructor with its student (for re-rendering a row), or null. */
export async function getLesson(db: Db | Tx, instructorId: number, lessonId: number): Promise<LessonListItem | null> {
  const [row] = await db
    .select(lessonItemColumns)
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .where(and(eq(lessons.id, lessonId), eq(lessons.instructorId, instructorId)));
  return row ?? null;
}
