// An instructor's free time as the bot offers it. A slot is free when no live application holds
// it; the partial unique index applications_slot_live_idx guarantees one holder per slot.
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { instructorSlots } from "../db/schema.ts";
import { DAY_MS } from "../model/time.ts";

export type Slot = typeof instructorSlots.$inferSelect;

const LIVE_HOLD = sql`exists (select 1 from applications a where a.slot_id = ${instructorSlots.id} and a.status not in ('rejected', 'cancelled'))`;

/** Free slots of an instructor between `from` and `from + days`, earliest first. */
export function freeSlots(db: Db | Tx, instructorId: number, from: Date, days = 14): Promise<Slot[]> {
  const to = new Date(from.getTime() + days * DAY_MS);
  return db
    .select()
    .from(instructorSlots)
    .where(
      and(
        eq(instructorSlots.instructorId, instructorId),
        eq(instructorSlots.state, "free"),
        gt(instructorSlots.startsAt, from),
        lt(instructorSlots.startsAt, to),
        sql`not ${LIVE_HOLD}`,
      ),
    )
    .orderBy(asc(instructorSlots.startsAt));
}

/** The slot, if it is still free and belongs to the instructor. */
export async function findFreeSlot(db: Db | Tx, instructorId: number, slotId: number, now: Date): Promise<Slot | null> {
  const [slot] = await db
    .select()
    .from(instructorSlots)
    .where(
      and(
        eq(instructorSlots.id, slotId),
        eq(instructorSlots.instructorId, instructorId),
        eq(instructorSlots.state, "free"),
        gt(instructorSlots.startsAt, now),
        sql`not ${LIVE_HOLD}`,
      ),
    );
  return slot ?? null;
}
