// Statistics pages of the CRM: one school's or one instructor's applications (and lessons), over
// an optional date range, and the trust index with its weekly trend. The work per page view does
// not grow with the subject's volume: counts come from application_stat_counts (per UTC day and
// month, kept by a trigger; see "counts" below), the median from one short indexed read, the
// trend's past weeks from trust_trend_points. Counts are cast to int and fractions to float8 in
// SQL because postgres.js returns bigint/numeric as strings while PGlite returns numbers.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, rowDate, type Db, type Tx } from "../db/client.ts";
import { applicationStatuses, trustTrendPoints, type ApplicationStatus } from "../db/schema.ts";
import type { IndexResult } from "../analytics/explain.ts";
import { instructorTrust, schoolTrust, tallyPromises, type TrustApplication } from "../analytics/trust.ts";
import { computeIndex, readIndex, WINDOW_DAYS, TRUST_SAMPLE } from "./indexes.ts";
import { addDays, DAY_MS, isoDay, localDate, localToUtc, parseDay, weekdayOf, type CalendarDate } from "../model/time.ts";

/** Whose applications: a school's (kind 'school') or an instructor's (kind 'instructor'). */
export type StatsSubject = { schoolId: number } | { instructorId: number };

export interface StatsOptions {
  /** Inclusive lower bound on created_at (lessons: starts_at). */
  from?: Date;
  /** Exclusive upper bound on created_at (lessons: starts_at). */
  to?: Date;
  /** IANA zone the weeks are cut in (config TIME_ZONE, e.g. "Asia/Almaty"). */
  timeZone: string;
  /** The weekly chart ends with the week containing `to` (if given) or `now`; default: the clock. */
  now?: Date;
  /** How many weeks the weekly chart shows; 12 by default. */
  weeks?: number;
}

export interface WeekBucket {
  /** ISO week, e.g. "2025-W10". */
  week: string;
  /** Local date of its Monday, "YYYY-MM-DD". */
  start: string;
  count: number;
}

/** Applications reaching each stage; a later stage implies the earlier ones (paid ⇒ confirmed ⇒ contacted). */
export interface Funnel {
  new: number;
  contacted: number;
  confirmed: number;
  paid: number;
}

export interface ApplicationStats {
  total: number;
  /** Every status, zeros included. */
  byStatus: Record<ApplicationStatus, number>;
  /** Oldest first, zero-filled, exactly `weeks` entries. */
  byWeek: WeekBucket[];
  funnel: Funnel;
  /** Median (percentile_cont) of first_response_at − created_at over answered applications, in seconds; null when none. */
  medianFirstResponseSeconds: number | null;
  /** confirmed / total (instructors: accepted / requests); null when total is 0. */
  confirmationRate: number | null;
  /** paid / confirmed; null when nothing was confirmed. */
  paymentRate: number | null;
  /** Most frequent first, ties by name. */
  bySource: { source: string; count: number }[];
}

export interface LessonStats {
  planned: number;
  conducted: number;
  cancelled: number;
  noShowByStudent: number;
  noShowByInstructor: number;
  /** A no-show with nobody named (counts for neither side in the indexes). */
  noShowUnattributed: number;
}

export interface InstructorStats extends ApplicationStats {
  requests: number;
  /** Accepted (or further) / requests; the same number as confirmationRate, named for instructors. */
  acceptanceRate: number | null;
  lessons: LessonStats;
}

// ---- counts: application_stats (migration 0005_stats_speed) ----
//
// A trigger on applications keeps, in the writing transaction, per school / instructor and per UTC
// day and UTC month, one JSON object of how many applications carry each key of application_stat_keys(): 'total', 's:<status>', 'src:<source>',
// 'contacted' / 'confirmed' / 'paid' (the predicates of isPaid / isConfirmed in
// src/analytics/trust.ts, written in SQL in the migration), and 'rt:<bucket>' for answered ones
// (the bucket of first_response_at − created_at in RT_THRESHOLDS). A range [from, to) is read as
// whole UTC months and days from the counters plus, for the partial days at its edges (a local
// day is not a UTC day), the same keys computed from the applications rows themselves: the busiest
// school's all-time page reads 18 month rows instead of 100,000 applications. The median is
// exact: the counters say which bucket holds the middle and at which rank, and
// applications_*_response_idx reads the one or two values from there.

