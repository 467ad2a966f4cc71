// Trust (schools, instructors) and discipline (students) indexes: count the inputs of the pure
// modules in src/analytics/ in SQL (one row per subject), compute, and store the counts (the
// "tally") with the value in index_values. Formulas: docs/analytics.md. Only the last WINDOW_DAYS
// of behaviour count, so old mistakes fade out; recomputeAll (bun run analytics:recompute)
// refreshes everyone nightly.
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { indexValues, instructors, schools, students, type IndexSubject } from "../db/schema.ts";
import {
  ABANDON_AFTER_MS,
  disciplineFromTally,
  disciplineValue,
  LATE_REPLY_MS,
  LONG_PAUSE_MS,
  type DisciplineTally,
  type FunnelStats,
  type ReplyTally,
  type StudentApplicationTally,
} from "../analytics/discipline.ts";
import type { IndexComponent, IndexResult, Localized } from "../analytics/explain.ts";
import { CONFIRMED_STATUSES, PAID_STATUSES, sqlStatusList } from "../model/application-status.ts";
import { sqlPaymentState } from "../model/payment.ts";
import {
  DECISION_WINDOW_MS,
  instructorTrustEnough,
  instructorTrustFromTally,
  NO_PROMISES,
  NO_REVIEWS,
  schoolTrustEnough,
  type PromiseTally,
  type ReviewTally,
  instructorTrustValue,
  RESPONSE_GRACE_MS,
  schoolTrustFromTally,
  schoolTrustValue,
  type InstructorTrustTally,
  type SchoolTrustTally,
  type TrustTally,
} from "../analytics/trust.ts";
import { DAY_MS } from "../model/time.ts";

/** Behaviour older than this does not count. */
export const WINDOW_DAYS = 365;

export interface StoredIndex extends IndexResult {
  kind: IndexSubject;
  subjectId: number;
  computedAt: Date;
}

/**
 * What index_values.components holds: the counts the index was computed from. The breakdown and
 * the texts are rebuilt from them (pure, microseconds) when a page reads the index, so the nightly
 * recompute writes ~150 bytes a subject instead of ~2 KB of Russian and Kazakh text.
 */
interface StoredTally {
  tally: SchoolTrustTally | InstructorTrustTally | DisciplineTally;
  /**
   * The "мало данных" rule's answer for these counts (hasEnoughData in src/analytics/explain.ts),
   * stored so that lists (the bot's school list) can read it in SQL with the value.
   */
  enough: boolean;
}

/** Rows written before the tallies: the breakdown plus the texts. Still read until recomputed. */
interface LegacyStoredComponents {
  components: IndexComponent[];
  sampleSize: number;
  explanation: Localized;
}

const windowStart = (now: Date) => new Date(now.getTime() - WINDOW_DAYS * DAY_MS).toISOString();

// ---- inputs ----
//
// Every loader counts the inputs of a list of subject ids or of everyone ("all") in one query and
// returns them by subject id. The refresher calls them with the ids it claimed (one query per
// loader for the whole batch, not per subject), where the indexes on subject id make them cheap;
// the per-subject functions with one id. recomputeAll calls them with "all": one pass over each
// table. The counting SQL is the same text for both; only the rows it starts from are picked
// differently, and a test checks both give the same tallies (tests/domain/indexes-batch.test.ts),
// and the same tallies as the pure modules on rows (tests/domain/indexes.test.ts).

/** These subject ids, or every subject. */
type Scope = readonly number[] | "all";

/**
 * `column` is one of the ids, or true for "all". The ids travel as one array parameter: the same
 * statement text for any number of them (prepared once per connection).
 */
const inScope = (column: string, scope: Scope) =>
  scope === "all" ? sql`true` : sql`${sql.raw(column)} = any(${`{${scope.join(",")}}`}::int[])`;

/**
 * Epoch milliseconds of a timestamptz, floored, as float8: what `Date.getTime()` gives for the
 * value the driver returns, so the SQL and the pure modules compare the same numbers. date_part
 * is float8 seconds (extract would be numeric, several times slower over millions of rows);
 * rounding to whole microseconds first makes the floor exact.
 */
const msOf = (column: string) => `floor(round(date_part('epoch', ${column}) * 1000000) / 1000)`;

/** `column` within the window: the last WINDOW_DAYS before `now`, and not after `now`. */
const inWindow = (column: string, now: Date) =>
  sql`${sql.raw(column)} >= ${windowStart(now)}::timestamptz and ${sql.raw(column)} <= ${now.toISOString()}::timestamptz`;

/** A JS number as a float8 literal of the query (a parameter would arrive as text). */
const f8 = (x: number) => sql.raw(`${Number(x)}::float8`);
/** The status model's lists, as SQL: what counts as confirmed and as paid. */
const CONFIRMED = sql.raw(sqlStatusList(CONFIRMED_STATUSES));
const PAID = sql.raw(sqlStatusList(PAID_STATUSES));

