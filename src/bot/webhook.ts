// Webhook mode (BOT_MODE=webhook): Telegram POSTs updates to PUBLIC_URL/telegram/webhook with
// the secret token we gave it in setWebhook. Each update is handled like a polled one (same
// dispatcher, same exactly-once transaction) before the POST is answered: the POST is answered at
// the commit (the effects are in the database), the replies go out after it (reply-sends.ts); one
// chat's updates and their replies run one after another on this instance. A chat may have `cap` updates in hand (the same ChatCap as
// polling): beyond it an update is answered 200 unhandled (onDrop tells the student once). An
// update that failed because the database was away is answered 503, so Telegram delivers it
// again later.
import { createHash } from "node:crypto";
import type { Bot } from "gramio";
import { ChatCap, chatOf } from "./chat-queues.ts";
import type { OnDrop, RetryMarks, TelegramUpdate } from "./polling.ts";
import type { ReplySends } from "./reply-sends.ts";

export const WEBHOOK_PATH = "/telegram/webhook";

/** The secret_token: derived from SECRET_KEY, so every instance checks the same one. */
export function webhookSecret(secretKey: string): string {
  return createHash("sha256").update(`${secretKey}:telegram-webhook`).digest("hex").slice(0, 64);
}

export type WebhookHandler = (update: TelegramUpdate) => Promise<"handled" | "retry">;

export function webhookHandler(bot: Bot, retry: RetryMarks, sends: ReplySends, cap: number, onDrop: OnDrop): WebhookHandler {
  const chains = new Map<number | string, Promise<unknown>>();
  const inHand = new ChatCap(cap);
  return async (update) => {
    const chat = chatOf(update);
    const admission = inHand.admit(chat);
    if (admission !== "queued") {
      onDrop(update, admission);
      return "handled"; // 200: Telegram must not deliver it again
    }
    const previous = chains.get(chat) ?? Promise.resolve();
    const handled = previous.then(() => bot.updates.handleUpdate(update as never)).catch(() => {});
    // The chat's next update waits for this one's replies too.
    const mine = handled.then(() => sends.take(update.update_id));
    chains.set(chat, mine);
    void mine.then(() => {
      inHand.release(chat);
      if (chains.get(chat) === mine) chains.delete(chat);
    });
    await handled;
    return retry.delete(update.update_id) ? "retry" : "handled";
  };
}
