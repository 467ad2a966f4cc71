// The payment block of an application (views/partials/payment-block.tsx) and the answers of its
// routes (src/web/routes/crm-payments.tsx): the CRM's names of the payment states and the inbox badge
// (moved here from the bot's payment-*.ts: only the CRM shows them).
import type { PaymentState } from "../../model/payment.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const paymentTexts = bilingual({
  ru: {
    title: "Оплата",
    states: {
      claimed: "Ожидает проверки оплаты",
      agreed: "Оплата подтверждена учеником и автошколой",
      staff_only: "Отмечено автошколой, ученик не подтвердил",
      disputed: "Оплата оспорена",
      none: "Ученик не сообщал об оплате",
    } as Record<PaymentState, string>,
    pendingBadge: "ожидает проверки оплаты",
    amount: "Сумма",
    studentAt: "Ученик сообщил",
    staffAt: "Отмечено школой",
    receipt: "Чек",
    receiptPdf: "Чек (PDF)",
    noReceipt: "без чека",
    confirm: "Подтвердить оплату",
    disputeReason: "Причина (ученик получит её в боте)",
    dispute: "Оспорить",
    markPaid: "Оплачено",
    problems: {
      required: () => fieldProblems.ru.reasonRequired,
      too_long: fieldProblems.ru.tooLong,
    },
    closed: "Заявка отменена или отклонена: оплату по ней не подтверждают и не оспаривают.",
    changed: "Оплата уже изменилась: проверьте её состояние.",
  },
  kk: {
    title: "Төлем",
    states: {
      claimed: "Төлем тексеруді күтуде",
      agreed: "Төлемді оқушы да, автомектеп те растады",
      staff_only: "Автомектеп белгіледі, оқушы растамады",
      disputed: "Төлемге дау айтылды",
      none: "Оқушы төлем туралы хабарламады",
    },
    pendingBadge: "төлем тексеруді күтуде",
    amount: "Сомасы",
    studentAt: "Оқушы хабарлады",
    staffAt: "Мектеп белгіледі",
    receipt: "Чек",
    receiptPdf: "Чек (PDF)",
    noReceipt: "чексіз",
    confirm: "Төлемді растау",
    disputeReason: "Себебі (оқушы оны ботта алады)",
    dispute: "Дау айту",
    markPaid: "Төленді",
    problems: {
      required: () => fieldProblems.kk.reasonRequired,
      too_long: fieldProblems.kk.tooLong,
    },
    closed: "Оқушы өтінімнен бас тартқан немесе ол қабылданбаған: мұндай өтінім бойынша төлем расталмайды әрі оған дау айтылмайды.",
    changed: "Төлем өзгеріп қойған: оның күйін тексеріңіз.",
  },
});
