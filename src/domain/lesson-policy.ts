// Which lesson rules apply to an instructor's lessons: the school's for a school's instructor,
// the instructor's own otherwise (src/model/lesson-policy.ts says what they mean).
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { instructors, schools } from "../db/schema.ts";
import { DEFAULT_LESSON_POLICY, type LessonPolicy } from "../model/lesson-policy.ts";

/** The policy columns of an instructor joined with their school (left join schools on instructors.school_id). */
export const policyColumns = {
  reminderFirstHours: sql<number>`coalesce(${schools.reminderFirstHours}, ${instructors.reminderFirstHours})`.mapWith(Number),
  reminderSecondHours: sql<number>`coalesce(${schools.reminderSecondHours}, ${instructors.reminderSecondHours})`.mapWith(Number),
  cancelCutoffHours: sql<number>`coalesce(${schools.cancelCutoffHours}, ${instructors.cancelCutoffHours})`.mapWith(Number),
} satisfies Record<keyof LessonPolicy, SQL>;

/** The policy for an instructor's lessons (the defaults for an unknown instructor). */
export async function lessonPolicyOf(db: Db | Tx, instructorId: number): Promise<LessonPolicy> {
  const [row] = await db.select(policyColumns).from(instructors).leftJoin(schools, eq(schools.id, instructors.schoolId)).where(eq(instructors.id, instructorId));
  return row ?? DEFAULT_LESSON_POLICY;
}
