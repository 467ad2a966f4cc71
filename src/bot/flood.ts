// What an update dropped over its chat's cap (chat-queues.ts ChatCap) still gets, in both modes:
// a pressed button's spinner stops, and the first drop of a flood tells the student once, in the
// language of their Telegram, that the rest is skipped; the log gets one warning per flood.
import { languageFromTelegram, t } from "../i18n/index.ts";
import { log } from "../log.ts";
import { chatOf } from "./chat-queues.ts";
import type { OnDrop } from "./polling.ts";
import { callWithRetry, type TelegramApi } from "./telegram-api.ts";

export function floodReaction(api: TelegramApi, cap: number): OnDrop {
  return (update, admission) => {
    const u = update as Record<string, any>;
    const press = u.callback_query;
    // Not awaited: a drop must cost the loop that took it nothing (it is taking a flood).
    if (press?.id) void callWithRetry(api, "answerCallbackQuery", { callback_query_id: press.id }, 2).catch(() => {});
    if (admission !== "flood") return;
    const chat = chatOf(update);
    log.warn("a chat sends faster than it is answered: its updates beyond the cap are dropped until its queue drains", { chat, cap });
    if (typeof chat !== "number") return; // an update of no chat has nobody to tell
    const from = u.message?.from ?? press?.from;
    void callWithRetry(api, "sendMessage", { chat_id: chat, text: t(languageFromTelegram(from?.language_code)).slowDown }, 3).catch(() => {});
  };
}
