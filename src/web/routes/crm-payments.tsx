// The payment block of an application in the CRM (issue 16): confirm or dispute the student's
// claim, or (an instructor) mark it paid. Each is a POST behind the CSRF guard (plugins/security),
// scoped to the logged-in school or instructor (crmArea gives the scope; another's id is 404),
// validated by its `t` model, and done by domain/payments.ts in one audited transaction.
import { loadInboxRow } from "../../domain/inbox.ts";
import { confirmPayment, disputePayment, markPaidByInstructor, scopedPayment, type StaffPaymentResult } from "../../domain/payments.ts";
import type { Scope } from "../../domain/scope.ts";
import { StatusPanel } from "../../../views/pages/crm/application.tsx";
import { disputeProblem, PaymentBlock } from "../../../views/partials/payment-block.tsx";
import type { Language } from "../../db/schema.ts";
import { paymentTexts } from "../../i18n/crm/payment.ts";
import { THREAD_CHANGED } from "../../../views/partials/thread.tsx";
import { crmArea, fragment, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";

const DisputeForm = Form({ reason: OptText() });
/** The thread shows the payment's event: its poller asks at once (views/partials/thread.tsx). */
const THREAD_CHANGED_HEADER = { "hx-trigger": THREAD_CHANGED };

export function paymentRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const zone = config.timeZone;

  /** The block after an answer (and the status panel out of band: confirming may have moved the status). */
  async function answer(request: Request, scope: Scope, base: string, language: Language, id: number, result: StaffPaymentResult, form: { reason?: string } = {}) {
    const notFound = said("applicationNotFound");
    if (!result.ok && result.reason === "not_found") throw new HttpError(404, notFound);
    if (result.ok && !wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
    const [row, p] = await Promise.all([loadInboxRow(db, scope, id), scopedPayment(db, scope, id)]);
    if (!row || !p) throw new HttpError(404, notFound);
    const extra = result.ok
      ? {}
      : result.reason === "bad_reason"
        ? { disputeError: disputeProblem(result.problem, language), reason: form.reason?.slice(0, 2000) }
        : result.reason === "closed"
          ? { notice: paymentTexts[language].closed }
          : { notice: paymentTexts[language].changed };
    const status = result.ok ? 200 : result.reason === "bad_reason" ? 422 : 409;
    return fragment(
      <>
        <PaymentBlock row={row} payment={p.payment} receiptEventId={p.receiptEventId} base={base} zone={zone} language={language} {...extra} />
        {result.ok ? <StatusPanel row={row} base={base} language={language} oob /> : ""}
      </>,
      status,
      result.ok ? THREAD_CHANGED_HEADER : {},
    );
  }

  return crmArea(deps, kind)
    .post("/applications/:id/payment/confirm", async ({ request, params, scope, shell, base }) => answer(request, scope, base, shell.language, params.id, await confirmPayment(db, scope, params.id, { timeZone: zone })), { params: IdParams })
    .post("/applications/:id/payment/dispute", async ({ request, params, body, scope, shell, base }) => answer(request, scope, base, shell.language, params.id, await disputePayment(db, scope, params.id, body.reason), body), { params: IdParams, body: DisputeForm })
    .post("/applications/:id/payment/mark", async ({ request, params, scope, shell, base }) => {
      if (kind !== "instructor") throw new HttpError(404, said("notFound"));
      return answer(request, scope, base, shell.language, params.id, await markPaidByInstructor(db, scope, params.id));
    }, { params: IdParams });
}
