// Changing an application's status (what the statuses mean and which moves are allowed is the
// status model's, src/model/application-status.ts). A change is one transaction: it is applied only if the row still has the status the
// person saw (`where status = from`), so a change made a second earlier by someone else is
// refused instead of overwritten; the history, the audit log and the student's message
// (auto-replies.ts: the school's own text or the built-in one) go with it.
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, type ApplicationStatus } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { loadInboxRow, type InboxRow } from "./inbox.ts";
import { sendStatusMessage } from "./auto-replies.ts";
import { ownApplication, type Scope } from "./scope.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { canTransition, checkReason, isFinal, stampOf } from "../model/application-status.ts";
import type { CancelReason } from "../model/cancel-reason.ts";
import { requestReview } from "./reviews.ts";
import { cancelLessonsOf, LessonError, lessonFromBooking } from "./lessons.ts";
import { markPaidByStaff, statusButtons } from "./payments.ts";

export type ChangeResult =
  | { ok: true; row: InboxRow }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "stale" | "not_allowed"; row: InboxRow }
  /** The reason given with a rejection is missing (an instructor must give one) or too long. */
  | { ok: false; reason: "bad_reason"; problem: "required" | "too_long"; row: InboxRow };

/** Timestamps a status sets the first time it is reached (which one: the status model). */
function stampsFor(to: ApplicationStatus) {
  const stamp = stampOf(to);
  return {
    updatedAt: sql`now()`,
    firstResponseAt: sql`coalesce(${applications.firstResponseAt}, now())`,
    ...(stamp === "cancelledAt" ? { cancelledAt: sql`now()` } : {}),
    ...(stamp === "confirmedAt" ? { confirmedAt: sql`coalesce(${applications.confirmedAt}, now())` } : {}),
    ...(stamp === "paidAt" ? { paidAt: sql`coalesce(${applications.paidAt}, now())` } : {}),
  };
}

/**
 * Staff move an application of their scope from `from` (what they saw) to `to`. `reason` goes to
 * the student with a rejection. Refused, with the fresh row, when the status is no longer `from`
 * or the status model does not allow the move; with `bad_reason` when the reason is missing or too long.
 */
export async function changeStatus(
  db: Db,
  scope: Scope,
  applicationId: number,
  input: { from: ApplicationStatus; to: ApplicationStatus; reason?: string },
  opts: { now?: Date; timeZone?: string } = {},
): Promise<ChangeResult> {
  return db.transaction((tx) => changeStatusIn(tx, scope, applicationId, input, opts));
}

/**
 * changeStatus inside the caller's transaction: confirming a student's payment claim moves a
 * school application to `paid` in the same transaction as the payment row (domain/payments.ts).
 */
export async function changeStatusIn(
  tx: Tx,
  scope: Scope,
  applicationId: number,
  input: { from: ApplicationStatus; to: ApplicationStatus; reason?: string },
  opts: { now?: Date; timeZone?: string } = {},
): Promise<ChangeResult> {
  const checked = checkReason(scope.kind, input.to, input.reason);
  const reason = checked.ok ? checked.reason : "";
  const [app] = await tx.select().from(applications).where(ownApplication(scope, applicationId));
  if (!app) return { ok: false, reason: "not_found" } as const;
  const fresh = async () => (await loadInboxRow(tx, scope, applicationId))!;
  if (app.status !== input.from) return { ok: false, reason: "stale", row: await fresh() } as const;
  if (!canTransition(app.kind, input.from, input.to)) return { ok: false, reason: "not_allowed", row: await fresh() } as const;
  if (!checked.ok) return { ok: false, reason: "bad_reason", problem: checked.problem, row: await fresh() } as const;
  const updated = await tx
    .update(applications)
    // A final application waits for nobody's answer: it leaves «Ждут нашего ответа».
    .set({ status: input.to, ...stampsFor(input.to), ...(isFinal(input.to) ? { awaitingReplySince: null } : {}) })
    .where(and(eq(applications.id, app.id), eq(applications.status, input.from)))
    .returning({ id: applications.id });
  // Someone changed it between our read and this write: same answer as a stale read.
  if (!updated.length) return { ok: false, reason: "stale", row: await fresh() } as const;
  await tx.insert(applicationEvents).values({
    applicationId: app.id,
    accountId: scope.accountId,
    type: "status",
    fromStatus: input.from,
    toStatus: input.to,
    payload: reason ? { reason } : {},
  });
  // A school's "Оплачено" is its word on the payment too (the student's claim, if any, makes it agreed).
  // Only "paid" itself: a later status (studying, completed) is no school's word that it was paid,
  // and stamping staff_at then would date the mark wrongly.
  const payment = input.to === "paid" ? await markPaidByStaff(tx, app, scope.accountId) : null;
  await sendStatusMessage(tx, app, input.to, reason, statusButtons(app, input.to, payment));
  await followLessons(tx, app, input.to, scope, opts);
  // A completed course: the student is asked for a review the next day (reviews.ts).
  if (input.to === "completed") await requestReview(tx, app.id, opts.now ?? new Date(), opts.timeZone ?? DEFAULT_TIME_ZONE);
  await markDirty(tx, subjectsOf(app));
  await recordAudit(tx, {
    accountId: scope.accountId,
    action: "application.status",
    subject: `application:${app.id}`,
    before: { status: input.from },
    after: { status: input.to, ...(reason ? { reason } : {}) },
  });
  return { ok: true, row: await fresh() } as const;
}

