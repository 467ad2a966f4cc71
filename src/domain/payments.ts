// The payment as both sides tell it (issue 16): the student's "Я оплатил(а)" with an amount and an
// optional receipt, and the school's or instructor's word — confirmed, disputed, or marked paid on
// its own. One `payments` row per application (src/db/schema.ts); what its sides make is
// model/payment.ts paymentState's business. Every change is one transaction with its
// application_events 'payment' row, its audit row and the index mark (markDirty): the trust index
// reads the payments table.
//
// The buttons the student gets are packed by the bot's one door (bot/callback-data.ts payButtonData),
// as the jobs do for their buttons: the domain only puts them under the messages it queues.
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, payments, students, type Language } from "../db/schema.ts";
import { payButtonData } from "../bot/callback-data.ts";
import { STATUS, stampOf, type ApplicationStatus } from "../model/application-status.ts";
import { canClaimPayment, MAX_DISPUTE_REASON, paymentClosed, paymentState, type PaymentState } from "../model/payment.ts";
import type { ThreadMedia } from "../model/thread-message.ts";
import { agreeButton, confirmedByStaff, disputed, markedByStaff, paymentClaimedAlert, payButtons } from "../notify/payment.ts";
import { recordAudit } from "./audit.ts";
import type { StatusButtons } from "./auto-replies.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { enqueueMessage } from "./outbox.ts";
import { ownApplication, type Scope } from "./scope.ts";
import { staffChatsFor } from "./staff-telegram.ts";
import { changeStatusIn } from "./status.ts";
import { senderName, senderProfileOf, ownerOfApplication } from "./templates.ts";

export type Payment = typeof payments.$inferSelect;
type Application = typeof applications.$inferSelect;

const stateOf = (p: Payment | null | undefined): PaymentState => paymentState(p ?? null);

/** The payment row of an application (null: nobody said anything yet). */
export async function paymentOf(db: Db | Tx, applicationId: number): Promise<Payment | null> {
  const [row] = await db.select().from(payments).where(eq(payments.applicationId, applicationId));
  return row ?? null;
}

/** The payment of an application of the scope, for the CRM's block (null: not the scope's). */
export async function scopedPayment(db: Db, scope: Scope, applicationId: number): Promise<{ payment: Payment | null; receiptEventId: number | null } | null> {
  const [row] = await db
    .select({ id: applications.id, payment: payments })
    .from(applications)
    .leftJoin(payments, eq(payments.applicationId, applications.id))
    .where(ownApplication(scope, applicationId));
  if (!row) return null;
  // The receipt is opened through the thread's media route, which finds media by event id.
  const receiptEventId = row.payment?.receipt ? await latestClaimEvent(db, applicationId) : null;
  return { payment: row.payment, receiptEventId };
}

async function latestClaimEvent(db: Db | Tx, applicationId: number): Promise<number | null> {
  const [e] = await db
    .select({ id: applicationEvents.id })
    .from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.type, "payment"), sql`${applicationEvents.payload}->>'action' = 'claimed'`))
    .orderBy(sql`${applicationEvents.id} desc`)
    .limit(1);
  return e?.id ?? null;
}

// ---- the student's side (the bot) ----

/** Why a student may not say "Я оплатил(а)" now. */
export type ClaimRefusal = "not_found" | "not_allowed" | "pending" | "agreed";

/**
 * Whether the student may claim a payment on application `applicationId`: theirs (else
 * `not_found`: a forged or foreign button), confirmed or accepted and not final, no claim waiting
 * for the school's check, not agreed already. A disputed claim may be made again.
 */
export async function checkClaim(tx: Tx, studentId: number, applicationId: number): Promise<{ ok: true; app: Application; payment: Payment | null } | { ok: false; reason: ClaimRefusal }> {
  const row = await lockStudentsApplication(tx, studentId, applicationId);
  if (!row) return { ok: false, reason: "not_found" };
  if (!canClaimPayment(row.app.status)) return { ok: false, reason: "not_allowed" };
  const state = stateOf(row.payment);
  if (state === "claimed") return { ok: false, reason: "pending" };
  if (state === "agreed") return { ok: false, reason: "agreed" };
  return { ok: true, app: row.app, payment: row.payment };
}

/**
 * The student's application locked (FOR UPDATE: a staff answer or another press on the same
 * application waits for this transaction), then its payment read by a statement of its own, so it
 * is what the last of them committed (a joined row would come from the snapshot before the wait).
 */
async function lockStudentsApplication(tx: Tx, studentId: number, applicationId: number): Promise<{ app: Application; payment: Payment | null } | null> {
  const [app] = await tx
    .select()
    .from(applications)
    .where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)))
    .for("update");
  return app ? { app, payment: await paymentOf(tx, app.id) } : null;
}

