// Discipline index (0–100) of a student: how steadily they go through the bot and through
// training. Schools see it next to an application; the student never does. Formulas,
// weights, priors and worked examples: docs/analytics.md.
// Pure: no database, no clock (`now` is an argument), no I/O.
import { assemble, indexValue, type ComponentDraft, type IndexResult } from "./explain.ts";
import { count, shareScore, type ComponentSpec } from "./shrink.ts";
import { isCancelled, isConfirmed, type LessonTally, type TrustApplication } from "./trust.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A gap between two steps of one flow longer than this is a "long pause". */
export const LONG_PAUSE_MS = 30 * MINUTE;
/** A flow left without submit or abandon for this long (before `now`) counts as abandoned. */
export const ABANDON_AFTER_MS = 24 * HOUR;
/** A student's reply to the school later than this is "late" (see `tallyReplies`). */
export const LATE_REPLY_MS = 24 * HOUR;

/**
 * Weights and priors (see ComponentSpec). What a student does with a booked lesson or a
 * confirmed place costs a school or an instructor real money, so it weighs most; how they
 * click through the bot is a weak signal (people browse). The priors are first guesses at an
 * ordinary student; recalibrate them to the platform's medians once there is history, and
 * update docs/analytics.md. A new student starts at Σ points·prior score = 76.
 */
export const DISCIPLINE_SPEC = {
  attendance: { points: 30, prior: 0.9, floor: 0.5 },
  kept: { points: 20, prior: 0.9, floor: 0.5 },
  replies: { points: 15, prior: 0.8 },
  completed: { points: 15, prior: 0.6 },
  steady: { points: 10, prior: 0.8 },
  pace: { points: 10, prior: 0.7 },
} as const satisfies Record<string, ComponentSpec>;

export type FunnelAction = "enter" | "back" | "restart" | "submit" | "abandon";

/** One `funnel_events` row. */
export interface FunnelEventInput {
  flow: string;
  step: string;
  action: FunnelAction;
  at: Date;
}

/** The student's applications: how many were confirmed, how many of those they then cancelled. */
export interface StudentApplicationTally {
  confirmed: number;
  cancelledAfterConfirm: number;
}

/** The student's replies to messages from a school or instructor, and how many came later than LATE_REPLY_MS. */
export interface ReplyTally {
  total: number;
  late: number;
}

/**
 * The student's lesson outcomes: held, missed by them, and cancelled by them inside the cut-off
 * (a late cancellation costs the instructor the hour like a no-show, so attendance counts it as
 * one). A lesson cancelled by the instructor or the school, or by the student in time, is nobody's
 * evidence here.
 */
export type StudentLessonTally = Pick<LessonTally, "conducted" | "noShowByStudent"> & { lateCancelledByStudent?: number };

export interface DisciplineInput {
  funnelEvents: readonly FunnelEventInput[];
  applications?: StudentApplicationTally;
  lessons?: StudentLessonTally;
  replies?: ReplyTally;
  now: Date;
}

export function tallyStudentApplications(
  rows: readonly Pick<TrustApplication, "status" | "confirmedAt" | "paidAt" | "cancelledAt">[],
): StudentApplicationTally {
  const confirmed = rows.filter(isConfirmed);
  return { confirmed: confirmed.length, cancelledAfterConfirm: confirmed.filter(isCancelled).length };
}

/** From lesson rows (as SQL `count(*) filter (where …)` counts them in domain/indexes.ts). */
export function tallyStudentLessons(
  rows: readonly { state: "planned" | "conducted" | "no_show" | "cancelled"; noShowBy?: "student" | "instructor" | null; cancelledBy?: "student" | "instructor" | "school" | null; cancelledLate?: boolean }[],
): Required<StudentLessonTally> {
  const t = { conducted: 0, noShowByStudent: 0, lateCancelledByStudent: 0 };
  for (const r of rows) {
    if (r.state === "conducted") t.conducted += 1;
    else if (r.state === "no_show" && r.noShowBy === "student") t.noShowByStudent += 1;
    else if (r.state === "cancelled" && r.cancelledBy === "student" && r.cancelledLate) t.lateCancelledByStudent += 1;
  }
  return t;
}

