// Trust (schools, instructors) and discipline (students) indexes: load the inputs of the pure
// modules in src/analytics/ with a few bounded queries, compute, and store the result in
// index_values. Formulas: docs/analytics.md. Only the last WINDOW_DAYS of behaviour count, so
// old mistakes fade out; recomputeAll (bun run analytics:recompute) refreshes everyone nightly.
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { indexValues, instructors, schools, students, type IndexSubject } from "../db/schema.ts";
import { discipline, LATE_REPLY_MS, type FunnelEventInput } from "../analytics/discipline.ts";
import type { IndexComponent, IndexResult, Localized } from "../analytics/explain.ts";
import { instructorTrust, schoolTrust, type TrustApplication } from "../analytics/trust.ts";

/** Behaviour older than this does not count. */
export const WINDOW_DAYS = 365;

export interface StoredIndex extends IndexResult {
  kind: IndexSubject;
  subjectId: number;
  computedAt: Date;
}

/** What index_values.components holds: the breakdown plus the texts, so pages need no recompute. */
interface StoredComponents {
  components: IndexComponent[];
  sampleSize: number;
  explanation: Localized;
}

const windowStart = (now: Date) => new Date(now.getTime() - WINDOW_DAYS * 24 * 3600_000).toISOString();

// ---- inputs ----

type AppRow = {
  created_at: string | Date;
  status: TrustApplication["status"];
  first_response_at: string | Date | null;
  confirmed_at: string | Date | null;
  paid_at: string | Date | null;
  cancelled_at: string | Date | null;
};

// Raw rows carry timestamps as Date (postgres.js) or as Date/text (PGlite): normalize once.
const toDate = (v: string | Date | null): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));

/**
 * How many of a subject's latest applications (within the window) feed its trust index. Far above
 * the prior's weight, so the shrinkage does not notice; it bounds the work for the busiest
 * schools (100k applications a year) to one indexed read of this many rows.
 */
export const TRUST_SAMPLE = 2000;

/** The subject's latest applications created in the window (and not after `now`), rows for the pure module. */
async function loadApplications(db: Db | Tx, column: "school_id" | "instructor_id", id: number, now: Date): Promise<TrustApplication[]> {
  const rows = await queryRows<AppRow>(
    db,
    sql`select created_at, status, first_response_at, confirmed_at, paid_at, cancelled_at
          from applications
         where ${sql.raw(column)} = ${id}
           and created_at >= ${windowStart(now)}::timestamptz and created_at <= ${now.toISOString()}::timestamptz
         order by created_at desc
         limit ${TRUST_SAMPLE}`,
  );
  return rows.map((r) => ({
    createdAt: toDate(r.created_at)!,
    status: r.status,
    firstResponseAt: toDate(r.first_response_at),
    confirmedAt: toDate(r.confirmed_at),
    paidAt: toDate(r.paid_at),
    cancelledAt: toDate(r.cancelled_at),
  }));
}

interface LessonCounts {
  conducted: number;
  noShowByStudent: number;
  noShowByInstructor: number;
}

/** Lesson outcomes in the window, counted in SQL; `where` picks the instructor's or the student's lessons. */
async function countLessons(db: Db | Tx, where: ReturnType<typeof sql>, now: Date): Promise<LessonCounts> {
  const [row] = await queryRows<LessonCounts>(
    db,
    sql`select count(*) filter (where l.state = 'conducted')::int as "conducted",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'student')::int as "noShowByStudent",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'instructor')::int as "noShowByInstructor"
          from lessons l join applications a on a.id = l.application_id
         where ${where}
           and l.starts_at >= ${windowStart(now)}::timestamptz and l.starts_at <= ${now.toISOString()}::timestamptz`,
  );
  return row!;
}

// ---- store and read ----

async function store(db: Db | Tx, kind: IndexSubject, subjectId: number, result: IndexResult, now: Date): Promise<void> {
  const components: StoredComponents = {
    components: result.components,
    sampleSize: result.sampleSize,
    explanation: result.explanation,
  };
  await db
    .insert(indexValues)
    .values({ subjectKind: kind, subjectId, value: result.value, components, computedAt: now })
    .onConflictDoUpdate({
      target: [indexValues.subjectKind, indexValues.subjectId],
      set: { value: result.value, components, computedAt: now },
    });
}

