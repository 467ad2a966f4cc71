// Messages to school and instructor staff in Telegram: the new-application alert, linking the
// account, the one-tap login link. Alerts are in the account's language (accounts.language, chosen
// in the CRM; none: Russian, domain/staff-telegram.ts alertLanguage); replies to a staff member's
// own command in the account's language, else their Telegram app's.
import type { Language } from "../db/schema.ts";
import { nameOf, t } from "../i18n/index.ts";
import { escapeHtml } from "./html.ts";
import { courseName } from "./catalog.ts";
import { isSituation, type Situation } from "../model/situation.ts";
import { CAPTION_LIMIT, inlineKeyboard, type ChatMessage } from "./message.ts";
import { splitText, TELEGRAM_TEXT_LIMIT, type StudentContent } from "../model/thread-message.ts";
import { formatPhone } from "../model/phone.ts";

export interface NewApplicationAlert {
  number: string;
  studentName: string;
  studentPhone: string;
  kind: "school" | "instructor";
  category: string | null;
  format: string | null;
  transmission: string | null;
  /** The kind of the offer applied to (school_offers.kind); null: no offer (an instructor) or unknown. */
  offerKind?: string | null;
  /** What the student said of themselves when applying (null: not asked). */
  situation?: Situation | null;
}

/** Telegram refuses URL buttons that point at localhost: there the link goes in the text. */
export const isLocal = (url: string) => /\/\/(localhost|127\.|0\.0\.0\.0)/.test(url);

/**
 * 🆕 New application № 12, the student, the course in its offer's kind's words ("Практика
 * вождения, B"), the student's situation, and a button (or link) to open it in the CRM.
 */
export function newApplication(lang: Language, a: NewApplicationAlert, url: string): ChatMessage {
  const d = t(lang);
  const course = a.kind === "school" ? courseName(lang, { kind: a.offerKind, category: a.category, format: a.format }) : (nameOf(d.transmissionNames, a.transmission) ?? "");
  const situation = isSituation(a.situation) ? d.situationNames[a.situation] : "";
  const body = d.staffNewApplication(a.number, escapeHtml(a.studentName), escapeHtml(formatPhone(a.studentPhone)), escapeHtml(course), situation);
  if (isLocal(url)) return { text: `${body}\n${escapeHtml(url)}` };
  return { text: body, markup: inlineKeyboard([[{ text: d.staffOpenApplication, url }]]) };
}

export const telegramLinked = (lang: Language, accountName: string): ChatMessage => ({ text: t(lang).staffLinked(escapeHtml(accountName)) });
export const telegramLinkRefused = (lang: Language): ChatMessage => ({ text: t(lang).staffLinkBad });
export const loginLink = (lang: Language, url: string): ChatMessage => ({ text: t(lang).staffLoginLink(escapeHtml(url)) });
export const notLinked = (lang: Language): ChatMessage => ({ text: t(lang).staffNotLinked });

/**
 * A student's message relayed to linked staff: the media first (by file_id, the header as its
 * caption), then the text in pieces Telegram accepts, each with the reply button (`replyData` is
 * packed by the bot): a Telegram reply to any part of the relay answers the student. A kind we
 * cannot relay is named ("стикер").
 */
export function studentWrote(lang: Language, m: { number: string; studentName: string; content: StudentContent }, replyData: string): ChatMessage[] {
  const d = t(lang);
  const header = wroteHeader(lang, m.number, m.studentName);
  const button = inlineKeyboard([[{ text: d.staffReplyButton, callback_data: replyData }]]);
  if ("unsupported" in m.content) return [{ text: `${header.html}\n<i>${escapeHtml(d.unsupportedNames[m.content.unsupported])}</i>`, markup: button }];
  const { text, media } = m.content;
  const out: ChatMessage[] = media ? [{ text: header.html, media }] : [];
  if (!media || text) {
    // Telegram counts the text as read (an escaped "&lt;" is one character): the header's own length.
    const pieces = splitText(text, TELEGRAM_TEXT_LIMIT - header.length - 1);
    pieces.forEach((part, i) => out.push({ text: i === 0 && !media ? `${header.html}\n${escapeHtml(part)}` : escapeHtml(part) }));
  }
  return out.map((x) => ({ ...x, markup: button }));
}

/**
 * "💬 Айгерім по заявке № 12:" as Telegram HTML (`html`) and its length as Telegram counts it
 * (`length`, before escaping). It is a photo's or document's caption, so it never passes
 * Telegram's caption limit: a name too long for it is cut, with "…".
 */
function wroteHeader(lang: Language, number: string, studentName: string): { html: string; length: number } {
  const over = t(lang).staffStudentWrote(number, studentName).length - CAPTION_LIMIT;
  let name = studentName;
  if (over > 0) {
    name = studentName.slice(0, Math.max(0, studentName.length - over - 1));
    const last = name.charCodeAt(name.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) name = name.slice(0, -1); // never half of a surrogate pair
    name += "…";
  }
  return { html: t(lang).staffStudentWrote(number, escapeHtml(name)), length: t(lang).staffStudentWrote(number, name).length };
}