/** The SQL of a claim that waits for the school's check (model/payment.ts `claimed`): the condition of every answer to it. */
const CLAIM_WAITING = sql`${payments.studentAt} is not null and ${payments.staffAt} is null and ${payments.disputedAt} is null`;

/** What the payment of the student's application is (null: not theirs), to route a press. */
export async function studentPaymentState(db: Db | Tx, studentId: number, applicationId: number): Promise<PaymentState | null> {
  const [row] = await db
    .select({ id: applications.id, payment: payments })
    .from(applications)
    .leftJoin(payments, eq(payments.applicationId, applications.id))
    .where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)));
  return row ? stateOf(row.payment) : null;
}

export type ClaimResult = { ok: true; number: string; state: PaymentState } | { ok: false; reason: ClaimRefusal };

/**
 * The student says they paid `amountKzt` (with a receipt or without): the row is upserted with a
 * new student_at (a dispute is cleared), the 'payment' event carries the receipt as `media` (so the
 * CRM opens it through the thread's media route), the index is marked, and the linked staff are
 * alerted. In the caller's transaction (the bot's update).
 */
export async function claimPayment(tx: Tx, studentId: number, applicationId: number, input: { amountKzt: number; receipt: ThreadMedia | null }, links: { publicUrl: string }): Promise<ClaimResult> {
  const checked = await checkClaim(tx, studentId, applicationId);
  if (!checked.ok) return checked;
  const { app } = checked;
  // The school already marked it paid: the student's word makes it agreed, so it is told as an
  // agreement (with the amount and receipt kept), and staff get no "проверьте" alert.
  const agreeing = stateOf(checked.payment) === "staff_only";
  const values = { amountKzt: input.amountKzt, receipt: input.receipt, studentAt: sql`now()`, disputedAt: null, disputeReason: "", updatedAt: sql`now()` };
  const [saved] = await tx
    .insert(payments)
    .values({ applicationId, ...values })
    .onConflictDoUpdate({ target: payments.applicationId, set: values })
    .returning();
  await tx.insert(applicationEvents).values({
    applicationId,
    type: "payment",
    payload: { action: "claimed", amountKzt: input.amountKzt, ...(input.receipt ? { media: input.receipt } : {}) },
  });
  await markDirty(tx, subjectsOf(app));
  await recordAudit(tx, { accountId: null, action: "payment.claim", subject: `application:${applicationId}`, before: checked.payment ? { state: stateOf(checked.payment) } : null, after: { state: stateOf(saved), amountKzt: input.amountKzt, receipt: !!input.receipt } });
  if (!agreeing) await alertStaff(tx, app, input, links.publicUrl);
  return { ok: true, number: app.publicNumber, state: stateOf(saved) };
}

/** Linked staff of the school or instructor learn of the claim, with the receipt, each in their own language. */
async function alertStaff(tx: Tx, app: Application, input: { amountKzt: number; receipt: ThreadMedia | null }, publicUrl: string): Promise<void> {
  const owner = app.kind === "school" ? { schoolId: app.schoolId! } : { instructorId: app.instructorId! };
  const area = app.kind === "school" ? "schools" : "instructors";
  const alert = (lang: Language) => paymentClaimedAlert(lang, { number: app.publicNumber, studentName: app.studentName, amountKzt: input.amountKzt, receipt: input.receipt }, `${publicUrl}/crm/${area}/applications/${app.id}`);
  for (const staff of await staffChatsFor(tx, owner)) await enqueueMessage(tx, staff.chatId, alert(staff.language));
}

export type AgreeResult = { ok: true; number: string } | { ok: false; reason: "not_found" | "not_marked" | "agreed" };

/**
 * "Да, я оплатил(а)" under the school's own mark: the student's word joins it (agreed). Refused
 * for another student's application, when the school has not marked it, or when both already agree.
 */
export async function agreeWithMark(tx: Tx, studentId: number, applicationId: number): Promise<AgreeResult> {
  const row = await lockStudentsApplication(tx, studentId, applicationId);
  if (!row) return { ok: false, reason: "not_found" };
  const state = stateOf(row.payment);
  if (state === "agreed") return { ok: false, reason: "agreed" };
  if (state !== "staff_only") return { ok: false, reason: "not_marked" };
  const updated = await tx
    .update(payments)
    .set({ studentAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(payments.applicationId, applicationId), sql`${payments.staffAt} is not null and ${payments.studentAt} is null and ${payments.disputedAt} is null`))
    .returning({ id: payments.applicationId });
  if (!updated.length) return { ok: false, reason: "agreed" };
  await tx.insert(applicationEvents).values({ applicationId, type: "payment", payload: { action: "student_agreed" } });
  await markDirty(tx, subjectsOf(row.app));
  await recordAudit(tx, { accountId: null, action: "payment.agree", subject: `application:${applicationId}`, before: { state }, after: { state: "agreed" } });
  return { ok: true, number: row.app.publicNumber };
}

