// Keeps the stored indexes current. A change that affects an index marks its subject dirty in
// the change's own transaction (markDirty: one idempotent insert); the refresher recomputes the
// dirty subjects a few seconds later, off the request path (src/jobs/index-refresh.ts runs
// refreshDirty). Several instances can refresh at once (SKIP LOCKED), and
// `bun run analytics:recompute` recomputes everything from scratch.
import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { queryRows } from "../db/client.ts";
import { indexDirty, indexSubjects, type IndexSubject } from "../db/schema.ts";
import { recomputeMany } from "./indexes.ts";

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
    // Kind by kind in a fixed order, each in id order (recomputeMany): two refreshers, and
    // recomputeAll (which upserts each kind in id order), lock index_values rows in the same order
    // and cannot deadlock (seen on the bench database before this order).
    for (const kind of indexSubjects) {
      const ids = claimed.filter((s) => s.subject_kind === kind).map((s) => Number(s.subject_id));
      await recomputeMany(tx, kind, ids, now);
    }
    return claimed.length;
  });
}

/**
 * A review was written, hidden or shown: the trust index shrinks a review average toward its
 * city's mean (docs/analytics.md), so every school and instructor of that city is marked, not only
 * the reviewed one. Reviews are rare (one per finished course), the marks are one statement.
 */
export async function markReviewDirty(tx: Db | Tx, cityId: number): Promise<void> {
  await tx.execute(sql`insert into index_dirty (subject_kind, subject_id)
    select 'school', id from schools where city_id = ${cityId}
    union all select 'instructor', id from instructors where city_id = ${cityId}
    on conflict do nothing`);
}
