// The payment on an application's page (issue 16): what both sides said (model/payment.ts
// paymentState, in the dictionaries' words), the amount, the student's receipt (through the
// thread's media route, scoped to the account), and the school's answers: confirm or dispute a
// claim, or (an instructor, who has no "paid" status) mark it paid. Each form answers with this
// block; confirming a school's claim also moves the status, so the status panel comes along.
import type { Payment } from "../../src/domain/payments.ts";
import { t } from "../../src/i18n/index.ts";
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
  notice?: string;
  disputeError?: string;
  reason?: string;
}

/** Why a dispute's reason was refused (the rule: domain/payments.ts checkDisputeReason). */
export const DISPUTE_PROBLEMS = {
  required: "Напишите причину: ученик получит её в боте.",
  too_long: `Не длиннее ${MAX_DISPUTE_REASON} символов.`,
} as const;

export function PaymentBlock({ row, payment, receiptEventId, base, zone, notice, disputeError, reason }: PaymentBlockProps) {
  const ru = t("ru");
  const state = paymentState(payment);
  const url = `${base}/applications/${row.id}`;
  const words = state === "disputed" && payment?.disputeReason ? `${ru.paymentStates.disputed}: ${payment.disputeReason}` : ru.paymentStates[state];
  const receipt = payment?.receipt ?? null;
  const media = receipt && receiptEventId ? `${url}/media/${receiptEventId}` : null;
  const canMark = row.kind === "instructor" && canClaimPayment(row.status) && (state === "none" || state === "disputed");
  return (
    <section class="card payment" id="payment-block" data-payment={state}>
      <h2>Оплата</h2>
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
            <dt>Сумма</dt>
            <dd class="nowrap" safe>{formatKzt(payment.amountKzt)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.studentAt ? (
          <>
            <dt>Ученик сообщил</dt>
            <dd safe>{dateTime(payment.studentAt, zone)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.staffAt ? (
          <>
            <dt>Отмечено школой</dt>
            <dd safe>{dateTime(payment.staffAt, zone)}</dd>
          </>
        ) : (
          ""
        )}
        {payment?.studentAt ? (
          <>
            <dt>Чек</dt>
            <dd>
              {media && receipt?.kind === "photo" ? (
                <a href={media} target="_blank" rel="noopener">
                  <img class="receipt-thumb" src={`${media}?size=thumb`} alt="Чек" loading="lazy" />
                </a>
              ) : media ? (
                <a href={media} safe>
                  {`📎 ${receipt?.fileName || "Чек (PDF)"}`}
                </a>
              ) : (
                <span class="muted">без чека</span>
              )}
            </dd>
          </>
        ) : (
          ""
        )}
      </dl>
      {state === "claimed" && !paymentClosed(row.status) ? (
        <div class="payment-actions">
          <button type="button" class="confirm-payment" hx-post={`${url}/payment/confirm`} hx-target="#payment-block" hx-swap="outerHTML">
            Подтвердить оплату
          </button>
          {/* htmx only (no method/action): a plain POST would carry no CSRF token and be refused. */}
          <form class="dispute" hx-post={`${url}/payment/dispute`} hx-target="#payment-block" hx-swap="outerHTML">
            <label class={disputeError ? "field invalid" : "field"}>
              Причина (ученик получит её в боте)
              <textarea name="reason" rows="2" maxlength={String(MAX_DISPUTE_REASON)} required safe>
                {reason ?? ""}
              </textarea>
              {disputeError ? <small class="error" role="alert" safe>{disputeError}</small> : ""}
            </label>
            <button type="submit" class="secondary">
              Оспорить
            </button>
          </form>
        </div>
      ) : (
        ""
      )}
      {canMark ? (
        <div class="payment-actions">
          <button type="button" class="mark-paid" hx-post={`${url}/payment/mark`} hx-target="#payment-block" hx-swap="outerHTML">
            Оплачено
          </button>
        </div>
      ) : (
        ""
      )}
    </section>
  );
}
