// payment-ru.ts in Kazakh (the same keys: a missing text fails to compile).
import type { PaymentDict } from "./payment-ru.ts";

export const paymentKk: PaymentDict = {
  paidButton: "Мен төледім",
  paidYesButton: "Иә, мен төледім",
  noReceiptButton: "Чексіз",
  payAskReceipt: (number) => `№ ${number} өтінім бойынша төлем.\nЧекті жіберіңіз: фото немесе PDF-файл. Чек болмаса, «Чексіз» батырмасын басыңыз.`,
  payAskAmount: "Қанша төледіңіз? Соманы теңгемен цифрлармен жазыңыз, мысалы: 150 000",
  payNotReceipt: "Бұл чек емес. Фото немесе PDF-файл жіберіңіз, немесе «Чексіз» батырмасын басыңыз.",
  payReceiptTooLarge: (maxMb) => `Файл тым үлкен (${maxMb} МБ-тан артық). Чектің фотосын немесе кішірек файл жіберіңіз, немесе «Чексіз» батырмасын басыңыз.`,
  payBadAmount: (max) => `Соманы түсінбедім. Теңгемен нөлден үлкен бүтін сан жазыңыз (ең көбі ${max}), мысалы: 150 000`,
  payAmountNotFile: "Қазір сома керек: оны цифрлармен жазыңыз, мысалы: 150 000",
  payClaimSaved: (number, amount) => `Рахмет! Сіз № ${number} өтінім бойынша ${amount} төлегеніңізді хабарладыңыз. Автомектеп төлемді тексеріп, растайды.`,
  payAlreadyPending: "Сіз төлем туралы хабарладыңыз: оны автомектеп тексеріп жатыр.",
  payAlreadyAgreed: "Бұл өтінім бойынша төлем расталған.",
  payNotAllowed: "Төлем туралы тек расталған өтінім бойынша хабарлауға болады.",
  payConfirmedByStaff: (number, from) => `✅ ${from}: № ${number} өтінім бойынша төлеміңіз расталды.`,
  payDisputed: (number, from, reason) =>
    `❗ ${from}: № ${number} өтінім бойынша төлеміңіз табылмады.\nСебебі: ${reason}\nТөлеген болсаңыз, «Мен төледім» батырмасын басып, чекті жіберіңіз.`,
  payMarkedByStaff: (number, from) => `${from}: № ${number} өтінім төленді деп белгіленді. Солай болса, растаңыз.`,
  payAgreedThanks: (number) => `Рахмет! № ${number} өтінім бойынша төлем екі жақтан да расталды.`,
  staffPaymentClaimed: (number, name, amount, receipt) =>
    `💳 Оқушы № ${number} өтінім бойынша төлем туралы хабарлады\n${name}: ${amount}${receipt ? `\n${receipt}` : ""}\nCRM-де тексеріп, растаңыз.`,
  staffReceiptAttached: "Чек тіркелген.",
  staffNoReceipt: "Чексіз.",
};
