// Trust index (0–100) of a driving school and of an instructor: how fast and how reliably
// they answer the students the platform sends them. Formulas, weights, priors and worked
// examples: docs/analytics.md. Pure: no database, no clock (`now` is an argument), no I/O.
import { assemble, formatDuration, percent, ruPlural, type ComponentDraft, type IndexResult } from "./explain.ts";
import { clamp, count, median, shareScore, shrink, type ComponentSpec } from "./shrink.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An application unanswered for this long counts as "left without a response". */
export const RESPONSE_GRACE_MS = 24 * HOUR;
/** A school application not confirmed (or a confirmation not paid) within this long counts as "no". */
export const DECISION_WINDOW_MS = 7 * 24 * HOUR;
/** Answers within this time get full marks for speed. */
export const FULL_MARKS_MS = 15 * MINUTE;
/** Each doubling of the response time beyond FULL_MARKS_MS costs 1/8: zero at 15 min · 2⁸ = 64 h. */
const DOUBLINGS_TO_ZERO = 8;

/**
 * Weights and priors (see ComponentSpec). The priors are first guesses at an ordinary school;
 * recalibrate them to the platform's medians once there are a few months of history, and update
 * docs/analytics.md with them. Responding (speed + answered) is half the index because it is
 * what a student feels first. A school with no data starts at Σ points·prior score = 61.
 */
export const SCHOOL_SPEC = {
  speed: { points: 30, prior: 0.5 }, // 0.5 = a median first answer within 4 h
  confirmed: { points: 20, prior: 0.5 },
  paid: { points: 20, prior: 0.6 },
  answered: { points: 20, prior: 0.9, floor: 0.5 },
  kept: { points: 10, prior: 0.8 },
} as const satisfies Record<string, ComponentSpec>;

/** The same for instructors; one with no data starts at 68. */
export const INSTRUCTOR_SPEC = {
  speed: { points: 30, prior: 0.5 },
  lessons: { points: 30, prior: 0.95, floor: 0.5 },
  accepted: { points: 20, prior: 0.5 },
  answered: { points: 20, prior: 0.9, floor: 0.5 },
} as const satisfies Record<string, ComponentSpec>;

export type ApplicationStatus =
  | "new"
  | "contacted"
  | "confirmed"
  | "paid"
  | "studying"
  | "completed"
  | "accepted"
  | "rejected"
  | "cancelled";

/** One application as the `applications` table has it (only the columns the indices read). */
export interface TrustApplication {
  createdAt: Date;
  status: ApplicationStatus;
  firstResponseAt?: Date | null;
  confirmedAt?: Date | null;
  paidAt?: Date | null;
  cancelledAt?: Date | null;
}

/** Lesson outcomes, as SQL `count(*) filter (where …)` gives them; see `tallyLessons`. */
export interface LessonTally {
  conducted: number;
  noShowByStudent: number;
  noShowByInstructor: number;
}

export interface SchoolTrustInput {
  applications: readonly TrustApplication[];
  now: Date;
}

export interface InstructorTrustInput {
  applications: readonly TrustApplication[];
  lessons?: Pick<LessonTally, "conducted" | "noShowByInstructor">;
  now: Date;
}

// ---- facts about one application (shared with discipline.ts) ----

const CONFIRMED = new Set<ApplicationStatus>(["confirmed", "paid", "studying", "completed", "accepted"]);
const PAID = new Set<ApplicationStatus>(["paid", "studying", "completed"]);

type AppFacts = Pick<TrustApplication, "status" | "confirmedAt" | "paidAt" | "cancelledAt">;

/** Confirmed by the school or accepted by the instructor, at any point (a later cancel does not undo it). */
export function isConfirmed(a: AppFacts): boolean {
  return a.confirmedAt != null || a.paidAt != null || CONFIRMED.has(a.status);
}

export function isPaid(a: AppFacts): boolean {
  return a.paidAt != null || PAID.has(a.status);
}

/** Cancelled by the student (a school's or instructor's "no" is `rejected`). */
export function isCancelled(a: AppFacts): boolean {
  return a.cancelledAt != null || a.status === "cancelled";
}

export function tallyLessons(
  rows: readonly { state: "planned" | "conducted" | "no_show" | "cancelled"; noShowBy?: "student" | "instructor" | null }[],
): LessonTally {
  const t: LessonTally = { conducted: 0, noShowByStudent: 0, noShowByInstructor: 0 };
  for (const r of rows) {
    if (r.state === "conducted") t.conducted += 1;
    // A no-show with nobody named is nobody's evidence: it counts for neither side.
    else if (r.state === "no_show" && r.noShowBy === "student") t.noShowByStudent += 1;
    else if (r.state === "no_show" && r.noShowBy === "instructor") t.noShowByInstructor += 1;
  }
  return t;
}