function fromRow(row: typeof indexValues.$inferSelect): StoredIndex {
  const c = row.components as Partial<StoredComponents> | IndexComponent[] | null;
  // Tolerates a bare components array (the column's default shape).
  const stored: Partial<StoredComponents> = Array.isArray(c) ? { components: c } : (c ?? {});
  return {
    kind: row.subjectKind,
    subjectId: row.subjectId,
    value: row.value,
    components: stored.components ?? [],
    sampleSize: stored.sampleSize ?? 0,
    explanation: stored.explanation ?? { ru: "", kk: "" },
    computedAt: row.computedAt,
  };
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

/** One query for the applications, one upsert. */
export async function recomputeSchoolTrust(db: Db | Tx, schoolId: number, now: Date): Promise<IndexResult> {
  const applications = await loadApplications(db, "school_id", schoolId, now);
  const result = schoolTrust({ applications, now });
  await store(db, "school", schoolId, result, now);
  return result;
}

/** Applications and lesson counts (two queries), one upsert. */
export async function recomputeInstructorTrust(db: Db | Tx, instructorId: number, now: Date): Promise<IndexResult> {
  const [applications, lessons] = await Promise.all([
    loadApplications(db, "instructor_id", instructorId, now),
    countLessons(db, sql`l.instructor_id = ${instructorId}`, now),
  ]);
  const result = instructorTrust({ applications, lessons, now });
  await store(db, "instructor", instructorId, result, now);
  return result;
}

type FunnelRow = { flow: string; step: string; action: FunnelEventInput["action"]; at: string | Date };

/**
 * Funnel events (rows), and counts in SQL for applications, lessons and replies: four queries,
 * one upsert.
 *
 * Replies: a student's reply is an application_events row of type 'reply' without an account
 * (the student's side) whose previous 'reply' on the same application came from staff (an
 * account); its delay is the time since that staff message. Follow-up messages without a new
 * staff message in between are not replies to anything and are not counted.
 */
export async function recomputeStudentDiscipline(db: Db | Tx, studentId: number, now: Date): Promise<IndexResult> {
  const since = windowStart(now);
  const until = now.toISOString();
  const [events, apps, lessons, replies] = await Promise.all([
    queryRows<FunnelRow>(
      db,
      sql`select flow, step, action, at from funnel_events
           where student_id = ${studentId} and at >= ${since}::timestamptz and at <= ${until}::timestamptz`,
    ),
    queryRows<{ confirmed: number; cancelledAfterConfirm: number }>(
      db,
      sql`select count(*) filter (where c.confirmed)::int as "confirmed",
                 count(*) filter (where c.confirmed and (cancelled_at is not null or status = 'cancelled'))::int as "cancelledAfterConfirm"
            from applications,
                 lateral (select (confirmed_at is not null or paid_at is not null
                                  or status in ('confirmed', 'paid', 'studying', 'completed', 'accepted')) as confirmed) c
           where student_id = ${studentId}
             and created_at >= ${since}::timestamptz and created_at <= ${until}::timestamptz`,
    ),
    countLessons(db, sql`a.student_id = ${studentId}`, now),
    queryRows<{ total: number; late: number }>(
      db,
      sql`with r as (
            select e.account_id, e.at,
                   lag(e.account_id is not null) over w as after_staff,
                   lag(e.at) over w as staff_at
              from application_events e join applications a on a.id = e.application_id
             where a.student_id = ${studentId} and e.type = 'reply'
               and e.at >= ${since}::timestamptz and e.at <= ${until}::timestamptz
            window w as (partition by e.application_id order by e.at, e.id)
          )
          select count(*)::int as total,
                 count(*) filter (where at - staff_at > make_interval(secs => ${LATE_REPLY_MS / 1000}::float8))::int as late
            from r where account_id is null and after_staff`,
    ),
  ]);
  const result = discipline({
    funnelEvents: events.map((e) => ({ flow: e.flow, step: e.step, action: e.action, at: toDate(e.at)! })),
    applications: apps[0],
    lessons,
    replies: replies[0],
    now,
  });
  await store(db, "student", studentId, result, now);
  return result;
}

export interface RecomputeOptions {
  /** Subjects loaded per page (keyset pagination by id). */
  batchSize?: number;
  /** Called after each batch, e.g. to print progress. */
  onBatch?: (kind: IndexSubject, done: number) => void;
}

export interface RecomputeSummary {
  schools: number;
  instructors: number;
  students: number;
}

/**
 * Every school, instructor and student, page by page (ids in batches, so memory stays flat).
 * Inactive subjects too: their stored value must age with the window like everyone else's.
 * Each subject is computed and stored on its own, so a failure halfway keeps what was done.
 */
export async function recomputeAll(db: Db, now: Date, opts: RecomputeOptions = {}): Promise<RecomputeSummary> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 200));
  const subjects = [
    { kind: "school", table: schools, run: recomputeSchoolTrust },
    { kind: "instructor", table: instructors, run: recomputeInstructorTrust },
    { kind: "student", table: students, run: recomputeStudentDiscipline },
  ] as const;
  const done: Record<IndexSubject, number> = { school: 0, instructor: 0, student: 0 };
  for (const { kind, table, run } of subjects) {
    let after = 0;
    for (;;) {
      const page = await db.select({ id: table.id }).from(table).where(gt(table.id, after)).orderBy(asc(table.id)).limit(batchSize);
      for (const { id } of page) await run(db, id, now);
      done[kind] += page.length;
      if (page.length > 0) opts.onBatch?.(kind, done[kind]);
      if (page.length < batchSize) break;
      after = page[page.length - 1]!.id;
    }
  }
  return { schools: done.school, instructors: done.instructor, students: done.student };
}
