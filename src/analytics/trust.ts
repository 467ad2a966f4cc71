// Trust index (0–100) of a driving school and of an instructor: how fast and how reliably
// they answer the students the platform sends them. Formulas, weights, priors and worked
// examples: docs/analytics.md. Pure: no database, no clock (`now` is an argument), no I/O.
import { assemble, formatDuration, hasEnoughData, indexValue, percent, ruPlural, type ComponentDraft, type IndexResult, type Localized } from "./explain.ts";
import { clamp, count, median, PRIOR_WEIGHT, shareScore, shrink, type ComponentSpec } from "./shrink.ts";
import { CONFIRMED_STATUSES, PAID_STATUSES, type ApplicationStatus } from "../model/application-status.ts";
import { paymentState, type PaymentSides, type PaymentState } from "../model/payment.ts";
import { formatRating } from "../model/review.ts";

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
 * How much one judged payment is worth to the `paid` component, by what its two sides said
 * (src/model/payment.ts paymentState). Only the student's word together with the school's is
 * full proof. One side's word alone is half: the school's own mark is what the index believed
 * before issue 16, and a student's claim the school has not checked yet is the student's word
 * against silence (the school gains by confirming it, so it does not stay unchecked for long).
 * A disputed payment is worth nothing, and it does not make the application judged either: a
 * dispute moves the index exactly as no payment at all would (docs/analytics.md).
 */
export const PAYMENT_CREDIT: Record<PaymentState, number> = { agreed: 1, staff_only: 0.5, claimed: 0.5, disputed: 0, none: 0 };

/** The review average a city with no reviews yet is shrunk toward (1–5 stars). */
export const REVIEW_PRIOR_RATING = 4;

/**
 * Weights and priors (see ComponentSpec). The priors are first guesses at an ordinary school;
 * recalibrate them to the platform's medians once there are a few months of history, and update
 * docs/analytics.md with them. Responding (speed + answered) is 40 points because it is what a
 * student feels first; what students say afterwards (payment confirmed by them, reviews) and what
 * the school did (confirmations, lessons held) is the other 60. A school with no data starts at
 * Σ points·prior score = 62 (reviews at the default prior, see reviewsComponent).
 */
export const SCHOOL_SPEC = {
  speed: { points: 25, prior: 0.5 }, // 0.5 = a median first answer of 4 h
  answered: { points: 15, prior: 0.9, floor: 0.5 },
  confirmed: { points: 15, prior: 0.5 },
  paid: { points: 20, prior: 0.5 }, // 0.5 = every payment marked by one side only
  reviews: { points: 15, prior: (REVIEW_PRIOR_RATING - 1) / 4 },
  kept: { points: 10, prior: 0.95, floor: 0.5 },
} as const satisfies Record<string, ComponentSpec>;

/** The same for instructors; one with no data starts at 66. */
export const INSTRUCTOR_SPEC = {
  speed: { points: 25, prior: 0.5 },
  answered: { points: 15, prior: 0.9, floor: 0.5 },
  accepted: { points: 15, prior: 0.5 },
  kept: { points: 20, prior: 0.95, floor: 0.5 },
  paid: { points: 10, prior: 0.5 },
  reviews: { points: 15, prior: (REVIEW_PRIOR_RATING - 1) / 4 },
} as const satisfies Record<string, ComponentSpec>;

export type { ApplicationStatus };

/** One application as the `applications` table has it (only the columns the indices read), with its `payments` row. */
export interface TrustApplication {
  createdAt: Date;
  status: ApplicationStatus;
  firstResponseAt?: Date | null;
  confirmedAt?: Date | null;
  paidAt?: Date | null;
  cancelledAt?: Date | null;
  /** What each side said about the payment (the `payments` row; absent = nobody said anything there). */
  payment?: PaymentSides | null;
}

/** Lesson outcomes, as SQL `count(*) filter (where …)` gives them; see `tallyLessons`. */
export interface LessonTally {
  conducted: number;
  noShowByStudent: number;
  noShowByInstructor: number;
}

/** Promises kept and broken: lessons held, against lessons cancelled by the school or instructor or missed by the instructor. */
export interface PromiseTally {
  conducted: number;
  broken: number;
}

