// A school's (for all its instructors) or an independent instructor's lesson rules: when the two
// reminders go out, and until when a student may move or cancel a lesson from the bot. Pure: the
// columns live on schools and instructors (src/db/schema.ts lessonPolicyColumns); which row
// applies is domain/lesson-policy.ts's (an instructor of a school follows the school's).

/** The two reminders before a lesson (lesson_reminders.kind). */
export const reminderKinds = ["first", "second"] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export interface LessonPolicy {
  /** Hours before the lesson of the first reminder (default 24). */
  reminderFirstHours: number;
  /** Hours before the lesson of the second reminder (default 2), fewer than the first. */
  reminderSecondHours: number;
  /** Inside this many hours before the lesson the student can no longer move it (default 24). */
  cancelCutoffHours: number;
}

export const DEFAULT_LESSON_POLICY: LessonPolicy = { reminderFirstHours: 24, reminderSecondHours: 2, cancelCutoffHours: 24 };

/** Bounds of the settings form: a week at most, the second reminder before the first. */
export const MAX_POLICY_HOURS = 168;

const HOUR_MS = 3_600_000;

/** What is wrong with a policy's field: hours out of range, or the second reminder not after the first (the CRM says it in its language). */
export type PolicyFieldProblem = { code: "hours"; min: number; max: number } | { code: "secondAfterFirst" };
export type PolicyProblem = { field: keyof LessonPolicy } & PolicyFieldProblem;

/** Problems of a policy as the settings form shows them (one per field at most); empty when valid. */
export function policyProblems(p: LessonPolicy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const inRange = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= MAX_POLICY_HOURS;
  if (!inRange(p.reminderFirstHours, 1)) out.push({ field: "reminderFirstHours", code: "hours", min: 1, max: MAX_POLICY_HOURS });
  if (!inRange(p.reminderSecondHours, 1)) out.push({ field: "reminderSecondHours", code: "hours", min: 1, max: MAX_POLICY_HOURS });
  else if (inRange(p.reminderFirstHours, 1) && p.reminderSecondHours >= p.reminderFirstHours) out.push({ field: "reminderSecondHours", code: "secondAfterFirst" });
  if (!inRange(p.cancelCutoffHours, 0)) out.push({ field: "cancelCutoffHours", code: "hours", min: 0, max: MAX_POLICY_HOURS });
  return out;
}

/** The student can no longer move the lesson (or cancel it without it counting as late) at `now`. */
export function insideCutoff(p: LessonPolicy, startsAt: Date, now: Date): boolean {
  return startsAt.getTime() - now.getTime() < p.cancelCutoffHours * HOUR_MS;
}

/** When a reminder is due: its hours before the lesson. */
export function reminderHours(p: LessonPolicy, kind: ReminderKind): number {
  return kind === "first" ? p.reminderFirstHours : p.reminderSecondHours;
}

/**
 * The reminder a planned lesson is due for at `now`, or null. A reminder is due from its time
 * until the next one's (the first until the second's time, the second until the lesson starts):
 * after a long stop only the latest one goes out, never two at once. A reminder whose time came
 * before the lesson got its current time (`timedAt`: planned or moved) is not sent: the student was
 * just told.
 */
export function dueReminder(p: LessonPolicy, lesson: { startsAt: Date; timedAt: Date }, now: Date): ReminderKind | null {
  const start = lesson.startsAt.getTime();
  const at = (kind: ReminderKind) => start - reminderHours(p, kind) * HOUR_MS;
  const t = now.getTime();
  if (t >= start) return null;
  const kind: ReminderKind | null = t >= at("second") ? "second" : t >= at("first") ? "first" : null;
  if (!kind) return null;
  return at(kind) >= lesson.timedAt.getTime() ? kind : null;
}
