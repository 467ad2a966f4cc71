// Keeps the stored indexes current. A change that affects an index marks its subject dirty in
// the change's own transaction (markDirty: one idempotent insert); the refresher recomputes the
// dirty subjects a few seconds later, off the request path (src/jobs/index-refresh.ts runs
// refreshDirty). Several instances can refresh at once (SKIP LOCKED), and
// `bun run analytics:recompute` recomputes everything from scratch.
import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { queryRows } from "../db/client.ts";
import { indexDirty, type IndexSubject } from "../db/schema.ts";
import { recomputeInstructorTrust, recomputeSchoolTrust, recomputeStudentDiscipline } from "./indexes.ts";

export type Subject = { kind: IndexSubject; id: number };

/** The subjects an application's changes affect: its school or instructor, and its student. */
export function subjectsOf(a: { schoolId: number | null; instructorId: number | null; studentId: number }): Subject[] {
  return [
    a.schoolId ? { kind: "school", id: a.schoolId } : { kind: "instructor", id: a.instructorId! },
    { kind: "student", id: a.studentId },
  ];
}

export async function markDirty(tx: Db | Tx, subjects: (Subject | null | undefined)[]): Promise<void> {
  const rows = subjects.filter((s): s is Subject => Boolean(s?.id)).map((s) => ({ subjectKind: s.kind, subjectId: s.id }));
  if (rows.length) await tx.insert(indexDirty).values(rows).onConflictDoNothing();
}

const recompute: Record<IndexSubject, (db: Db | Tx, id: number, now: Date) => Promise<unknown>> = {
  school: recomputeSchoolTrust,
  instructor: recomputeInstructorTrust,
  student: recomputeStudentDiscipline,
};

/** Recomputes up to `limit` dirty subjects; returns how many. */
export async function refreshDirty(db: Db, now: Date, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await queryRows<{ subject_kind: IndexSubject; subject_id: number }>(
      tx,
      sql`delete from index_dirty where (subject_kind, subject_id) in (
            select subject_kind, subject_id from index_dirty order by marked_at limit ${limit} for update skip locked)
          returning subject_kind, subject_id`,
    );
    // Recomputed inside the claiming transaction: if it fails, the marks come back with the rollback.
    // In (kind, id) order: recomputeAll upserts each kind in id order, so both lock index_values
    // rows in the same order and cannot deadlock (seen on the bench database before this order).
    claimed.sort((a, b) => (a.subject_kind < b.subject_kind ? -1 : a.subject_kind > b.subject_kind ? 1 : a.subject_id - b.subject_id));
    for (const s of claimed) await recompute[s.subject_kind](tx, s.subject_id, now);
    return claimed.length;
  });
}