/**
 * Planner settings for one pass over whole tables. The planner prefers the (subject, time) indexes
 * because they come sorted by subject, but the rows of one subject are spread over the whole
 * table, so reading everyone through them costs one random heap read per row (all funnel events:
 * 51 s, against ~2 s for a sequential scan and a sort; docs/analytics.md). This turns index-only
 * scans off as well (PostgreSQL has no switch for plain index scans alone); the trust sample's cut
 * probes, which use them, run outside it. The sorts get the memory to stay off disk, and JIT is
 * off: compiling these queries costs more than it saves.
 */
const FULL_PASS = sql`select set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
                             set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`;

/**
 * FULL_PASS for a query whose index holds every column it reads, in the order it needs (the funnel
 * events, migration 0021): an index-only scan walks it without visiting the table and spares the
 * sort. Index scans stay allowed; the planner weighs the visits to pages not yet marked all-visible
 * (an index-only scan reads those rows from the table) against a sequential scan and a sort.
 */
const ORDERED_PASS = sql`select set_config('enable_bitmapscan', 'off', true), set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`;

/**
 * Runs a loader's query. For "all", in a transaction of its own with FULL_PASS (or `pass`, local to
 * it): on a PostgreSQL server each such query gets its own connection, so the loaders of a kind run
 * at once.
 */
async function tallyRows<T>(db: Db | Tx, scope: Scope, query: SQL, pass: SQL = FULL_PASS): Promise<T[]> {
  if (scope !== "all") return queryRows<T>(db, query);
  return db.transaction(async (tx) => {
    await tx.execute(pass);
    return queryRows<T>(tx, query);
  });
}

/**
 * How many of a subject's latest applications (within the window) feed its trust index. Far above
 * the prior's weight, so the shrinkage does not notice; it bounds the work for the busiest
 * schools (100k applications a year) to one indexed read of this many rows.
 */
export const TRUST_SAMPLE = 2000;

/** A subject's `sample`-th latest application in the window: its sample starts there. */
interface SampleCut {
  id: number;
  createdAt: string;
  appId: number;
}

/**
 * Where the sample of each subject with more than `sample` applications in the window starts:
 * an index-only probe per subject (applications_*_inbox_idx; the order by must match the
 * index's, nulls last, or it sorts every application of the subject first).
 */
async function sampleCuts(db: Db | Tx, kind: "school" | "instructor", now: Date, sample: number): Promise<SampleCut[]> {
  const [table, column] = kind === "school" ? ["schools", "school_id"] : ["instructors", "instructor_id"];
  return queryRows<SampleCut>(
    db,
    sql`select s.id::int as id, c.created_at::text as "createdAt", c.id::bigint::text as "appId"
          from ${sql.raw(table)} s
          cross join lateral (
                select created_at, id from applications
                 where ${sql.raw(column)} = s.id and ${inWindow("created_at", now)}
                 order by created_at desc nulls last, id desc nulls last
                offset ${sample - 1} limit 1) c`,
  );
}

/**
 * The rows of each subject's trust sample: its latest `sample` applications created in the window
 * (and not after `now`), as (id, status, c, r, cf, p, x) = subject, status and epoch ms of created,
 * first response, confirmed, paid, cancelled.
 * - A range: one indexed read of at most `sample` rows per subject.
 * - Everyone (`cuts` given): one sequential scan of applications, each subject's rows from its cut
 *   on. Reading every subject's sample through the index instead costs a random heap read per
 *   application (3.8 s for the schools alone).
 */
function trustSample(kind: "school" | "instructor", scope: Scope, now: Date, sample: number, cuts: readonly SampleCut[]): SQL {
  const [table, column] = kind === "school" ? ["schools", "school_id"] : ["instructors", "instructor_id"];
  const cols = (t: string) =>
    sql.raw(
      `${t}.status, ${msOf(`${t}.created_at`)} as c, ${msOf(`${t}.first_response_at`)} as r, ` +
        `${msOf(`${t}.confirmed_at`)} as cf, ${msOf(`${t}.paid_at`)} as p, ${msOf(`${t}.cancelled_at`)} as x`,
    );
  // The payment's state by model/payment.ts's rule ('none' without a row: the left join gives nulls).
  const pay = sql.raw(`${sqlPaymentState("pm")} as pay`);
  if (scope !== "all") {
    return sql`select s.id, ${cols("a")}, ${pay}
                 from ${sql.raw(table)} s
                 cross join lateral (
                       select id, status, created_at, first_response_at, confirmed_at, paid_at, cancelled_at
                         from applications
                        where ${sql.raw(column)} = s.id and ${inWindow("created_at", now)}
                        order by created_at desc nulls last, id desc nulls last
                        limit ${sample}) a
                 left join payments pm on pm.application_id = a.id
                where ${inScope("s.id", scope)}`;
  }
  return sql`select a.${sql.raw(column)} as id, ${cols("a")}, ${pay}
               from applications a
               left join payments pm on pm.application_id = a.id
               left join unnest(string_to_array(${cuts.map((c) => c.id).join(",")}, ',')::int[],
                                string_to_array(${cuts.map((c) => c.createdAt).join(",")}, ',')::timestamptz[],
                                string_to_array(${cuts.map((c) => c.appId).join(",")}, ',')::bigint[]) as cut(id, created_at, app_id)
                 on cut.id = a.${sql.raw(column)}
              where a.${sql.raw(column)} is not null and ${inWindow("a.created_at", now)}
                and (cut.id is null or (a.created_at, a.id) >= (cut.created_at, cut.app_id))`;
}

