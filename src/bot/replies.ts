// What a flow asks the bot to say, sent only after the flow's transaction committed.
import type { InlineKeyboard } from "gramio";

export type Reply =
  | { kind: "send"; text: string; keyboard?: InlineKeyboard }
  | { kind: "edit"; text: string; keyboard?: InlineKeyboard }
  | { kind: "answer"; text?: string }; // answerCallbackQuery

/** The part of a GramIO context the replies need (message and callback contexts both have it). */
export interface ReplyTarget {
  send(text: string, params?: object): Promise<unknown>;
  editText?(text: string, params?: object): Promise<unknown>;
  answer?(params?: object): Promise<unknown>;
}

export async function sendReplies(ctx: ReplyTarget, replies: Reply[]): Promise<void> {
  for (const r of replies) {
    const markup = "keyboard" in r && r.keyboard ? { reply_markup: r.keyboard } : {};
    if (r.kind === "send") await ctx.send(r.text, markup);
    else if (r.kind === "edit") await (ctx.editText ? ctx.editText(r.text, markup) : ctx.send(r.text, markup));
    else await ctx.answer?.(r.text ? { text: r.text } : {});
  }
}
