// Statistics pages of the CRM: one school's or one instructor's applications (and lessons), over
// an optional date range. Every number is aggregated in SQL, a fixed handful of queries per call
// whatever the volume; each filters on school_id / instructor_id + created_at (or starts_at) so
// the planner can use applications_school_inbox_idx, applications_instructor_inbox_idx and
// lessons_instructor_idx. Counts are cast to int and fractions to float8 in SQL because
// postgres.js returns bigint/numeric as strings while PGlite returns numbers.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { applicationStatuses, type ApplicationStatus } from "../db/schema.ts";
import type { IndexResult } from "../analytics/explain.ts";
import { instructorTrust, schoolTrust, tallyLessons, type TrustApplication } from "../analytics/trust.ts";
import { WINDOW_DAYS, TRUST_SAMPLE } from "./indexes.ts";
import { localDate, localToUtc } from "./time.ts";

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

// The same predicates as isPaid / isConfirmed in src/analytics/trust.ts, written for SQL.
const PAID = sql`(paid_at is not null or status in ('paid', 'studying', 'completed'))`;
const CONFIRMED = sql`(${PAID} or confirmed_at is not null or status in ('confirmed', 'accepted'))`;
const CONTACTED = sql`(${CONFIRMED} or first_response_at is not null or status = 'contacted')`;

function subjectFilter(subject: StatsSubject): SQL {
  // Column names are literals chosen here, never caller input.
  return "schoolId" in subject ? sql`school_id = ${subject.schoolId}` : sql`instructor_id = ${subject.instructorId}`;
}

