// Statistics pages of the CRM: one school's or one instructor's applications (and lessons), over
// an optional date range. Every number is aggregated in SQL, a fixed handful of queries per call
// whatever the volume; each filters on school_id / instructor_id + created_at (or starts_at) so
// the planner can use applications_school_inbox_idx, applications_instructor_inbox_idx and
// lessons_instructor_idx. Counts are cast to int and fractions to float8 in SQL because
// postgres.js returns bigint/numeric as strings while PGlite returns numbers.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { applicationStatuses, type ApplicationStatus } from "../db/schema.ts";

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