/**
 * Each subject's application counts of its trust tally (src/analytics/trust.ts tallyTrust) from its
 * sample, counted in SQL. The expressions follow responseMs, the decisions and the payment rule of
 * trust.ts line by line, on the same epoch milliseconds; tests compare the two. percentile_disc
 * skips the nulls (applications without a real answer), as the pure median does.
 *
 * `offset 0` keeps PostgreSQL from inlining f and g into the aggregate: inlined, every use of a
 * column repeats its whole expression (`yes` in five counts, the epoch conversions in each of them),
 * which was half the query's time over every school's sample (2.5 s of CPU, 1.3 s this way). So f
 * computes each application's times once, g its flags once, and only g's narrow row is sorted by
 * subject for the median.
 */
async function trustTallies(db: Db | Tx, kind: "school" | "instructor", scope: Scope, now: Date, sample: number): Promise<Map<number, AppTally>> {
  const N = f8(now.getTime());
  const decisionWindow = f8(kind === "school" ? DECISION_WINDOW_MS : RESPONSE_GRACE_MS);
  const payWindow = f8(DECISION_WINDOW_MS);
  const grace = f8(RESPONSE_GRACE_MS);
  const cuts = scope === "all" ? await sampleCuts(db, kind, now, sample) : [];
  const rows = await tallyRows<AppTally & { id: number }>(
    db,
    scope,
    sql`with a as (${trustSample(kind, scope, now, sample, cuts)}),
        f as (
          select id, status, c, cf,
                 (cf is not null or p is not null or status in ${CONFIRMED}) as yes,
                 (x is not null or status = 'cancelled') as cancelled,
                 -- paymentOf: a paid mark from before the payments table is the school's word alone
                 case when pay = 'none' and (p is not null or status in ${PAID}) then 'staff_only' else pay end as pay,
                 greatest(0, least(${N}, coalesce(x, 'infinity'::float8)) - c) as waited,
                 -- (greatest ignores nulls: an application without an answer must stay null here)
                 case when r is not null then greatest(0, r - c) end as responded
            from a offset 0),
        g as (
          select id, case when responded <= waited then responded end as t,
                 yes,
                 yes or (not cancelled and (status = 'rejected' or ${N} - c >= ${decisionWindow})) as judged,
                 waited >= ${grace} as waited,
                 yes and (pay in ('agreed', 'staff_only', 'claimed') or cancelled or ${N} - coalesce(cf, c) >= ${payWindow}) as pay_judged,
                 yes and pay = 'agreed' as pay_agreed,
                 yes and pay in ('staff_only', 'claimed') as pay_one_sided
            from f offset 0)
        select id::int as id,
               count(*)::int as "applications",
               count(t)::int as "answeredCount",
               percentile_disc(0.5) within group (order by t) as "medianResponseMs",
               count(*) filter (where judged)::int as "judged",
               count(*) filter (where yes)::int as "yes",
               count(*) filter (where waited)::int as "waited",
               count(*) filter (where waited and t is null)::int as "ignored",
               count(*) filter (where pay_judged)::int as "payJudged",
               count(*) filter (where pay_agreed)::int as "payAgreed",
               count(*) filter (where pay_one_sided)::int as "payOneSided"
          from g
         group by id`,
  );
  return new Map(rows.map(({ id, ...tally }) => [Number(id), { ...tally, medianResponseMs: tally.medianResponseMs == null ? null : Number(tally.medianResponseMs) }]));
}

/** The application part of a trust tally (the rest: reviews and lessons, counted by their own queries). */
type AppTally = Omit<TrustTally, keyof ReviewTally | keyof PromiseTally>;

/**
 * Each subject's reviews in the window (hidden ones too: their rating counts) and the mean rating
 * of its city's reviews of the same kind of subject, the mean a review average is shrunk toward.
 * One row per subject in the scope; the city means come from the cities of the subjects in the
 * scope (reviews_city_idx), and are the same numbers whichever subjects are asked for.
 */
