// One application's page (views/pages/crm/application.tsx): the facts, the reply and note forms, and
// what the domain says is wrong with a reply or a note (src/domain/thread.ts, inbox.ts).
import type { Language } from "../../db/schema.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const applicationTexts = bilingual({
  ru: {
    back: "← Все заявки",
    title: (number: string) => `Заявка № ${number}`,
    student: "Ученик",
    phone: "Телефон",
    language: "Язык",
    languageNames: { ru: "русский", kk: "казахский" },
    course: "Курс",
    situation: "Ситуация ученика",
    offer: "Предложение",
    preferredTime: "Удобное время",
    source: "Источник",
    created: "Создана",
    discipline: "Индекс дисциплины",
    disciplineValue: (value: number, at: string) => `${value} из 100 (на ${at})`,
    notComputed: "ещё не рассчитан",
    status: "Статус:",
    conversation: "Переписка",
    reply: {
      title: "Ответить ученику",
      pageTitle: "Ответ ученику",
      sent: "Сообщение отправлено в бот.",
      template: "Шаблон",
      noTemplate: "— без шаблона —",
      bothLanguages: "(рус./қаз.)",
      ownText: "Или свой текст",
      placeholders: "Подстановки в шаблонах:",
      send: "Отправить",
    },
    note: {
      title: "Заметка",
      hint: "Видна только сотрудникам, не ученику",
      save: "Сохранить",
    },
    replyProblems: {
      template_not_found: "Шаблон не найден.",
      template_empty: "После подстановок шаблон пуст (например, в профиле нет ссылки Kaspi): напишите сообщение или выберите другой шаблон.",
      text_required: "Напишите сообщение или выберите шаблон.",
      too_long: fieldProblems.ru.tooLong,
    },
    noteProblems: {
      required: "Напишите текст заметки.",
      too_long: fieldProblems.ru.tooLong,
    },
  },
  kk: {
    back: "← Барлық өтінімдер",
    title: (number: string) => `№ ${number} өтінім`,
    student: "Оқушы",
    phone: "Телефон",
    language: "Тілі",
    languageNames: { ru: "орыс тілі", kk: "қазақ тілі" },
    course: "Курс",
    situation: "Оқушының жағдайы",
    offer: "Ұсыныс",
    preferredTime: "Ыңғайлы уақыты",
    source: "Қайдан келді",
    created: "Құрылған уақыты",
    discipline: "Тәртіп индексі",
    disciplineValue: (value: number, at: string) => `100-ден ${value} (${at} жағдайы бойынша)`,
    notComputed: "әлі есептелмеген",
    status: "Мәртебесі:",
    conversation: "Хат алмасу",
    reply: {
      title: "Оқушыға жауап беру",
      pageTitle: "Оқушыға жауап",
      sent: "Хабарлама ботқа жіберілді.",
      template: "Үлгі",
      noTemplate: "— үлгісіз —",
      bothLanguages: "(орыс./қаз.)",
      ownText: "Немесе өз мәтініңіз",
      placeholders: "Үлгілердегі қойылатын мәндер:",
      send: "Жіберу",
    },
    note: {
      title: "Ескертпе",
      hint: "Оны оқушы емес, тек қызметкерлер көреді",
      save: "Сақтау",
    },
    replyProblems: {
      template_not_found: "Үлгі табылмады.",
      template_empty: "Алмастырулардан кейін үлгі бос қалды (мысалы, профильде Kaspi сілтемесі жоқ): хабарлама жазыңыз немесе басқа үлгі таңдаңыз.",
      text_required: "Хабарлама жазыңыз немесе үлгі таңдаңыз.",
      too_long: fieldProblems.kk.tooLong,
    },
    noteProblems: {
      required: "Ескертпе мәтінін жазыңыз.",
      too_long: fieldProblems.kk.tooLong,
    },
  },
});

/** A refused reply's reason in the reader's language (the CRM's reply form, a staff member's Telegram). */
export function replyProblemText(problem: keyof (typeof applicationTexts)["ru"]["replyProblems"], language: Language, max: number): string {
  const say = applicationTexts[language].replyProblems[problem];
  return typeof say === "function" ? say(max) : say;
}

/** A refused note's reason in the page's language. */
export function noteProblemText(problem: keyof (typeof applicationTexts)["ru"]["noteProblems"], language: Language, max: number): string {
  const say = applicationTexts[language].noteProblems[problem];
  return typeof say === "function" ? say(max) : say;
}