function rangeFilter(column: "created_at" | "starts_at", opts: Pick<StatsOptions, "from" | "to">): SQL {
  const parts: SQL[] = [sql`true`];
  if (opts.from) parts.push(sql`${sql.raw(column)} >= ${opts.from.toISOString()}::timestamptz`);
  if (opts.to) parts.push(sql`${sql.raw(column)} < ${opts.to.toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

const rate = (hits: number, n: number) => (n > 0 ? hits / n : null);

/** Statistics of one school's or one instructor's applications: four queries. */
export async function applicationStats(db: Db | Tx, subject: StatsSubject, opts: StatsOptions): Promise<ApplicationStats> {
  const where = sql`${subjectFilter(subject)} and ${rangeFilter("created_at", opts)}`;
  const [totals, statuses, sources, byWeek] = await Promise.all([
    queryRows<{ total: number; contacted: number; confirmed: number; paid: number; median: number | null }>(
      db,
      sql`select count(*)::int as total,
                 count(*) filter (where ${CONTACTED})::int as contacted,
                 count(*) filter (where ${CONFIRMED})::int as confirmed,
                 count(*) filter (where ${PAID})::int as paid,
                 (percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at)::float8)
                   filter (where first_response_at is not null))::float8 as median
            from applications where ${where}`,
    ),
    queryRows<{ status: ApplicationStatus; count: number }>(
      db,
      sql`select status, count(*)::int as count from applications where ${where} group by status`,
    ),
    queryRows<{ source: string; count: number }>(
      db,
      sql`select source, count(*)::int as count from applications where ${where}
           group by source order by count(*) desc, source`,
    ),
    weeklyCounts(db, subject, opts),
  ]);
  const t = totals[0]!;
  const byStatus = Object.fromEntries(applicationStatuses.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
  for (const row of statuses) byStatus[row.status] = row.count;
  return {
    total: t.total,
    byStatus,
    byWeek,
    funnel: { new: t.total, contacted: t.contacted, confirmed: t.confirmed, paid: t.paid },
    medianFirstResponseSeconds: t.median == null ? null : Number(t.median),
    confirmationRate: rate(t.confirmed, t.total),
    paymentRate: rate(t.paid, t.confirmed),
    bySource: sources,
  };
}

/**
 * Applications per local ISO week (Monday 00:00 in `timeZone`), the last `weeks` weeks up to the
 * week of `to`/`now`, zero-filled by generate_series. Each week is a created_at range on the
 * subject's index; `from`/`to` still apply, so a week cut by the range shows only its part.
 */
async function weeklyCounts(db: Db | Tx, subject: StatsSubject, opts: StatsOptions): Promise<WeekBucket[]> {
  const weeks = Math.max(1, Math.min(104, Math.floor(opts.weeks ?? 12)));
  // The last instant inside the range: `to` is exclusive.
  const anchor = opts.to ? new Date(opts.to.getTime() - 1) : (opts.now ?? new Date());
  const tz = sql`${opts.timeZone}::text`;
  const last = sql`date_trunc('week', ${anchor.toISOString()}::timestamptz at time zone ${tz})`;
  return queryRows<WeekBucket>(
    db,
    sql`with w as (
          select generate_series(${last} - make_interval(weeks => ${weeks - 1}::int), ${last}, interval '1 week') as monday
        )
        select to_char(w.monday, 'IYYY-"W"IW') as week, to_char(w.monday, 'YYYY-MM-DD') as start,
               (select count(*)::int from applications
                 where ${subjectFilter(subject)} and ${rangeFilter("created_at", opts)}
                   and created_at >= (w.monday at time zone ${tz})
                   and created_at < ((w.monday + interval '1 week') at time zone ${tz})) as count
          from w order by w.monday`,
  );
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
  history: { to: ApplicationStatus; at: Date }[];
}

const DAY_MS = 24 * 3600_000;
const asDate = (v: string | Date | null): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));

/** Local Mondays 00:00 (as instants) of the last `weeks` weeks, the week of `now` last. */
function weekStarts(now: Date, timeZone: string, weeks: number): { start: string; at: Date }[] {
  const today = localDate(timeZone, now);
  const weekday = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7; // 0 = Monday
  const out: { start: string; at: Date }[] = [];
  for (let k = weeks - 1; k >= 0; k--) {
    const day = new Date(Date.UTC(today.y, today.m - 1, today.d - weekday - 7 * k));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    out.push({ start: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`, at: localToUtc(timeZone, y, m, d, 0) });
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
               (select json_agg(json_build_object('to', e.to_status, 'at', e.at) order by e.at, e.id)
                  from application_events e
                 where e.application_id = a.id and e.type in ('created', 'status') and e.to_status is not null) as history
          from applications a
         where a.${sql.raw("schoolId" in subject ? "school_id" : "instructor_id")} = ${"schoolId" in subject ? subject.schoolId : subject.instructorId}
           and a.created_at >= ${since.toISOString()}::timestamptz and a.created_at <= ${now.toISOString()}::timestamptz
         order by a.created_at desc
         limit ${TRUST_SAMPLE}`,
  );
  return rows.map((r) => {
    const history = (typeof r.history === "string" ? JSON.parse(r.history) : (r.history ?? [])) as { to: string; at: string }[];
    return {
      createdAt: asDate(r.created_at)!,
      updatedAt: asDate(r.updated_at)!,
      status: r.status,
      firstResponseAt: asDate(r.first_response_at),
      confirmedAt: asDate(r.confirmed_at),
      paidAt: asDate(r.paid_at),
      cancelledAt: asDate(r.cancelled_at),
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
  return { createdAt: a.createdAt, status, firstResponseAt, confirmedAt, paidAt, cancelledAt };
}

function inWindow(apps: readonly TrendApp[], at: Date, kind: "school" | "instructor"): TrustApplication[] {
  const since = at.getTime() - WINDOW_DAYS * DAY_MS;
  return apps.filter((a) => a.createdAt.getTime() >= since && a.createdAt.getTime() <= at.getTime()).map((a) => asOf(a, at, kind));
}

function trendWeeks(opts: TrendOptions): number {
  return Math.max(1, Math.min(52, Math.floor(opts.weeks ?? 8)));
}

/**
 * A school's trust index now and at the end of each of the last weeks (src/analytics/trust.ts
 * schoolTrust, the same window and sample as src/domain/indexes.ts): one bounded, indexed query
 * per point, the rest in memory.
 */
export async function schoolTrustTrend(db: Db | Tx, schoolId: number, opts: TrendOptions): Promise<TrustWithTrend> {
  const points = trendPoints(opts.now, opts.timeZone, trendWeeks(opts));
  // Each point reads its own latest sample (TRUST_SAMPLE, as the stored index does): bounded work
  // for the busiest schools, and an older week is not judged on a handful of stragglers.
  const at = async (when: Date) => {
    const apps = await loadTrendApplications(db, { schoolId }, new Date(when.getTime() - WINDOW_DAYS * DAY_MS), when);
    return schoolTrust({ applications: inWindow(apps, when, "school"), now: when });
  };
  const trend = [];
  for (const p of points) trend.push({ ...p, value: (await at(p.at)).value });
  return { current: await at(opts.now), trend };
}

/**
 * The same for an instructor: applications (one query) and lesson outcomes (one query). A
 * lesson counts from its start with the outcome it has now (outcomes are marked within days).
 */
export async function instructorTrustTrend(db: Db | Tx, instructorId: number, opts: TrendOptions): Promise<TrustWithTrend> {
  const points = trendPoints(opts.now, opts.timeZone, trendWeeks(opts));
  const since = new Date(points[0]!.at.getTime() - WINDOW_DAYS * DAY_MS);
  // One instructor's requests are few (a busy one takes hundreds a year): one read for all points.
  const [apps, lessonRows] = await Promise.all([
    loadTrendApplications(db, { instructorId }, since, opts.now),
    queryRows<{ starts_at: string | Date; state: "planned" | "conducted" | "no_show" | "cancelled"; no_show_by: "student" | "instructor" | null }>(
      db,
      sql`select starts_at, state, no_show_by from lessons
           where instructor_id = ${instructorId} and state in ('conducted', 'no_show')
             and starts_at >= ${since.toISOString()}::timestamptz and starts_at <= ${opts.now.toISOString()}::timestamptz`,
    ),
  ]);
  const lessons = lessonRows.map((l) => ({ startsAt: asDate(l.starts_at)!, state: l.state, noShowBy: l.no_show_by }));
  const at = (when: Date) => {
    const from = when.getTime() - WINDOW_DAYS * DAY_MS;
    const tally = tallyLessons(lessons.filter((l) => l.startsAt.getTime() >= from && l.startsAt.getTime() <= when.getTime()));
    return instructorTrust({ applications: inWindow(apps, when, "instructor"), lessons: tally, now: when });
  };
  return { current: at(opts.now), trend: points.map((p) => ({ ...p, value: at(p.at).value })) };
}