/** From the delays (ms) between a school's message and the student's answer. */
export function tallyReplies(delaysMs: readonly number[]): ReplyTally {
  return { total: delaysMs.length, late: delaysMs.filter((d) => d > LATE_REPLY_MS).length };
}

export interface FunnelStats {
  enters: number;
  backs: number;
  restarts: number;
  submits: number;
  /** Explicit `abandon` events plus a last flow left unfinished for ABANDON_AFTER_MS. */
  abandons: number;
  /** Gaps between consecutive events inside a flow (not across a submit/abandon). */
  gaps: number;
  longPauses: number;
}

/**
 * Events sorted by time, ties broken by every other field: a total order on what the index
 * reads, so the result cannot depend on the order the rows arrived in.
 */
function canonical(events: readonly FunnelEventInput[]): FunnelEventInput[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...events].sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() || cmp(a.flow, b.flow) || cmp(a.step, b.step) || cmp(a.action, b.action),
  );
}

const ends = (e: FunnelEventInput) => e.action === "submit" || e.action === "abandon";

export function funnelStats(events: readonly FunnelEventInput[], now: Date): FunnelStats {
  const s: FunnelStats = { enters: 0, backs: 0, restarts: 0, submits: 0, abandons: 0, gaps: 0, longPauses: 0 };
  const sorted = canonical(events);
  sorted.forEach((e, i) => {
    if (e.action === "enter") s.enters += 1;
    else if (e.action === "back") s.backs += 1;
    else if (e.action === "restart") s.restarts += 1;
    else if (e.action === "submit") s.submits += 1;
    else s.abandons += 1;
    const prev = sorted[i - 1];
    // The time after a submit or abandon is the student's own time, not a pause in a flow.
    if (prev && !ends(prev)) {
      s.gaps += 1;
      if (e.at.getTime() - prev.at.getTime() > LONG_PAUSE_MS) s.longPauses += 1;
    }
  });
  const last = sorted[sorted.length - 1];
  if (last && !ends(last) && now.getTime() - last.at.getTime() >= ABANDON_AFTER_MS) s.abandons += 1;
  return s;
}

/**
 * Everything the discipline index reads, as counts: the funnel statistics, how many funnel events
 * they came from, and the tallies of applications, lessons and replies. `tallyDiscipline` computes
 * it from rows; the domain layer may compute the same counts in SQL and store them, so the
 * breakdown and texts can be rebuilt when a page reads the index.
 */
export interface DisciplineTally extends FunnelStats {
  /** Funnel events counted (part of sampleSize). */
  events: number;
  confirmed: number;
  cancelledAfterConfirm: number;
  conducted: number;
  noShowByStudent: number;
  /** Lessons the student cancelled inside the cut-off: counted as no-shows in attendance. */
  lateCancelledByStudent: number;
  replies: number;
  lateReplies: number;
}

export function tallyDiscipline(input: DisciplineInput): DisciplineTally {
  return {
    ...funnelStats(input.funnelEvents, input.now),
    events: input.funnelEvents.length,
    confirmed: count(input.applications?.confirmed),
    cancelledAfterConfirm: count(input.applications?.cancelledAfterConfirm),
    conducted: count(input.lessons?.conducted),
    noShowByStudent: count(input.lessons?.noShowByStudent),
    lateCancelledByStudent: count(input.lessons?.lateCancelledByStudent),
    replies: count(input.replies?.total),
    lateReplies: count(input.replies?.late),
  };
}

