// Staff answer a student from Telegram: "Ответить" under a relayed message puts the chat in
// reply mode for that application; the next text (or a Telegram reply to the relay itself) is
// sent to the student through domain/thread.ts sendReply, like an answer written in the CRM.
// Each update is claimed once (processed_updates) in the transaction of its effects.
import type { TelegramPerson } from "../../domain/students.ts";
import { beginTelegramReply, endTelegramReply, type TelegramReplyTarget } from "../../domain/thread-telegram.ts";
import { MAX_REPLY, sendReply } from "../../domain/thread.ts";
import { replyProblemText } from "../../i18n/crm/application.ts";
import * as conversation from "../../notify/conversation.ts";
import type { EngineDeps } from "../engine.ts";
import { runOnce, send, type Outgoing } from "../replies.ts";

export function onStaffReplyButton(deps: EngineDeps, updateId: number, person: TelegramPerson, applicationId: number, callbackId: string): Promise<Outgoing | null> {
  const lang = person.language;
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const app = await beginTelegramReply(tx, person.chatId, applicationId);
    // Not this chat's school (a forged or foreign button): refused like a stale button.
    if (!app) return [{ kind: "answer", callbackId, text: conversation.staffReplyUnavailableText(lang) }];
    return [{ kind: "answer", callbackId }, send(conversation.staffReplyAsk(lang, app.publicNumber))];
  });
}

/** A staff member's message that answers a student (`text` undefined: not text, which cannot be relayed). */
export function onStaffReplyMessage(deps: EngineDeps, updateId: number, person: TelegramPerson, target: TelegramReplyTarget, text: string | undefined): Promise<Outgoing | null> {
  const lang = person.language;
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    if (target.kind === "refused") return [send(conversation.staffReplyUnavailable(lang))];
    if (text === undefined) return [send(conversation.staffReplyTextOnly(lang))];
    // sendReply runs its writes in a transaction of its own: inside this one, a savepoint, so the
    // answer, its outbox rows and this update's claim commit together.
    const result = await sendReply(tx, target.scope, target.applicationId, { text }, "telegram");
    if (!result.ok) return [send("notFound" in result ? conversation.staffReplyUnavailable(lang) : conversation.staffReplyRefused(Object.values(result.errors).map((p) => replyProblemText(p, lang, MAX_REPLY)).join(" ")))];
    await endTelegramReply(tx, target.accountId, target.applicationId);
    return [send(conversation.staffReplySent(lang, result.studentName, result.publicNumber))];
  });
}
