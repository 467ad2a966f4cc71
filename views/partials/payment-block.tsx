// The payment on an application's page (issue 16): what both sides said (model/payment.ts
// paymentState, in the page's language: src/i18n/crm/payment.ts), the amount, the student's receipt (through the
// thread's media route, scoped to the account), and the school's answers: confirm or dispute a
// claim, or (an instructor, who has no "paid" status) mark it paid. Each form answers with this
// block; confirming a school's claim also moves the status, so the status panel comes along.
import type { Payment } from "../../src/domain/payments.ts";
import type { Language } from "../../src/db/schema.ts";
import { paymentTexts } from "../../src/i18n/crm/payment.ts";
import { canClaimPayment, MAX_DISPUTE_REASON, paymentClosed, paymentState } from "../../src/model/payment.ts";
import { formatKzt } from "../../src/model/money.ts";
import type { InboxRow } from "../../src/domain/inbox.ts";
import { dateTime } from "../format.ts";

export interface PaymentBlockProps {
  row: Pick<InboxRow, "id" | "kind" | "status">;
  payment: Payment | null;
  /** The application_events id of the latest claim, whose `media` is the receipt. */
  receiptEventId: number | null;
  base: string;
  zone: string;
  /** The page's language. */
  language: Language;
  notice?: string;
  disputeError?: string;
  reason?: string;
}

/** Why a dispute's reason was refused (the rule: domain/payments.ts checkDisputeReason), in the page's language. */
export const disputeProblem = (problem: "required" | "too_long", language: Language) => paymentTexts[language].problems[problem](MAX_DISPUTE_REASON);

export function PaymentBlock({ row, payment, receiptEventId, base, zone, language, notice, disputeError, reason }: PaymentBlockProps) {
  const say = paymentTexts[language];
  const state = paymentState(payment);
  const url = `${base}/applications/${row.id}`;
  const words = state === "disputed" && payment?.disputeReason ? `${say.states.disputed}: ${payment.disputeReason}` : say.states[state];
  const receipt = payment?.receipt ?? null;
  const media = receipt && receiptEventId ? `${url}/media/${receiptEventId}` : null;
  const canMark = row.kind === "instructor" && canClaimPayment(row.status) && (state === "none" || state === "disputed");
  return (
    <section class="card payment" id="payment-block" data-payment={state}>
      <h2 safe>{say.title}</h2>
      <p class={state === "claimed" ? "payment-state warn" : "payment-state"} safe>
        {words}
      </p>
      {notice ? (
        <p class="notice" role="alert" safe>
          {notice}
        </p>
      ) : (
        ""
      )}
      <dl class="facts">
        {payment?.amountKzt ? (
          <>
            <dt safe>{say.amount}</dt>
            <dd class="nowrap" safe>{formatKzt(payment.amountKzt)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.studentAt ? (
          <>
            <dt safe>{say.studentAt}</dt>
            <dd safe>{dateTime(payment.studentAt, zone)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.staffAt ? (
          <>
            <dt safe>{say.staffAt}</dt>
            <dd safe>{dateTime(payment.staffAt, zone)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.studentAt ? (
          <>
            <dt safe>{say.receipt}</dt>
            <dd>
              {media && receipt?.kind === "photo" ? (
                <a href={media} target="_blank" rel="noopener">
                  <img class="receipt-thumb" src={`${media}?size=thumb`} alt={say.receipt} loading="lazy" />
                </a>
              ) : media ? (
                <a href={media} safe>
                  {`📎 ${receipt?.fileName || say.receiptPdf}`}
                </a>
              ) : (
                <span class="muted" safe>
                  {say.noReceipt}
                </span>
              )}
            </dd>
          </>
        ) : (
          ""
        )}
      </dl>
      {state === "claimed" && !paymentClosed(row.status) ? (
        <div class="payment-actions">
          <button type="button" class="confirm-payment" hx-post={`${url}/payment/confirm`} hx-target="#payment-block" hx-swap="outerHTML" safe>
            {say.confirm}
          </button>
          {/* htmx only (no method/action): a plain POST would carry no CSRF token and be refused. */}
          <form class="dispute" hx-post={`${url}/payment/dispute`} hx-target="#payment-block" hx-swap="outerHTML">
            <label class={disputeError ? "field invalid" : "field"}>
              <span safe>{say.disputeReason}</span>
              <textarea name="reason" rows="2" maxlength={String(MAX_DISPUTE_REASON)} required safe>
                {reason ?? ""}
              </textarea>
              {disputeError ? <small class="error" role="alert" safe>{disputeError}</small> : ""}
            </label>
            <button type="submit" class="secondary" safe>
              {say.dispute}
            </button>
          </form>
        </div>
      ) : (
        ""
      )}
      {canMark ? (
        <div class="payment-actions">
          <button type="button" class="mark-paid" hx-post={`${url}/payment/mark`} hx-target="#payment-block" hx-swap="outerHTML" safe>
            {say.markPaid}
          </button>
        </div>
      ) : (
        ""
      )}
    </section>
  );
}
