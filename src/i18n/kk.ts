// Kazakh texts of the bot, same keys as ru.ts.
import type { Dict } from "./ru.ts";

export const kk: Dict = {
  greeting: (name: string) =>
    `Сәлеметсіз бе${name ? `, ${name}` : ""}! Мен AvtoMat — Қазақстандағы автомектеп немесе нұсқаушы табуға көмектесемін.`,
  chooseCity: "Қалаңызды таңдаңыз:",
  noCities: "Әзірге бірде-бір қала жоқ. Кейінірек қайта келіңіз.",
  cityChosen: (city: string) => `Қала: ${city}. Жақында мұнда автомектептерді таңдауға болады.`,
  outdatedButton: "Бұл батырма ескірген. Қайта бастау үшін /start басыңыз.",
  sorry: "Бірдеңе дұрыс болмады. Бір минуттан кейін қайталап көріңіз немесе /start басыңыз.",
  statusNames: {
    new: "жаңа",
    contacted: "сізбен байланысты",
    confirmed: "расталды",
    paid: "төленді",
    studying: "оқу жүріп жатыр",
    completed: "оқу аяқталды",
    accepted: "қабылданды",
    rejected: "қабылданбады",
    cancelled: "жойылды",
  },
  statusChanged: (number: string, from: string, status: string) => `№ ${number} өтінім (${from}): мәртебесі — «${status}».`,
  rejectedWithReason: (reason: string) => `Себебі: ${reason}`,
  replyFrom: (from: string, number: string) => `№ ${number} өтінім бойынша ${from} хабарламасы:`,
};
