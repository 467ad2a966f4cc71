// Messages about a payment the student confirms (issue 16): the bot's questions and answers, the
// status message's payment buttons, the student's news of the school's word, and the staff alert.
// Callback data comes packed by the bot (bot/callback-data.ts payData); notify never packs it.
import type { Language } from "../db/schema.ts";
import { t } from "../i18n/index.ts";
import { formatKzt } from "../model/money.ts";
import { MAX_PAYMENT_KZT, MAX_RECEIPT_BYTES } from "../model/payment.ts";
import { escapeHtml } from "./html.ts";
import { isLocal } from "./staff.ts";
import { inlineKeyboard, type ChatMessage, type InlineButton, type Markup } from "./message.ts";

/** The school's or instructor's payment links (already checked: model/payment-link.ts). */
export interface PayLinks {
  kaspiUrl: string;
  halykUrl: string;
}

/**
 * The buttons under a confirmation (school) or acceptance (instructor): pay by Kaspi or Halyk
 * (manual links, no payment API) and "Я оплатил(а)" (`claimData`).
 */
export function payButtons(lang: Language, links: PayLinks, claimData: string): Markup {
  const d = t(lang);
  const rows: InlineButton[][] = [];
  if (links.kaspiUrl) rows.push([{ text: d.payKaspi, url: links.kaspiUrl }]);
  if (links.halykUrl) rows.push([{ text: d.payHalyk, url: links.halykUrl }]);
  rows.push([{ text: d.paidButton, callback_data: claimData }]);
  return inlineKeyboard(rows);
}

/** "Да, я оплатил(а)" under the school's own mark: the student agrees with one press. */
export const agreeButton = (lang: Language, agreeData: string): Markup => inlineKeyboard([[{ text: t(lang).paidYesButton, callback_data: agreeData }]]);

export const askReceipt = (lang: Language, number: string, skipData: string): ChatMessage => ({
  text: t(lang).payAskReceipt(escapeHtml(number)),
  markup: inlineKeyboard([[{ text: t(lang).noReceiptButton, callback_data: skipData }]]),
});

export const askAmount = (lang: Language): ChatMessage => ({ text: t(lang).payAskAmount });

export const notReceipt = (lang: Language, skipData: string): ChatMessage => ({
  text: t(lang).payNotReceipt,
  markup: inlineKeyboard([[{ text: t(lang).noReceiptButton, callback_data: skipData }]]),
});

export const receiptTooLarge = (lang: Language, skipData: string): ChatMessage => ({
  text: t(lang).payReceiptTooLarge(Math.floor(MAX_RECEIPT_BYTES / (1024 * 1024))),
  markup: inlineKeyboard([[{ text: t(lang).noReceiptButton, callback_data: skipData }]]),
});

export const badAmount = (lang: Language): ChatMessage => ({ text: t(lang).payBadAmount(formatKzt(MAX_PAYMENT_KZT)) });

export const claimSaved = (lang: Language, number: string, amountKzt: number): ChatMessage => ({ text: t(lang).payClaimSaved(escapeHtml(number), formatKzt(amountKzt)) });

/** The school confirmed the student's claim (an instructor's application: a school's gets its "оплачена" status message). */
export const confirmedByStaff = (lang: Language, number: string, from: string): ChatMessage => ({ text: t(lang).payConfirmedByStaff(escapeHtml(number), escapeHtml(from)) });

/** The school disputed the claim: the reason, and the "Я оплатил(а)" button again. */
export const disputed = (lang: Language, m: { number: string; from: string; reason: string }, claimData: string): ChatMessage => ({
  text: t(lang).payDisputed(escapeHtml(m.number), escapeHtml(m.from), escapeHtml(m.reason)),
  markup: inlineKeyboard([[{ text: t(lang).paidButton, callback_data: claimData }]]),
});

/** An instructor marked the application paid: the student may agree. */
export const markedByStaff = (lang: Language, number: string, from: string, agreeData: string): ChatMessage => ({
  text: t(lang).payMarkedByStaff(escapeHtml(number), escapeHtml(from)),
  markup: agreeButton(lang, agreeData),
});

/** Linked staff learn of a student's claim (alerts are in the CRM's Russian); the receipt, when there is one, goes as the media. */
export function paymentClaimedAlert(lang: Language, m: { number: string; studentName: string; amountKzt: number; receipt: { kind: "photo" | "document"; fileId: string } | null }, url: string): ChatMessage {
  const d = t(lang);
  const text = d.staffPaymentClaimed(escapeHtml(m.number), escapeHtml(m.studentName), formatKzt(m.amountKzt), m.receipt ? d.staffReceiptAttached : d.staffNoReceipt);
  const markup = isLocal(url) ? undefined : inlineKeyboard([[{ text: d.staffOpenApplication, url }]]);
  return { text: markup ? text : `${text}\n${escapeHtml(url)}`, ...(markup ? { markup } : {}), ...(m.receipt ? { media: { kind: m.receipt.kind, fileId: m.receipt.fileId } } : {}) };
}