// ---- response time ----

/** How long the student has been waiting: until `now`, or until they cancelled. */
function waitedMs(a: TrustApplication, now: Date): number {
  const end = Math.min(now.getTime(), a.cancelledAt?.getTime() ?? Infinity);
  return Math.max(0, end - a.createdAt.getTime());
}

/**
 * The response time the index uses for one application, in ms (Infinity = no answer):
 * - answered while the student was still waiting: the real time to the first response;
 * - not answered and waiting less than the grace period: the time waited so far (a lower
 *   bound: it is not late yet, and an answer now could only be quicker);
 * - not answered within the grace period: Infinity.
 * An answer after the student cancelled reached nobody and counts as none. The result never
 * decreases when the first response moves later, so answering faster cannot lower the index.
 */
export function effectiveResponseMs(a: TrustApplication, now: Date): number {
  const waited = waitedMs(a, now);
  const responded = a.firstResponseAt
    ? Math.max(0, a.firstResponseAt.getTime() - a.createdAt.getTime())
    : Infinity;
  if (responded <= waited) return responded;
  return waited >= RESPONSE_GRACE_MS ? Infinity : waited;
}

/** 1 up to 15 min, minus 1/8 per doubling (30 min 7/8, 1 h 3/4, 2 h 5/8, 4 h 1/2 …), 0 from 64 h. */
export function speedScore(ms: number): number {
  if (ms <= FULL_MARKS_MS) return 1;
  if (!Number.isFinite(ms)) return 0;
  return clamp(1 - Math.log2(ms / FULL_MARKS_MS) / DOUBLINGS_TO_ZERO);
}

// ---- components shared by schools and instructors ----

/**
 * Speed score of the median response time over all applications, shrunk. The (lower) median
 * is an order statistic and speedScore never increases, so an earlier answer to any one
 * application can only raise it.
 */
function speedComponent(apps: readonly TrustApplication[], now: Date, spec: ComponentSpec): ComponentDraft {
  const typical = median(apps.map((a) => effectiveResponseMs(a, now)));
  return {
    key: "speed",
    label: { ru: "Скорость ответа", kk: "Жауап беру жылдамдығы" },
    spec,
    value: shrink(speedScore(typical), apps.length, spec.prior),
    n: apps.length,
    fact: Number.isFinite(typical)
      ? {
          ru: `Медианное время первого ответа — ${formatDuration(typical).ru}`,
          kk: `Алғашқы жауап уақытының медианасы — ${formatDuration(typical).kk}`,
        }
      : {
          ru: "Больше половины заявок без ответа дольше 24 ч",
          kk: "Өтінімдердің жартысынан көбі 24 сағаттан астам жауапсыз қалды",
        },
  };
}

/**
 * Share of applications answered at all, among those whose student waited at least the grace
 * period. This catches what the median hides: answering the easy half fast, ignoring the rest.
 */
function answeredComponent(apps: readonly TrustApplication[], now: Date, spec: ComponentSpec): ComponentDraft {
  const judged = apps.filter((a) => waitedMs(a, now) >= RESPONSE_GRACE_MS);
  const ignored = judged.filter((a) => effectiveResponseMs(a, now) === Infinity).length;
  return {
    key: "answered",
    label: { ru: "Полнота ответов", kk: "Жауаптардың толықтығы" },
    spec,
    value: shareScore(judged.length - ignored, judged.length, spec),
    n: judged.length,
    fact: {
      ru: `Без ответа дольше 24 ч осталось ${ignored} из ${judged.length} (${percent(ignored, judged.length)})`,
      kk: `24 сағаттан астам жауапсыз қалғаны ${ignored} / ${judged.length} (${percent(ignored, judged.length)})`,
    },
  };
}

/**
 * Applications that ended in a "yes" (confirmed / accepted) among those judged: decided, or
 * older than `windowMs`. One the student withdrew before any "yes" is left out: it says
 * nothing about the school.
 */
function decisions(apps: readonly TrustApplication[], now: Date, windowMs: number) {
  const judged = apps.filter(
    (a) =>
      !(isCancelled(a) && !isConfirmed(a)) &&
      (isConfirmed(a) || a.status === "rejected" || now.getTime() - a.createdAt.getTime() >= windowMs),
  );
  return { yes: judged.filter(isConfirmed).length, n: judged.length };
}

// ---- schools ----

