// Webhook mode (BOT_MODE=webhook): Telegram POSTs updates to PUBLIC_URL/telegram/webhook with
// the secret token we gave it in setWebhook. Each update is handled like a polled one (same
// dispatcher, same exactly-once transaction); one chat's updates run one after another on this
// instance. An update that failed because the database was away is answered 503, so Telegram
// delivers it again later.
import { createHash } from "node:crypto";
import type { Bot } from "gramio";
import type { RetryMarks, TelegramUpdate } from "./polling.ts";
import { chatOf } from "./polling.ts";

export const WEBHOOK_PATH = "/telegram/webhook";

/** The secret_token: derived from SECRET_KEY, so every instance checks the same one. */
export function webhookSecret(secretKey: string): string {
  return createHash("sha256").update(`${secretKey}:telegram-webhook`).digest("hex").slice(0, 64);
}

export type WebhookHandler = (update: TelegramUpdate) => Promise<"handled" | "retry">;

export function webhookHandler(bot: Bot, retry: RetryMarks): WebhookHandler {
  const chains = new Map<number | string, Promise<unknown>>();
  return async (update) => {
    const chat = chatOf(update);
    const previous = chains.get(chat) ?? Promise.resolve();
    const mine = previous.then(() => bot.updates.handleUpdate(update as never)).catch(() => {});
    chains.set(chat, mine);
    await mine;
    if (chains.get(chat) === mine) chains.delete(chat);
    return retry.delete(update.update_id) ? "retry" : "handled";
  };
}