async function countReviews(db: Db | Tx, kind: "school" | "instructor", scope: Scope, now: Date): Promise<Map<number, ReviewTally>> {
  const [table, column] = kind === "school" ? ["schools", "school_id"] : ["instructors", "instructor_id"];
  const rows = await tallyRows<ReviewTally & { id: number }>(
    db,
    scope,
    sql`with s as (select id, city_id from ${sql.raw(table)} where ${inScope("id", scope)}),
        m as (select city_id, avg(rating)::float8 as mean from reviews
               where ${sql.raw(column)} is not null and ${inWindow("created_at", now)}
                 ${scope === "all" ? sql`` : sql`and city_id in (select city_id from s)`}
               group by city_id),
        r as (select ${sql.raw(column)} as id, count(*)::int as n, sum(rating)::int as total from reviews
               where ${sql.raw(column)} is not null and ${inWindow("created_at", now)}
                 ${scope === "all" ? sql`` : sql`and ${inScope(column, scope)}`}
               group by ${sql.raw(column)})
        select s.id::int as id, coalesce(r.n, 0)::int as "reviews", coalesce(r.total, 0)::int as "ratingSum", m.mean as "cityMean"
          from s left join r on r.id = s.id left join m on m.city_id = s.city_id
         where r.id is not null or m.city_id is not null`,
  );
  return new Map(rows.map(({ id, ...t }) => [Number(id), { ...t, cityMean: t.cityMean == null ? null : Number(t.cityMean) }]));
}

/**
 * Lessons as promises (trust.ts tallyPromises) in the window, per school (of the lesson's
 * application) or per instructor: held, and broken by the school or the instructor.
 */
async function countPromises(db: Db | Tx, kind: "school" | "instructor", scope: Scope, now: Date): Promise<Map<number, PromiseTally>> {
  const key = kind === "school" ? "a.school_id" : "l.instructor_id";
  const rows = await tallyRows<PromiseTally & { id: number }>(
    db,
    scope,
    sql`select ${sql.raw(key)}::int as id,
               count(*) filter (where l.state = 'conducted')::int as "conducted",
               count(*) filter (where (l.state = 'no_show' and l.no_show_by = 'instructor')
                                   or (l.state = 'cancelled' and l.cancelled_by in ('school', 'instructor')))::int as "broken"
          from lessons l ${kind === "school" ? sql`join applications a on a.id = l.application_id` : sql``}
         where ${inScope(key, scope)} and ${inWindow("l.starts_at", now)} and l.state <> 'planned'
           ${kind === "school" ? sql`and a.school_id is not null` : sql``}
         group by ${sql.raw(key)}`,
  );
  return new Map(rows.map(({ id, ...t }) => [Number(id), t]));
}

interface LessonCounts {
  conducted: number;
  noShowByStudent: number;
  noShowByInstructor: number;
  /** The student's discipline only: the instructor's trust does not read it. */
  lateCancelledByStudent: number;
}

/** Lesson outcomes in the window, counted in SQL per instructor (l.instructor_id) or per student (a.student_id). */
async function countLessons(db: Db | Tx, key: "l.instructor_id" | "a.student_id", scope: Scope, now: Date): Promise<Map<number, LessonCounts>> {
  const rows = await tallyRows<LessonCounts & { id: number }>(
    db,
    scope,
    sql`select ${sql.raw(key)}::int as id,
               count(*) filter (where l.state = 'conducted')::int as "conducted",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'student')::int as "noShowByStudent",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'instructor')::int as "noShowByInstructor",
               count(*) filter (where l.state = 'cancelled' and l.cancelled_by = 'student' and l.cancelled_late)::int as "lateCancelledByStudent"
          from lessons l ${key === "a.student_id" ? sql`join applications a on a.id = l.application_id` : sql``}
         where ${inScope(key, scope)} and ${inWindow("l.starts_at", now)}
         group by ${sql.raw(key)}`,
  );
  return new Map(rows.map(({ id, ...counts }) => [Number(id), counts]));
}

/**
 * Each student's funnel statistics (src/analytics/discipline.ts funnelStats) in the window,
 * counted in SQL. The events are put in funnelStats' total order (time, then flow, step, action;
 * collation "C" orders these ASCII names as JS does), and each event looks at the next one (`lead`):
 * - a gap follows every event that does not end a flow (submit, abandon) and has a next event;
 *   it is a long pause if the next one came more than LONG_PAUSE_MS later;
 * - the last event, if it does not end a flow and is ABANDON_AFTER_MS old, is one more abandon.
 * Times are compared as stored (microseconds); the pure module sees milliseconds, which differs
 * only for two events of one student in the same millisecond, or a gap within 1 ms of the limit.
 * funnel_events_student_order_idx holds exactly this order (the window's `order by` must stay its
 * key), so the events come from an index-only scan, unsorted.
 */
