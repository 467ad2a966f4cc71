// Exactly-once handling of Telegram updates: the update_id is recorded in the same
// transaction as the update's effects, so a redelivered update changes nothing.
import type { Tx } from "../db/client.ts";
import { processedUpdates } from "../db/schema.ts";

/** Records the update id in the caller's transaction; null when it was already processed. */
export async function claimUpdate(tx: Tx, updateId: number): Promise<true | null> {
  const fresh = await tx.insert(processedUpdates).values({ updateId }).onConflictDoNothing().returning();
  return fresh.length ? true : null;
}
