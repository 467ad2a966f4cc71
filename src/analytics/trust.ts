// Trust index (0–100) of a driving school and of an instructor: how fast and how reliably
// they answer the students the platform sends them. Formulas, weights, priors and worked
// examples: docs/analytics.md. Pure: no database, no clock (`now` is an argument), no I/O.
import { assemble, formatDuration, indexValue, percent, ruPlural, type ComponentDraft, type IndexResult } from "./explain.ts";
import { clamp, count, median, shareScore, shrink, type ComponentSpec } from "./shrink.ts";
import { CONFIRMED_STATUSES, PAID_STATUSES, type ApplicationStatus } from "../model/application-status.ts";

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

export type { ApplicationStatus };

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

// What a status counts as is the status model's to say.
const CONFIRMED = new Set<ApplicationStatus>(CONFIRMED_STATUSES);
const PAID = new Set<ApplicationStatus>(PAID_STATUSES);

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

// ---- tallies: the counts an index is computed from ----

/**
 * What a trust index needs to know about a subject's applications: a handful of counts and the
 * median response time. `tallySchool` / `tallyInstructor` compute it from rows; the domain layer
 * may compute the same counts in SQL (one row per subject instead of one per application) and
 * store them, so the breakdown and texts can be rebuilt when a page reads the index.
 */
export interface TrustTally {
  /** Applications in the sample (the speed component's n). */
  applications: number;
  /** Lower median of effectiveResponseMs, in ms; null when it is ∞ (more than half without an answer for 24 h) or there are no applications. */
  medianResponseMs: number | null;
  /** Applications judged for `confirmed` / `accepted` (see `decisions`), and how many of those said yes. */
  judged: number;
  yes: number;
  /** Applications whose student waited at least RESPONSE_GRACE_MS, and how many of those got no answer. */
  waited: number;
  ignored: number;
}

export interface SchoolTrustTally extends TrustTally {
  /** Confirmed applications (= `yes`: a confirmed application is always judged) the student then cancelled. */
  cancelledAfterConfirm: number;
  /** Confirmed applications judged for payment, and how many of those were paid. */
  payJudged: number;
  paid: number;
}

export interface InstructorTrustTally extends TrustTally {
  conducted: number;
  noShowByInstructor: number;
}

/**
 * The counts shared by schools and instructors. An application is judged for the decision once
 * decided, or `decisionWindowMs` after it was created; one the student withdrew before any
 * "yes" is left out (it says nothing about the school).
 */
function tallyTrust(apps: readonly TrustApplication[], now: Date, decisionWindowMs: number): TrustTally {
  const t = now.getTime();
  const typical = median(apps.map((a) => effectiveResponseMs(a, now)));
  let judged = 0;
  let yes = 0;
  let waited = 0;
  let ignored = 0;
  for (const a of apps) {
    const confirmed = isConfirmed(a);
    if (!(isCancelled(a) && !confirmed) && (confirmed || a.status === "rejected" || t - a.createdAt.getTime() >= decisionWindowMs)) {
      judged += 1;
      if (confirmed) yes += 1;
    }
    if (waitedMs(a, now) >= RESPONSE_GRACE_MS) {
      waited += 1;
      if (effectiveResponseMs(a, now) === Infinity) ignored += 1;
    }
  }
  return { applications: apps.length, medianResponseMs: Number.isFinite(typical) ? typical : null, judged, yes, waited, ignored };
}

/** A school's applications → its tally (a school says "no" within a week, DECISION_WINDOW_MS). */
export function tallySchool(apps: readonly TrustApplication[], now: Date): SchoolTrustTally {
  const confirmed = apps.filter(isConfirmed);
  // Payment is judged once paid, cancelled, or a week after the confirmation.
  const payJudged = confirmed.filter(
    (a) => isPaid(a) || isCancelled(a) || now.getTime() - (a.confirmedAt ?? a.createdAt).getTime() >= DECISION_WINDOW_MS,
  );
  return {
    ...tallyTrust(apps, now, DECISION_WINDOW_MS),
    cancelledAfterConfirm: confirmed.filter(isCancelled).length,
    payJudged: payJudged.length,
    paid: payJudged.filter(isPaid).length,
  };
}

/** An instructor's applications and lessons → the tally. An instructor's first answer *is* the decision: judged after the grace period. */
export function tallyInstructor(
  apps: readonly TrustApplication[],
  lessons: Pick<LessonTally, "conducted" | "noShowByInstructor"> | undefined,
  now: Date,
): InstructorTrustTally {
  return {
    ...tallyTrust(apps, now, RESPONSE_GRACE_MS),
    conducted: count(lessons?.conducted),
    noShowByInstructor: count(lessons?.noShowByInstructor),
  };
}

// ---- components shared by schools and instructors ----

/**
 * Speed score of the median response time over all applications, shrunk. The (lower) median
 * is an order statistic and speedScore never increases, so an earlier answer to any one
 * application can only raise it.
 */
function speedComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const n = count(t.applications);
  const typical = t.medianResponseMs ?? Infinity;
  return {
    key: "speed",
    label: { ru: "Скорость ответа", kk: "Жауап беру жылдамдығы" },
    spec,
    value: shrink(speedScore(typical), n, spec.prior),
    n,
    fact: () =>
      Number.isFinite(typical)
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
function answeredComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const judged = count(t.waited);
  const ignored = Math.min(judged, count(t.ignored));
  return {
    key: "answered",
    label: { ru: "Полнота ответов", kk: "Жауаптардың толықтығы" },
    spec,
    value: shareScore(judged - ignored, judged, spec),
    n: judged,
    fact: () => ({
      ru: `Без ответа дольше 24 ч осталось ${ignored} из ${judged} (${percent(ignored, judged)})`,
      kk: `24 сағаттан астам жауапсыз қалғаны ${ignored} / ${judged} (${percent(ignored, judged)})`,
    }),
  };
}