async function funnelTallies(db: Db | Tx, scope: Scope, now: Date): Promise<Map<number, FunnelStats & { events: number }>> {
  if (scope !== "all") return funnelPart(db, scope, inScope("student_id", scope), now);
  // Everyone: FUNNEL_PARTS ranges of student ids, one query each (see there).
  const [range] = await queryRows<{ lo: number | null; hi: number | null }>(
    db,
    sql`select min(student_id)::int as lo, max(student_id)::int as hi from funnel_events`,
  );
  if (range?.lo == null || range.hi == null) return new Map();
  const { lo, hi } = range;
  const step = Math.ceil((hi - lo + 1) / FUNNEL_PARTS);
  const parts = await Promise.all(
    Array.from({ length: FUNNEL_PARTS }, (_, i) =>
      funnelPart(db, "all", sql`student_id between ${lo + i * step} and ${Math.min(hi, lo + (i + 1) * step - 1)}`, now),
    ),
  );
  const [all, ...rest] = parts;
  for (const part of rest) for (const [id, stats] of part) all!.set(id, stats);
  return all!;
}

/**
 * The full pass over the funnel events is the recompute's longest query, and a single one: an
 * index-only scan feeding `lead()` and the counts, on one core, which the other queries of the pass
 * leave idle once they are done (the students' upserts wait for it). Split into ranges of student
 * ids, each read as its own range of funnel_events_student_order_idx on its own connection, the
 * parts run at once, without reading anything twice. A student's events all fall in one part.
 */
const FUNNEL_PARTS = 2;

/** funnelTallies of the students `which` picks (`scope` tells the pass apart from a batch). */
async function funnelPart(db: Db | Tx, scope: Scope, which: SQL, now: Date): Promise<Map<number, FunnelStats & { events: number }>> {
  const rows = await tallyRows<FunnelStats & { id: number; events: number }>(
    db,
    scope,
    sql`with e as (
          select student_id, action, at,
                 action in ('submit', 'abandon') as ends,
                 lead(at) over (partition by student_id order by at, flow collate "C", step collate "C", action collate "C") as next_at
            from funnel_events
           where ${which} and ${inWindow("at", now)}
        )
        select student_id::int as id,
               count(*)::int as "events",
               count(*) filter (where action = 'enter')::int as "enters",
               count(*) filter (where action = 'back')::int as "backs",
               count(*) filter (where action = 'restart')::int as "restarts",
               count(*) filter (where action = 'submit')::int as "submits",
               (count(*) filter (where action not in ('enter', 'back', 'restart', 'submit'))
                + count(*) filter (where not ends and next_at is null and at <= ${new Date(now.getTime() - ABANDON_AFTER_MS).toISOString()}::timestamptz))::int as "abandons",
               count(*) filter (where not ends and next_at is not null)::int as "gaps",
               count(*) filter (where not ends and next_at - at > make_interval(secs => ${LONG_PAUSE_MS / 1000}::float8))::int as "longPauses"
          from e
         group by student_id`,
    ORDERED_PASS,
  );
  return new Map(rows.map(({ id, ...stats }) => [Number(id), stats]));
}

/** Each student's confirmed applications in the window, and how many of those they cancelled. */
async function countStudentApplications(db: Db | Tx, scope: Scope, now: Date): Promise<Map<number, StudentApplicationTally>> {
  const rows = await tallyRows<StudentApplicationTally & { id: number }>(
    db,
    scope,
    sql`select student_id::int as id,
               count(*) filter (where c.confirmed)::int as "confirmed",
               count(*) filter (where c.confirmed and (cancelled_at is not null or status = 'cancelled'))::int as "cancelledAfterConfirm"
          from applications,
               lateral (select (confirmed_at is not null or paid_at is not null
                                or status in ${CONFIRMED}) as confirmed) c
         where ${inScope("student_id", scope)} and ${inWindow("created_at", now)}
         group by student_id`,
  );
  return new Map(rows.map(({ id, ...tally }) => [Number(id), tally]));
}

/**
 * Each student's replies in the window, and how many were late. A reply is the student's first
 * message ('message', written by domain/thread.ts postStudentMessage) after a staff message
 * ('reply', from the CRM or the staff member's Telegram) on the same application; its delay is
 * the time since that staff message. Further messages before the next staff message are
 * follow-ups, not replies, and the student's first message before any staff message answers
 * nothing. Automatic messages ('auto') are notices the student is not asked to answer: they
 * neither start a wait nor break one. A sticker, voice note or other kind the bot cannot relay
 * (a 'message' whose payload is { unsupported }, model/thread-message.ts StudentContent) reached
 * nobody and says nothing: it is no answer and no follow-up, as if not sent (docs/analytics.md).
 */
