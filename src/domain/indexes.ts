// Trust (schools, instructors) and discipline (students) indexes: load the inputs of the pure
// modules in src/analytics/ with a few bounded queries, compute, and store the result in
// index_values. Formulas: docs/analytics.md. Only the last WINDOW_DAYS of behaviour count, so
// old mistakes fade out; recomputeAll (bun run analytics:recompute) refreshes everyone nightly.
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { indexValues, instructors, schools, students, type IndexSubject } from "../db/schema.ts";
import {
  discipline,
  LATE_REPLY_MS,
  type FunnelEventInput,
  type ReplyTally,
  type StudentApplicationTally,
} from "../analytics/discipline.ts";
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
//
// Every loader reads the inputs of a range of subject ids (lo..hi) in one query and returns them by
// subject id. The per-subject functions call them with lo = hi = the subject (the refresher's path);
// recomputeAll calls them with a batch of thousands of ids. Same SQL, same mapping to the pure
// modules' inputs, so both paths give the same results.

/** Subject ids lo..hi, both included. */
interface IdRange {
  lo: number;
  hi: number;
}

/** Epoch milliseconds of a timestamptz, a plain JSON number on PGlite and on postgres.js alike. */
const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

const toDateMs = (v: number | null): Date | null => (v == null ? null : new Date(v));

/** `column` within the window: the last WINDOW_DAYS before `now`, and not after `now`. */
const inWindow = (column: string, now: Date) =>
  sql`${sql.raw(column)} >= ${windowStart(now)}::timestamptz and ${sql.raw(column)} <= ${now.toISOString()}::timestamptz`;

/**
 * How many of a subject's latest applications (within the window) feed its trust index. Far above
 * the prior's weight, so the shrinkage does not notice; it bounds the work for the busiest
 * schools (100k applications a year) to one indexed read of this many rows.
 */
export const TRUST_SAMPLE = 2000;

/** One application as loadApplications ships it: status, then epoch ms of created, first response, confirmed, paid, cancelled. */
type AppTuple = [TrustApplication["status"], number, number | null, number | null, number | null, number | null];

const toTrustApplication = ([status, created, firstResponse, confirmed, paid, cancelled]: AppTuple): TrustApplication => ({
  createdAt: new Date(created),
  status,
  firstResponseAt: toDateMs(firstResponse),
  confirmedAt: toDateMs(confirmed),
  paidAt: toDateMs(paid),
  cancelledAt: toDateMs(cancelled),
});

/**
 * Each subject's latest `sample` applications created in the window (and not after `now`): one
 * indexed read per subject (applications_*_inbox_idx), aggregated to one JSON array per subject.
 */
async function loadApplications(
  db: Db | Tx,
  kind: "school" | "instructor",
  range: IdRange,
  now: Date,
  sample = TRUST_SAMPLE,
): Promise<Map<number, TrustApplication[]>> {
  const [table, column] = kind === "school" ? ["schools", "school_id"] : ["instructors", "instructor_id"];
  const rows = await queryRows<{ id: number; apps: string }>(
    db,
    sql`select s.id::int as id,
               json_agg(json_build_array(a.status, ${epochMs("a.created_at")}, ${epochMs("a.first_response_at")},
                                         ${epochMs("a.confirmed_at")}, ${epochMs("a.paid_at")}, ${epochMs("a.cancelled_at")}))::text as apps
          from ${sql.raw(table)} s
          cross join lateral (
                select id, status, created_at, first_response_at, confirmed_at, paid_at, cancelled_at
                  from applications
                 where ${sql.raw(column)} = s.id and ${inWindow("created_at", now)}
                 order by created_at desc, id desc
                 limit ${sample}) a
         where s.id between ${range.lo} and ${range.hi}
         group by s.id`,
  );
  return new Map(rows.map((r) => [Number(r.id), (JSON.parse(r.apps) as AppTuple[]).map(toTrustApplication)]));
}

interface LessonCounts {
  conducted: number;
  noShowByStudent: number;
  noShowByInstructor: number;
}

const NO_LESSONS: LessonCounts = { conducted: 0, noShowByStudent: 0, noShowByInstructor: 0 };

/** Lesson outcomes in the window, counted in SQL per instructor (l.instructor_id) or per student (a.student_id). */
async function countLessons(db: Db | Tx, key: "l.instructor_id" | "a.student_id", range: IdRange, now: Date): Promise<Map<number, LessonCounts>> {
  const rows = await queryRows<LessonCounts & { id: number }>(
    db,
    sql`select ${sql.raw(key)}::int as id,
               count(*) filter (where l.state = 'conducted')::int as "conducted",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'student')::int as "noShowByStudent",
               count(*) filter (where l.state = 'no_show' and l.no_show_by = 'instructor')::int as "noShowByInstructor"
          from lessons l join applications a on a.id = l.application_id
         where ${sql.raw(key)} between ${range.lo} and ${range.hi} and ${inWindow("l.starts_at", now)}
         group by ${sql.raw(key)}`,
  );
  return new Map(rows.map(({ id, ...counts }) => [Number(id), counts]));
}

