// Messages to a student about their applications, outside the step-by-step flow: a status
// change, a message from the school or instructor, the /my list. Labels of statuses come from
// the status model (STATUS[s].student), the one place they live.
import type { Language } from "../db/schema.ts";
import { formatDay } from "../i18n/format.ts";
import { t } from "../i18n/index.ts";
import { isFinal, STATUS, type ApplicationStatus } from "../model/application-status.ts";
import { escapeHtml } from "./html.ts";
import { inlineKeyboard, type ChatMessage } from "./message.ts";
import { splitText, TELEGRAM_TEXT_LIMIT } from "../model/thread-message.ts";
import { fillTemplate, REASON_PLACEHOLDER, type PlaceholderValues } from "../model/placeholders.ts";
import type { AutoEvent } from "../model/auto-reply.ts";

/** "Заявка № 12 (Автошкола «Жол»): статус — «подтверждена»." and the reason of a rejection. */
export function statusChanged(lang: Language, c: StatusFacts): ChatMessage {
  return { text: escapeHtml(statusText(lang, c)) };
}

type StatusFacts = { number: string; counterpart: string; to: ApplicationStatus; reason?: string };

/** statusChanged as plain text (the dictionaries' texts carry no markup: escaping the whole is escaping the data). */
function statusText(lang: Language, c: StatusFacts): string {
  const d = t(lang);
  const text = d.statusChanged(c.number, c.counterpart, STATUS[c.to].student[lang]);
  return c.reason ? `${text}\n${d.rejectedWithReason(c.reason)}` : text;
}

/** An automatic message as the student reads it (`text`, plain: the thread and the preview show it) and as it is sent. */
export interface AutoMessage {
  event: AutoEvent;
  text: string;
  /** Written by the school or instructor (false: the built-in message). */
  custom: boolean;
  messages: ChatMessage[];
}

/**
 * The automatic message for `event`: the school's own text (`body`, already in the reader's
 * language; '' = none) with its placeholders filled, else the built-in one (statusChanged; an
 * application's arrival has none: the bot's confirmation says it). A rejection's reason always
 * reaches the student: when the school's text does not place it, the built-in reason line follows.
 * The same function composes the CRM's preview and the real message.
 */
export function automaticMessage(lang: Language, event: AutoEvent, body: string, v: { values: PlaceholderValues; counterpart: string; reason?: string }): AutoMessage | null {
  const number = v.values["{номер}"];
  if (!body.trim()) {
    if (event === "new") return null;
    const text = statusText(lang, { number, counterpart: v.counterpart, to: event, reason: v.reason });
    return { event, text, custom: false, messages: [{ text: escapeHtml(text) }] };
  }
  const filled = fillTemplate(body.trim(), { ...v.values, [REASON_PLACEHOLDER]: v.reason ?? "" });
  const text = v.reason && !body.includes(REASON_PLACEHOLDER) ? `${filled}\n\n${t(lang).rejectedWithReason(v.reason)}` : filled;
  return { event, text, custom: true, messages: splitText(text, TELEGRAM_TEXT_LIMIT).map((part) => ({ text: escapeHtml(part) })) };
}

/** A message staff wrote (or filled from a template) to the student of application `number`. */
export function staffMessage(lang: Language, m: { sender: string; number: string; body: string }): ChatMessage[] {
  const header = t(lang).replyFrom(escapeHtml(m.sender), m.number);
  // The header and a blank line fit beside the first piece (escaping does not count toward the limit).
  return splitText(m.body, TELEGRAM_TEXT_LIMIT - header.length - 2).map((part, i) => ({ text: i === 0 ? `${header}\n\n${escapeHtml(part)}` : escapeHtml(part) }));
}

export interface StudentApplication {
  id: number;
  publicNumber: string;
  status: ApplicationStatus;
  createdAt: Date;
  targetName: string;
}

/**
 * /my: the student's applications with their statuses, and a cancel button for each one that
 * can still be cancelled. `cancelData` packs the button's callback data (the bot's business).
 */
export function myApplications(lang: Language, apps: StudentApplication[], opts: { timeZone: string; cancelData: (applicationId: number) => string }): ChatMessage {
  const d = t(lang);
  if (!apps.length) return { text: d.myEmpty };
  const lines = apps.map((a) => d.myLine(a.publicNumber, escapeHtml(a.targetName), STATUS[a.status].student[lang], formatDay(a.createdAt, lang, opts.timeZone)));
  const buttons = apps.filter((a) => !isFinal(a.status)).map((a) => [{ text: d.cancelApplication(a.publicNumber), callback_data: opts.cancelData(a.id) }]);
  return { text: `${d.myTitle}\n\n${lines.join("\n")}`, markup: inlineKeyboard(buttons) };
}

/** /lang: the question, and a button per language, each named in its own language. */
export function chooseLanguage(lang: Language, data: (language: Language) => string): ChatMessage {
  const own: Record<Language, string> = { ru: "Русский", kk: "Қазақша" };
  const buttons = (Object.keys(own) as Language[]).map((l) => ({ text: own[l], callback_data: data(l) }));
  return { text: t(lang).chooseLanguage, markup: inlineKeyboard([buttons]) };
}

/** The bot's command menu (setMyCommands), in the dictionary's order: /start, /my, /lang, /cancel. */
export function commandMenu(lang: Language): { command: string; description: string }[] {
  return Object.entries(t(lang).commands).map(([command, description]) => ({ command, description }));
}

/** The first screen's text: a greeting by the Telegram name, then the licence question. */
export const greeting = (lang: Language, firstName: string): string => `${t(lang).greeting(escapeHtml(firstName))}\n\n${t(lang).licenceQuestion}`;

/** After the phone step: the number we keep. */
export const phoneSaved = (lang: Language, phone: string): string => t(lang).phoneSaved(escapeHtml(phone));