async function countReplies(db: Db | Tx, scope: Scope, now: Date): Promise<Map<number, ReplyTally>> {
  const rows = await tallyRows<ReplyTally & { id: number }>(
    db,
    scope,
    sql`with r as (
          select a.student_id, e.type, e.at,
                 lag(e.type) over w as prev_type,
                 lag(e.at) over w as prev_at
            from application_events e join applications a on a.id = e.application_id
           where ${inScope("a.student_id", scope)} and e.type in ('reply', 'message') and ${inWindow("e.at", now)}
             and e.payload -> 'unsupported' is null
          window w as (partition by e.application_id order by e.at, e.id)
        )
        select student_id::int as id,
               count(*)::int as total,
               count(*) filter (where at - prev_at > make_interval(secs => ${LATE_REPLY_MS / 1000}::float8))::int as late
          from r where type = 'message' and prev_type = 'reply'
         group by student_id`,
  );
  return new Map(rows.map(({ id, ...tally }) => [Number(id), tally]));
}

/** Options of the loaders that tests may override. */
export interface LoadOptions {
  /** Applications per trust subject (default TRUST_SAMPLE). */
  trustSample?: number;
}

// One function per kind: the tallies of every subject in the scope. Subjects without rows get the
// tally of no data (the pure modules' empty inputs).

type AnyTally = SchoolTrustTally | InstructorTrustTally | DisciplineTally;

const NO_TRUST: TrustTally = {
  applications: 0, answeredCount: 0, medianResponseMs: null, judged: 0, yes: 0, waited: 0, ignored: 0, payJudged: 0, payAgreed: 0, payOneSided: 0,
  ...NO_REVIEWS, ...NO_PROMISES,
};
const NO_FUNNEL: FunnelStats & { events: number } = { events: 0, enters: 0, backs: 0, restarts: 0, submits: 0, abandons: 0, gaps: 0, longPauses: 0 };

type Tallies = (id: number) => AnyTally;

async function trustKindTallies(kind: "school" | "instructor", db: Db | Tx, scope: Scope, now: Date, opts: LoadOptions): Promise<Tallies> {
  const [apps, reviews, promises] = await Promise.all([
    trustTallies(db, kind, scope, now, opts.trustSample ?? TRUST_SAMPLE),
    countReviews(db, kind, scope, now),
    countPromises(db, kind, scope, now),
  ]);
  return (id) => ({ ...NO_TRUST, ...apps.get(id), ...(reviews.get(id) ?? NO_REVIEWS), ...(promises.get(id) ?? NO_PROMISES) }) satisfies TrustTally;
}

const schoolTallies = (db: Db | Tx, scope: Scope, now: Date, opts: LoadOptions) => trustKindTallies("school", db, scope, now, opts);
const instructorTallies = (db: Db | Tx, scope: Scope, now: Date, opts: LoadOptions) => trustKindTallies("instructor", db, scope, now, opts);

async function studentTallies(db: Db | Tx, scope: Scope, now: Date): Promise<Tallies> {
  const [funnel, apps, lessons, replies] = await Promise.all([
    funnelTallies(db, scope, now),
    countStudentApplications(db, scope, now),
    countLessons(db, "a.student_id", scope, now),
    countReplies(db, scope, now),
  ]);
  return (id) => {
    const a = apps.get(id);
    const l = lessons.get(id);
    const r = replies.get(id);
    return {
      ...(funnel.get(id) ?? NO_FUNNEL),
      confirmed: a?.confirmed ?? 0,
      cancelledAfterConfirm: a?.cancelledAfterConfirm ?? 0,
      conducted: l?.conducted ?? 0,
      noShowByStudent: l?.noShowByStudent ?? 0,
      lateCancelledByStudent: l?.lateCancelledByStudent ?? 0,
      replies: r?.total ?? 0,
      lateReplies: r?.late ?? 0,
    } satisfies DisciplineTally;
  };
}

const tallies: Record<IndexSubject, (db: Db | Tx, scope: Scope, now: Date, opts: LoadOptions) => Promise<Tallies>> = {
  school: schoolTallies,
  instructor: instructorTallies,
  student: studentTallies,
};

/** The index (value, breakdown, texts) from a tally. */
const explain: Record<IndexSubject, (t: AnyTally) => IndexResult> = {
  school: (t) => schoolTrustFromTally(t as SchoolTrustTally),
  instructor: (t) => instructorTrustFromTally(t as InstructorTrustTally),
  student: (t) => disciplineFromTally(t as DisciplineTally),
};

