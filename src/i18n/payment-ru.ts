// The payment the student confirms (issue 16): the bot's texts to the student and the staff alert
// (the CRM's words: src/i18n/crm/payment.ts). payment-kk.ts has the same keys (the type checks it).

export const paymentRu = {
  paidButton: "Я оплатил(а)",
  paidYesButton: "Да, я оплатил(а)",
  noReceiptButton: "Без чека",
  payAskReceipt: (number: string) =>
    `Оплата по заявке № ${number}.\nПришлите чек: фото или PDF-файл. Если чека нет, нажмите «Без чека».`,
  payAskAmount: "Сколько вы оплатили? Напишите сумму в тенге цифрами, например: 150 000",
  payNotReceipt: "Это не чек. Пришлите фото или PDF-файл, или нажмите «Без чека».",
  payReceiptTooLarge: (maxMb: number) => `Файл слишком большой (больше ${maxMb} МБ). Пришлите фото чека или файл поменьше, или нажмите «Без чека».`,
  payBadAmount: (max: string) => `Не понял сумму. Напишите целое число тенге больше нуля и не больше ${max}, например: 150 000`,
  payAmountNotFile: "Сейчас нужна сумма: напишите её цифрами, например: 150 000",
  payClaimSaved: (number: string, amount: string) => `Спасибо! Вы сообщили об оплате ${amount} по заявке № ${number}. Школа проверит оплату и подтвердит её.`,
  payAlreadyPending: "Вы уже сообщили об оплате: она ждёт проверки школой.",
  payAlreadyAgreed: "Оплата по этой заявке уже подтверждена.",
  payNotAllowed: "Сообщить об оплате можно только по подтверждённой заявке.",
  // The sender as written, before a colon: a school's name has no gender to agree with.
  payConfirmedByStaff: (number: string, from: string) => `✅ ${from}: ваша оплата по заявке № ${number} подтверждена.`,
  payDisputed: (number: string, from: string, reason: string) =>
    `❗ ${from}: ваша оплата по заявке № ${number} не найдена.\nПричина: ${reason}\nЕсли вы оплатили, нажмите «Я оплатил(а)» и пришлите чек.`,
  payMarkedByStaff: (number: string, from: string) => `${from}: заявка № ${number} отмечена как оплаченная. Подтвердите, если это так.`,
  payAgreedThanks: (number: string) => `Спасибо! Оплата по заявке № ${number} подтверждена с обеих сторон.`,
  staffPaymentClaimed: (number: string, name: string, amount: string, receipt: string) =>
    `💳 Ученик сообщил об оплате по заявке № ${number}\n${name}: ${amount}${receipt ? `\n${receipt}` : ""}\nПроверьте и подтвердите оплату в CRM.`,
  staffReceiptAttached: "Чек приложен.",
  staffNoReceipt: "Без чека.",
};

export type PaymentDict = typeof paymentRu;
