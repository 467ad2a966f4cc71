// Exactly-once handling of Telegram updates: the update_id is recorded in the same
// transaction as the update's effects, so a redelivered update changes nothing.
import type { Db, Tx } from "../db/client.ts";
import { processedUpdates } from "../db/schema.ts";

/** Runs `work` once per update id; returns null when the update was already processed. */
export async function processOnce<T>(db: Db, updateId: number, work: (tx: Tx) => Promise<T>): Promise<{ result: T } | null> {
  return db.transaction(async (tx) => {
    const fresh = await tx.insert(processedUpdates).values({ updateId }).onConflictDoNothing().returning();
    if (fresh.length === 0) return null;
    return { result: await work(tx) };
  });
}
