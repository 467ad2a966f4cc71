// An instructor's slot and whether it is taken: the one place that decides it. A slot's own state
// is only whether its instructor offers it (free) or withdrew it (cancelled). It is taken while
// a live application holds it: applications.slot_id, in a status the status model says holds a
// slot; the partial unique index applications_slot_live_idx (same predicate) keeps one holder.
import { and, asc, eq, gt, lt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applications, instructors, instructorSlots, lessons } from "../db/schema.ts";
import { SLOT_RELEASING_STATUSES, sqlStatusList } from "../model/application-status.ts";
import { DAY_MS } from "../model/time.ts";

export type Slot = typeof instructorSlots.$inferSelect;

/** An `applications` row holds its slot (written as the unique index's predicate, so it can use it). */
export const HOLDS_SLOT: SQL = sql`${applications.status} not in ${sql.raw(sqlStatusList(SLOT_RELEASING_STATUSES))}`;

/** The live application on a slot: the join condition for listing slots with their holders. */
export const holderOf = (slotId: number | typeof instructorSlots.id): SQL => and(eq(applications.slotId, slotId), HOLDS_SLOT)!;

/** The slot is taken by a live application. */
const TAKEN: SQL = sql`exists (select 1 from ${applications} where ${holderOf(instructorSlots.id)})`;

/**
 * A subquery of `what` over the planned lessons of the slot's instructor that overlap the slot
 * (planned by hand in the CRM, or moved there): the time is the lesson's, whatever the slot's own
 * booking says. `l` names the lesson.
 */
export function lessonsOverSlot(what: SQL): SQL {
  return sql`select ${what} from ${lessons} l where l.instructor_id = ${instructorSlots.instructorId} and l.state = 'planned'
    and l.starts_at < ${instructorSlots.startsAt} + make_interval(mins => ${instructorSlots.minutes}::int)
    and ${instructorSlots.startsAt} < l.starts_at + make_interval(mins => l.minutes::int)`;
}

const UNDER_LESSON: SQL = sql`exists (${lessonsOverSlot(sql`1`)})`;

/** Offered, not taken and not under a lesson: what the bot may offer and what an instructor may withdraw without asking. */
export const OPEN: SQL = and(eq(instructorSlots.state, "free"), sql`not ${TAKEN}`, sql`not ${UNDER_LESSON}`)!;

/** OPEN, and its instructor still active: what a student may book, move to or be offered. */
export const BOOKABLE: SQL = and(OPEN, sql`exists (select 1 from ${instructors} i where i.id = ${instructorSlots.instructorId} and i.active)`)!;

/**
 * `[start, start + minutes)` meets another slot or lesson's `[col, col + minutesCol)`: the one
 * overlap test for slots and lessons (start is an instant, minutes whole minutes).
 */
export function overlaps(startCol: AnyColumn, minutesCol: AnyColumn, start: Date, minutes: number): SQL {
  const end = new Date(start.getTime() + minutes * 60_000);
  return sql`(${startCol} < ${end.toISOString()}::timestamptz and ${startCol} + make_interval(mins => ${minutesCol}::int) > ${start.toISOString()}::timestamptz)`;
}

/** Open slots of an instructor between `from` and `from + days`, earliest first. */
export function freeSlots(db: Db | Tx, instructorId: number, from: Date, days = 14): Promise<Slot[]> {
  const to = new Date(from.getTime() + days * DAY_MS);
  return db
    .select()
    .from(instructorSlots)
    .where(and(eq(instructorSlots.instructorId, instructorId), BOOKABLE, gt(instructorSlots.startsAt, from), lt(instructorSlots.startsAt, to)))
    .orderBy(asc(instructorSlots.startsAt));
}

/** The slot, if it is still open, in the future and belongs to the instructor. */
export async function findFreeSlot(db: Db | Tx, instructorId: number, slotId: number, now: Date): Promise<Slot | null> {
  const [slot] = await db
    .select()
    .from(instructorSlots)
    .where(and(eq(instructorSlots.id, slotId), eq(instructorSlots.instructorId, instructorId), BOOKABLE, gt(instructorSlots.startsAt, now)));
  return slot ?? null;
}

/**
 * Takes the instructor's calendar for the rest of the transaction: every change of who holds which
 * time (booking a slot, planning or moving a lesson, a waitlist confirmation) runs after this, one
 * at a time, and sees what the one before it committed.
 */
export async function lockCalendar(tx: Tx, instructorId: number): Promise<void> {
  await tx.select({ id: instructors.id }).from(instructors).where(eq(instructors.id, instructorId)).for("update");
}

/** The slot is bookable now (ask after lockCalendar for an answer that holds). */
export async function isSlotOpen(tx: Db | Tx, slotId: number): Promise<boolean> {
  const [row] = await tx.select({ id: instructorSlots.id }).from(instructorSlots).where(and(eq(instructorSlots.id, slotId), BOOKABLE));
  return Boolean(row);
}