/** The subject's reviews (hidden ones too: their rating still counts) and its city's mean for the same kind of subject. */
export interface ReviewTally {
  reviews: number;
  ratingSum: number;
  /** Mean rating of every review of a school (or instructor) in the subject's city; null when there is none. */
  cityMean: number | null;
}

export interface SchoolTrustInput {
  applications: readonly TrustApplication[];
  lessons?: PromiseTally;
  reviews?: ReviewTally;
  now: Date;
}

export interface InstructorTrustInput {
  applications: readonly TrustApplication[];
  lessons?: PromiseTally;
  reviews?: ReviewTally;
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

/**
 * What the index takes an application's payment to be: its `payments` row's state
 * (model/payment.ts), except that a payment marked before the payments table existed (paid_at or
 * a paid status, no row) is the school's word alone, as it was then.
 */
export function paymentOf(a: AppFacts & Pick<TrustApplication, "payment">): PaymentState {
  const state = paymentState(a.payment);
  return state === "none" && isPaid(a) ? "staff_only" : state;
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

/**
 * Lessons as promises: held, or broken by the side that made the promise (cancelled by the school or
 * the instructor, or the instructor did not come). A student's cancellation or no-show is the
 * student's (discipline index), and a lesson still planned says nothing yet.
 */
export function tallyPromises(
  rows: readonly { state: "planned" | "conducted" | "no_show" | "cancelled"; noShowBy?: "student" | "instructor" | null; cancelledBy?: "student" | "instructor" | "school" | null }[],
): PromiseTally {
  const t: PromiseTally = { conducted: 0, broken: 0 };
  for (const r of rows) {
    if (r.state === "conducted") t.conducted += 1;
    else if (r.state === "no_show" && r.noShowBy === "instructor") t.broken += 1;
    else if (r.state === "cancelled" && (r.cancelledBy === "school" || r.cancelledBy === "instructor")) t.broken += 1;
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
 * The real time to the first answer, in ms, or null when there is none (yet): an application
 * without an answer is no data for speed, never a fast time. An answer after the student
 * cancelled (or after `now`) reached nobody and counts as none. Leaving students without an
 * answer is what the `answered` component punishes.
 */
export function responseMs(a: TrustApplication, now: Date): number | null {
  if (!a.firstResponseAt) return null;
  const responded = Math.max(0, a.firstResponseAt.getTime() - a.createdAt.getTime());
  return responded <= waitedMs(a, now) ? responded : null;
}

/** 1 up to 15 min, minus 1/8 per doubling (30 min 7/8, 1 h 3/4, 2 h 5/8, 4 h 1/2 …), 0 from 64 h. */
export function speedScore(ms: number): number {
  if (ms <= FULL_MARKS_MS) return 1;
  if (!Number.isFinite(ms)) return 0;
  return clamp(1 - Math.log2(ms / FULL_MARKS_MS) / DOUBLINGS_TO_ZERO);
}

// ---- tallies: the counts an index is computed from ----

/**
 * What a trust index needs to know about a subject: a handful of counts and the median response
 * time. `tallySchool` / `tallyInstructor` compute it from rows; the domain layer computes the same
 * counts in SQL (one row per subject instead of one per application) and stores them, so the
 * breakdown and texts can be rebuilt when a page reads the index. Schools and instructors have the
 * same tally; they differ in the decision window and in the weights.
 */
export interface TrustTally {
  /** Applications in the sample. */
  applications: number;
  /** Applications with a real first answer (see responseMs): the speed component's n. */
  answeredCount: number;
  /** Lower median of the real first-answer times, in ms; null when there is no answer at all. */
  medianResponseMs: number | null;
  /** Applications judged for `confirmed` / `accepted` (see `decisions`), and how many of those said yes. */
  judged: number;
  yes: number;
  /** Applications whose student waited at least RESPONSE_GRACE_MS, and how many of those got no answer in time. */
  waited: number;
  ignored: number;
  /** Confirmed applications judged for payment; of those, paid by both sides' word, and by one side's word only. */
  payJudged: number;
  payAgreed: number;
  payOneSided: number;
  /** Reviews, the sum of their ratings, and the city's mean rating. */
  reviews: number;
  ratingSum: number;
  cityMean: number | null;
  /** Lessons held, and broken by the school or instructor (tallyPromises). */
  conducted: number;
  broken: number;
}

export type SchoolTrustTally = TrustTally;
export type InstructorTrustTally = TrustTally;

export const NO_REVIEWS: ReviewTally = { reviews: 0, ratingSum: 0, cityMean: null };
export const NO_PROMISES: PromiseTally = { conducted: 0, broken: 0 };

/**
 * The counts. An application is judged for the decision once decided, or `decisionWindowMs` after
 * it was created; one the student withdrew before any "yes" is left out (it says nothing about the
 * school). A confirmed application is judged for payment once one side said it was paid (a dispute
 * alone does not judge it), once cancelled, or DECISION_WINDOW_MS after its confirmation.
 */
function tallyTrust(apps: readonly TrustApplication[], lessons: PromiseTally | undefined, reviews: ReviewTally | undefined, now: Date, decisionWindowMs: number): TrustTally {
  const t = now.getTime();
  const times: number[] = [];
  const out: TrustTally = {
    applications: apps.length, answeredCount: 0, medianResponseMs: null, judged: 0, yes: 0, waited: 0, ignored: 0,
    payJudged: 0, payAgreed: 0, payOneSided: 0,
    reviews: count(reviews?.reviews), ratingSum: Math.max(0, Number(reviews?.ratingSum) || 0), cityMean: reviews?.cityMean ?? null,
    conducted: count(lessons?.conducted), broken: count(lessons?.broken),
  };
  for (const a of apps) {
    const confirmed = isConfirmed(a);
    const cancelled = isCancelled(a);
    if (!(cancelled && !confirmed) && (confirmed || a.status === "rejected" || t - a.createdAt.getTime() >= decisionWindowMs)) {
      out.judged += 1;
      if (confirmed) out.yes += 1;
    }
    const r = responseMs(a, now);
    if (r != null) times.push(r);
    if (waitedMs(a, now) >= RESPONSE_GRACE_MS) {
      out.waited += 1;
      if (r == null) out.ignored += 1;
    }
    if (confirmed) {
      const pay = paymentOf(a);
      const said = pay === "agreed" || pay === "staff_only" || pay === "claimed";
      if (said || cancelled || t - (a.confirmedAt ?? a.createdAt).getTime() >= DECISION_WINDOW_MS) {
        out.payJudged += 1;
        if (pay === "agreed") out.payAgreed += 1;
        else if (said) out.payOneSided += 1;
      }
    }
  }
  out.answeredCount = times.length;
  out.medianResponseMs = times.length ? median(times) : null;
  return out;
}

/** A school's applications, lessons and reviews → its tally (a school says "no" within a week, DECISION_WINDOW_MS). */
export function tallySchool(apps: readonly TrustApplication[], now: Date, lessons?: PromiseTally, reviews?: ReviewTally): SchoolTrustTally {
  return tallyTrust(apps, lessons, reviews, now, DECISION_WINDOW_MS);
}

/** The same for an instructor. An instructor's first answer *is* the decision: judged after the grace period. */
export function tallyInstructor(apps: readonly TrustApplication[], lessons: PromiseTally | undefined, now: Date, reviews?: ReviewTally): InstructorTrustTally {
  return tallyTrust(apps, lessons, reviews, now, RESPONSE_GRACE_MS);
}

// ---- components ----

/**
 * Speed score of the median real first answer, shrunk with n = the answered applications. With no
 * answer at all it is the prior and says "нет данных": never a fast time for silence.
 */
function speedComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const n = count(t.answeredCount);
  const typical = n > 0 && t.medianResponseMs != null ? t.medianResponseMs : null;
  return {
    key: "speed",
    label: { ru: "Скорость ответа", kk: "Жауап беру жылдамдығы" },
    spec,
    value: typical == null ? priorOf(spec) : shrink(speedScore(typical), n, spec.prior),
    n: typical == null ? 0 : n,
    measure: typical,
    factWhenEmpty: true,
    fact: () => ({
      ru: `Медианное время первого ответа — ${formatResponseTime(typical).ru}`,
      kk: `Алғашқы жауап уақытының медианасы — ${formatResponseTime(typical).kk}`,
    }),
  };
}

const priorOf = (spec: ComponentSpec) => spec.prior;

/**
 * The median first answer as people read it, on the stats page and in the breakdown alike: one
 * function, so the two cannot disagree. null (no answer yet) is "нет данных".
 */
export function formatResponseTime(ms: number | null): Localized {
  return ms == null ? { ru: "нет данных", kk: "дерек жоқ" } : formatDuration(ms);
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
    measure: judged > 0 ? (judged - ignored) / judged : null,
    fact: () => ({
      ru: `Без ответа дольше 24 ч осталось ${ignored} из ${judged} (${percent(ignored, judged)})`,
      kk: `24 сағаттан астам жауапсыз қалғаны ${ignored} / ${judged} (${percent(ignored, judged)})`,
    }),
  };
}

function decisionComponent(t: TrustTally, spec: ComponentSpec, kind: "school" | "instructor"): ComponentDraft {
  const judged = count(t.judged);
  const yes = Math.min(judged, count(t.yes));
  return kind === "school"
    ? {
        key: "confirmed",
        label: { ru: "Подтверждение заявок", kk: "Өтінімдерді растау" },
        spec,
        value: shareScore(yes, judged, spec),
        n: judged,
        measure: judged > 0 ? yes / judged : null,
        fact: () => ({
          ru: `Подтверждено ${yes} из ${judged} (${percent(yes, judged)})`,
          kk: `${yes} / ${judged} өтінім расталды (${percent(yes, judged)})`,
        }),
      }
    : {
        key: "accepted",
        label: { ru: "Принятие заявок", kk: "Өтінімдерді қабылдау" },
        spec,
        value: shareScore(yes, judged, spec),
        n: judged,
        measure: judged > 0 ? yes / judged : null,
        fact: () => ({
          ru: `Принято ${yes} из ${judged} (${percent(yes, judged)})`,
          kk: `${yes} / ${judged} өтінім қабылданды (${percent(yes, judged)})`,
        }),
      };
}

/**
 * Payments after confirmation, each worth PAYMENT_CREDIT of its state: a payment both sides
 * confirmed counts in full, one side's word half, a disputed one nothing. Confirmations that never
 * turn into a payment the student confirms are the cheapest way to look good. `measure` is the
 * share confirmed by both sides, what the student reads ("87 % учеников подтвердили оплату").
 */
function paidComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const n = count(t.payJudged);
  const agreed = Math.min(n, count(t.payAgreed));
  const oneSided = Math.min(n - agreed, count(t.payOneSided));
  const credit = agreed * PAYMENT_CREDIT.agreed + oneSided * PAYMENT_CREDIT.staff_only;
  return {
    key: "paid",
    label: { ru: "Оплата, подтверждённая учениками", kk: "Оқушылар растаған төлем" },
    spec,
    value: shareScore(credit, n, spec),
    n,
    measure: n > 0 ? agreed / n : null,
    fact: () => ({
      ru: `Оплату подтвердили ученик и школа — ${agreed} из ${n} (${percent(agreed, n)}), только одна сторона — ${oneSided}`,
      kk: `Төлемді оқушы да, мектеп те растады — ${agreed} / ${n} (${percent(agreed, n)}), тек бір жағы — ${oneSided}`,
    }),
  };
}

/**
 * The review average, shrunk toward the city's mean for the same kind of subject with the prior
 * weight k: (Σ ratings + k·cityMean) / (n + k), as a score (avg − 1) / 4. A city without reviews
 * has REVIEW_PRIOR_RATING as its mean. With no reviews the score is the city's mean: a school is
 * not punished for being new, nor lifted above its neighbours.
 */
function reviewsComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const n = count(t.reviews);
  const cityMean = t.cityMean != null && Number.isFinite(Number(t.cityMean)) ? clamp(Number(t.cityMean), 1, 5) : REVIEW_PRIOR_RATING;
  const sum = clamp(Number(t.ratingSum) || 0, n, 5 * n);
  const shrunk = (sum + PRIOR_WEIGHT * cityMean) / (n + PRIOR_WEIGHT);
  const avg = n > 0 ? sum / n : null;
  return {
    key: "reviews",
    label: { ru: "Отзывы учеников", kk: "Оқушылардың пікірлері" },
    spec,
    value: clamp((shrunk - 1) / 4),
    n,
    measure: avg,
    typical: (cityMean - 1) / 4,
    fact: () => ({
      ru: `Средняя оценка ${formatRating(avg ?? 0, "ru")} из 5 по ${n} ${ruPlural(n, "отзыву", "отзывам", "отзывам")} (в среднем по городу ${formatRating(cityMean, "ru")})`,
      kk: `Орташа баға ${formatRating(avg ?? 0, "kk")} / 5, ${n} пікір бойынша (қала бойынша орташа ${formatRating(cityMean, "kk")})`,
    }),
  };
}