// ---- the school's or instructor's side (the CRM) ----

/**
 * The school's word that it was paid, for a status change that stamps paid_at (the "Оплачено"
 * button): staff_at is set once (a later paid status keeps the first), with its event; saying it
 * was paid withdraws the school's own earlier dispute. Returns the row after. Called by status.ts
 * in the status change's own transaction.
 */
export async function markPaidByStaff(tx: Tx, app: Application, accountId: number): Promise<Payment> {
  return (await stampStaff(tx, app, accountId)) ?? (await paymentOf(tx, app.id))!;
}

/** markPaidByStaff's write, conditional on staff_at being empty: null when it was not (already marked, perhaps just now). */
async function stampStaff(tx: Tx, app: Application, accountId: number): Promise<Payment | null> {
  const before = await paymentOf(tx, app.id);
  if (before?.staffAt) return null;
  const set = { staffAt: sql`now()`, staffAccountId: accountId, disputedAt: null, updatedAt: sql`now()` };
  const [saved] = await tx
    .insert(payments)
    .values({ applicationId: app.id, ...set })
    .onConflictDoUpdate({ target: payments.applicationId, set: set, setWhere: sql`${payments.staffAt} is null` })
    .returning();
  if (!saved) return null;
  await tx.insert(applicationEvents).values({ applicationId: app.id, accountId, type: "payment", payload: { action: before?.studentAt ? "confirmed" : "marked" } });
  return saved;
}

/**
 * The buttons under a status message: with a confirmation (school) or an acceptance (instructor)
 * the payment links and "Я оплатил(а)"; with the school's own "оплачена" mark "Да, я оплатил(а)".
 */
export function statusButtons(app: Application, to: ApplicationStatus, payment: Payment | null): StatusButtons | undefined {
  const data = payButtonData(app.id);
  if (canClaimPayment(to) && stampOf(to) === "confirmedAt") return (lang, sender) => payButtons(lang, sender, data.claim);
  // Only the "оплачена" message asks: later ones (studying, completed) would repeat the question.
  if (to === "paid" && payment && stateOf(payment) === "staff_only") return (lang) => agreeButton(lang, data.agree);
  return undefined;
}

export type StaffPaymentResult =
  | { ok: true }
  | { ok: false; reason: "not_found" }
  /** The payment is not in a state this answer fits (nothing claimed, already confirmed or disputed…). */
  | { ok: false; reason: "not_allowed" }
  /** The application is cancelled or rejected: its payment is no longer anyone's business. */
  | { ok: false; reason: "closed" }
  | { ok: false; reason: "bad_reason"; problem: "required" | "too_long" };

/**
 * The scope's application locked FOR UPDATE (two answers to one claim — confirm and dispute, or a
 * double confirm — run one after the other), then its payment read by a statement of its own so
 * the second sees what the first committed. The updates are conditional too (CLAIM_WAITING).
 */
async function loadOwn(tx: Tx, scope: Scope, applicationId: number) {
  const [row] = await tx
    .select({ app: applications, student: students })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(ownApplication(scope, applicationId))
    .for("update", { of: applications });
  return row ? { ...row, payment: await paymentOf(tx, row.app.id) } : null;
}

/**
 * Staff confirm the student's claim. A school application in `confirmed` moves to `paid` through
 * the status change (paid_at, the student's status message, the history), in the same
 * transaction; otherwise (an instructor's, or a school's already past `paid`) staff_at is set and
 * the student is told.
 */
export async function confirmPayment(db: Db, scope: Scope, applicationId: number, opts: { timeZone?: string } = {}): Promise<StaffPaymentResult> {
  return notAllowedOnRollback(db, async (tx) => {
    const row = await loadOwn(tx, scope, applicationId);
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (paymentClosed(row.app.status)) return { ok: false, reason: "closed" } as const;
    if (stateOf(row.payment) !== "claimed") return { ok: false, reason: "not_allowed" } as const;
    const { app } = row;
    const toPaid = app.kind === "school" && STATUS[app.status].next.school.includes("paid");
    if (toPaid) {
      // The status change writes the payment's staff side (markPaidByStaff) and tells the student.
      const changed = await changeStatusIn(tx, scope, app.id, { from: app.status, to: "paid" }, opts);
      if (!changed.ok) throw new Rollback();
      // The status change's conditional write of staff_at must have made it agreed, or someone answered first.
      if (stateOf(await paymentOf(tx, app.id)) !== "agreed") throw new Rollback();
    } else {
      const saved = await stampStaff(tx, app, scope.accountId);
      if (!saved || stateOf(saved) !== "agreed") throw new Rollback();
      const sender = await senderProfileOf(tx, ownerOfApplication(app));
      await enqueueMessage(tx, row.student.chatId, confirmedByStaff(row.student.language, app.publicNumber, senderName(sender, row.student.language)));
      await markDirty(tx, subjectsOf(app));
    }
    await recordAudit(tx, { accountId: scope.accountId, action: "payment.confirm", subject: `application:${app.id}`, before: { state: "claimed" }, after: { state: "agreed", ...(toPaid ? { status: "paid" } : {}) } });
    return { ok: true } as const;
  });
}

