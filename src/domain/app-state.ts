// Small facts the running system keeps about itself (e.g. when the bot last received an
// update), read by the admin dashboard.
import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { appState } from "../db/schema.ts";

export const BOT_LAST_UPDATE = "bot.last_update_at";

export async function setAppState(db: Db | Tx, key: string, value: unknown): Promise<void> {
  await db
    .insert(appState)
    .values({ key, value })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: sql`now()` } });
}
