// Our own long-polling loop around GramIO's handlers. We do not use GramIO's built-in polling
// because it runs every update of a batch concurrently (no order within a chat), advances the
// offset before handling, and drops fetched updates on stop. Here (issue 19):
//  - each fetched batch is stored in the inbox (bot_inbox, one statement) and the offset moves
//    past it at once; the next getUpdates comes right away, whatever is still being handled. If
//    storing fails (the database is away) the offset stays, Telegram keeps the updates, and the
//    loop backs off. An update the database refuses (U+0000 is replaced before; anything else)
//    is skipped with a log line (storeUpdates), so one bad update cannot stall the batch;
//  - stored updates are handled by per-chat workers (chat-queues.ts): one chat's in order, one at
//    a time; different chats in parallel, taking turns, at most CONCURRENCY at once. A handled
//    update's row is deleted (batched); one that failed because the database was away stays at
//    the head of its chat, which pauses while the other chats go on (until one of them succeeds);
//  - a chat may queue `cap` updates; what it sends beyond is not stored (onDrop answers it);
//  - with MAX_QUEUED updates waiting, the loop waits for room before it fetches more;
//  - start() first loads what the inbox holds (a restart, or a new leader); stop() aborts the long
//    poll, waits for the updates being handled (not the backlog: it is stored) and confirms the
//    offset.
import type { Bot } from "gramio";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { deleteHandled, loadInbox, storable, storeUpdates } from "../domain/bot-inbox.ts";
import { backoff, loop, type Sleep } from "../jobs/loop.ts";
import { log } from "../log.ts";
import { chatOf, ChatQueues, type Admission } from "./chat-queues.ts";
import { IdBatch } from "./id-batch.ts";
import type { ReplySends } from "./reply-sends.ts";

export interface TelegramUpdate {
  update_id: number;
  [kind: string]: unknown;
}

/** Marks an update whose handling should be retried (set by the bot's middleware). */
export type RetryMarks = Set<number>;

/** Reacts to an update dropped over its chat's cap (src/bot/flood.ts). */
export type OnDrop = (update: TelegramUpdate, admission: Exclude<Admission, "queued">) => void;

const LONG_POLL_SECONDS = 25;
/**
 * Updates handled at once. Each holds a pooled connection only for its transaction (the pool,
 * DATABASE_POOL_SIZE, 20 by default, is shared with the web side) plus the dispatch around it; its
 * replies are sent after its turn (reply-sends.ts), so a slot is never held waiting for a send slot.
 */
export const CONCURRENCY = 16;
/**
 * Updates waiting in memory before the loop stops fetching. Each chat holds at most its cap (50 by
 * default), so 5,000 is a hundred chats each at a full cap, or fifty getUpdates batches (100
 * each): a few chats flooding at once never stop the fetching for the others. An update is ~1 KB
 * in memory (a photo's is a file id, not the photo), so the bound is a few MB.
 */
export const MAX_QUEUED = 5000;

export interface PollerOptions {
  bot: Bot;
  apiRoot: string;
  token: string;
  db: Db;
  retry: RetryMarks;
  /** The handled updates' reply sends, waited for off the workers' slots (reply-sends.ts). */
  sends?: ReplySends;
  /** Updates one chat may queue (config BOT_CHAT_QUEUE_CAP). */
  cap: number;
  onDrop?: OnDrop;
  /** Bookkeeping after a stored batch (the health page's last update); never holds the updates up. */
  onBatch?: () => Promise<void>;
  sleep?: Sleep;
}

/** jsonb sorts an object's keys, and GramIO takes an update's kind from its second key: update_id goes first again. */
const fromStore = (u: Record<string, unknown>): TelegramUpdate => ({ update_id: u.update_id as number, ...u });

