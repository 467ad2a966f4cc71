// What src/notify/ hands out: a message ready to send. `text` is Telegram HTML (its data already
// escaped); `markup` is Telegram's reply_markup, as the Bot API takes it.
import type { MediaKind } from "../model/thread-message.ts";

export type Markup = Record<string, unknown>;

export interface ChatMessage {
  text: string;
  markup?: Markup;
  /** Sent as a photo or document by its Telegram file_id, with `text` as the caption (≤ 1024). */
  media?: { kind: MediaKind; fileId: string };
}

/** Telegram's limit for a media caption, in characters. */
export const CAPTION_LIMIT = 1024;

/** An inline button: a link, or callback data the bot packed (notify never packs it). */
export type InlineButton = { text: string; url: string } | { text: string; callback_data: string };

export const inlineKeyboard = (rows: InlineButton[][]): Markup => ({ inline_keyboard: rows });

/** Takes the reply keyboard (the "share contact" one) away. */
export const removeKeyboard: Markup = { remove_keyboard: true };