/** Response-time bucket bounds in seconds; must equal the array in application_stat_keys() (a test checks). */
export const RT_THRESHOLDS = [
  60, 120, 180, 300, 420, 600, 900, 1200, 1800, 2400, 3000, 3600, 4500, 5400, 7200, 9000, 10800, 14400, 18000, 21600, 25200,
  28800, 32400, 36000, 43200, 50400, 57600, 64800, 72000, 86400, 100800, 115200, 129600, 151200, 172800, 216000, 259200,
  345600, 432000, 604800, 1209600,
] as const;

/** width_bucket(seconds, RT_THRESHOLDS): how many bounds are ≤ seconds. */
export function responseBucket(seconds: number): number {
  let b = 0;
  while (b < RT_THRESHOLDS.length && RT_THRESHOLDS[b]! <= seconds) b++;
  return b;
}

/**
 * Rebuilds application_stats from the applications, set-based (migration 0005 runs it once). Only
 * needed after writes that bypass the triggers: a bulk load with session_replication_role =
 * replica (bench/seed-run.ts), or with the trigger disabled.
 */
export async function refreshApplicationStats(db: Db | Tx): Promise<void> {
  await db.execute(sql`select application_stats_refresh()`);
}

type Subject = { kind: "school" | "instructor"; id: number; column: SQL };

function subjectOf(subject: StatsSubject): Subject {
  // Column names are literals chosen here, never caller input.
  return "schoolId" in subject
    ? { kind: "school", id: subject.schoolId, column: sql.raw("school_id") }
    : { kind: "instructor", id: subject.instructorId, column: sql.raw("instructor_id") };
}

