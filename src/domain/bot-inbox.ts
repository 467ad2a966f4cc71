// The bot's durable inbox (polling mode, issue 19): a fetched batch is stored before Telegram is
// told it was received, handled from here chat by chat (src/bot/chat-queues.ts), and deleted once
// handled. Whether an update took effect is still processed_updates' to say (domain/updates.ts):
// a row deleted late, or stored twice, is handled again harmlessly.
import { asc, sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client.ts";
import { anyId } from "../db/id-list.ts";
import { botInbox } from "../db/schema.ts";

export interface InboxUpdate {
  updateId: number;
  chatKey: string;
  update: Record<string, unknown>;
}

/**
 * Stores a batch in one statement; returns the ids it added. An update already stored (Telegram
 * gave it again before the offset confirmed it) or already handled is left out.
 */
export async function storeUpdates(db: Db, updates: InboxUpdate[]): Promise<Set<number>> {
  if (!updates.length) return new Set();
  const rows = JSON.stringify(updates.map((u) => ({ update_id: u.updateId, chat_key: u.chatKey, update: u.update })));
  const added = await queryRows<{ update_id: string | number }>(
    db,
    sql`insert into bot_inbox (update_id, chat_key, "update")
        select r.update_id, r.chat_key, r."update"
          from jsonb_to_recordset(${rows}::jsonb) as r(update_id bigint, chat_key text, "update" jsonb)
         where not exists (select 1 from processed_updates p where p.update_id = r.update_id)
        on conflict (update_id) do nothing
        returning update_id`,
  );
  return new Set(added.map((r) => Number(r.update_id)));
}

/** What the inbox holds, oldest first; rows of updates handled already (a crash before their delete) go first. */
export async function loadInbox(db: Db): Promise<Record<string, unknown>[]> {
  await db.execute(sql`delete from bot_inbox i using processed_updates p where p.update_id = i.update_id`);
  const rows = await db.select({ update: botInbox.update }).from(botInbox).orderBy(asc(botInbox.updateId));
  return rows.map((r) => r.update);
}

/** Forgets handled updates (one statement for a batch of them). */
export async function deleteHandled(db: Db, updateIds: number[]): Promise<void> {
  if (updateIds.length) await db.delete(botInbox).where(anyId(botInbox.updateId, updateIds));
}
