// What a payment's two sides said, and what that makes it (issue 16). Pure: the `payments` row
// (src/db/schema.ts) has one timestamp per side; this is the one place that turns them into a
// state. The trust index, the CRM badge and the bot all ask `paymentState`; SQL that needs the
// same rule builds it from `sqlPaymentState` so the two cannot drift.
import { STATUS, type ApplicationStatus } from "./application-status.ts";
import { parseAmount } from "./money.ts";
import type { StudentContent } from "./thread-message.ts";

/** What the row holds about who said what. */
export interface PaymentSides {
  /** The student said "Я оплатил(а)" (or confirmed the school's mark). */
  studentAt: Date | null;
  /** The school or instructor said it was paid (confirmed the student's claim, or marked it alone). */
  staffAt: Date | null;
  /** The school or instructor said the student's claim is wrong. */
  disputedAt: Date | null;
}

/**
 * - `agreed`: both sides said it was paid: the payment the trust index believes in full;
 * - `staff_only`: only the school marked it; counts less (docs/analytics.md);
 * - `claimed`: only the student said it; the school has yet to check ("ожидает проверки оплаты");
 * - `disputed`: the school said the student's claim is wrong; counts for nobody;
 * - `none`: nobody said anything.
 */
export const paymentStates = ["agreed", "staff_only", "claimed", "disputed", "none"] as const;
export type PaymentState = (typeof paymentStates)[number];

export function paymentState(p: PaymentSides | null | undefined): PaymentState {
  if (!p) return "none";
  if (p.disputedAt) return "disputed";
  if (p.studentAt && p.staffAt) return "agreed";
  if (p.staffAt) return "staff_only";
  if (p.studentAt) return "claimed";
  return "none";
}

/** The same rule in SQL over a `payments` row aliased `alias` (a left join gives 'none'). */
export function sqlPaymentState(alias: string): string {
  const c = (col: string) => `${alias}.${col}`;
  return `(case when ${c("disputed_at")} is not null then 'disputed'
    when ${c("student_at")} is not null and ${c("staff_at")} is not null then 'agreed'
    when ${c("staff_at")} is not null then 'staff_only'
    when ${c("student_at")} is not null then 'claimed'
    else 'none' end)`;
}

/** The largest amount a student may report, in tenge (a full course is ~100–400 thousand). */
export const MAX_PAYMENT_KZT = 10_000_000;
/** A receipt may be a photo or a PDF of at most this many bytes (Telegram's getFile limit is 20 MB). */
export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;
export const RECEIPT_MIME = "application/pdf";
/** A photo of a receipt sent as a file, uncompressed. */
export const RECEIPT_IMAGE_MIMES: readonly string[] = ["image/jpeg", "image/png"];

/** The longest reason a school or instructor may give when disputing a student's claim. */
export const MAX_DISPUTE_REASON = 500;

/** The amount the student typed: a positive whole number of tenge up to MAX_PAYMENT_KZT ("150 000 тг"), or null. */
export function parsePaymentKzt(raw: string): number | null {
  const n = parseAmount(raw, MAX_PAYMENT_KZT);
  return n !== null && n > 0 ? n : null;
}

/** Why a message is not a receipt: not a photo or PDF, or bigger than MAX_RECEIPT_BYTES (Telegram tells the size). */
export type ReceiptProblem = "not_receipt" | "too_large";

export function receiptProblem(content: StudentContent): ReceiptProblem | null {
  if (!("media" in content) || !content.media) return "not_receipt";
  const m = content.media;
  // A document is a PDF by its MIME type, or by its name when the type says nothing (absent, or the
  // application/octet-stream some clients send); a photo sent as a file ("без сжатия") is a JPEG or PNG document.
  const untyped = !m.mime || m.mime === "application/octet-stream";
  const receiptFile = m.kind === "document" && (m.mime === RECEIPT_MIME || RECEIPT_IMAGE_MIMES.includes(m.mime ?? "") || (untyped && /\.pdf$/i.test(m.fileName ?? "")));
  if (m.kind !== "photo" && !receiptFile) return "not_receipt";
  return (m.size ?? 0) > MAX_RECEIPT_BYTES ? "too_large" : null;
}

/**
 * Whether the student may say "Я оплатил(а)" for an application in `status`: it was confirmed by
 * the school or accepted by the instructor (the status model's `confirmed`) and is not final
 * (cancelled, rejected, completed).
 */
export function canClaimPayment(status: ApplicationStatus): boolean {
  return STATUS[status].confirmed && !STATUS[status].final;
}

/**
 * Whether an application's payment is closed to answers: it ended without being paid (cancelled,
 * rejected). Staff may not confirm or dispute a claim there, and the inbox shows no "ожидает
 * проверки оплаты" badge (a paid, studying or completed one stays open: the claim is still true or not).
 */
export function paymentClosed(status: ApplicationStatus): boolean {
  return STATUS[status].final && !STATUS[status].paid;
}

/** The statuses paymentClosed is true of, for SQL. */
export const PAYMENT_CLOSED_STATUSES: readonly ApplicationStatus[] = (Object.keys(STATUS) as ApplicationStatus[]).filter(paymentClosed);
