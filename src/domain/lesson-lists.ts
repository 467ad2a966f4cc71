// The lessons the CRM lists: an actor's lessons in a time range (the instructor's lessons page,
// the instructor's or the school's week), one lesson for re-rendering its row, and an
// application's lessons (its page). Read-only; the scope comes from ownLessons (src/domain/lessons.ts)
// so a school sees its instructors' lessons and nobody else's.
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applications, instructors, lessons, type LessonAnswer, type LessonCanceller, type LessonState } from "../db/schema.ts";
import { ownLessons, type LessonActor } from "./lessons.ts";
import { ownApplication, type Scope } from "./scope.ts";

/** A lesson as a CRM row shows it: when, the student, where, who teaches, the student's answer and how it went or was cancelled. */
export interface LessonItem {
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
  instructorId: number;
  instructorName: string;
  place: string;
  studentAnswer: LessonAnswer | null;
  cancelledBy: LessonCanceller | null;
  cancelledLate: boolean;
}

const itemColumns = {
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
  instructorId: lessons.instructorId,
  instructorName: instructors.name,
  place: lessons.place,
  studentAnswer: lessons.studentAnswer,
  cancelledBy: lessons.cancelledBy,
  cancelledLate: lessons.cancelledLate,
};

function items(db: Db | Tx) {
  return db
    .select(itemColumns)
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .innerJoin(instructors, eq(instructors.id, lessons.instructorId));
}

/** The actor's lessons starting in [from, to), oldest first (instructor name second, so a school's day reads in order). */
export function lessonItems(db: Db | Tx, actor: LessonActor, from: Date, to: Date, state?: LessonState): Promise<LessonItem[]> {
  return items(db)
    .where(and(ownLessons(actor), gte(lessons.startsAt, from), lt(lessons.startsAt, to), state ? eq(lessons.state, state) : undefined))
    .orderBy(asc(lessons.startsAt), asc(instructors.name), asc(lessons.id));
}

/** One of the actor's lessons, or null. */
export async function lessonItem(db: Db | Tx, actor: LessonActor, lessonId: number): Promise<LessonItem | null> {
  const [row] = await items(db).where(and(eq(lessons.id, lessonId), ownLessons(actor)));
  return row ?? null;
}

/** The lessons of an application the scope owns (none for another's), oldest first. */
export function applicationLessons(db: Db | Tx, scope: Scope, applicationId: number): Promise<LessonItem[]> {
  return items(db)
    .where(and(eq(lessons.applicationId, applicationId), ownApplication(scope, applicationId)))
    .orderBy(asc(lessons.startsAt), asc(lessons.id));
}

/** The CRM scope as the actor of lesson changes. */
export function lessonActorOf(scope: Scope): LessonActor {
  return scope.kind === "school" ? { kind: "school", schoolId: scope.schoolId, accountId: scope.accountId } : { kind: "instructor", instructorId: scope.instructorId, accountId: scope.accountId };
}
