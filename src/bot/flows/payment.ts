// "Я оплатил(а)" (issue 16): the student says they paid an application the school confirmed (or
// the instructor accepted). The bot asks for the receipt (a photo or a PDF, or "Без чека"), then
// the amount, and saves the claim (domain/payments.ts claimPayment), which alerts the school.
// The questions are kept in the conversation (FlowState.payment): the next message answers them
// before the thread (flows/thread.ts) would take it; any other update leaves them (engine.ts).
// "Да, я оплатил(а)" under the school's own "оплачена" mark agrees with it in one press.
import { agreeWithMark, checkClaim, claimPayment, studentPaymentState, type ClaimRefusal } from "../../domain/payments.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import { parsePaymentKzt, receiptProblem } from "../../model/payment.ts";
import type { StudentContent, ThreadMedia } from "../../model/thread-message.ts";
import { askAmount, askReceipt, badAmount, claimSaved, notReceipt, receiptTooLarge } from "../../notify/payment.ts";
import { payButtonData, type PayAction } from "../callback-data.ts";
import { forgetPayment, runUpdate, save, type EngineDeps, type Turn } from "../engine.ts";
import { send, type Outgoing, type Reply } from "../replies.ts";

/** Why a claim cannot start, as the student reads it (a foreign or forged button: the stale answer). */
function refusal(turn: Turn, reason: ClaimRefusal): string {
  const { text } = turn.c;
  switch (reason) {
    case "not_found":
      return text.outdatedButton;
    case "not_allowed":
      return text.payNotAllowed;
    case "pending":
      return text.payAlreadyPending;
    case "agreed":
      return text.payAlreadyAgreed;
  }
}

/** Opens (or moves on) the payment questions of `applicationId`: saved at the end of the update. */
function ask(turn: Turn, applicationId: number, step: "receipt" | "amount", receipt?: ThreadMedia): void {
  // A review draft waiting for its comment (flows/review.ts) is left: the student moved on to this.
  const { review: _, ...rest } = turn.state;
  turn.state = { ...rest, payment: { applicationId, step, ...(receipt ? { receipt } : {}) } };
  save(turn);
}

/** The payment buttons: "Я оплатил(а)", "Без чека", "Да, я оплатил(а)". */
export function onPaymentButton(deps: EngineDeps, updateId: number, person: TelegramPerson, press: { applicationId: number; action: PayAction }, via: { messageId: number; callbackId: string }): Promise<Outgoing | null> {
  return runUpdate(
    deps,
    updateId,
    person,
    async (turn) => {
      const { tx, student, text } = turn.c;
      const lang = student.language;
      const { applicationId } = press;
      const data = payButtonData(applicationId);
      const answer = (toast?: string): Reply => ({ kind: "answer", callbackId: via.callbackId, ...(toast ? { text: toast } : {}) });
      // "Я оплатил(а)" on a payment the school already marked is the student's agreement: one press, its texts.
      const agreeing = press.action === "agree" || (press.action === "claim" && (await studentPaymentState(tx, student.id, applicationId)) === "staff_only");
      if (agreeing) {
        const agreed = await agreeWithMark(tx, student.id, applicationId);
        if (agreed.ok) return [answer(), send({ text: text.payAgreedThanks(agreed.number) })];
        return [answer(agreed.reason === "agreed" ? text.payAlreadyAgreed : text.outdatedButton)];
      }
      const open = turn.state.payment;
      if (press.action === "skip") {
        // "Без чека" answers only the receipt question of this application, while it is open.
        if (open?.applicationId !== applicationId || open.step !== "receipt") return [answer(text.outdatedButton)];
        ask(turn, applicationId, "amount");
        return [answer(), send(askAmount(lang))];
      }
      const checked = await checkClaim(tx, student.id, applicationId);
      if (!checked.ok) {
        if (open) forgetPayment(turn);
        return [answer(refusal(turn, checked.reason))];
      }
      ask(turn, applicationId, "receipt");
      return [answer(), send(askReceipt(lang, checked.app.publicNumber, data.skip))];
    },
    { keepPayment: true },
  );
}

/**
 * The student's message while the payment questions are open: the receipt (a photo or PDF within
 * MAX_RECEIPT_BYTES), then the amount. Null when no question is open (the message is someone
 * else's business). A wrong answer says why and asks again; nothing is saved until the amount.
 */
export async function paymentAnswer(turn: Turn, content: StudentContent, links: { publicUrl: string }): Promise<Reply[] | null> {
  const open = turn.state.payment;
  if (!open) return null;
  const lang = turn.c.student.language;
  const data = payButtonData(open.applicationId);
  if (open.step === "receipt") {
    const problem = receiptProblem(content);
    if (problem === "too_large") return [send(receiptTooLarge(lang, data.skip))];
    if (problem) return [send(notReceipt(lang, data.skip))];
    ask(turn, open.applicationId, "amount", "media" in content ? content.media : undefined);
    return [send(askAmount(lang))];
  }
  if (!("text" in content) || ("media" in content && content.media)) return [send({ text: turn.c.text.payAmountNotFile })];
  const amountKzt = parsePaymentKzt(content.text);
  if (amountKzt === null) return [send(badAmount(lang))];
  const claimed = await claimPayment(turn.c.tx, turn.c.student.id, open.applicationId, { amountKzt, receipt: open.receipt ?? null }, links);
  forgetPayment(turn);
  if (!claimed.ok) return [send({ text: refusal(turn, claimed.reason) })];
  // The school marked it paid while the student answered: the claim agreed with that mark.
  if (claimed.state === "agreed") return [send({ text: turn.c.text.payAgreedThanks(claimed.number) })];
  return [send(claimSaved(lang, claimed.number, amountKzt))];
}