export function schoolTrust(input: SchoolTrustInput): IndexResult {
  const { applications: apps, now } = input;
  const S = SCHOOL_SPEC;
  const decided = decisions(apps, now, DECISION_WINDOW_MS);
  const confirmed = apps.filter(isConfirmed);
  // Payment is judged once paid, cancelled, or a week after the confirmation.
  const payJudged = confirmed.filter(
    (a) =>
      isPaid(a) ||
      isCancelled(a) ||
      now.getTime() - (a.confirmedAt ?? a.createdAt).getTime() >= DECISION_WINDOW_MS,
  );
  const paid = payJudged.filter(isPaid).length;
  const kept = confirmed.filter((a) => !isCancelled(a)).length;
  const broken = confirmed.length - kept;
  const drafts: ComponentDraft[] = [
    speedComponent(apps, now, S.speed),
    {
      key: "confirmed",
      label: { ru: "Подтверждение заявок", kk: "Өтінімдерді растау" },
      spec: S.confirmed,
      value: shareScore(decided.yes, decided.n, S.confirmed),
      n: decided.n,
      fact: {
        ru: `Подтверждено ${decided.yes} из ${decided.n} (${percent(decided.yes, decided.n)})`,
        kk: `${decided.yes} / ${decided.n} өтінім расталды (${percent(decided.yes, decided.n)})`,
      },
    },
    {
      // Confirmations that never turn into payment are the cheapest way to look good.
      key: "paid",
      label: { ru: "Оплата после подтверждения", kk: "Растаудан кейінгі төлем" },
      spec: S.paid,
      value: shareScore(paid, payJudged.length, S.paid),
      n: payJudged.length,
      fact: {
        ru: `Оплачено ${paid} из ${payJudged.length} подтверждённых (${percent(paid, payJudged.length)})`,
        kk: `Расталған өтінімдер бойынша төлем ${paid} / ${payJudged.length} (${percent(paid, payJudged.length)})`,
      },
    },
    answeredComponent(apps, now, S.answered),
    {
      // Makes "confirm everything" useless: confirmations the student then cancels count against.
      key: "kept",
      label: { ru: "Надёжность подтверждений", kk: "Растаулардың сенімділігі" },
      spec: S.kept,
      value: shareScore(kept, confirmed.length, S.kept),
      n: confirmed.length,
      fact: {
        ru: `После подтверждения ученики отменили ${broken} из ${confirmed.length} (${percent(broken, confirmed.length)})`,
        kk: `Растаудан кейін оқушы бас тартқаны ${broken} / ${confirmed.length} (${percent(broken, confirmed.length)})`,
      },
    },
  ];
  const n = apps.length;
  return assemble(drafts, {
    title: { ru: "Индекс доверия", kk: "Сенім индексі" },
    basis: { ru: `по ${n} ${ruPlural(n, "заявке", "заявкам", "заявкам")}`, kk: `${n} өтінім бойынша` },
    sampleSize: n,
  });
}

// ---- instructors ----

export function instructorTrust(input: InstructorTrustInput): IndexResult {
  const { applications: apps, now } = input;
  const S = INSTRUCTOR_SPEC;
  // An instructor's first answer *is* the decision, so it is judged after the grace period.
  const decided = decisions(apps, now, RESPONSE_GRACE_MS);
  const conducted = count(input.lessons?.conducted);
  const missed = count(input.lessons?.noShowByInstructor);
  const lessons = conducted + missed;
  const drafts: ComponentDraft[] = [
    speedComponent(apps, now, S.speed),
    {
      // A lesson the instructor did not come to costs the student a planned hour.
      key: "lessons",
      label: { ru: "Проведение занятий", kk: "Сабақтарды өткізу" },
      spec: S.lessons,
      value: shareScore(conducted, lessons, S.lessons),
      n: lessons,
      fact: {
        ru: `Проведено занятий — ${conducted}, неявок инструктора — ${missed}`,
        kk: `Өткізілген сабақ — ${conducted}, нұсқаушы келмеген — ${missed}`,
      },
    },
    {
      key: "accepted",
      label: { ru: "Принятие заявок", kk: "Өтінімдерді қабылдау" },
      spec: S.accepted,
      value: shareScore(decided.yes, decided.n, S.accepted),
      n: decided.n,
      fact: {
        ru: `Принято ${decided.yes} из ${decided.n} (${percent(decided.yes, decided.n)})`,
        kk: `${decided.yes} / ${decided.n} өтінім қабылданды (${percent(decided.yes, decided.n)})`,
      },
    },
    answeredComponent(apps, now, S.answered),
  ];
  const n = apps.length;
  return assemble(drafts, {
    title: { ru: "Индекс доверия", kk: "Сенім индексі" },
    basis: {
      ru: `по ${n} ${ruPlural(n, "заявке", "заявкам", "заявкам")} и ${lessons} ${ruPlural(lessons, "занятию", "занятиям", "занятиям")}`,
      kk: `${n} өтінім және ${lessons} сабақ бойынша`,
    },
    sampleSize: n + lessons,
  });
}