/** Each student's funnel events in the window (plain rows: no aggregate to spill for a batch of 10,000 students). */
async function loadFunnelEvents(db: Db | Tx, range: IdRange, now: Date): Promise<Map<number, FunnelEventInput[]>> {
  const rows = await queryRows<{ id: number; flow: string; step: string; action: FunnelEventInput["action"]; at: number }>(
    db,
    sql`select student_id::int as id, flow, step, action, ${epochMs("at")} as at
          from funnel_events
         where student_id between ${range.lo} and ${range.hi} and ${inWindow("at", now)}`,
  );
  const byStudent = new Map<number, FunnelEventInput[]>();
  for (const { id, flow, step, action, at } of rows) {
    const event = { flow, step, action, at: new Date(Number(at)) };
    const events = byStudent.get(Number(id));
    if (events) events.push(event);
    else byStudent.set(Number(id), [event]);
  }
  return byStudent;
}

/** Each student's confirmed applications in the window, and how many of those they cancelled. */
async function countStudentApplications(db: Db | Tx, range: IdRange, now: Date): Promise<Map<number, StudentApplicationTally>> {
  const rows = await queryRows<StudentApplicationTally & { id: number }>(
    db,
    sql`select student_id::int as id,
               count(*) filter (where c.confirmed)::int as "confirmed",
               count(*) filter (where c.confirmed and (cancelled_at is not null or status = 'cancelled'))::int as "cancelledAfterConfirm"
          from applications,
               lateral (select (confirmed_at is not null or paid_at is not null
                                or status in ('confirmed', 'paid', 'studying', 'completed', 'accepted')) as confirmed) c
         where student_id between ${range.lo} and ${range.hi} and ${inWindow("created_at", now)}
         group by student_id`,
  );
  return new Map(rows.map(({ id, ...tally }) => [Number(id), tally]));
}

/**
 * Each student's replies in the window, and how many were late. A student's reply is an
 * application_events row of type 'reply' without an account (the student's side) whose previous
 * 'reply' on the same application came from staff (an account); its delay is the time since that
 * staff message. Follow-up messages without a new staff message in between are not replies to
 * anything and are not counted.
 */
async function countReplies(db: Db | Tx, range: IdRange, now: Date): Promise<Map<number, ReplyTally>> {
  const rows = await queryRows<ReplyTally & { id: number }>(
    db,
    sql`with r as (
          select a.student_id, e.account_id, e.at,
                 lag(e.account_id is not null) over w as after_staff,
                 lag(e.at) over w as staff_at
            from application_events e join applications a on a.id = e.application_id
           where a.student_id between ${range.lo} and ${range.hi} and e.type = 'reply' and ${inWindow("e.at", now)}
          window w as (partition by e.application_id order by e.at, e.id)
        )
        select student_id::int as id,
               count(*)::int as total,
               count(*) filter (where at - staff_at > make_interval(secs => ${LATE_REPLY_MS / 1000}::float8))::int as late
          from r where account_id is null and after_staff
         group by student_id`,
  );
  return new Map(rows.map(({ id, ...tally }) => [Number(id), tally]));
}

/** Options of the loaders that tests may override. */
export interface LoadOptions {
  /** Applications per trust subject (default TRUST_SAMPLE). */
  trustSample?: number;
}

// One function per kind: the inputs of every subject in the range, computed. Subjects without rows get
// the pure modules' empty inputs.

async function computeSchools(db: Db | Tx, range: IdRange, ids: readonly number[], now: Date, opts: LoadOptions): Promise<IndexResult[]> {
  const apps = await loadApplications(db, "school", range, now, opts.trustSample);
  return ids.map((id) => schoolTrust({ applications: apps.get(id) ?? [], now }));
}

async function computeInstructors(db: Db | Tx, range: IdRange, ids: readonly number[], now: Date, opts: LoadOptions): Promise<IndexResult[]> {
  const [apps, lessons] = await Promise.all([
    loadApplications(db, "instructor", range, now, opts.trustSample),
    countLessons(db, "l.instructor_id", range, now),
  ]);
  return ids.map((id) => instructorTrust({ applications: apps.get(id) ?? [], lessons: lessons.get(id) ?? NO_LESSONS, now }));
}

async function computeStudents(db: Db | Tx, range: IdRange, ids: readonly number[], now: Date): Promise<IndexResult[]> {
  const [events, apps, lessons, replies] = await Promise.all([
    loadFunnelEvents(db, range, now),
    countStudentApplications(db, range, now),
    countLessons(db, "a.student_id", range, now),
    countReplies(db, range, now),
  ]);
  return ids.map((id) =>
    discipline({
      funnelEvents: events.get(id) ?? [],
      applications: apps.get(id) ?? { confirmed: 0, cancelledAfterConfirm: 0 },
      lessons: lessons.get(id) ?? NO_LESSONS,
      replies: replies.get(id) ?? { total: 0, late: 0 },
      now,
    }),
  );
}

