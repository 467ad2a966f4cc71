// Every message the bot sends on behalf of the CRM (status changes, replies, staff alerts; their
// texts come from src/notify/) goes through this table: written in the same transaction as the change that causes it,
// delivered later by bot/delivery.ts. A Telegram failure delays a message; it never loses
// it and never fails the CRM click.
import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import type { ChatMessage } from "../notify/message.ts";

export type OutboxRow = typeof outbox.$inferSelect;

/** Queues a message composed by src/notify/ (Telegram HTML, escaped there) for `chatId`. */
export async function enqueueMessage(tx: Db | Tx, chatId: number, m: ChatMessage): Promise<void> {
  await tx.insert(outbox).values({ chatId, payload: payloadOf(chatId, m) });
}

/** Queues several messages for one chat in one statement, in their order (the outbox keeps it per chat). */
export async function enqueueMessages(tx: Db | Tx, chatId: number, ms: ChatMessage[]): Promise<void> {
  if (ms.length) await tx.insert(outbox).values(ms.map((m) => ({ chatId, payload: payloadOf(chatId, m) })));
}

/** The Bot API call for a message: sendMessage, or sendPhoto / sendDocument by file_id with a caption. */
function payloadOf(chatId: number, m: ChatMessage): OutboxPayload {
  const common: Record<string, unknown> = { chat_id: chatId, parse_mode: "HTML" };
  if (m.markup) common.reply_markup = m.markup;
  if (m.media?.kind === "photo") return { method: "sendPhoto", params: { ...common, photo: m.media.fileId, caption: m.text } };
  if (m.media?.kind === "document") return { method: "sendDocument", params: { ...common, document: m.media.fileId, caption: m.text } };
  return { method: "sendMessage", params: { ...common, text: m.text, link_preview_options: { is_disabled: true } } };
}

export type OutboxPayload = { method: string; params: Record<string, unknown> };

/**
 * The bot's replies to an update, written in the update's own transaction so a crash between
 * the commit and the sending loses nothing. They are held for `holdSeconds`: the bot sends them
 * at once and marks them sent; only if it dies first does the delivery loop take them over.
 * `alsoWrite` are the update's other writes as `with` parts (turnWriteParts), run in the same
 * statement.
 */
export async function enqueueReplies(tx: Db | Tx, chatId: number, payloads: OutboxPayload[], holdSeconds = 30, alsoWrite: SQL[] = []): Promise<number[]> {
  const parts = [...alsoWrite];
  if (payloads.length) {
    const values = payloads.map((p) => sql`(${chatId}, ${JSON.stringify(p)}::jsonb, now() + make_interval(secs => ${holdSeconds}))`);
    parts.push(sql`replies as (insert into outbox (chat_id, payload, next_attempt_at) values ${sql.join(values, sql`, `)} returning id)`);
  }
  if (!parts.length) return [];
  const last = payloads.length ? sql`select id from replies order by id` : sql`select 1 as id`;
  const rows = await queryRows<{ id: string | number }>(tx, sql`with ${sql.join(parts, sql`, `)} ${last}`);
  return payloads.length ? rows.map((r) => Number(r.id)) : [];
}

/**
 * `id = any(…)` with the ids as one array parameter: the same statement text for any number of
 * ids, so the driver prepares it once (an `in (…)` list is a new statement per length).
 */
const idIn = (ids: number[]) => sql`${outbox.id} = any(${`{${ids.join(",")}}`}::bigint[])`;

export async function markSentMany(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.update(outbox).set({ state: "sent", sentAt: sql`now()` }).where(idIn(ids));
}

/** Hands held replies to the delivery loop now (their direct send failed or must wait its turn). */
export async function releaseNow(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.update(outbox).set({ nextAttemptAt: sql`now()` }).where(idIn(ids));
}

/** Whether a chat still has messages waiting in the outbox. */
export async function hasPending(db: Db, chatId: number): Promise<boolean> {
  const [row] = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.chatId, chatId), eq(outbox.state, "pending"))).limit(1);
  return Boolean(row);
}

/** Gives up messages that can never be delivered (the user blocked the bot). */
export async function giveUp(db: Db, ids: number[], error: string): Promise<void> {
  if (ids.length) await db.update(outbox).set({ state: "failed", lastError: error.slice(0, 500) }).where(idIn(ids));
}

export const MAX_ATTEMPTS = 8;

/**
 * Claims due messages for one delivery pass, oldest first. `FOR UPDATE SKIP LOCKED` lets several
 * instances drain the outbox at once without sending a message twice; the claim is a lease
 * (next_attempt_at moves forward) so a crashed sender's messages come back after it expires.
 */
export async function claimDue(db: Db, limit = 50, leaseSeconds = 60): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.state, "pending"),
          lte(outbox.nextAttemptAt, sql`now()`),
          // One chat's messages leave in the order they were written: none overtakes an older one.
          sql`not exists (select 1 from outbox older where older.chat_id = ${outbox.chatId} and older.state = 'pending' and older.id < ${outbox.id})`,
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (!due.length) return [];
    return tx
      .update(outbox)
      .set({ nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(idIn(due.map((d) => d.id)))
      .returning();
  });
}

export async function markSent(db: Db, id: number): Promise<void> {
  await db.update(outbox).set({ state: "sent", sentAt: sql`now()`, lastError: null }).where(eq(outbox.id, id));
}

/** A failed try: retry after `retryInSeconds`, or give up after MAX_ATTEMPTS (or at once when `final`). */
export async function markFailed(db: Db, row: OutboxRow, error: string, retryInSeconds: number, final = false): Promise<void> {
  const attempts = row.attempts + 1;
  const giveUp = final || attempts >= MAX_ATTEMPTS;
  await db
    .update(outbox)
    .set({
      attempts,
      lastError: error.slice(0, 500),
      state: giveUp ? "failed" : "pending",
      nextAttemptAt: sql`now() + make_interval(secs => ${retryInSeconds})`,
    })
    .where(eq(outbox.id, row.id));
}