/** The "мало данных" rule (trust only; a student's discipline is never shown to the student). */
const enoughOf: Record<IndexSubject, (t: AnyTally) => boolean> = {
  school: (t) => schoolTrustEnough(t as SchoolTrustTally),
  instructor: (t) => instructorTrustEnough(t as InstructorTrustTally),
  student: () => true,
};

/** Only the value (no texts): what recomputeAll needs. */
const valueOf: Record<IndexSubject, (t: AnyTally) => number> = {
  school: (t) => schoolTrustValue(t as SchoolTrustTally),
  instructor: (t) => instructorTrustValue(t as InstructorTrustTally),
  student: (t) => disciplineValue(t as DisciplineTally),
};

// ---- store and read ----

/**
 * Upserts the values and tallies of many subjects of one kind in one statement. The rows travel as
 * parameters zipped by unnest: the ids, the values, and for each row the number of its tally's
 * JSON document in a list of the distinct documents (one a line: JSON.stringify never writes a
 * raw newline). Parsing a document into jsonb is most of the statement's work (~9 µs each, more
 * than the update), and many subjects have the same counts (every student without activity in the
 * window, most students after one clean flow), so each distinct document is parsed once.
 * Rows are written in id order (`order by`: the join may reorder them), the order the refresher
 * locks them in too (index-refresh.ts), so the two cannot deadlock.
 */
async function store(db: Db | Tx, kind: IndexSubject, ids: readonly number[], values: readonly number[], tallies: readonly AnyTally[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const docs = new Map<string, number>();
  const docOf = tallies.map((tally) => {
    const doc = JSON.stringify({ tally, enough: enoughOf[kind](tally) } satisfies StoredTally);
    let no = docs.get(doc);
    if (no === undefined) docs.set(doc, (no = docs.size + 1));
    return no;
  });
  await db.execute(
    sql`insert into index_values (subject_kind, subject_id, value, components, computed_at)
        select ${kind}, r.id, r.value, d.components, ${now.toISOString()}::timestamptz
          from unnest(string_to_array(${ids.join(",")}, ',')::int[],
                      string_to_array(${values.join(",")}, ',')::smallint[],
                      string_to_array(${docOf.join(",")}, ',')::int[]) as r(id, value, doc)
          join unnest(string_to_array(${[...docs.keys()].join("\n")}, E'\\n')::jsonb[]) with ordinality as d(components, no)
            on d.no = r.doc
         order by r.id
        on conflict (subject_kind, subject_id) do update
           set value = excluded.value, components = excluded.components, computed_at = excluded.computed_at`,
  );
}

function fromRow(row: typeof indexValues.$inferSelect): StoredIndex {
  const base = { kind: row.subjectKind, subjectId: row.subjectId, computedAt: row.computedAt };
  const c = row.components as Partial<StoredTally & LegacyStoredComponents> | IndexComponent[] | null;
  if (c && !Array.isArray(c) && c.tally) {
    // The breakdown and texts of the stored counts; the value is the stored one (what lists show),
    // which the same counts gave when they were stored.
    return { ...explain[row.subjectKind](c.tally), value: row.value, ...base };
  }
  // Rows stored before the tallies, or a bare components array (the column's default shape).
  const stored: Partial<LegacyStoredComponents> = Array.isArray(c) ? { components: c } : (c ?? {});
  return {
    ...base,
    value: row.value,
    components: stored.components ?? [],
    sampleSize: stored.sampleSize ?? 0,
    enoughData: true,
    explanation: stored.explanation ?? { ru: "", kk: "" },
  };
}

/**
 * The stored trust value a student may see, in SQL over index_values: null while the "мало данных"
 * rule (stored with the tally, see StoredTally.enough) says the data is not enough yet, so lists
 * and cards show "новая школа: мало данных" by the same rule as the CRM. Rows stored before the
 * rule existed show their value until the next recompute.
 */
export const sqlShownTrust = sql<number | null>`(case when coalesce((${indexValues.components} ->> 'enough')::boolean, true) then ${indexValues.value} end)`;

/** The stored index (value, breakdown, texts) of a row read elsewhere (the bot's cached card). */
export function storedIndex(row: typeof indexValues.$inferSelect | null | undefined): StoredIndex | null {
  return row ? fromRow(row) : null;
}

export async function readIndex(db: Db | Tx, kind: IndexSubject, id: number): Promise<StoredIndex | null> {
  const [row] = await db
    .select()
    .from(indexValues)
    .where(and(eq(indexValues.subjectKind, kind), eq(indexValues.subjectId, id)));
  return row ? fromRow(row) : null;
}

/** Stored indexes of many subjects (an inbox page) in one query; subjects never computed are absent. */
export async function readIndexes(db: Db | Tx, kind: IndexSubject, ids: readonly number[]): Promise<Map<number, StoredIndex>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select()
    .from(indexValues)
    .where(and(eq(indexValues.subjectKind, kind), inArray(indexValues.subjectId, unique)));
  return new Map(rows.map((r) => [r.subjectId, fromRow(r)]));
}

