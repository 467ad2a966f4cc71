// What a flow asks the bot to say. Replies are written to the outbox in the update's own
// transaction (runOnce) and sent right after the commit; if the process dies in between, the
// outbox delivery sends them later. A user who blocked the bot is marked unreachable.
import type { Db, Tx } from "../db/client.ts";
import { enqueueReplies, giveUp, hasPending, markSentMany, releaseNow, type OutboxPayload, type TurnRecord } from "../domain/outbox.ts";
import { markUnreachable } from "../domain/students.ts";
import { claimUpdate } from "../domain/updates.ts";
import { log } from "../log.ts";
import type { ChatMessage, Markup } from "../notify/message.ts";
import { IdBatch } from "./id-batch.ts";
import type { PacedApi } from "./paced-api.ts";
import { callWithRetry, TelegramApiError, type TelegramApi } from "./telegram-api.ts";

export type Reply =
  | { kind: "send"; text: string; markup?: Markup }
  | { kind: "edit"; messageId: number; text: string; markup?: Markup }
  | { kind: "answer"; callbackId: string; text?: string }
  /** This chat's own command menu (setMyCommands with a chat scope): it follows the language the student chose, not the app's. */
  | { kind: "menu"; commands: MenuCommand[] };

export type MenuCommand = { command: string; description: string };

/** The chat's command menu, sent with the update's other replies (after them: the student reads the answer first). */
export const menu = (commands: MenuCommand[]): Reply => ({ kind: "menu", commands });

/** A message composed by src/notify/, sent as a new message. */
export const send = (m: ChatMessage): Reply => ({ kind: "send", text: m.text, ...(m.markup ? { markup: m.markup } : {}) });

/** The same, in place of the message `messageId` (the pressed one). */
export const edit = (messageId: number, m: ChatMessage): Reply => ({ kind: "edit", messageId, text: m.text, ...(m.markup ? { markup: m.markup } : {}) });

/** Replies of one update, with the outbox rows that keep them until sent. */
export interface Outgoing {
  chatId: number;
  replies: Reply[];
  outboxIds: number[];
}

const html = { parse_mode: "HTML", link_preview_options: { is_disabled: true } };

/** Tries for a reply sent right after its update (the outbox has its own, slower retries). */
export const DIRECT_ATTEMPTS = 3;
/** Longer than the direct tries can take, so the outbox never sends a reply the bot is still sending. */
export const DEFAULT_HOLD_SECONDS = 60;
/** The longest a direct reply's messages wait for send slots in all (src/bot/pacer.ts); past it they go through the outbox. */
const DIRECT_PACE_WAIT_MS = 10_000;

/**
 * How long after its commit a reply may still start a direct send: every try but the last timing
 * out, the backoffs between them, and the waits for send slots (paced-api.ts's direct()).
 */
export function directSendMs(apiTimeoutMs: number): number {
  return (DIRECT_ATTEMPTS - 1) * apiTimeoutMs + 1500 + DIRECT_PACE_WAIT_MS;
}

/** The hold that fits an API timeout: the last direct send starting as late as it may and timing out, plus a margin. */
export function replyHoldSeconds(apiTimeoutMs: number): number {
  return Math.ceil((directSendMs(apiTimeoutMs) + apiTimeoutMs) / 1000) + 3;
}

/**
 * The Bot API call for a reply (answers to button presses are not kept: they expire). A chat's
 * menu goes the messages' way (the outbox keeps it until sent, and retries it); Telegram does not
 * count setMyCommands against the send limits, so it never waits for a slot (paced-api.ts).
 */
export function toPayload(chatId: number, r: Exclude<Reply, { kind: "answer" }>): OutboxPayload {
  if (r.kind === "menu") return { method: "setMyCommands", params: { commands: r.commands, scope: { type: "chat", chat_id: chatId } } };
  const params = { chat_id: chatId, text: r.text, ...html, ...(r.markup ? { reply_markup: r.markup } : {}) };
  return r.kind === "send" ? { method: "sendMessage", params } : { method: "editMessageText", params: { ...params, message_id: r.messageId } };
}

/**
 * Runs an update's work once: `claim` records the update (null when it was already processed)
 * and the replies are stored in the same transaction as the work's writes (what the work
 * recorded in `turn` goes in the same statement as the replies: enqueueReplies). The COMMIT waits
 * for that statement's answer: sent behind it unawaited, a statement postgres.js re-sends after
 * the server dropped its prepared plan would run after the COMMIT, outside the transaction.
 */
export async function runClaimed<C>(
  deps: { db: Db; replyHoldSeconds?: number },
  chatId: number,
  claim: (tx: Tx) => Promise<C | null>,
  work: (tx: Tx, claimed: C, turn: { record?: TurnRecord }) => Promise<Reply[]>,
): Promise<Outgoing | null> {
  return deps.db.transaction(async (tx) => {
    const claimed = await claim(tx);
    if (claimed === null) return null;
    const turn: { record?: TurnRecord } = {};
    const replies = await work(tx, claimed, turn);
    const messages = replies.filter((r): r is Exclude<Reply, { kind: "answer" }> => r.kind !== "answer");
    const payloads = messages.map((r) => toPayload(chatId, r));
    return { chatId, replies, outboxIds: await enqueueReplies(tx, chatId, payloads, deps.replyHoldSeconds ?? DEFAULT_HOLD_SECONDS, turn.record) };
  });
}

