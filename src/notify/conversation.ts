// The bot's messages around the conversation after applying: what the student sees when they
// write to the school (acknowledgement, which application, what cannot be sent), and what a
// staff member sees when answering from Telegram. The relay itself is staff.ts studentWrote.
import type { Language } from "../db/schema.ts";
import { t } from "../i18n/index.ts";
import { escapeHtml } from "./html.ts";
import { inlineKeyboard, type ChatMessage } from "./message.ts";

/** An application as the student's buttons and acknowledgements name it. */
export interface ThreadName {
  id: number;
  publicNumber: string;
  targetName: string;
}

/** The "Сменить заявку" button, only for a student with several open applications. */
const switchButton = (lang: Language, switchData?: string) =>
  switchData ? { markup: inlineKeyboard([[{ text: t(lang).threadSwitch, callback_data: switchData }]]) } : {};

/** "Отправлено: Автошкола «Жол» (заявка № 12)". */
export function messageSent(lang: Language, thread: ThreadName, switchData?: string): ChatMessage {
  return { text: t(lang).threadSent(escapeHtml(thread.targetName), thread.publicNumber), ...switchButton(lang, switchData) };
}

/** The student picked the application their next messages go to (nothing was waiting to be sent). */
export function threadChosen(lang: Language, thread: ThreadName, switchData?: string): ChatMessage {
  return { text: t(lang).threadChosen(escapeHtml(thread.targetName), thread.publicNumber), ...switchButton(lang, switchData) };
}

/**
 * Which application: one button per open application (number and school or instructor).
 * `waiting`: a message is kept until the student answers (else they only switch, from `current`).
 */
export function chooseThread(lang: Language, threads: ThreadName[], pick: (applicationId: number) => string, waiting: boolean, current?: number): ChatMessage {
  const d = t(lang);
  const label = (th: ThreadName) => `${th.id === current ? "✓ " : ""}${d.threadButton(th.publicNumber, th.targetName)}`;
  const buttons = threads.map((th) => [{ text: label(th), callback_data: pick(th.id) }]);
  return { text: waiting ? d.threadChoose : d.threadChooseNext, markup: inlineKeyboard(buttons) };
}

/** Kept messages not delivered: more than `max` waited for a choice, or no application is open any more. */
export function notDelivered(lang: Language, count: number, why: { max: number } | "nothingOpen"): ChatMessage {
  const d = t(lang);
  return { text: why === "nothingOpen" ? d.threadNothingOpen(count) : d.threadTooManyKept(count, why.max) };
}

/** A sticker, voice message…: recorded for the school as a note; the student learns what gets through. */
export const onlyTextAndFiles = (lang: Language): ChatMessage => ({ text: t(lang).threadOnlyTextAndFiles });

/** After "Ответить": the staff member's next text is the answer (Telegram opens the reply field). */
export function staffReplyAsk(lang: Language, publicNumber: string): ChatMessage {
  return { text: t(lang).staffReplyAsk(publicNumber), markup: { force_reply: true } };
}

/** "Отправлено ученику: Айгерім, заявка № 12": the staff member sees whom the answer reached. */
export const staffReplySent = (lang: Language, studentName: string, publicNumber: string): ChatMessage => ({ text: t(lang).staffReplySent(escapeHtml(studentName), publicNumber) });
/** /cancel or /start ended reply mode. */
export const staffReplyCancelled = (lang: Language): ChatMessage => ({ text: t(lang).staffReplyCancelled });
/** The application is not one of this chat's schools (also a button's toast, hence the plain text). */
export const staffReplyUnavailableText = (lang: Language): string => t(lang).staffReplyUnavailable;
export const staffReplyUnavailable = (lang: Language): ChatMessage => ({ text: staffReplyUnavailableText(lang) });
export const staffReplyTextOnly = (lang: Language): ChatMessage => ({ text: t(lang).staffReplyTextOnly });
/** The answer was refused; `reason` is the domain's message (already plain text). */
export const staffReplyRefused = (reason: string): ChatMessage => ({ text: escapeHtml(reason) });
