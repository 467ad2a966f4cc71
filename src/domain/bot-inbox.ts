// The bot's durable inbox (polling mode, issue 19): a fetched batch is stored before Telegram is
// told it was received, handled from here chat by chat (src/bot/chat-queues.ts), and deleted once
// handled. Whether an update took effect is still processed_updates' to say (domain/updates.ts):
// a row deleted late, or stored twice, is handled again harmlessly.
import { asc, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { anyId } from "../db/id-list.ts";
import { botInbox } from "../db/schema.ts";
import { log } from "../log.ts";

export interface InboxUpdate {
  updateId: number;
  chatKey: string;
  update: Record<string, unknown>;
}

/**
 * The update as it can be stored and handled: PostgreSQL refuses U+0000 in jsonb ("unsupported
 * Unicode escape sequence") and in text columns, and Telegram passes it through in a message's
 * text, so it becomes U+FFFD (the replacement character). Most updates have none and come back as they are.
 */
export function storable<T>(update: T): T {
  const json = JSON.stringify(update);
  if (!json.includes("\\u0000")) return update;
  return JSON.parse(json, (_key, value) => (typeof value === "string" ? value.replaceAll("\0", "\uFFFD") : value)) as T;
}

/**
 * Stores a batch (give it storable() updates); returns the ids it added. An update already
 * stored (Telegram gave it again before the offset confirmed it) or already handled is left out.
 * One statement; if the database refuses the batch for another reason than being away, row by
 * row (a savepoint each, in one transaction: an outage midway stores none), and a row it refuses
 * is skipped, so one bad update does not hold up every chat's.
 */
export async function storeUpdates(db: Db, updates: InboxUpdate[]): Promise<Set<number>> {
  if (!updates.length) return new Set();
  try {
    return await insertRows(db, updates);
  } catch (err) {
    if (!refusesData(err)) throw err;
    return db.transaction(async (tx) => {
      const added = new Set<number>();
      for (const u of updates) {
        try {
          for (const id of await tx.transaction((sp) => insertRows(sp, [u]))) added.add(id);
        } catch (rowErr) {
          if (!refusesData(rowErr)) throw rowErr;
          // The id and the error's code only: the update's content is the student's.
          log.warn("the inbox refuses an update; it is skipped", { updateId: u.updateId, code: (rowErr as { code?: string }).code });
        }
      }
      return added;
    });
  }
}

/**
 * The database refused the data itself: SQLSTATE class 22 (data exception: a lone surrogate in
 * jsonb) or 23 (integrity). Only such a row is skipped. Anything else (the database away, however
 * the driver words it, a timeout, a bug) is not the update's fault: it is thrown, the offset stays
 * and Telegram keeps the update (seen on PostgreSQL: a connection cut mid-batch came back without
 * a code isDatabaseUnavailable knows, and a row was skipped).
 */
function refusesData(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^2[23][0-9A-Z]{3}$/.test(e.code)) return !isDatabaseUnavailable(err);
  }
  return false;
}

async function insertRows(db: Db | Tx, updates: InboxUpdate[]): Promise<Set<number>> {
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