/** Lessons held against lessons the school or instructor cancelled or the instructor missed. */
function keptComponent(t: TrustTally, spec: ComponentSpec): ComponentDraft {
  const conducted = count(t.conducted);
  const broken = count(t.broken);
  const n = conducted + broken;
  return {
    key: "kept",
    label: { ru: "Выполнение обещаний", kk: "Уәдеде тұру" },
    spec,
    value: shareScore(conducted, n, spec),
    n,
    measure: n > 0 ? conducted / n : null,
    fact: () => ({
      ru: `Проведено занятий — ${conducted}, отменено школой или инструктором либо пропущено инструктором — ${broken}`,
      kk: `Өткізілген сабақ — ${conducted}, мектеп не нұсқаушы тоқтатқан немесе нұсқаушы келмеген — ${broken}`,
    }),
  };
}

// ---- schools ----

function schoolDrafts(t: SchoolTrustTally): ComponentDraft[] {
  const S = SCHOOL_SPEC;
  return [
    speedComponent(t, S.speed),
    answeredComponent(t, S.answered),
    decisionComponent(t, S.confirmed, "school"),
    paidComponent(t, S.paid),
    reviewsComponent(t, S.reviews),
    keptComponent(t, S.kept),
  ];
}

function basis(t: TrustTally): { basis: Localized; sampleSize: number } {
  const n = count(t.applications);
  const r = count(t.reviews);
  const lessons = count(t.conducted) + count(t.broken);
  return {
    basis: {
      ru: `по ${n} ${ruPlural(n, "заявке", "заявкам", "заявкам")}, ${r} ${ruPlural(r, "отзыву", "отзывам", "отзывам")} и ${lessons} ${ruPlural(lessons, "занятию", "занятиям", "занятиям")}`,
      kk: `${n} өтінім, ${r} пікір және ${lessons} сабақ бойынша`,
    },
    sampleSize: n + r + lessons,
  };
}

