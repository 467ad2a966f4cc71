// The payment block of an application in the CRM (issue 16): confirm or dispute the student's
// claim, or (an instructor) mark it paid. Each is a POST behind the CSRF guard (plugins/security),
// scoped to the logged-in school or instructor (crmArea gives the scope; another's id is 404),
// validated by its `t` model, and done by domain/payments.ts in one audited transaction.
import { loadInboxRow } from "../../domain/inbox.ts";
import { confirmPayment, disputePayment, markPaidByInstructor, scopedPayment, type StaffPaymentResult } from "../../domain/payments.ts";
import type { Scope } from "../../domain/scope.ts";
import { StatusPanel } from "../../../views/pages/crm/application.tsx";
import { DISPUTE_PROBLEMS, PaymentBlock } from "../../../views/partials/payment-block.tsx";
import { THREAD_CHANGED } from "../../../views/partials/thread.tsx";
import { crmArea, fragment, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

const DisputeForm = Form({ reason: OptText() });
/** The thread shows the payment's event: its poller asks at once (views/partials/thread.tsx). */
const THREAD_CHANGED_HEADER = { "hx-trigger": THREAD_CHANGED };

export function paymentRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const zone = config.timeZone;

  /** The block after an answer (and the status panel out of band: confirming may have moved the status). */
  async function answer(request: Request, scope: Scope, base: string, id: number, result: StaffPaymentResult, form: { reason?: string } = {}) {
    if (!result.ok && result.reason === "not_found") throw new HttpError(404, "Заявка не найдена.");
    if (result.ok && !wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
    const [row, p] = await Promise.all([loadInboxRow(db, scope, id), scopedPayment(db, scope, id)]);
    if (!row || !p) throw new HttpError(404, "Заявка не найдена.");
    const extra = result.ok
      ? {}
      : result.reason === "bad_reason"
        ? { disputeError: DISPUTE_PROBLEMS[result.problem], reason: form.reason?.slice(0, 2000) }
        : result.reason === "closed"
          ? { notice: "Заявка отменена или отклонена: оплату по ней не подтверждают и не оспаривают." }
          : { notice: "Оплата уже изменилась: проверьте её состояние." };
    const status = result.ok ? 200 : result.reason === "bad_reason" ? 422 : 409;
    return fragment(
      <>
        <PaymentBlock row={row} payment={p.payment} receiptEventId={p.receiptEventId} base={base} zone={zone} {...extra} />
        {result.ok ? <StatusPanel row={row} base={base} oob /> : ""}
      </>,
      status,
      result.ok ? THREAD_CHANGED_HEADER : {},
    );
  }

  return crmArea(deps, kind)
    .post("/applications/:id/payment/confirm", async ({ request, params, scope, base }) => answer(request, scope, base, params.id, await confirmPayment(db, scope, params.id, { timeZone: zone })), { params: IdParams })
    .post("/applications/:id/payment/dispute", async ({ request, params, body, scope, base }) => answer(request, scope, base, params.id, await disputePayment(db, scope, params.id, body.reason), body), { params: IdParams, body: DisputeForm })
    .post("/applications/:id/payment/mark", async ({ request, params, scope, base }) => {
      if (kind !== "instructor") throw new HttpError(404, "Страница не найдена.");
      return answer(request, scope, base, params.id, await markPaidByInstructor(db, scope, params.id));
    }, { params: IdParams });
}
