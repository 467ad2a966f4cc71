// Messages to a student about their applications, outside the step-by-step flow: a status
// change, a message from the school or instructor, the /my list. Labels of statuses come from
// the status model (STATUS[s].student), the one place they live.
import type { Language } from "../db/schema.ts";
import { formatDay } from "../i18n/format.ts";
import { t } from "../i18n/index.ts";
import { isFinal, STATUS, type ApplicationStatus } from "../model/application-status.ts";
import { showSupportContact, type SupportContact } from "../model/support-contact.ts";
import { escapeHtml } from "./html.ts";
import { inlineKeyboard, type ChatMessage, type InlineButton } from "./message.ts";
import { splitText, TELEGRAM_TEXT_LIMIT } from "../model/thread-message.ts";
import { fillTemplate, REASON_PLACEHOLDER, type PlaceholderValues, type Written } from "../model/placeholders.ts";
import type { AutoEvent } from "../model/auto-reply.ts";
import { formatPhone } from "../model/phone.ts";
import { canClaimPayment, type PaymentState } from "../model/payment.ts";

type StatusFacts = { number: string; counterpart: string; to: ApplicationStatus; reason?: string };

/**
 * The built-in status message as plain text: "Заявка № 12 (Автошкола «Жол»): статус — «подтверждена»."
 * and the reason of a rejection (the dictionaries' texts carry no markup: escaping the whole is
 * escaping the data).
 */
function statusText(lang: Language, c: StatusFacts): string {
  const d = t(lang);
  const text = d.statusChanged(c.number, c.counterpart, STATUS[c.to].student[lang]);
  return c.reason ? `${text}\n${d.rejectedWithReason(c.reason)}` : text;
}

/** An automatic message as the student reads it (`text`, plain: the thread and the preview show it) and as it is sent. */
export interface AutoMessage {
  event: AutoEvent;
  text: string;
  /** The language `text` is in: the reader's, or the only one the school wrote. */
  lang: Language;
  /** Written by the school or instructor (false: the built-in message). */
  custom: boolean;
  messages: ChatMessage[];
}

/** What an automatic message is filled from: the placeholders' values per language, the sender's name per language, a rejection's reason. */
export interface AutoFacts {
  values: (lang: Language) => PlaceholderValues;
  counterpart: (lang: Language) => string;
  reason?: string;
}

/**
 * The automatic message for `event` to a reader of `lang`: the school's own text (`own`, as
 * inLanguage chose it; '' = none) with its placeholders filled in the text's language, else the
 * built-in one (an application's arrival has none: the bot's confirmation says it). A text that
 * fills to nothing (only {kaspi}, and no Kaspi link) is no text: Telegram refuses an empty
 * message, so the built-in one goes instead. A rejection's reason always reaches the student:
 * when the school's text does not place it, the reason line follows, in the text's language.
 * The same function composes the CRM's preview and the real message.
 */
export function automaticMessage(lang: Language, event: AutoEvent, own: Written, v: AutoFacts): AutoMessage | null {
  const text = ownText(own, v);
  if (text) return { event, text, lang: own.lang, custom: true, messages: splitText(text, TELEGRAM_TEXT_LIMIT).map((part) => ({ text: escapeHtml(part) })) };
  if (event === "new") return null;
  const builtIn = statusText(lang, { number: v.values(lang)["{номер}"], counterpart: v.counterpart(lang), to: event, reason: v.reason });
  return { event, text: builtIn, lang, custom: false, messages: [{ text: escapeHtml(builtIn) }] };
}

/** The school's text filled, with the reason line when it needs one; '' when it fills to nothing. */
function ownText(own: Written, v: AutoFacts): string {
  const filled = fillTemplate(own.text.trim(), { ...v.values(own.lang), [REASON_PLACEHOLDER]: v.reason ?? "" }).trim();
  if (!filled) return "";
  return v.reason && !own.text.includes(REASON_PLACEHOLDER) ? `${filled}\n\n${t(own.lang).rejectedWithReason(v.reason)}` : filled;
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
  /** What the payment's sides make (absent: not known, no payment button). */
  paymentState?: PaymentState;
}

/**
 * /my: the student's lessons first when they have any (`lessons`: notify/schedule.ts
 * scheduleSection, with a button per upcoming lesson), then the applications with their statuses
 * and a cancel button for each one that can still be cancelled. `cancelData` packs the button's
 * callback data (the bot's business).
 */
export function myApplications(
  lang: Language,
  apps: StudentApplication[],
  opts: { timeZone: string; cancelData: (applicationId: number) => string; payData?: (applicationId: number) => string; lessons?: { text: string; buttons: InlineButton[][] }; more?: InlineButton[][] },
): ChatMessage {
  const d = t(lang);
  if (!apps.length) return { text: d.myEmpty };
  const lines = apps.map((a) => d.myLine(a.publicNumber, escapeHtml(a.targetName), STATUS[a.status].student[lang], formatDay(a.createdAt, lang, opts.timeZone)));
  // "Я оплатил(а)" while the student may claim (model/payment.ts) and has not, or the school disputed it.
  const claimable = (a: StudentApplication) => opts.payData && canClaimPayment(a.status) && (a.paymentState === "none" || a.paymentState === "disputed");
  const pays = apps.filter(claimable).map((a) => [{ text: `${d.paidButton} · № ${a.publicNumber}`, callback_data: opts.payData!(a.id) }]);
  const cancels = apps.filter((a) => !isFinal(a.status)).map((a) => [{ text: d.cancelApplication(a.publicNumber), callback_data: opts.cancelData(a.id) }]);
  const text = [opts.lessons?.text, `${d.myTitle}\n\n${lines.join("\n")}`].filter(Boolean).join("\n\n");
  return { text, markup: inlineKeyboard([...(opts.lessons?.buttons ?? []), ...pays, ...cancels, ...(opts.more ?? [])]) };
}

/** /lang: the question, and a button per language, each named in its own language. */
export function chooseLanguage(lang: Language, data: (language: Language) => string): ChatMessage {
  const own: Record<Language, string> = { ru: "Русский", kk: "Қазақша" };
  const buttons = (Object.keys(own) as Language[]).map((l) => ({ text: own[l], callback_data: data(l) }));
  return { text: t(lang).chooseLanguage, markup: inlineKeyboard([buttons]) };
}

/** The bot's command menu (setMyCommands), in the dictionary's order: /start, /my, /lang, /cancel, /help. */
export function commandMenu(lang: Language): { command: string; description: string }[] {
  return Object.entries(t(lang).commands).map(([command, description]) => ({ command, description }));
}

/**
 * /help: what the bot does, the commands (the menu's own list and words, so the two never
 * disagree) and where to ask: the platform's support when configured, else the chat itself, whose
 * messages reach the school or instructor of the student's application.
 */
export function helpText(lang: Language, support: SupportContact | null): string {
  const d = t(lang);
  const commands = commandMenu(lang).map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  const ask = support ? d.helpSupport(escapeHtml(showSupportContact(support))) : d.helpNoSupport;
  return [d.helpAbout, [d.helpCommandsTitle, ...commands].join("\n"), ask].join("\n\n");
}

/** The first screen's text: a greeting by the Telegram name, then the licence question. */
export const greeting = (lang: Language, firstName: string): string => `${t(lang).greeting(escapeHtml(firstName))}\n\n${t(lang).licenceQuestion}`;

/** After the phone step: the number we keep. */
export const phoneSaved = (lang: Language, phone: string): string => t(lang).phoneSaved(escapeHtml(formatPhone(phone)));