export function createPoller(o: PollerOptions) {
  let offset = 0;
  let abort: AbortController | null = null;
  let stopping = new AbortController(); // ends a wait for room in the queues
  let loaded = false;
  const retries = backoff(1000, 30_000);
  const handled = new IdBatch((ids) => deleteHandled(o.db, ids), "the inbox deletes of handled updates");
  const queues = new ChatQueues({
    concurrency: CONCURRENCY,
    cap: o.cap,
    sleep: o.sleep,
    async work(u) {
      await o.bot.updates.handleUpdate(u as never);
      return o.retry.delete(u.update_id) ? "retry" : "done";
    },
    sending: (u) => o.sends?.take(u.update_id),
    onDone: (u) => handled.add([u.update_id]),
  });

  async function fetchUpdates(timeout: number, limit = 100): Promise<TelegramUpdate[]> {
    abort = new AbortController();
    const res = await fetch(`${o.apiRoot}/bot${o.token}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ offset, timeout, limit, allowed_updates: ["message", "callback_query", "my_chat_member"] }),
      signal: abort.signal,
    });
    const body = (await res.json()) as { ok: boolean; result?: TelegramUpdate[]; description?: string; parameters?: { retry_after?: number } };
    if (!body.ok) throw Object.assign(new Error(`getUpdates: ${res.status} ${body.description}`), { retryAfter: body.parameters?.retry_after, status: res.status });
    return body.result ?? [];
  }

  /**
   * Stores a batch (what its chats may still queue) and queues what was new; the rest is dropped.
   * Throws when storing fails, with nothing changed. An update the database refuses is skipped
   * (storeUpdates), so the offset moves past it.
   */
  async function take(fetched: TelegramUpdate[]): Promise<void> {
    const updates = fetched.map(storable); // what is handled is what was stored
    const admissions = updates.map((u) => queues.cap.admit(chatOf(u)));
    const kept = updates.filter((_, i) => admissions[i] === "queued");
    let added: Set<number>;
    try {
      added = await storeUpdates(o.db, kept.map((u) => ({ updateId: u.update_id, chatKey: String(chatOf(u)), update: u })));
    } catch (err) {
      updates.forEach((u, i) => queues.cap.undo(chatOf(u), admissions[i]!));
      throw err;
    }
    updates.forEach((u, i) => {
      const admission = admissions[i]!;
      if (admission !== "queued") o.onDrop?.(u, admission);
      else if (added.has(u.update_id)) queues.push(u);
      else queues.cap.release(chatOf(u)); // stored before (queued already) or handled before
    });
  }

  // One long poll a round, the next at once; a failed getUpdates or a failed store pauses with a
  // doubling backoff (or Telegram's retry_after). Once stopped there is no pause (jobs/loop.ts),
  // and stop() aborts the long poll in flight.
  const polling = loop({
    name: "bot polling",
    everyMs: 0,
    sleep: o.sleep,
    async round(running) {
      if (!loaded) {
        // Before anything new: a chat's stored updates are older than what Telegram has now.
        queues.load((await loadInbox(o.db)).map(fromStore));
        loaded = true;
      }
      await queues.roomBelow(MAX_QUEUED, stopping.signal);
      if (!running()) return 0;
      const updates = await fetchUpdates(LONG_POLL_SECONDS);
      if (!updates.length) return 0;
      await take(updates);
      offset = updates.at(-1)!.update_id + 1; // the next getUpdates confirms them to Telegram
      retries.reset();
      await o.onBatch?.().catch(() => {});
      return 0;
    },
    onError(err, running) {
      if (!running()) return 0; // the long poll aborted by stop()
      const retryAfter = (err as { retryAfter?: number }).retryAfter;
      const inMs = retryAfter ? (retries.next(), retryAfter * 1000) : retries.next();
      if (isDatabaseUnavailable(err)) log.warn("database unavailable; updates stay with Telegram until they are stored", { inMs });
      else log.warn("getUpdates failed, retrying", { err: err as Error, inMs });
      return inMs;
    },
  });

  return {
    start() {
      retries.reset();
      stopping = new AbortController();
      loaded = false;
      queues.start();
      polling.start();
    },
    async stop() {
      stopping.abort();
      const drained = queues.stop(); // no new turn from here; the backlog stays stored
      const stopped = polling.stop(); // marks it stopped before the abort below lands
      abort?.abort();
      await stopped; // a batch being stored is stored (the next start loads it)
      await drained; // the updates being handled
      await handled.flush();
      // Confirm what was stored, so a restart does not fetch it again.
      if (offset) await fetchUpdates(0, 1).catch(() => {});
    },
  };
}
