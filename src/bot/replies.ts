// What a flow asks the bot to say, sent only after the flow's transaction committed.
// A reply that cannot be sent after retries goes to the outbox, so it is delayed, not lost;
// a user who blocked the bot is marked unreachable.
import type { Db } from "../db/client.ts";
import { enqueueMessage } from "../domain/outbox.ts";
import { markUnreachable } from "../domain/students.ts";
import { log } from "../log.ts";
import { callWithRetry, TelegramApiError, type TelegramApi } from "./telegram-api.ts";

export type Markup = Record<string, unknown>;

export type Reply =
  | { kind: "send"; text: string; markup?: Markup }
  | { kind: "edit"; messageId: number; text: string; markup?: Markup }
  | { kind: "answer"; callbackId: string; text?: string };

const html = { parse_mode: "HTML", link_preview_options: { is_disabled: true } };

export async function sendReplies(api: TelegramApi, db: Db, chatId: number, replies: Reply[]): Promise<void> {
  for (const r of replies) {
    try {
      await sendOne(api, chatId, r);
    } catch (err) {
      if (err instanceof TelegramApiError && err.blocked) {
        await markUnreachable(db, chatId);
        return;
      }
      if (r.kind === "answer") continue; // a spinner that stops by itself; nothing to keep
      log.warn("reply not sent; queued in the outbox", { chatId, err: err as Error });
      await enqueueMessage(db, { chatId, text: r.text, replyMarkup: r.markup });
    }
  }
}

async function sendOne(api: TelegramApi, chatId: number, r: Reply): Promise<void> {
  if (r.kind === "answer") {
    await callWithRetry(api, "answerCallbackQuery", { callback_query_id: r.callbackId, ...(r.text ? { text: r.text } : {}) }, 2);
    return;
  }
  const params = { chat_id: chatId, text: r.text, ...html, ...(r.markup ? { reply_markup: r.markup } : {}) };
  if (r.kind === "send") return void (await callWithRetry(api, "sendMessage", params));
  try {
    await callWithRetry(api, "editMessageText", { ...params, message_id: r.messageId });
  } catch (err) {
    if (!(err instanceof TelegramApiError) || err.code !== 400) throw err;
    // Same text again, or a message too old to edit: say it in a new message instead.
    if (!/not modified/i.test(err.description)) await callWithRetry(api, "sendMessage", params);
  }
}
