// Our own long-polling loop around GramIO's handlers. We do not use GramIO's built-in polling
// because it runs every update of a batch concurrently (no order within a chat), advances the
// offset before handling, and drops fetched updates on stop. Here:
//  - updates of one chat run one after another; different chats run in parallel;
//  - the offset advances only past updates that were handled; an update that failed because the
//    database was away is fetched again later (processed_updates makes the redelivery harmless);
//  - stop() aborts the in-flight getUpdates (Telegram keeps unconfirmed updates) and confirms
//    the offset of what was handled.
import type { Bot } from "gramio";
import { backoff, loop, type Sleep } from "../jobs/loop.ts";
import { log } from "../log.ts";

export interface TelegramUpdate {
  update_id: number;
  [kind: string]: unknown;
}

/** Marks an update whose handling should be retried (set by the bot's middleware). */
export type RetryMarks = Set<number>;

const LONG_POLL_SECONDS = 25;

export function chatOf(update: TelegramUpdate): number | string {
  const u = update as Record<string, any>;
  const source = u.message ?? u.edited_message ?? u.callback_query ?? u.my_chat_member ?? {};
  return source.chat?.id ?? source.message?.chat?.id ?? source.from?.id ?? `update:${update.update_id}`;
}

export function createPoller(bot: Bot, apiRoot: string, token: string, retry: RetryMarks, onBatch: () => Promise<void> = async () => {}, opts: { sleep?: Sleep } = {}) {
  let offset = 0;
  let abort: AbortController | null = null;
  const retries = backoff(1000, 30_000);

  async function fetchUpdates(timeout: number, limit = 100): Promise<TelegramUpdate[]> {
    abort = new AbortController();
    const res = await fetch(`${apiRoot}/bot${token}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ offset, timeout, limit, allowed_updates: ["message", "callback_query", "my_chat_member"] }),
      signal: abort.signal,
    });
    const body = (await res.json()) as { ok: boolean; result?: TelegramUpdate[]; description?: string; parameters?: { retry_after?: number } };
    if (!body.ok) throw Object.assign(new Error(`getUpdates: ${res.status} ${body.description}`), { retryAfter: body.parameters?.retry_after, status: res.status });
    return body.result ?? [];
  }

  /** Handles a batch; returns the update ids to fetch again. */
  async function handle(updates: TelegramUpdate[]): Promise<number[]> {
    const byChat = new Map<number | string, TelegramUpdate[]>();
    for (const u of updates) byChat.set(chatOf(u), [...(byChat.get(chatOf(u)) ?? []), u]);
    const failed: number[] = [];
    await Promise.all(
      [...byChat.values()].map(async (chatUpdates) => {
        for (const [i, u] of chatUpdates.entries()) {
          await bot.updates.handleUpdate(u as never).catch((err) => log.error("update not handled", { err }));
          if (retry.delete(u.update_id)) {
            // Keep the chat's order: its later updates wait for the retry too.
            failed.push(...chatUpdates.slice(i).map((x) => x.update_id));
            return;
          }
        }
      }),
    );
    return failed;
  }

  // One long poll a round, the next at once; a batch with updates to retry, or a failed
  // getUpdates, pauses with a doubling backoff (or Telegram's retry_after). Once stopped there
  // is no pause (jobs/loop.ts), and stop() aborts the long poll in flight.
  const polling = loop({
    name: "bot polling",
    everyMs: 0,
    sleep: opts.sleep,
    async round() {
      const updates = await fetchUpdates(LONG_POLL_SECONDS);
      if (!updates.length) return 0;
      await onBatch().catch(() => {}); // bookkeeping only: never holds up the updates
      const failed = await handle(updates);
      offset = failed.length ? Math.min(...failed) : updates.at(-1)!.update_id + 1;
      if (failed.length) return retries.next();
      retries.reset();
      return 0;
    },
    onError(err, running) {
      if (!running()) return 0; // the long poll aborted by stop()
      const retryAfter = (err as { retryAfter?: number }).retryAfter;
      const inMs = retryAfter ? (retries.next(), retryAfter * 1000) : retries.next();
      log.warn("getUpdates failed, retrying", { err: err as Error, inMs });
      return inMs;
    },
  });

  return {
    start() {
      retries.reset();
      polling.start();
    },
    async stop() {
      const stopped = polling.stop(); // marks it stopped before the abort below lands
      abort?.abort();
      await stopped;
      // Confirm what was handled, so a restart does not fetch it again.
      if (offset) await fetchUpdates(0, 1).catch(() => {});
    },
  };
}
