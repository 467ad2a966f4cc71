// Our own long-polling loop around GramIO's handlers. We do not use GramIO's built-in polling
// because it runs every update of a batch concurrently (no order within a chat), advances the
// offset before handling, and drops fetched updates on stop. Here:
//  - updates of one chat run one after another; different chats run in parallel;
//  - the offset advances only past updates that were handled; an update that failed because the
//    database was away is fetched again later (processed_updates makes the redelivery harmless);
//  - stop() aborts the in-flight getUpdates (Telegram keeps unconfirmed updates) and confirms
//    the offset of what was handled.
import type { Bot } from "gramio";
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

export function createPoller(bot: Bot, apiRoot: string, token: string, retry: RetryMarks, onBatch: () => Promise<void> = async () => {}) {
  let running = false;
  let offset = 0;
  let abort: AbortController | null = null;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  /** A pause that stop() cuts short, and none at all once stopped (a retry backoff reaches 30 s). */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (!running) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

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

  async function run() {
    let backoff = 1000;
    while (running) {
      try {
        const updates = await fetchUpdates(LONG_POLL_SECONDS);
        if (!updates.length) continue;
        await onBatch().catch(() => {}); // bookkeeping only: never holds up the updates
        const failed = await handle(updates);
        offset = failed.length ? Math.min(...failed) : updates.at(-1)!.update_id + 1;
        if (failed.length) await pause(backoff), (backoff = Math.min(backoff * 2, 30_000));
        else backoff = 1000;
      } catch (err) {
        if (!running) return;
        const retryAfter = (err as { retryAfter?: number }).retryAfter;
        log.warn("getUpdates failed, retrying", { err: err as Error, inMs: retryAfter ? retryAfter * 1000 : backoff });
        await pause(retryAfter ? retryAfter * 1000 : backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  return {
    start() {
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      abort?.abort();
      wake?.();
      await loop;
      // Confirm what was handled, so a restart does not fetch it again.
      if (offset) await fetchUpdates(0, 1).catch(() => {});
    },
  };
}