/**
 * Lessons follow the application: accepting a booking that holds a slot makes its lesson at once
 * (the student's status message comes first, then the lesson's); a final status cancels the
 * planned ones.
 */
async function followLessons(tx: Tx, app: { id: number; kind: string }, to: ApplicationStatus, scope: Scope, opts: { now?: Date; timeZone?: string }): Promise<void> {
  if (app.kind === "instructor" && to === "accepted")
    // A time taken meanwhile (only possible with data from before lessons held time) leaves the
    // acceptance standing: the instructor plans the lesson by hand.
    await lessonFromBooking(tx, app.id, scope.accountId, { now: opts.now ?? new Date(), timeZone: opts.timeZone ?? DEFAULT_TIME_ZONE }).catch((e) => {
      if (!(e instanceof LessonError)) throw e;
    });
  if (isFinal(to)) await cancelLessonsOf(tx, app.id, scope.kind, scope.accountId);
}

export type CancelResult = { ok: true; number: string } | { ok: false; reason: "not_found" | "final"; status?: ApplicationStatus };

/**
 * The student cancels their own application (the bot's "my applications"), with the reason they
 * picked, if any (the event's payload `cancelReason` and the audit row keep it; the CRM's history
 * shows it). Refused when the application is not theirs or its status is final. Records the
 * history (no account: the student) and the audit log; the bot answers the student itself, so
 * nothing is enqueued for them here.
 */
export async function cancelByStudent(tx: Db | Tx, applicationId: number, studentId: number, opts: { now?: Date; timeZone?: string; reason?: CancelReason } = {}): Promise<CancelResult> {
  const why = opts.reason ? { cancelReason: opts.reason } : {};
  const [app] = await tx
    .select()
    .from(applications)
    .where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)));
  if (!app) return { ok: false, reason: "not_found" };
  if (isFinal(app.status)) return { ok: false, reason: "final", status: app.status };
  const updated = await tx
    .update(applications)
    .set({ status: "cancelled", updatedAt: sql`now()`, cancelledAt: sql`now()`, awaitingReplySince: null })
    .where(and(eq(applications.id, app.id), eq(applications.status, app.status)))
    .returning({ id: applications.id });
  if (!updated.length) return { ok: false, reason: "final" };
  await tx.insert(applicationEvents).values({ applicationId: app.id, accountId: null, type: "status", fromStatus: app.status, toStatus: "cancelled", payload: why });
  await cancelLessonsOf(tx as Tx, app.id, "student", null, opts);
  await markDirty(tx, subjectsOf(app));
  await recordAudit(tx, {
    accountId: null,
    action: "application.cancel_by_student",
    subject: `application:${app.id}`,
    before: { status: app.status },
    after: { status: "cancelled", ...why },
  });
  return { ok: true, number: app.publicNumber };
}
