// What src/notify/ hands out: a message ready to send. `text` is Telegram HTML (its data already
// escaped); `markup` is Telegram's reply_markup, as the Bot API takes it.

export type Markup = Record<string, unknown>;

export interface ChatMessage {
  text: string;
  markup?: Markup;
}

/** An inline button: a link, or callback data the bot packed (notify never packs it). */
export type InlineButton = { text: string; url: string } | { text: string; callback_data: string };

export const inlineKeyboard = (rows: InlineButton[][]): Markup => ({ inline_keyboard: rows });

/** Takes the reply keyboard (the "share contact" one) away. */
export const removeKeyboard: Markup = { remove_keyboard: true };
