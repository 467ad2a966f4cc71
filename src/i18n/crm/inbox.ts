// The inbox (views/pages/crm/inbox.tsx), its rows and their status buttons and reject form
// (views/partials/application-row.tsx), and the answers of the routes that change a status.
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const inboxTexts = bilingual({
  ru: {
    title: "Заявки",
    columns: { number: "Номер", when: "Когда", student: "Ученик", phone: "Телефон", course: "Курс", source: "Источник", status: "Статус", waits: "Ждёт" },
    empty: "Заявок не найдено.",
    newer: "← Новее",
    older: "Старше →",
    filter: {
      status: "Статус",
      all: "Все",
      from: "С даты",
      to: "По дату",
      waiting: "Ждут нашего ответа",
      search: "Поиск",
      searchHint: "Имя или телефон",
      find: "Найти",
    },
    unreadTitle: "Ученик написал, сообщение ещё не прочитано",
    unreadMark: "новое сообщение",
    paymentClaimedTitle: "Ученик сообщил об оплате: проверьте и подтвердите",
    waitingTitle: "Ученик ждёт нашего ответа",
    waitingFor: (ago: string) => `ждёт ответа ${ago}`,
    reject: {
      reason: "Причина",
      optional: "(необязательно)",
      hint: "Ученик получит её в боте",
      submit: "Отклонить",
      cancel: "Отмена",
    },
    reasonProblems: {
      too_long: fieldProblems.ru.tooLong,
      required: () => fieldProblems.ru.reasonRequired,
    },
    stale: (status: string) => `Статус уже изменён: сейчас «${status}». Проверьте и повторите.`,
    notAllowed: "Такой переход статуса недоступен.",
  },
  kk: {
    title: "Өтінімдер",
    columns: { number: "Нөмір", when: "Қашан", student: "Оқушы", phone: "Телефон", course: "Курс", source: "Қайдан келді", status: "Мәртебесі", waits: "Күтуде" },
    empty: "Өтінім табылмады.",
    newer: "← Жаңалары",
    older: "Ескілері →",
    filter: {
      status: "Мәртебесі",
      all: "Барлығы",
      from: "Басталу күні",
      to: "Аяқталу күні",
      waiting: "Жауабымызды күтіп тұрғандар",
      search: "Іздеу",
      searchHint: "Аты немесе телефоны",
      find: "Табу",
    },
    unreadTitle: "Оқушы жазды, хабарлама әлі оқылмады",
    unreadMark: "жаңа хабарлама",
    paymentClaimedTitle: "Оқушы төлегенін хабарлады: тексеріп, растаңыз",
    waitingTitle: "Оқушы жауабымызды күтіп отыр",
    waitingFor: (ago: string) => `жауап күтуде: ${ago}`,
    reject: {
      reason: "Себебі",
      optional: "(міндетті емес)",
      hint: "Оқушы оны ботта алады",
      submit: "Қабылдамау",
      cancel: "Болдырмау",
    },
    reasonProblems: {
      too_long: fieldProblems.kk.tooLong,
      required: () => fieldProblems.kk.reasonRequired,
    },
    stale: (status: string) => `Мәртебесі өзгеріп қойған: қазір «${status}». Тексеріп, қайталаңыз.`,
    notAllowed: "Мәртебені бұлай өзгертуге болмайды.",
  },
});