const compute: Record<IndexSubject, (db: Db | Tx, range: IdRange, ids: readonly number[], now: Date, opts: LoadOptions) => Promise<IndexResult[]>> = {
  school: computeSchools,
  instructor: computeInstructors,
  student: computeStudents,
};

// ---- store and read ----

/**
 * Upserts the results of many subjects of one kind in one statement. The rows travel as three
 * parameters, the ids, the values and the components (one JSON document a line: JSON.stringify
 * never writes a raw newline), zipped by unnest: cheaper for the server than one JSON document of
 * the whole batch, which it would parse twice.
 */
async function store(db: Db | Tx, kind: IndexSubject, ids: readonly number[], results: readonly IndexResult[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const components = results.map(({ components, sampleSize, explanation }) => JSON.stringify({ components, sampleSize, explanation } satisfies StoredComponents));
  await db.execute(
    sql`insert into index_values (subject_kind, subject_id, value, components, computed_at)
        select ${kind}, r.id, r.value, r.components, ${now.toISOString()}::timestamptz
          from unnest(string_to_array(${ids.join(",")}, ',')::int[],
                      string_to_array(${results.map((r) => r.value).join(",")}, ',')::smallint[],
                      string_to_array(${components.join("\n")}, E'\\n')::jsonb[]) as r(id, value, components)
        on conflict (subject_kind, subject_id) do update
           set value = excluded.value, components = excluded.components, computed_at = excluded.computed_at`,
  );
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

/** Loads the subject's inputs (the same queries recomputeAll runs for a batch), computes, stores. */
async function recomputeOne(db: Db | Tx, kind: IndexSubject, id: number, now: Date, opts: LoadOptions): Promise<IndexResult> {
  const [result] = await compute[kind](db, { lo: id, hi: id }, [id], now, opts);
  await store(db, kind, [id], [result!], now);
  return result!;
}

/** One query for the applications, one upsert. */
export const recomputeSchoolTrust = (db: Db | Tx, schoolId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "school", schoolId, now, opts);

/** Applications and lesson counts (two queries), one upsert. */
export const recomputeInstructorTrust = (db: Db | Tx, instructorId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "instructor", instructorId, now, opts);

/** Funnel events (rows), and counts in SQL for applications, lessons and replies: four queries, one upsert. */
export const recomputeStudentDiscipline = (db: Db | Tx, studentId: number, now: Date, opts: LoadOptions = {}): Promise<IndexResult> =>
  recomputeOne(db, "student", studentId, now, opts);

export interface RecomputeOptions extends LoadOptions {
  /** Subjects per batch (keyset pagination by id); each batch is a few set-based reads and one upsert. */
  batchSize?: number;
  /** Called after each batch, e.g. to print progress. */
  onBatch?: (kind: IndexSubject, done: number) => void;
}

export interface RecomputeSummary {
  schools: number;
  instructors: number;
  students: number;
}

export const RECOMPUTE_BATCH = 10_000;

/**
 * Every school, instructor and student, batch by batch (a range of ids at a time, so memory
 * stays flat). Inactive subjects too: their stored value must age with the window like everyone
 * else's. Each batch reads all its subjects' inputs in a few set-based queries (the same the
 * per-subject functions run for one id), computes with the pure modules and stores the batch in
 * one upsert, so a failure halfway keeps the batches already done.
 */
export async function recomputeAll(db: Db, now: Date, opts: RecomputeOptions = {}): Promise<RecomputeSummary> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? RECOMPUTE_BATCH));
  const subjects = [
    { kind: "school", table: schools },
    { kind: "instructor", table: instructors },
    { kind: "student", table: students },
  ] as const;
  const done: Record<IndexSubject, number> = { school: 0, instructor: 0, student: 0 };
  // A batch is stored while the next one is read and computed: at most two batches in memory.
  let storing: Promise<void> = Promise.resolve();
  for (const { kind, table } of subjects) {
    let after = 0;
    for (;;) {
      const page = await db.select({ id: table.id }).from(table).where(gt(table.id, after)).orderBy(asc(table.id)).limit(batchSize);
      if (page.length === 0) break;
      const ids = page.map((r) => r.id);
      // The page holds every id of the table between its first and its last.
      const results = await compute[kind](db, { lo: ids[0]!, hi: ids[ids.length - 1]! }, ids, now, opts);
      await storing;
      storing = store(db, kind, ids, results, now).then(() => {
        done[kind] += ids.length;
        opts.onBatch?.(kind, done[kind]);
      });
      storing.catch(() => {}); // awaited (and thrown) before the next batch is stored or at the end
      if (page.length < batchSize) break;
      after = ids[ids.length - 1]!;
    }
  }
  await storing;
  return { schools: done.school, instructors: done.instructor, students: done.student };
}