// ---- recompute ----

/** Counts the subject's inputs (the same SQL recomputeAll runs for everyone) and computes, storing nothing. */
export async function computeIndex(db: Db | Tx, kind: IndexSubject, id: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult & { tally: unknown }> {
  const tally = (await tallies[kind](db, [id], now, opts))(id);
  return { ...explain[kind](tally), tally };
}

/** computeIndex, then stores the result. */
async function recomputeOne(db: Db | Tx, kind: IndexSubject, id: number, now: Date, opts: LoadOptions): Promise<IndexResult> {
  const { tally, ...result } = await computeIndex(db, kind, id, now, opts);
  await store(db, kind, [id], [result.value], [tally as never], now);
  return result;
}

/**
 * Recomputes and stores the subjects of one kind together: each loader runs once for all of them
 * and one upsert stores them (the refresher's path: a round of 100 dirty students was 500
 * statements, now 5). Only the values and tallies are computed: texts are built when read.
 */
export async function recomputeMany(db: Db | Tx, kind: IndexSubject, ids: readonly number[], now: Date, opts: LoadOptions = {}): Promise<void> {
  if (ids.length === 0) return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b); // the upsert's lock order (see store)
  const tally = await tallies[kind](db, sorted, now, opts);
  const batchTallies = sorted.map(tally);
  await store(db, kind, sorted, batchTallies.map(valueOf[kind]), batchTallies, now);
}

/** One query for the applications, one upsert. */
export const recomputeSchoolTrust = (db: Db | Tx, schoolId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "school", schoolId, now, opts);

/** Applications and lesson counts (two queries), one upsert. */
export const recomputeInstructorTrust = (db: Db | Tx, instructorId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "instructor", instructorId, now, opts);

/** Funnel statistics, applications, lessons and replies (four queries), one upsert. */
export const recomputeStudentDiscipline = (db: Db | Tx, studentId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "student", studentId, now, opts);

export interface RecomputeOptions extends LoadOptions {
  /** Subjects per upsert. */
  batchSize?: number;
  /** Called after each batch is stored, e.g. to print progress. */
  onBatch?: (kind: IndexSubject, done: number) => void;
}

export interface RecomputeSummary {
  schools: number;
  instructors: number;
  students: number;
}

export const RECOMPUTE_BATCH = 10_000;

const subjectTables = { school: schools, instructor: instructors, student: students } as const;

/** The ids of every subject of a kind and their tallies, read with one pass over each table. */
async function readAll(db: Db, kind: IndexSubject, now: Date, opts: LoadOptions): Promise<{ ids: number[]; tally: Tallies }> {
  const table = subjectTables[kind];
  const [page, tally] = await Promise.all([db.select({ id: table.id }).from(table).orderBy(asc(table.id)), tallies[kind](db, "all", now, opts)]);
  return { ids: page.map((r) => r.id), tally };
}

/**
 * Every school, instructor and student. Inactive subjects too: their stored value must age with
 * the window like everyone else's. Each kind's inputs are counted in one pass over each table
 * (a handful of queries, one row per subject), the three kinds at once on separate connections;
 * then the values are computed with the pure modules (numbers only, no texts) and stored in
 * upserts of `batchSize` subjects, kind after kind, so a failure halfway keeps the batches done.
 */
export async function recomputeAll(db: Db, now: Date, opts: RecomputeOptions = {}): Promise<RecomputeSummary> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? RECOMPUTE_BATCH));
  // Students first: their funnel events are the longest read.
  const kinds = ["student", "school", "instructor"] as const;
  const reads = new Map(kinds.map((kind) => [kind, readAll(db, kind, now, opts)] as const));
  for (const r of reads.values()) r.catch(() => {}); // each is awaited (and thrown) below
  const done: Record<IndexSubject, number> = { school: 0, instructor: 0, student: 0 };
  for (const kind of ["school", "instructor", "student"] as const) {
    const { ids, tally } = await reads.get(kind)!;
    // Two upserts at a time: each is CPU-bound on the server, and there are two cores to use.
    let storing: Promise<void> = Promise.resolve();
    for (let from = 0; from < ids.length; from += batchSize) {
      const batch = ids.slice(from, from + batchSize);
      const batchTallies = batch.map(tally);
      const stored = store(db, kind, batch, batchTallies.map(valueOf[kind]), batchTallies, now);
      await storing;
      storing = stored.then(() => {
        done[kind] += batch.length;
        opts.onBatch?.(kind, done[kind]);
      });
      storing.catch(() => {}); // awaited (and thrown) with the next batch or at the end
    }
    await storing;
  }
  return { schools: done.school, instructors: done.instructor, students: done.student };
}
