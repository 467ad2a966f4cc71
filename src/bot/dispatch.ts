// Routes a raw Telegram update to the flow that handles it. Works on the raw Bot API objects
// (not GramIO's context getters) so what we rely on is exactly the documented protocol.
import type { TelegramPerson } from "../domain/students.ts";
import { languageFromTelegram } from "../i18n/index.ts";
import { parseCallbackData, staffReplyIdOf } from "./callback-data.ts";
import type { EngineDeps } from "./engine.ts";
import {
  onCancel,
  onContact,
  onHelp,
  onLang,
  onLangChosen,
  onStart,
  onStepButton,
  onText,
  onUnknownButton,
  parseStartPayload,
} from "./flows/commands.ts";
import { onLesson, onLessonDay, onLessonSlot } from "./flows/lessons.ts";
import { onMy, onMyCancel, onMyList } from "./flows/my.ts";
import { onStaffLink, onStaffLogin } from "./flows/staff.ts";
import { onReminderAnswer } from "./flows/reminder-answer.ts"; // reminders (issue 15)
import { onStaffReplyButton, onStaffReplyMessage } from "./flows/staff-reply.ts";
import { onStudentContent, onThreadChosen, onThreadSwitch } from "./flows/thread.ts";
import { onWaitlistOffer } from "./flows/waitlist.ts"; // waitlist (issue 15)
import { onPaymentButton } from "./flows/payment.ts"; // payments (issue 16)
import { onReviewName, onReviewNoComment, onReviewOpen, onReviewRate } from "./flows/review.ts"; // reviews (issue 16)
import { telegramReplyTarget } from "../domain/thread-telegram.ts";
import { studentContentOf, type TgContentMessage } from "./message-content.ts";
import { t } from "../i18n/index.ts";
import type { Outgoing } from "./replies.ts";

interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}
interface TgMessage extends TgContentMessage {
  message_id: number;
  chat: { id: number; type: string };
  from?: TgUser;
  text?: string;
  contact?: { phone_number: string; user_id?: number };
  /** The message this one replies to (Telegram includes its inline keyboard). */
  reply_to_message?: { reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } };
}
interface TgCallback {
  id: string;
  from: TgUser;
  data?: string;
  message?: { message_id: number; chat: { id: number; type: string } };
}


function person(from: TgUser, chatId: number): TelegramPerson {
  return { telegramId: from.id, chatId, firstName: from.first_name, lastName: from.last_name, username: from.username, language: languageFromTelegram(from.language_code) };
}

export async function dispatchMessage(deps: EngineDeps, updateId: number, m: TgMessage): Promise<Outgoing | null> {
  if (!m.from || m.from.is_bot) return null;
  const chatId = m.chat.id;
  const p = person(m.from, chatId);
  const text = m.text?.trim();
  if (m.chat.type !== "private") {
    // Only answer commands in groups, so the bot never chatters there.
    // A courtesy, not kept in the outbox: nothing is lost if it does not arrive.
    return text?.startsWith("/") ? { chatId, replies: [{ kind: "send", text: t(p.language).privateOnly }], outboxIds: [] } : null;
  }
  if (m.contact) return await onContact(deps, updateId, p, m.contact.phone_number, m.contact.user_id);
  const command = text?.match(/^\/([a-z]+)(?:@\w+)?(?:\s+(.*))?$/i);
  if (!command) {
    // A linked staff chat answering a student (reply mode, or a reply to the relay); else the student's.
    const staff = await telegramReplyTarget(deps.db, chatId, staffReplyIdOf(m.reply_to_message?.reply_markup));
    if (staff) return await onStaffReplyMessage(deps, updateId, p, staff, text || undefined);
    if (text) return await onText(deps, updateId, p, text);
    return await onStudentContent(deps, updateId, p, studentContentOf(m));
  }
  const [, name, arg = ""] = command;
  switch (name!.toLowerCase()) {
    case "start": {
      const target = parseStartPayload(arg.trim());
      if (target?.kind === "link") return await onStaffLink(deps, updateId, p, target.code);
      return await onStart(deps, updateId, p, arg.trim());
    }
    case "cancel":
      return await onCancel(deps, updateId, p);
    case "lang":
      return await onLang(deps, updateId, p);
    case "help":
      return await onHelp(deps, updateId, p);
    case "my":
      return await onMy(deps, updateId, p);
    case "login":
      return await onStaffLogin(deps, updateId, p);
    default:
      return await onText(deps, updateId, p, command[0]);
  }
}

export async function dispatchCallback(deps: EngineDeps, updateId: number, q: TgCallback): Promise<Outgoing | null> {
  const chatId = q.message?.chat.id ?? q.from.id;
  const p = person(q.from, chatId);
  const messageId = q.message?.message_id;
  const press = parseCallbackData(q.data);
  // A press on no message we can edit, or data no button of ours carries: a stale button.
  if (!messageId || press.kind === "stale") return await onUnknownButton(deps, updateId, p, q.id);
  const via = { messageId, callbackId: q.id };
  switch (press.kind) {
    case "step":
      return await onStepButton(deps, updateId, p, { s: press.step, v: press.value }, via);
    case "lang":
      return await onLangChosen(deps, updateId, p, press.language, via);
    case "cancelApplication":
      return await onMyCancel(deps, updateId, p, press, via);
    case "chooseThread":
      return await onThreadChosen(deps, updateId, p, press.applicationId, via);
    case "switchThread":
      return await onThreadSwitch(deps, updateId, p, press.fromApplicationId, q.id);
    case "staffReply":
      return await onStaffReplyButton(deps, updateId, p, press.applicationId, q.id);
    // ---- lessons (issue 15): each part replaces its stale answer with its handler ----
    // the student's schedule: /my's lessons, moving and cancelling (flows/my.ts, flows/lessons.ts)
    case "myList":
      return await onMyList(deps, updateId, p, press.edit, via);
    case "lesson":
      // reminders: the answers to a reminder
      if (press.action === "coming" || press.action === "not_coming") return await onReminderAnswer(deps, updateId, p, press.lessonId, press.action, via);
      return await onLesson(deps, updateId, p, press.lessonId, press.action, via);
    case "lessonDay":
      return await onLessonDay(deps, updateId, p, press.lessonId, press.day, via);
    case "lessonSlot":
      return await onLessonSlot(deps, updateId, p, press.lessonId, press.slotId, press.confirmed, via);
    case "waitlistOffer": // waitlist (issue 15)
      return await onWaitlistOffer(deps, updateId, p, press, via);
    case "payment": // "Я оплатил(а)" (issue 16)
      return await onPaymentButton(deps, updateId, p, press, via);
    // ---- reviews (issue 16): flows/review.ts ----
    case "reviewOpen":
      return await onReviewOpen(deps, updateId, p, press.applicationId, via);
    case "reviewRate":
      return await onReviewRate(deps, updateId, p, press, via);
    case "reviewNoComment":
      return await onReviewNoComment(deps, updateId, p, press.applicationId, via);
    case "reviewName":
      return await onReviewName(deps, updateId, p, press, via);
  }
}