/** The dispute's reason, trimmed: required, at most MAX_DISPUTE_REASON characters. */
export function checkDisputeReason(raw: string | undefined): { ok: true; reason: string } | { ok: false; problem: "required" | "too_long" } {
  const reason = (raw ?? "").trim();
  if (!reason) return { ok: false, problem: "required" };
  return reason.length > MAX_DISPUTE_REASON ? { ok: false, problem: "too_long" } : { ok: true, reason };
}

/** Staff say the student's claim is wrong: the reason goes to the student with "Я оплатил(а)" again. */
export async function disputePayment(db: Db, scope: Scope, applicationId: number, rawReason: string | undefined): Promise<StaffPaymentResult> {
  const checked = checkDisputeReason(rawReason);
  return db.transaction(async (tx) => {
    const row = await loadOwn(tx, scope, applicationId);
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (paymentClosed(row.app.status)) return { ok: false, reason: "closed" } as const;
    if (stateOf(row.payment) !== "claimed") return { ok: false, reason: "not_allowed" } as const;
    if (!checked.ok) return { ok: false, reason: "bad_reason", problem: checked.problem } as const;
    const { app, student } = row;
    const updated = await tx
      .update(payments)
      .set({ disputedAt: sql`now()`, disputeReason: checked.reason, updatedAt: sql`now()` })
      .where(and(eq(payments.applicationId, app.id), CLAIM_WAITING))
      .returning({ id: payments.applicationId });
    if (!updated.length) return { ok: false, reason: "not_allowed" } as const;
    await tx.insert(applicationEvents).values({ applicationId: app.id, accountId: scope.accountId, type: "payment", payload: { action: "disputed", reason: checked.reason } });
    const sender = await senderProfileOf(tx, ownerOfApplication(app));
    await enqueueMessage(tx, student.chatId, disputed(student.language, { number: app.publicNumber, from: senderName(sender, student.language), reason: checked.reason }, payButtonData(app.id).claim));
    await markDirty(tx, subjectsOf(app));
    await recordAudit(tx, { accountId: scope.accountId, action: "payment.dispute", subject: `application:${app.id}`, before: { state: "claimed" }, after: { state: "disputed", reason: checked.reason } });
    return { ok: true } as const;
  });
}

/**
 * An instructor's "Оплачено" on an accepted application (instructors have no paid status): their
 * word alone (staff_only) until the student agrees, or agreed when the student had claimed it.
 */
export async function markPaidByInstructor(db: Db, scope: Scope, applicationId: number): Promise<StaffPaymentResult> {
  return db.transaction(async (tx) => {
    const row = await loadOwn(tx, scope, applicationId);
    if (!row) return { ok: false, reason: "not_found" } as const;
    const { app, student } = row;
    const before = stateOf(row.payment);
    if (app.kind !== "instructor" || !canClaimPayment(app.status) || before === "agreed" || before === "staff_only") return { ok: false, reason: "not_allowed" } as const;
    const saved = await markPaidByStaff(tx, app, scope.accountId);
    const sender = await senderProfileOf(tx, ownerOfApplication(app));
    const name = senderName(sender, student.language);
    const message = stateOf(saved) === "staff_only" ? markedByStaff(student.language, app.publicNumber, name, payButtonData(app.id).agree) : confirmedByStaff(student.language, app.publicNumber, name);
    await enqueueMessage(tx, student.chatId, message);
    await markDirty(tx, subjectsOf(app));
    await recordAudit(tx, { accountId: scope.accountId, action: "payment.mark", subject: `application:${app.id}`, before: { state: before }, after: { state: stateOf(saved) } });
    return { ok: true } as const;
  });
}

/** Thrown inside a staff answer's transaction when a conditional write found the payment changed: all undone, `not_allowed`. */
class Rollback extends Error {}

async function notAllowedOnRollback(db: Db, work: (tx: Tx) => Promise<StaffPaymentResult>): Promise<StaffPaymentResult> {
  try {
    return await db.transaction(work);
  } catch (e) {
    if (e instanceof Rollback) return { ok: false, reason: "not_allowed" };
    throw e;
  }
}
