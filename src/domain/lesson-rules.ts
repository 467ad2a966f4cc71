// The "Правила занятий" settings (issue 15): the lesson rules (reminder hours, the cut-off) of a
// school, for all its instructors, or of an independent instructor; an instructor's meeting point
// (in Russian and, when written, Kazakh);
// and, per account, whether students' answers to reminders come to the staff member's Telegram.
// An instructor of a school follows the school's rules and cannot change them (only the school
// can); their meeting point and their alerts stay theirs. Saving is one audited transaction.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { accounts, instructors, schools } from "../db/schema.ts";
import { policyProblems, type LessonPolicy, type PolicyFieldProblem } from "../model/lesson-policy.ts";
import { recordAudit } from "./audit.ts";
import { MAX_PLACE_LENGTH } from "./lessons.ts";
import type { Scope } from "./scope.ts";

export interface LessonRules {
  policy: LessonPolicy;
  /** The rules are the school's and read-only here (an instructor of a school): its name. */
  schoolName: string | null;
  /** The instructor's meeting point; null for a school account (it has none). */
  meetingPoint: string | null;
  /** Its Kazakh text ('' when only Russian is written); null for a school account. */
  meetingPointKk: string | null;
  /** This account gets students' answers in Telegram. */
  answerAlerts: boolean;
  telegramLinked: boolean;
}

export type LessonRulesField = keyof LessonPolicy | "meetingPoint" | "meetingPointKk";
/** A field's problem as a code (src/i18n/crm/lesson-rules.ts says it in the page's language). */
export type LessonRulesProblem = PolicyFieldProblem | { code: "tooLong"; max: number };
export type LessonRulesErrors = Partial<Record<LessonRulesField, LessonRulesProblem>>;

/** As the form sends it: hours as typed, the meeting point, the alerts box. */
export interface LessonRulesInput {
  reminderFirstHours?: string;
  reminderSecondHours?: string;
  cancelCutoffHours?: string;
  meetingPoint?: string;
  meetingPointKk?: string;
  answerAlerts: boolean;
}

export type SaveLessonRulesResult = { ok: true; rules: LessonRules } | { ok: false; errors: LessonRulesErrors };

const policySelect = { reminderFirstHours: schools.reminderFirstHours, reminderSecondHours: schools.reminderSecondHours, cancelCutoffHours: schools.cancelCutoffHours };
const instructorPolicySelect = { reminderFirstHours: instructors.reminderFirstHours, reminderSecondHours: instructors.reminderSecondHours, cancelCutoffHours: instructors.cancelCutoffHours };

/** The rules the scope's account sees on its settings page. */
export async function lessonRulesOf(db: Db, scope: Scope): Promise<LessonRules> {
  const [account] = await db.select({ alerts: accounts.lessonAnswerAlerts, chat: accounts.telegramChatId }).from(accounts).where(eq(accounts.id, scope.accountId));
  const own = { answerAlerts: account?.alerts ?? false, telegramLinked: Boolean(account?.chat) };
  if (scope.kind === "school") {
    const [school] = await db.select(policySelect).from(schools).where(eq(schools.id, scope.schoolId));
    return { policy: school!, schoolName: null, meetingPoint: null, meetingPointKk: null, ...own };
  }
  const [row] = await db
    .select({ own: instructorPolicySelect, school: { name: schools.name, ...policySelect }, meetingPoint: instructors.meetingPoint, meetingPointKk: instructors.meetingPointKk, schoolId: instructors.schoolId })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(eq(instructors.id, scope.instructorId));
  const follows = row!.schoolId !== null && row!.school !== null;
  const { name, ...schoolPolicy } = row!.school ?? { name: null };
  return { policy: follows ? (schoolPolicy as LessonPolicy) : row!.own, schoolName: follows ? name : null, meetingPoint: row!.meetingPoint, meetingPointKk: row!.meetingPointKk, ...own };
}

/** Whole hours as typed ("24"); anything else is NaN, which policyProblems refuses. */
const hours = (raw: string | undefined): number => (raw !== undefined && /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw.trim()) : NaN);

/** Checks and saves the rules the account may change; the form's messages on bad input, nothing saved. */
export async function saveLessonRules(db: Db, scope: Scope, input: LessonRulesInput): Promise<SaveLessonRulesResult> {
  const before = await lessonRulesOf(db, scope);
  const editsPolicy = before.schoolName === null;
  const policy: LessonPolicy = editsPolicy
    ? { reminderFirstHours: hours(input.reminderFirstHours), reminderSecondHours: hours(input.reminderSecondHours), cancelCutoffHours: hours(input.cancelCutoffHours) }
    : before.policy;
  const errors: LessonRulesErrors = {};
  if (editsPolicy) for (const { field, ...problem } of policyProblems(policy)) errors[field] ??= problem as PolicyFieldProblem;
  const meetingPoint = scope.kind === "instructor" ? (input.meetingPoint ?? "").trim() : null;
  const meetingPointKk = scope.kind === "instructor" ? (input.meetingPointKk ?? "").trim() : null;
  if (meetingPoint !== null && meetingPoint.length > MAX_PLACE_LENGTH) errors.meetingPoint = { code: "tooLong", max: MAX_PLACE_LENGTH };
  if (meetingPointKk !== null && meetingPointKk.length > MAX_PLACE_LENGTH) errors.meetingPointKk = { code: "tooLong", max: MAX_PLACE_LENGTH };
  if (Object.keys(errors).length) return { ok: false, errors };

  await db.transaction(async (tx) => {
    if (scope.kind === "school") await tx.update(schools).set(policy).where(eq(schools.id, scope.schoolId));
    else await tx.update(instructors).set({ ...(editsPolicy ? policy : {}), meetingPoint: meetingPoint!, meetingPointKk: meetingPointKk! }).where(eq(instructors.id, scope.instructorId));
    await tx.update(accounts).set({ lessonAnswerAlerts: input.answerAlerts }).where(eq(accounts.id, scope.accountId));
    const subject = scope.kind === "school" ? `school:${scope.schoolId}` : `instructor:${scope.instructorId}`;
    const snapshot = (r: { policy: LessonPolicy; meetingPoint: string | null; meetingPointKk: string | null; answerAlerts: boolean }) => ({
      ...(editsPolicy ? r.policy : {}),
      ...(r.meetingPoint !== null ? { meetingPoint: r.meetingPoint, meetingPointKk: r.meetingPointKk } : {}),
      answerAlerts: r.answerAlerts,
    });
    await recordAudit(tx, { accountId: scope.accountId, action: "lesson_rules.save", subject, before: snapshot(before), after: snapshot({ policy, meetingPoint, meetingPointKk, answerAlerts: input.answerAlerts }) });
  });
  return { ok: true, rules: { ...before, policy, meetingPoint, meetingPointKk, answerAlerts: input.answerAlerts } };
}
