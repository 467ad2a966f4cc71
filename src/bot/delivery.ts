// Drains the outbox into Telegram: messages the CRM wrote (status changes, replies, staff
// alerts) and replies that could not be sent at once. Several instances can run this at the
// same time (claimDue uses FOR UPDATE SKIP LOCKED). 429 waits retry_after; 403 marks the student
// unreachable and gives up; other failures back off exponentially up to MAX_ATTEMPTS.
import type { Db } from "../db/client.ts";
import { claimDue, markFailed, markSent, type OutboxRow } from "../domain/outbox.ts";
import { markUnreachable } from "../domain/students.ts";
import { sendPayload, type ChatBacklog } from "./replies.ts";
import { TelegramApiError, type TelegramApi } from "./telegram-api.ts";

async function deliver(api: TelegramApi, db: Db, row: OutboxRow): Promise<void> {
  try {
    await sendPayload(api, row.payload, 1); // one try: the outbox has its own backoff
    await markSent(db, row.id);
  } catch (err) {
    const e = err instanceof TelegramApiError ? err : new TelegramApiError(row.payload.method, 0, (err as Error).message);
    if (e.blocked) await markUnreachable(db, row.chatId);
    const retryIn = e.retryAfter ?? Math.min(2 ** row.attempts * 5, 3600);
    await markFailed(db, row, e.message, retryIn, e.blocked || (e.code >= 400 && e.code < 500 && e.code !== 429));
  }
}

/** Sends a claimed batch: one chat's messages in order, different chats in parallel. */
async function deliverBatch(api: TelegramApi, db: Db, rows: OutboxRow[]): Promise<void> {
  const byChat = new Map<number, OutboxRow[]>();
  for (const r of rows) byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r]);
  await Promise.all(
    [...byChat.values()].map(async (chatRows) => {
      for (const r of chatRows) await deliver(api, db, r);
    }),
  );
}

/**
 * One delivery round: claims due messages, sends them, forgets drained chats of the backlog.
 * Returns how many were claimed (0: nothing due). The loop around it is src/jobs/outbox-delivery.ts.
 */
export async function deliverDue(api: TelegramApi, db: Db, backlog: ChatBacklog): Promise<number> {
  const rows = await claimDue(db);
  if (rows.length) await deliverBatch(api, db, rows);
  await backlog.prune(db);
  return rows.length;
}