/** "YYYY-MM-DD" of the UTC day holding `ms` (the day counters are kept per UTC day). */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const floorDay = (d: Date) => Math.floor(d.getTime() / DAY_MS) * DAY_MS;
const ceilDay = (d: Date) => Math.ceil(d.getTime() / DAY_MS) * DAY_MS;
const floorMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const ceilMonth = (ms: number) => {
  const f = floorMonth(ms);
  if (f === ms) return ms;
  const d = new Date(f);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** How [from, to) is read: whole UTC months and days from the counters, the rest from the rows. */
export interface RangePlan {
  /** [first month, end month) as "YYYY-MM-01"; null = unbounded on that side. Absent: no months. */
  months?: [string | null, string | null];
  /** Whole days [first, end) as "YYYY-MM-DD". */
  days: [string, string][];
  /** Partial days, read from applications. */
  raw: [Date, Date][];
}

export function planRange(from?: Date, to?: Date): RangePlan {
  const plan: RangePlan = { days: [], raw: [] };
  const dA = from ? ceilDay(from) : null;
  const dB = to ? floorDay(to) : null;
  if (dA != null && dB != null && dA >= dB) {
    if (from!.getTime() < to!.getTime()) plan.raw.push([from!, to!]);
    return plan;
  }
  if (from && from.getTime() < dA!) plan.raw.push([from, new Date(dA!)]);
  if (to && dB! < to.getTime()) plan.raw.push([new Date(dB!), to]);
  const mA = dA == null ? null : ceilMonth(dA);
  const mB = dB == null ? null : floorMonth(dB);
  if (mA == null || mB == null || mA < mB) {
    plan.months = [mA == null ? null : utcDay(mA), mB == null ? null : utcDay(mB)];
    if (dA != null && dA < mA!) plan.days.push([utcDay(dA), utcDay(mA!)]);
    if (dB != null && mB! < dB) plan.days.push([utcDay(mB!), utcDay(dB)]);
  } else plan.days.push([utcDay(dA!), utcDay(dB!)]);
  return plan;
}

const KEYS_OF_ROW = sql`application_stat_keys(a.status, a.source, a.created_at, a.first_response_at, a.confirmed_at, a.paid_at)`;

/** Where clause of application_stats rows covering the plan's whole months and days; null when none. */
function periodsOf(plan: RangePlan): SQL | null {
  const periods: SQL[] = [];
  if (plan.months) {
    const [a, b] = plan.months;
    periods.push(sql`(grain = 'month'${a ? sql` and period >= ${a}::date` : sql``}${b ? sql` and period < ${b}::date` : sql``})`);
  }
  for (const [a, b] of plan.days) periods.push(sql`(grain = 'day' and period >= ${a}::date and period < ${b}::date)`);
  return periods.length ? sql`(${sql.join(periods, sql` or `)})` : null;
}

/**
 * FROM clause of the subject's applications `a` created within the given ranges: one index range
 * scan per range (merged where they touch), which an OR of ranges would not get. Null when none.
 */
function rawOf(s: Subject, ranges: readonly [Date, Date][]): SQL | null {
  const merged: [Date, Date][] = [];
  for (const [from, to] of [...ranges].sort((x, y) => x[0].getTime() - y[0].getTime())) {
    const last = merged[merged.length - 1];
    if (last && last[1].getTime() >= from.getTime()) last[1] = new Date(Math.max(last[1].getTime(), to.getTime()));
    else merged.push([from, to]);
  }
  if (!merged.length) return null;
  const list = (i: 0 | 1) => sql.join(merged.map((r) => sql`${r[i].toISOString()}::timestamptz`), sql`, `);
  return sql`unnest(array[${list(0)}], array[${list(1)}]) as r(lo, hi)
             cross join lateral (select * from applications x
                                  where x.${s.column} = ${s.id} and x.created_at >= r.lo and x.created_at < r.hi) a`;
}

/** Rows (counts as JSON text) whose key-wise sum is the subject's counts over the plan's range. */
function countsParts(s: Subject, plan: RangePlan): SQL[] {
  const parts: SQL[] = [];
  const periods = periodsOf(plan);
  if (periods)
    parts.push(sql`select counts::text as counts, null::text as day, null::int as w, null::int as n
                     from application_stats where subject_kind = ${s.kind} and subject_id = ${s.id} and ${periods}`);
  const raw = rawOf(s, plan.raw);
  if (raw)
    parts.push(sql`select jsonb_object_agg(key, n)::text as counts, null::text as day, null::int as w, null::int as n from (
                     select u.key, count(*)::int as n from ${raw} cross join lateral unnest(${KEYS_OF_ROW}) u(key) group by u.key) k`);
  return parts;
}

/** One row of the statistics query: a counts object, or a weekly count (by UTC day or by week). */
type StatsRow = { counts: string | null; day: string | null; w: number | null; n: number | null };

const RESPONSE = sql`extract(epoch from first_response_at - created_at)::float8`;

/**
 * percentile_cont(0.5) of the response times in [from, to), from the bucket counts: the middle
 * one or two values are read on applications_*_response_idx from the bucket holding the middle.
 */
async function medianResponse(db: Db | Tx, s: Subject, opts: Pick<StatsOptions, "from" | "to">, counts: Map<string, number>): Promise<number | null> {
  const hist = RT_THRESHOLDS.map((_, i) => counts.get(`rt:${i}`) ?? 0).concat(counts.get(`rt:${RT_THRESHOLDS.length}`) ?? 0);
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const k = Math.floor((n - 1) / 2); // 0-based rank of the lower middle value
  let bucket = 0;
  let below = 0;
  while (below + hist[bucket]! <= k) below += hist[bucket++]!;
  const lo = bucket === 0 ? null : RT_THRESHOLDS[bucket - 1]!;
  const rows = await queryRows<{ v: number }>(
    db,
    sql`select ${RESPONSE} as v from applications
         where ${s.column} = ${s.id} and first_response_at is not null
           ${lo == null ? sql`` : sql`and ${RESPONSE} >= ${lo}::float8`}
           and ${rangeFilter("created_at", opts)}
         order by ${RESPONSE} limit 2 offset ${k - below}`,
  );
  // The counters were read by the previous statement: a write committed in between can shift the
  // middle by a rank (the next view is exact again); if the values ran out, ask the rows directly.
  if (!rows[0] || (n % 2 === 0 && !rows[1])) {
    const [row] = await queryRows<{ m: number | null }>(
      db,
      sql`select (percentile_cont(0.5) within group (order by ${RESPONSE}))::float8 as m from applications
           where ${s.column} = ${s.id} and first_response_at is not null and ${rangeFilter("created_at", opts)}`,
    );
    return row?.m == null ? null : Number(row.m);
  }
  const first = Number(rows[0].v);
  if (n % 2 === 1) return first;
  const second = Number(rows[1]!.v);
  // percentile_cont's interpolation, in the same float8 arithmetic.
  return first + (second - first) * 0.5;
}

function rangeFilter(column: "created_at" | "starts_at", opts: Pick<StatsOptions, "from" | "to">): SQL {
  const parts: SQL[] = [sql`true`];
  if (opts.from) parts.push(sql`${sql.raw(column)} >= ${opts.from.toISOString()}::timestamptz`);
  if (opts.to) parts.push(sql`${sql.raw(column)} < ${opts.to.toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

const rate = (hits: number, n: number) => (n > 0 ? hits / n : null);

/**
 * Statistics of one school's or one instructor's applications: one query for the counts over the
 * range and over each chart week, then one indexed read for the median's one or two values.
 */
export async function applicationStats(db: Db | Tx, subject: StatsSubject, opts: StatsOptions): Promise<ApplicationStats> {
  const s = subjectOf(subject);
  const weekly = weeklyParts(s, opts);
  const parts = [...countsParts(s, planRange(opts.from, opts.to)), ...weekly.parts];
  const rows = parts.length ? await queryRows<StatsRow>(db, sql.join(parts, sql` union all `)) : [];
  const counts = new Map<string, number>();
  // As text: postgres.js and PGlite then hand back the same thing, parsed once here.
  for (const r of rows)
    if (r.counts != null)
      for (const [key, n] of Object.entries(JSON.parse(r.counts) as Record<string, number>)) counts.set(key, (counts.get(key) ?? 0) + Number(n));
  const median = await medianResponse(db, s, opts, counts);
  const get = (key: string) => counts.get(key) ?? 0;
  const total = get("total");
  const byStatus = Object.fromEntries(applicationStatuses.map((st) => [st, get(`s:${st}`)])) as Record<ApplicationStatus, number>;
  const bySource = [...counts]
    .filter(([key, n]) => key.startsWith("src:") && n > 0)
    .map(([key, count]) => ({ source: key.slice(4), count }))
    .sort((a, b) => b.count - a.count || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const [contacted, confirmed, paid] = [get("contacted"), get("confirmed"), get("paid")];
  return {
    total,
    byStatus,
    byWeek: weekly.fold(rows),
    funnel: { new: total, contacted, confirmed, paid },
    medianFirstResponseSeconds: median,
    confirmationRate: rate(confirmed, total),
    paymentRate: rate(paid, confirmed),
    bySource,
  };
}

/** ISO week label of a calendar date, e.g. "2025-W10". */
export function isoWeekLabel(y: number, m: number, d: number): string {
  const thursday = addDays({ y, m, d }, 4 - weekdayOf({ y, m, d }));
  const year = thursday.y;
  const week = Math.floor((Date.UTC(year, thursday.m - 1, thursday.d) - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/**
 * Applications per local ISO week (Monday 00:00 in `timeZone`), the last `weeks` weeks up to the
 * week of `to`/`now`, zero-filled; `from`/`to` still apply, so a week cut by the range shows only
 * its part. One query: the day counters of the whole UTC days inside each week, and the rows of
 * the UTC days a week boundary cuts (local midnight is not UTC midnight), bucketed by week.
 */
function weeklyParts(s: Subject, opts: StatsOptions): { parts: SQL[]; fold: (rows: StatsRow[]) => WeekBucket[] } {
  const weeks = Math.max(1, Math.min(104, Math.floor(opts.weeks ?? 12)));
  // The last instant inside the range: `to` is exclusive.
  const anchor = opts.to ? new Date(opts.to.getTime() - 1) : (opts.now ?? new Date());
  const starts = weekStarts(anchor, opts.timeZone, weeks);
  const out: WeekBucket[] = [];
  const dayWeek = new Map<string, number>();
  const pieces = new Map<string, { from: Date; to: Date; week: number }[]>(); // partial days, by UTC day
  for (let i = 0; i < weeks; i++) {
    const { y, m, d } = parseDay(starts[i]!.start)!;
    out.push({ week: isoWeekLabel(y, m, d), start: starts[i]!.start, count: 0 });
    const end = i + 1 < weeks ? starts[i + 1]!.at : localToUtc(opts.timeZone, y, m, d + 7, 0);
    const from = opts.from && opts.from > starts[i]!.at ? opts.from : starts[i]!.at;
    const to = opts.to && opts.to < end ? opts.to : end;
    if (from >= to) continue;
    const plan = planRange(from, to); // a week never holds a whole month: days and partial days only
    for (const [a, b] of plan.days) for (let t = Date.parse(a); t < Date.parse(b); t += DAY_MS) dayWeek.set(utcDay(t), i);
    for (const [a, b] of plan.raw) {
      const day = utcDay(floorDay(a));
      pieces.set(day, [...(pieces.get(day) ?? []), { from: a, to: b, week: i }]);
    }
  }
  // A UTC day cut by a week boundary: its longest piece is the day's counter minus the other
  // pieces, so only the short pieces are read from the rows (5 of 24 hours in Almaty).
  const derived = new Map<string, number>(); // UTC day → week that gets its total minus the scanned pieces
  const scan: [Date, Date][] = [];
  for (const [day, list] of pieces) {
    const covered = list.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0);
    if (list.length > 1 && covered === DAY_MS) {
      const longest = list.reduce((x, y) => (y.to.getTime() - y.from.getTime() > x.to.getTime() - x.from.getTime() ? y : x));
      derived.set(day, longest.week);
      for (const p of list) if (p !== longest) scan.push([p.from, p.to]);
    } else for (const p of list) scan.push([p.from, p.to]);
  }
  const parts: SQL[] = [];
  const days = [...dayWeek.keys(), ...derived.keys()].sort();
  if (days.length)
    parts.push(sql`select null::text as counts, to_char(period, 'YYYY-MM-DD') as day, null::int as w, (counts ->> 'total')::int as n from application_stats
                    where subject_kind = ${s.kind} and subject_id = ${s.id} and grain = 'day'
                      and period >= ${days[0]!}::date and period <= ${days[days.length - 1]!}::date`);
  const rows = rawOf(s, scan);
  if (rows) {
    // Week i holds [starts[i], starts[i + 1]): width_bucket over the week starts gives i + 1.
    const bounds = sql.join(starts.map((w) => sql`${w.at.toISOString()}::timestamptz`), sql`, `);
    parts.push(sql`select null::text as counts, to_char((a.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
                          (width_bucket(a.created_at, array[${bounds}]) - 1)::int as w, count(*)::int as n
                     from ${rows} group by 2, 3`);
  }
  const fold = (rows: StatsRow[]) => {
    const add = (i: number | undefined, n: number) => {
      if (i !== undefined && out[i]) out[i]!.count += n;
    };
    for (const r of rows) {
      if (r.n == null) continue;
      const n = Number(r.n);
      if (r.w == null) add(dayWeek.get(r.day!) ?? derived.get(r.day!), n); // a day's counter
      else {
        add(Number(r.w), n); // a scanned piece
        if (derived.has(r.day!)) add(derived.get(r.day!), -n);
      }
    }
    return out;
  };
  return { parts, fold };
}

export function schoolStats(db: Db | Tx, schoolId: number, opts: StatsOptions): Promise<ApplicationStats> {
  return applicationStats(db, { schoolId }, opts);
}

/** Lesson outcomes of one instructor, by starts_at within the range: one query. */
export async function lessonStats(db: Db | Tx, instructorId: number, opts: Pick<StatsOptions, "from" | "to">): Promise<LessonStats> {
  const [row] = await queryRows<LessonStats>(
    db,
    sql`select count(*) filter (where state = 'planned')::int as "planned",
               count(*) filter (where state = 'conducted')::int as "conducted",
               count(*) filter (where state = 'cancelled')::int as "cancelled",
               count(*) filter (where state = 'no_show' and no_show_by = 'student')::int as "noShowByStudent",
               count(*) filter (where state = 'no_show' and no_show_by = 'instructor')::int as "noShowByInstructor",
               count(*) filter (where state = 'no_show' and no_show_by is null)::int as "noShowUnattributed"
          from lessons where instructor_id = ${instructorId} and ${rangeFilter("starts_at", opts)}`,
  );
  return row!;
}

/** An instructor's requests (applications addressed to them) and lessons: five queries. */
export async function instructorStats(db: Db | Tx, instructorId: number, opts: StatsOptions): Promise<InstructorStats> {
  const [apps, lessons] = await Promise.all([applicationStats(db, { instructorId }, opts), lessonStats(db, instructorId, opts)]);
  return { ...apps, requests: apps.total, acceptanceRate: apps.confirmationRate, lessons };
}

// ---- trust index now and at the end of recent weeks (statistics pages) ----

/** One point of the trend: the index as it stood at `at` (the end of the week, or now for the current week). */
export interface TrustTrendPoint {
  /** Local date of the week's Monday, "YYYY-MM-DD". */
  start: string;
  at: Date;
  value: number;
}

export interface TrustWithTrend {
  /** The index now, from the same rows (equal to what recompute*Trust stores at this instant). */
  current: IndexResult;
  /** Oldest first; the last point is the current week, computed as of `now`. */
  trend: TrustTrendPoint[];
}

export interface TrendOptions {
  now: Date;
  timeZone: string;
  /** 8 by default. */
  weeks?: number;
}

type TrendAppRow = {
  created_at: string | Date;
  updated_at: string | Date;
  status: ApplicationStatus;
  first_response_at: string | Date | null;
  confirmed_at: string | Date | null;
  paid_at: string | Date | null;
  cancelled_at: string | Date | null;
  pay_student_at: string | Date | null;
  pay_staff_at: string | Date | null;
  pay_disputed_at: string | Date | null;
  /** Status history (created + status events), oldest first; json, so times are text. */
  history: { to: string; at: string }[] | string | null;
};

interface TrendApp {
  createdAt: Date;
  updatedAt: Date;
  status: ApplicationStatus;
  firstResponseAt: Date | null;
  confirmedAt: Date | null;
  paidAt: Date | null;
  cancelledAt: Date | null;
  payment: { studentAt: Date | null; staffAt: Date | null; disputedAt: Date | null };
  history: { to: ApplicationStatus; at: Date }[];
}


/** Local Mondays 00:00 (as instants) of the last `weeks` weeks, the week of `now` last. */
function weekStarts(now: Date, timeZone: string, weeks: number): { start: string; at: Date }[] {
  const today = localDate(timeZone, now);
  // The zone arithmetic (Intl) is a visible part of a page's CPU; the answer changes once a day.
  const key = `${timeZone}|${today.y}-${today.m}-${today.d}|${weeks}`;
  const known = weekStartsCache.get(key);
  if (known) return known;
  const out = computeWeekStarts(today, timeZone, weeks);
  if (weekStartsCache.size > 100) weekStartsCache.clear();
  weekStartsCache.set(key, out);
  return out;
}

const weekStartsCache = new Map<string, { start: string; at: Date }[]>();

function computeWeekStarts(today: CalendarDate, timeZone: string, weeks: number): { start: string; at: Date }[] {
  const out: { start: string; at: Date }[] = [];
  for (let k = weeks - 1; k >= 0; k--) {
    const monday = addDays(today, 1 - weekdayOf(today) - 7 * k);
    out.push({ start: isoDay(monday), at: localToUtc(timeZone, monday.y, monday.m, monday.d, 0) });
  }
  return out;
}

/** The instants the trend is computed at: each week's end (the next Monday 00:00), the current week at `now`. */
function trendPoints(now: Date, timeZone: string, weeks: number): { start: string; at: Date }[] {
  const starts = weekStarts(now, timeZone, weeks);
  return starts.map((w, i) => ({ start: w.start, at: i === weeks - 1 ? now : starts[i + 1]!.at }));
}

/**
 * The subject's applications created from `since` up to `now`, each with its status history:
 * one query (the history is a correlated json_agg on application_events_app_idx).
 */
async function loadTrendApplications(db: Db | Tx, subject: StatsSubject, since: Date, now: Date): Promise<TrendApp[]> {
  const rows = await queryRows<TrendAppRow>(
    db,
    sql`select a.created_at, a.updated_at, a.status, a.first_response_at, a.confirmed_at, a.paid_at, a.cancelled_at,
               pm.student_at as pay_student_at, pm.staff_at as pay_staff_at, pm.disputed_at as pay_disputed_at,
               (select json_agg(json_build_object('to', e.to_status, 'at', e.at) order by e.at, e.id)
                  from application_events e
                 where e.application_id = a.id and e.type in ('created', 'status') and e.to_status is not null) as history
          from applications a left join payments pm on pm.application_id = a.id
         where a.${sql.raw("schoolId" in subject ? "school_id" : "instructor_id")} = ${"schoolId" in subject ? subject.schoolId : subject.instructorId}
           and a.created_at >= ${since.toISOString()}::timestamptz and a.created_at <= ${now.toISOString()}::timestamptz
         order by a.created_at desc
         limit ${TRUST_SAMPLE}`,
  );
  return rows.map((r) => {
    const history = (typeof r.history === "string" ? JSON.parse(r.history) : (r.history ?? [])) as { to: string; at: string }[];
    return {
      createdAt: rowDate(r.created_at)!,
      updatedAt: rowDate(r.updated_at)!,
      status: r.status,
      firstResponseAt: rowDate(r.first_response_at),
      confirmedAt: rowDate(r.confirmed_at),
      paidAt: rowDate(r.paid_at),
      cancelledAt: rowDate(r.cancelled_at),
      payment: { studentAt: rowDate(r.pay_student_at), staffAt: rowDate(r.pay_staff_at), disputedAt: rowDate(r.pay_disputed_at) },
      history: history.map((h) => ({ to: h.to as ApplicationStatus, at: new Date(h.at) })),
    };
  });
}

/**
 * The application as it stood at `at`: timestamps after `at` are unknown yet, and the status is
 * the last one its history reached by then. Rows without a history (imported or seeded data)
 * keep their status if it was last changed by `at`, else get the status their timestamps imply.
 */
function asOf(a: TrendApp, at: Date, kind: "school" | "instructor"): TrustApplication {
  const by = (d: Date | null) => (d && d.getTime() <= at.getTime() ? d : null);
  const [firstResponseAt, confirmedAt, paidAt, cancelledAt] = [by(a.firstResponseAt), by(a.confirmedAt), by(a.paidAt), by(a.cancelledAt)];
  let status: ApplicationStatus;
  if (a.history.length) {
    const reached = a.history.filter((h) => h.at.getTime() <= at.getTime());
    status = reached.length ? reached[reached.length - 1]!.to : a.history[0]!.to;
  } else if (a.updatedAt.getTime() <= at.getTime()) status = a.status;
  else
    status = cancelledAt ? "cancelled"
      : paidAt ? "paid"
      : confirmedAt ? (kind === "school" ? "confirmed" : "accepted")
      : firstResponseAt && kind === "school" ? "contacted"
      : "new";
  const payment = { studentAt: by(a.payment.studentAt), staffAt: by(a.payment.staffAt), disputedAt: by(a.payment.disputedAt) };
  return { createdAt: a.createdAt, status, firstResponseAt, confirmedAt, paidAt, cancelledAt, payment };
}

function inWindow(apps: readonly TrendApp[], at: Date, kind: "school" | "instructor"): TrustApplication[] {
  const since = at.getTime() - WINDOW_DAYS * DAY_MS;
  return apps.filter((a) => a.createdAt.getTime() >= since && a.createdAt.getTime() <= at.getTime()).map((a) => asOf(a, at, kind));
}

function trendWeeks(opts: TrendOptions): number {
  return Math.max(1, Math.min(52, Math.floor(opts.weeks ?? 8)));
}

/**
 * Bump when the trust formula, WINDOW_DAYS, TRUST_SAMPLE or asOf change: stored trend points of
 * another version are recomputed on the next view.
 */
export const TREND_VERSION = 2;

/** Trend points being computed in this process, so that concurrent first views compute each once. */
const computing = new Map<string, Promise<number>>();

/**
 * A school's trust index now and at the end of each of the last weeks. The current value is the
 * stored index (index_values, kept current by the index refresher a few seconds after each change;
 * computed here when missing). A past week's point depends only on rows and timestamps
 * up to its instant, so it is computed once (src/analytics/trust.ts schoolTrust over the latest
 * TRUST_SAMPLE applications of the window, as they stood then) and stored in trust_trend_points;
 * the triggers of migration 0005 forget the points a backdated write can change.
 * Past points read the payments as they stood then; reviews and a school's lessons are not
 * replayed (their components stay at the city's mean and the prior in past points): the current
 * point is the stored index, which has them.
 */
export async function schoolTrustTrend(db: Db | Tx, schoolId: number, opts: TrendOptions): Promise<TrustWithTrend> {
  const points = trendPoints(opts.now, opts.timeZone, trendWeeks(opts));
  const past = points.slice(0, -1);
  const [stored, current] = await Promise.all([
    past.length
      ? queryRows<{ at: number; value: number }>(
          db,
          sql`select floor(extract(epoch from at) * 1000)::float8 as at, value from trust_trend_points
               where subject_kind = 'school' and subject_id = ${schoolId} and version = ${TREND_VERSION}
                 and at = any(array[${sql.join(past.map((p) => sql`${p.at.toISOString()}::timestamptz`), sql`, `)}])`,
        )
      : [],
    // Missing only until the refresher's first pass: computed for this view, not stored (a page view writes nothing).
    readIndex(db, "school", schoolId).then((idx): Promise<IndexResult> | IndexResult => idx ?? computeIndex(db, "school", schoolId, opts.now)),
  ]);
  const known = new Map(stored.map((r) => [Number(r.at), Number(r.value)]));
  const trend: TrustTrendPoint[] = [];
  for (const p of past) trend.push({ ...p, value: known.get(p.at.getTime()) ?? (await storedTrendPoint(db, schoolId, p.at)) });
  trend.push({ ...points[points.length - 1]!, value: current.value });
  return { current, trend };
}

/** Computes the school's trust index as it stood at `at` (a past instant) and stores it. */
function storedTrendPoint(db: Db | Tx, schoolId: number, at: Date): Promise<number> {
  const key = `school:${schoolId}:${at.getTime()}`;
  let p = computing.get(key);
  if (!p) {
    p = (async () => {
      const apps = await loadTrendApplications(db, { schoolId }, new Date(at.getTime() - WINDOW_DAYS * DAY_MS), at);
      const { value } = schoolTrust({ applications: inWindow(apps, at, "school"), now: at });
      await db
        .insert(trustTrendPoints)
        .values({ subjectKind: "school", subjectId: schoolId, at, version: TREND_VERSION, value })
        .onConflictDoUpdate({
          target: [trustTrendPoints.subjectKind, trustTrendPoints.subjectId, trustTrendPoints.at],
          set: { value, version: TREND_VERSION, computedAt: sql`now()` },
        });
      return value;
    })().finally(() => computing.delete(key));
    computing.set(key, p);
  }
  return p;
}

/**
 * The same for an instructor: applications (one query) and lesson outcomes (one query). A
 * lesson counts from its start with the outcome it has now (outcomes are marked within days).
 */
export async function instructorTrustTrend(db: Db | Tx, instructorId: number, opts: TrendOptions): Promise<TrustWithTrend> {
  const points = trendPoints(opts.now, opts.timeZone, trendWeeks(opts));
  const since = new Date(points[0]!.at.getTime() - WINDOW_DAYS * DAY_MS);
  // One instructor's requests are few (a busy one takes hundreds a year): one read for all points.
  const [apps, lessonRows, current] = await Promise.all([
    loadTrendApplications(db, { instructorId }, since, opts.now),
    queryRows<{ starts_at: string | Date; state: "planned" | "conducted" | "no_show" | "cancelled"; no_show_by: "student" | "instructor" | null; cancelled_by: "student" | "instructor" | "school" | null }>(
      db,
      sql`select starts_at, state, no_show_by, cancelled_by from lessons
           where instructor_id = ${instructorId} and state <> 'planned'
             and starts_at >= ${since.toISOString()}::timestamptz and starts_at <= ${opts.now.toISOString()}::timestamptz`,
    ),
    // The current point is the stored index (with reviews), as for schools.
    readIndex(db, "instructor", instructorId).then((idx): Promise<IndexResult> | IndexResult => idx ?? computeIndex(db, "instructor", instructorId, opts.now)),
  ]);
  const lessons = lessonRows.map((l) => ({ startsAt: rowDate(l.starts_at)!, state: l.state, noShowBy: l.no_show_by, cancelledBy: l.cancelled_by }));
  const at = (when: Date) => {
    const from = when.getTime() - WINDOW_DAYS * DAY_MS;
    const tally = tallyPromises(lessons.filter((l) => l.startsAt.getTime() >= from && l.startsAt.getTime() <= when.getTime()));
    return instructorTrust({ applications: inWindow(apps, when, "instructor"), lessons: tally, now: when });
  };
  return { current, trend: points.map((p, i) => ({ ...p, value: i === points.length - 1 ? current.value : at(p.at).value })) };
}
