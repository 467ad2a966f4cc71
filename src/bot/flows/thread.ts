// The student writes to the school after applying: a message that is no step's input goes to
// the thread of their open application (domain/thread.ts stores it and relays it to staff). With
// several open applications the bot asks which one, keeps the message until the answer, and
// remembers the choice for the next messages.
import { chooseThread, openThreadsOf, postStudentMessage, threadTargetOf, type OpenThread } from "../../domain/thread.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import type { StudentContent } from "../../model/thread-message.ts";
import * as conversation from "../../notify/conversation.ts";
import { staffReplyData, threadData, threadSwitchData } from "../callback-data.ts";
import { keepPending as keepPendingOf, runUpdate, show, steps, type EngineDeps, type Turn } from "../engine.ts";
import { edit, send, type Outgoing, type Reply } from "../replies.ts";
import { paymentAnswer } from "./payment.ts";
import { reviewNonText } from "./review.ts";

/**
 * Messages kept while the student has not said which application they are for (the newest
 * ones): enough for a Telegram album (up to 10 items and a caption each) with room to spare.
 */
export const MAX_PENDING = 20;

const packReply = (id: number) => staffReplyData.pack({ id });
const pick = (id: number) => threadData.pack({ id });

function keepPending(turn: Turn, pending: StudentContent[]): void {
  if (!pending.length && !turn.state.pending) return;
  keepPendingOf(turn, pending);
}

/** A message shown as an edit of the pressed message when there is one, else sent. */
const reply = (m: { text: string; markup?: Record<string, unknown> }, editId?: number): Reply => (editId ? edit(editId, m) : send(m));

/**
 * Sends `incoming` (and any kept messages) to the thread the student writes to, or asks which
 * one. `routed` false when the student has no open application (the caller answers as the flow
 * would). Kept messages that cannot be delivered (over MAX_PENDING, or nothing open any more) are
 * dropped, and the replies say how many and why.
 */
async function route(turn: Turn, incoming: StudentContent[], editId?: number): Promise<{ routed: boolean; replies: Reply[] }> {
  const { tx, student } = turn.c;
  const lang = student.language;
  const target = await threadTargetOf(tx, student);
  const kept = turn.c.choices.pending ?? [];
  if (target.kind === "none") {
    keepPending(turn, []);
    return { routed: false, replies: kept.length ? [send(conversation.notDelivered(lang, kept.length, "nothingOpen"))] : [] };
  }
  const all = [...kept, ...incoming];
  const pending = all.slice(-MAX_PENDING);
  const lost = all.length - pending.length;
  const lostNotice = lost > 0 ? [send(conversation.notDelivered(lang, lost, { max: MAX_PENDING }))] : [];
  if (target.kind === "choose") {
    keepPending(turn, pending);
    return { routed: true, replies: [reply(conversation.chooseThread(lang, target.threads, pick, pending.length > 0), editId), ...lostNotice] };
  }
  keepPending(turn, []);
  return { routed: true, replies: [...(await post(turn, target.thread, pending, target.several, editId)), ...lostNotice] };
}

/** Posts the messages into `thread` and acknowledges them (or the choice, when there were none). */
async function post(turn: Turn, thread: OpenThread, contents: StudentContent[], several: boolean, editId?: number): Promise<Reply[]> {
  const { tx, student } = turn.c;
  const lang = student.language;
  const switchData = several ? threadSwitchData.pack({ from: thread.id }) : undefined;
  if (!contents.length) return [reply(conversation.threadChosen(lang, thread, switchData), editId)];
  for (const content of contents) await postStudentMessage(tx, student.id, thread.id, content, packReply);
  const replies = [reply(conversation.messageSent(lang, thread, switchData), editId)];
  if (contents.some((c) => "unsupported" in c)) replies.push(send(conversation.onlyTextAndFiles(lang)));
  return replies;
}

/**
 * A message that is no step's input (typed text on a button step or after applying, a photo, a
 * document, a sticker…). Outside a flow (after applying or /cancel, or before any /start) it goes
 * to the school when the student has an open application, else they learn how to start. In the
 * middle of a flow it is an answer to the step, never a message to an earlier application's
 * school: the hint and the step again.
 */
export async function toThread(turn: Turn, content: StudentContent): Promise<Reply[]> {
  const { text } = turn.c;
  const inFlow = turn.step !== "done" && !turn.noConversation;
  // One message per mistake: the reason heads the step's screen.
  const hint = "unsupported" in content || "media" in content ? text.unsupported : text.useButtons;
  if (inFlow) return [await show(turn, undefined, hint)];
  const { routed, replies } = await route(turn, [content]);
  if (routed) return replies;
  if (turn.step === "done") return [...replies, { kind: "send", text: text.howToStart }];
  return [...replies, await show(turn, undefined, hint)];
}

export function onStudentContent(deps: EngineDeps, updateId: number, person: TelegramPerson, content: StudentContent): Promise<Outgoing | null> {
  // The open payment questions (flows/payment.ts) take a photo or document (the receipt) first; a
  // review right after its rating refuses what is not text (flows/review.ts), unless the flow's
  // step takes typed input of its own (phone, name); else the thread.
  return runUpdate(
    deps,
    updateId,
    person,
    async (turn) => (await paymentAnswer(turn, content, turn.c.config)) ?? reviewNonText(turn, !steps[turn.step].text) ?? toThread(turn, content),
    { keepPayment: true, keepReview: true },
  );
}

/** The student picked an application: its thread gets the kept messages and the next ones. */
export function onThreadChosen(deps: EngineDeps, updateId: number, person: TelegramPerson, applicationId: number, via: { messageId: number; callbackId: string }): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const chosen = await chooseThread(turn.c.tx, turn.c.student.id, applicationId);
    const { text } = turn.c;
    // Their own application, closed since; anything else (a forged or foreign id) is a stale button.
    const toast = chosen.kind === "chosen" ? {} : { text: chosen.kind === "closed" ? text.threadClosed : text.outdatedButton };
    const answer: Reply = { kind: "answer", callbackId: via.callbackId, ...toast };
    if (chosen.kind === "chosen") turn.c.student = { ...turn.c.student, threadApplicationId: chosen.thread.id };
    const { routed, replies } = await route(turn, [], via.messageId);
    return [answer, ...(routed ? replies : [edit(via.messageId, { text: text.howToStart }), ...replies])];
  });
}

/** "Сменить заявку": the list of open applications to send the next messages to. */
export function onThreadSwitch(deps: EngineDeps, updateId: number, person: TelegramPerson, fromApplicationId: number, callbackId: string): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const threads = await openThreadsOf(turn.c.tx, turn.c.student.id);
    const answer: Reply = { kind: "answer", callbackId };
    if (!threads.length) return [answer, { kind: "send", text: turn.c.text.howToStart }];
    return [answer, send(conversation.chooseThread(turn.c.student.language, threads, pick, false, fromApplicationId))];
  });
}