// ---- schools ----

function schoolDrafts(t: SchoolTrustTally): ComponentDraft[] {
  const S = SCHOOL_SPEC;
  const judged = count(t.judged);
  const yes = Math.min(judged, count(t.yes));
  // Every confirmed application is judged, so `yes` is also the number confirmed.
  const confirmed = yes;
  const broken = Math.min(confirmed, count(t.cancelledAfterConfirm));
  const kept = confirmed - broken;
  const payJudged = count(t.payJudged);
  const paid = Math.min(payJudged, count(t.paid));
  return [
    speedComponent(t, S.speed),
    {
      key: "confirmed",
      label: { ru: "Подтверждение заявок", kk: "Өтінімдерді растау" },
      spec: S.confirmed,
      value: shareScore(yes, judged, S.confirmed),
      n: judged,
      fact: () => ({
        ru: `Подтверждено ${yes} из ${judged} (${percent(yes, judged)})`,
        kk: `${yes} / ${judged} өтінім расталды (${percent(yes, judged)})`,
      }),
    },
    {
      // Confirmations that never turn into payment are the cheapest way to look good.
      key: "paid",
      label: { ru: "Оплата после подтверждения", kk: "Растаудан кейінгі төлем" },
      spec: S.paid,
      value: shareScore(paid, payJudged, S.paid),
      n: payJudged,
      fact: () => ({
        ru: `Оплачено ${paid} из ${payJudged} подтверждённых (${percent(paid, payJudged)})`,
        kk: `Расталған өтінімдер бойынша төлем ${paid} / ${payJudged} (${percent(paid, payJudged)})`,
      }),
    },
    answeredComponent(t, S.answered),
    {
      // Makes "confirm everything" useless: confirmations the student then cancels count against.
      key: "kept",
      label: { ru: "Надёжность подтверждений", kk: "Растаулардың сенімділігі" },
      spec: S.kept,
      value: shareScore(kept, confirmed, S.kept),
      n: confirmed,
      fact: () => ({
        ru: `После подтверждения ученики отменили ${broken} из ${confirmed} (${percent(broken, confirmed)})`,
        kk: `Растаудан кейін оқушы бас тартқаны ${broken} / ${confirmed} (${percent(broken, confirmed)})`,
      }),
    },
  ];
}

/** The school's trust index with its breakdown and texts, from its tally. */
export function schoolTrustFromTally(t: SchoolTrustTally): IndexResult {
  const n = count(t.applications);
  return assemble(schoolDrafts(t), {
    title: { ru: "Индекс доверия", kk: "Сенім индексі" },
    basis: { ru: `по ${n} ${ruPlural(n, "заявке", "заявкам", "заявкам")}`, kk: `${n} өтінім бойынша` },
    sampleSize: n,
  });
}

/** Only the number (0..100) of `schoolTrustFromTally`, without building the texts. */
export function schoolTrustValue(t: SchoolTrustTally): number {
  return indexValue(schoolDrafts(t));
}

export function schoolTrust(input: SchoolTrustInput): IndexResult {
  return schoolTrustFromTally(tallySchool(input.applications, input.now));
}

// ---- instructors ----

function instructorDrafts(t: InstructorTrustTally): ComponentDraft[] {
  const S = INSTRUCTOR_SPEC;
  const judged = count(t.judged);
  const yes = Math.min(judged, count(t.yes));
  const conducted = count(t.conducted);
  const missed = count(t.noShowByInstructor);
  const lessons = conducted + missed;
  return [
    speedComponent(t, S.speed),
    {
      // A lesson the instructor did not come to costs the student a planned hour.
      key: "lessons",
      label: { ru: "Проведение занятий", kk: "Сабақтарды өткізу" },
      spec: S.lessons,
      value: shareScore(conducted, lessons, S.lessons),
      n: lessons,
      fact: () => ({
        ru: `Проведено занятий — ${conducted}, неявок инструктора — ${missed}`,
        kk: `Өткізілген сабақ — ${conducted}, нұсқаушы келмеген — ${missed}`,
      }),
    },
    {
      key: "accepted",
      label: { ru: "Принятие заявок", kk: "Өтінімдерді қабылдау" },
      spec: S.accepted,
      value: shareScore(yes, judged, S.accepted),
      n: judged,
      fact: () => ({
        ru: `Принято ${yes} из ${judged} (${percent(yes, judged)})`,
        kk: `${yes} / ${judged} өтінім қабылданды (${percent(yes, judged)})`,
      }),
    },
    answeredComponent(t, S.answered),
  ];
}

/** The instructor's trust index with its breakdown and texts, from the tally. */
export function instructorTrustFromTally(t: InstructorTrustTally): IndexResult {
  const n = count(t.applications);
  const lessons = count(t.conducted) + count(t.noShowByInstructor);
  return assemble(instructorDrafts(t), {
    title: { ru: "Индекс доверия", kk: "Сенім индексі" },
    basis: {
      ru: `по ${n} ${ruPlural(n, "заявке", "заявкам", "заявкам")} и ${lessons} ${ruPlural(lessons, "занятию", "занятиям", "занятиям")}`,
      kk: `${n} өтінім және ${lessons} сабақ бойынша`,
    },
    sampleSize: n + lessons,
  });
}

/** Only the number (0..100) of `instructorTrustFromTally`. */
export function instructorTrustValue(t: InstructorTrustTally): number {
  return indexValue(instructorDrafts(t));
}

export function instructorTrust(input: InstructorTrustInput): IndexResult {
  return instructorTrustFromTally(tallyInstructor(input.applications, input.lessons, input.now));
}
