// A student's lessons as the bot shows them (/my and a lesson's card): the upcoming ones and the
// last few others with their outcome, in one query, always scoped to the student through their
// applications. Reads only: moving and cancelling are domain/lessons.ts's.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applications, instructors, lessons } from "../db/schema.ts";

/** A lesson with what the student's messages name: the application's number and the instructor. */
export interface StudentLesson {
  id: number;
  applicationId: number;
  publicNumber: string;
  instructorId: number;
  instructorName: string;
  startsAt: Date;
  minutes: number;
  place: string;
  state: (typeof lessons.$inferSelect)["state"];
  noShowBy: (typeof lessons.$inferSelect)["noShowBy"];
  cancelledBy: (typeof lessons.$inferSelect)["cancelledBy"];
  cancelledLate: boolean;
}

export interface StudentSchedule {
  /** Planned and not started yet, earliest first. */
  upcoming: StudentLesson[];
  /** Everything else (held, missed, cancelled, or started and not marked yet), latest first. */
  past: StudentLesson[];
}

/** How many of each the /my message lists. */
export const MAX_UPCOMING = 10;
export const MAX_PAST = 3;

const columns = {
  id: lessons.id,
  applicationId: lessons.applicationId,
  publicNumber: applications.publicNumber,
  instructorId: lessons.instructorId,
  instructorName: instructors.name,
  startsAt: lessons.startsAt,
  minutes: lessons.minutes,
  place: lessons.place,
  state: lessons.state,
  noShowBy: lessons.noShowBy,
  cancelledBy: lessons.cancelledBy,
  cancelledLate: lessons.cancelledLate,
};

/** The lesson is still ahead and can be moved or cancelled (the cut-off aside). */
const upcomingAt = (now: Date) => sql`(${lessons.state} = 'planned' and ${lessons.startsAt} > ${now.toISOString()}::timestamptz)`;

/**
 * The student's upcoming lessons (up to `limits.upcoming`) and the latest others (up to
 * `limits.past`): one statement, each group ranked by a window function.
 */
export async function studentSchedule(db: Db | Tx, studentId: number, now: Date, limits = { upcoming: MAX_UPCOMING, past: MAX_PAST }): Promise<StudentSchedule> {
  const upcoming = upcomingAt(now);
  const ranked = db.$with("ranked").as(
    db
      .select({
        ...columns,
        upcoming: sql<boolean>`${upcoming}`.as("upcoming"),
        rank: sql<number>`row_number() over (partition by ${upcoming} order by case when ${upcoming} then ${lessons.startsAt} end asc, ${lessons.startsAt} desc, ${lessons.id} desc)`.as("rank"),
      })
      .from(lessons)
      .innerJoin(applications, eq(applications.id, lessons.applicationId))
      .innerJoin(instructors, eq(instructors.id, lessons.instructorId))
      .where(eq(applications.studentId, studentId)),
  );
  const rows = await db
    .with(ranked)
    .select()
    .from(ranked)
    .where(sql`${ranked.rank} <= case when ${ranked.upcoming} then ${limits.upcoming}::int else ${limits.past}::int end`)
    .orderBy(asc(ranked.rank));
  const strip = ({ upcoming: _, rank: __, ...lesson }: (typeof rows)[number]): StudentLesson => ({ ...lesson, startsAt: new Date(lesson.startsAt) });
  return { upcoming: rows.filter((r) => r.upcoming).map(strip), past: rows.filter((r) => !r.upcoming).map(strip) };
}

/** One of the student's lessons (any state), or null when it is not theirs. */
export async function studentLesson(db: Db | Tx, studentId: number, lessonId: number): Promise<StudentLesson | null> {
  const [row] = await db
    .select(columns)
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .innerJoin(instructors, eq(instructors.id, lessons.instructorId))
    .where(and(eq(lessons.id, lessonId), eq(applications.studentId, studentId)));
  return row ?? null;
}