/** runClaimed for an update that needs no student (staff commands). */
export function runOnce(deps: { db: Db; replyHoldSeconds?: number }, updateId: number, chatId: number, work: (tx: Tx) => Promise<Reply[]>) {
  return runClaimed(deps, chatId, (tx) => claimUpdate(tx, updateId), (tx) => work(tx));
}

/** Stops the buttons' spinners; an answer that fails is not worth keeping (it expires anyway). */
async function answerCallbacks(api: TelegramApi, replies: Reply[]): Promise<void> {
  for (const r of replies)
    if (r.kind === "answer")
      await callWithRetry(api, "answerCallbackQuery", { callback_query_id: r.callbackId, ...(r.text ? { text: r.text } : {}) }, 2).catch(() => {});
}

/**
 * Sends a payload; an edit that Telegram refuses (message too old, deleted) becomes a new
 * message, and "message is not modified" counts as done.
 */
export async function sendPayload(api: TelegramApi, p: OutboxPayload, attempts = 5): Promise<void> {
  try {
    await callWithRetry(api, p.method, p.params, attempts);
  } catch (err) {
    if (!(err instanceof TelegramApiError) || err.code !== 400 || p.method !== "editMessageText") throw err;
    if (/not modified/i.test(err.description)) return;
    const { message_id: _, ...params } = p.params;
    await callWithRetry(api, "sendMessage", params, attempts);
  }
}

/**
 * Chats whose replies are queued in the outbox (a direct send failed): their later replies
 * queue behind, so one chat's messages never arrive out of order. The delivery loop clears a
 * chat once its queue is empty.
 */
export class ChatBacklog {
  private chats = new Set<number>();
  has = (chatId: number) => this.chats.has(chatId);
  add = (chatId: number) => void this.chats.add(chatId);
  /** Forgets the chats whose queue has drained. */
  async prune(db: Db): Promise<void> {
    for (const chatId of this.chats) if (!(await hasPending(db, chatId))) this.chats.delete(chatId);
  }
}

/**
 * Outbox rows of replies sent directly, marked sent together a moment later: one statement (and
 * one commit) per batch instead of one per update. A crash before the flush re-sends those few
 * replies when their hold expires, the same window as a crash right after a send; the database
 * being away keeps the marks for the next try (the holds are long).
 */
export class SentMarks extends IdBatch {
  constructor(db: Db, everyMs = 200) {
    super((ids) => markSentMany(db, ids), "the sent marks of replies", everyMs);
  }
}

/** Whether an outbox message may be given up at its first failure: a chat's menu is, rather than hold the chat's messages behind it. */
export const expendable = (p: OutboxPayload): boolean => p.method === "setMyCommands";

/**
 * A chat's menu, sent directly; false when it failed. A failure (other than a blocked bot, which
 * the caller handles) is logged and its row given up: the chat's next replies are not queued
 * behind a menu, and the next language choice sets it again.
 */
async function sendMenu(api: TelegramApi, db: Db, chatId: number, r: Extract<Reply, { kind: "menu" }>, id: number | undefined): Promise<boolean> {
  try {
    await sendPayload(api, toPayload(chatId, r), DIRECT_ATTEMPTS);
    return true;
  } catch (err) {
    if (err instanceof TelegramApiError && err.blocked) throw err;
    log.warn("the chat's command menu was not set", { chatId, err: err as Error });
    if (id !== undefined) await giveUp(db, [id], (err as Error).message);
    return false;
  }
}

/**
 * Sends an update's replies in order, right after its commit, in the pacer's interactive lane. A
 * reply that cannot start before its hold is near (a long 429 pause) is left to the outbox.
 */
export async function sendReplies(paced: PacedApi, db: Db, out: Outgoing, backlog: ChatBacklog, marks: SentMarks): Promise<void> {
  const api = paced.direct();
  const ids = [...out.outboxIds];
  const sent: number[] = [];
  if (backlog.has(out.chatId)) {
    // Older replies of this chat are still queued: these go behind them.
    await releaseNow(db, ids);
    await answerCallbacks(api, out.replies);
    return;
  }
  try {
    for (const r of out.replies) {
      if (r.kind === "answer") {
        await answerCallbacks(api, [r]);
        continue;
      }
      if (r.kind === "menu") {
        const id = ids.shift();
        if ((await sendMenu(api, db, out.chatId, r, id)) && id !== undefined) sent.push(id);
        continue;
      }
      await sendPayload(api, toPayload(out.chatId, r), DIRECT_ATTEMPTS);
      const id = ids.shift();
      if (id !== undefined) sent.push(id);
    }
  } catch (err) {
    if (err instanceof TelegramApiError && err.blocked) {
      await markUnreachable(db, out.chatId);
      await giveUp(db, ids, err.message);
    } else {
      log.warn("reply not sent now; the outbox delivery will retry it", { chatId: out.chatId, err: err as Error });
      backlog.add(out.chatId);
      await releaseNow(db, ids);
    }
  } finally {
    marks.add(sent);
  }
}