/** The school's trust index with its breakdown and texts, from its tally. */
export function schoolTrustFromTally(t: SchoolTrustTally): IndexResult {
  return assemble(schoolDrafts(t), { title: { ru: "Индекс доверия", kk: "Сенім индексі" }, ...basis(t) });
}

/** Only the number (0..100) of `schoolTrustFromTally`, without building the texts. */
export function schoolTrustValue(t: SchoolTrustTally): number {
  return indexValue(schoolDrafts(t));
}

/** Whether the school has enough data to show its number (explain.ts hasEnoughData, the one rule). */
export function schoolTrustEnough(t: SchoolTrustTally): boolean {
  return hasEnoughData(schoolDrafts(t));
}

export function schoolTrust(input: SchoolTrustInput): IndexResult {
  return schoolTrustFromTally(tallySchool(input.applications, input.now, input.lessons, input.reviews));
}

// ---- instructors ----

function instructorDrafts(t: InstructorTrustTally): ComponentDraft[] {
  const S = INSTRUCTOR_SPEC;
  return [
    speedComponent(t, S.speed),
    answeredComponent(t, S.answered),
    decisionComponent(t, S.accepted, "instructor"),
    keptComponent(t, S.kept),
    paidComponent(t, S.paid),
    reviewsComponent(t, S.reviews),
  ];
}

/** The instructor's trust index with its breakdown and texts, from the tally. */
export function instructorTrustFromTally(t: InstructorTrustTally): IndexResult {
  return assemble(instructorDrafts(t), { title: { ru: "Индекс доверия", kk: "Сенім индексі" }, ...basis(t) });
}

/** Only the number (0..100) of `instructorTrustFromTally`. */
export function instructorTrustValue(t: InstructorTrustTally): number {
  return indexValue(instructorDrafts(t));
}

export function instructorTrustEnough(t: InstructorTrustTally): boolean {
  return hasEnoughData(instructorDrafts(t));
}

export function instructorTrust(input: InstructorTrustInput): IndexResult {
  return instructorTrustFromTally(tallyInstructor(input.applications, input.lessons, input.now, input.reviews));
}