function disciplineDrafts(t: DisciplineTally): ComponentDraft[] {
  const confirmed = count(t.confirmed);
  const broken = Math.min(confirmed, count(t.cancelledAfterConfirm));
  const attended = count(t.conducted);
  const noShows = count(t.noShowByStudent);
  // A tally stored before late cancellations were counted has none (count(undefined) = 0).
  const lateCancels = count(t.lateCancelledByStudent);
  const missed = noShows + lateCancels;
  const replies = count(t.replies);
  const late = Math.min(replies, count(t.lateReplies));
  const [enters, backs, restarts, submits, abandons] = [t.enters, t.backs, t.restarts, t.submits, t.abandons].map(count) as [number, number, number, number, number];
  const gaps = count(t.gaps);
  const longPauses = Math.min(gaps, count(t.longPauses));
  const moves = enters + backs + restarts;
  const D = DISCIPLINE_SPEC;
  // Heaviest first: the summary breaks ties toward the component that matters more.
  return [
    {
      // A missed lesson costs the instructor a booked hour: the strongest signal. A late
      // cancellation costs the same hour (too late to give it to someone else): it counts as missed.
      key: "attendance",
      label: { ru: "Посещение занятий", kk: "Сабаққа қатысу" },
      spec: D.attendance,
      value: shareScore(attended, attended + missed, D.attendance),
      n: attended + missed,
      fact: () => ({
        ru: `Посещено занятий — ${attended}, неявок — ${noShows}` + (lateCancels ? `, поздних отмен — ${lateCancels}` : ""),
        kk: `Қатысқан сабақ — ${attended}, келмеген — ${noShows}` + (lateCancels ? `, кеш болдырмаған — ${lateCancels}` : ""),
      }),
    },
    {
      key: "kept",
      label: { ru: "Надёжность после подтверждения", kk: "Растаудан кейінгі сенімділік" },
      spec: D.kept,
      value: shareScore(confirmed - broken, confirmed, D.kept),
      n: confirmed,
      fact: () => ({
        ru: `Отменено после подтверждения ${broken} из ${confirmed}`,
        kk: `Растаудан кейін бас тартқаны ${broken} / ${confirmed}`,
      }),
    },
    {
      key: "replies",
      label: { ru: "Своевременные ответы", kk: "Уақтылы жауап беру" },
      spec: D.replies,
      value: shareScore(replies - late, replies, D.replies),
      n: replies,
      fact: () => ({
        ru: `Ответов позже 24 ч — ${late} из ${replies}`,
        kk: `24 сағаттан кеш берілген жауап — ${late} / ${replies}`,
      }),
    },
    {
      key: "completed",
      label: { ru: "Завершение заявок", kk: "Өтінімді соңына дейін жеткізу" },
      spec: D.completed,
      value: shareScore(submits, submits + abandons, D.completed),
      n: submits + abandons,
      fact: () => ({
        ru: `Отправлено заявок — ${submits}, брошено на полпути — ${abandons}`,
        kk: `Жіберілген өтінім — ${submits}, жартыда тасталғаны — ${abandons}`,
      }),
    },
    {
      key: "steady",
      label: { ru: "Уверенное прохождение шагов", kk: "Қадамдардан сенімді өту" },
      spec: D.steady,
      value: shareScore(enters, moves, D.steady),
      n: moves,
      fact: () => ({
        ru: `Шагов вперёд — ${enters}, «Назад» — ${backs}, перезапусков — ${restarts}`,
        kk: `Алға қадам — ${enters}, «Артқа» — ${backs}, қайта бастау — ${restarts}`,
      }),
    },
    {
      key: "pace",
      label: { ru: "Темп без долгих пауз", kk: "Ұзақ үзіліссіз қарқын" },
      spec: D.pace,
      value: shareScore(gaps - longPauses, gaps, D.pace),
      n: gaps,
      fact: () => ({
        ru: `Пауз дольше 30 мин между шагами — ${longPauses} из ${gaps}`,
        kk: `Қадамдар арасындағы 30 минуттан ұзақ үзіліс — ${longPauses} / ${gaps}`,
      }),
    },
  ];
}

/** The discipline index with its breakdown and texts, from the tally. */
export function disciplineFromTally(t: DisciplineTally): IndexResult {
  return assemble(disciplineDrafts(t), {
    title: { ru: "Индекс дисциплины", kk: "Тәртіп индексі" },
    sampleSize: count(t.events) + count(t.confirmed) + count(t.conducted) + count(t.noShowByStudent) + count(t.lateCancelledByStudent) + count(t.replies),
  });
}

/** Only the number (0..100) of `disciplineFromTally`, without building the texts. */
export function disciplineValue(t: DisciplineTally): number {
  return indexValue(disciplineDrafts(t));
}

export function discipline(input: DisciplineInput): IndexResult {
  return disciplineFromTally(tallyDiscipline(input));
}
