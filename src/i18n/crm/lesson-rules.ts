// "Правила занятий" / "Сабақ ережелері" (issue 15) in both languages, with the problems of the form
// (src/domain/lesson-rules.ts LessonRulesProblem).
import { kkFrom, kkTo } from "../kk-numbers.ts";
import type { Language } from "../../db/schema.ts";
import type { LessonRulesProblem } from "../../domain/lesson-rules.ts";
import { MAX_POLICY_HOURS } from "../../model/lesson-policy.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const lessonRulesTexts = bilingual({
  ru: {
    title: "Правила занятий",
    intro: "Ученик получает в Telegram два напоминания о занятии с кнопками «Приду» / «Не смогу».",
    first: "Первое напоминание, за сколько часов",
    firstHint: `По умолчанию 24. От 1 до ${MAX_POLICY_HOURS}.`,
    second: "Второе напоминание, за сколько часов",
    secondHint: "По умолчанию 2. Меньше, чем для первого.",
    cutoff: "Перенос и отмена учеником — не позже чем за (часов)",
    cutoffHint: "По умолчанию 24. Позже ученик не может перенести занятие, а отмена считается поздней.",
    schoolRules: (school: string) => `Правила занятий задаёт автошкола «${school}»:`,
    hoursBefore: (n: number) => `за ${n} ч`,
    meetingPoint: "Место встречи",
    meetingPointHint: "Где начинаются занятия, если у занятия не указано другое место. Ученик видит его в напоминании.",
    meetingPointKk: "Место встречи (по-казахски)",
    meetingPointKkHint: "Необязательно. Ученик, выбравший казахский, увидит этот текст; если он пуст — русский.",
    alerts: "Присылать ответы учеников в Telegram",
    alertsHint: "Telegram не привязан: ответы придут, когда вы его привяжете.",
    linkTelegram: "Привязать Telegram",
    save: "Сохранить",
    saved: "Сохранено.",
    problems: {
      hours: (min: number, max: number) => `От ${min} до ${max} часов.`,
      secondAfterFirst: "Второе напоминание должно быть ближе к занятию, чем первое.",
      tooLong: fieldProblems.ru.tooLong,
    },
  },
  kk: {
    title: "Сабақ ережелері",
    intro: "Оқушы Telegram-да сабақ туралы «Келемін» / «Келе алмаймын» батырмалары бар екі еске салу алады.",
    first: "Бірінші еске салу, неше сағат бұрын",
    firstHint: `Әдепкі бойынша 24. 1-ден ${kkTo(MAX_POLICY_HOURS)} дейін.`,
    second: "Екінші еске салу, неше сағат бұрын",
    secondHint: "Әдепкі бойынша 2. Біріншісінен аз болуы керек.",
    cutoff: "Оқушы сабақты ауыстыра немесе одан бас тарта алатын соңғы мерзім — сабаққа неше сағат қалғанда",
    cutoffHint: "Әдепкі бойынша 24. Одан кейін оқушы сабақты ауыстыра алмайды, ал бас тарту кеш деп есептеледі.",
    schoolRules: (school: string) => `Сабақ ережелерін «${school}» автомектебі белгілейді:`,
    hoursBefore: (n: number) => `${n} сағат бұрын`,
    meetingPoint: "Кездесу орны",
    meetingPointHint: "Сабақта басқа орын көрсетілмесе, сабақ осы жерден басталады. Оқушы оны еске салуда көреді.",
    meetingPointKk: "Кездесу орны (қазақша)",
    meetingPointKkHint: "Міндетті емес. Қазақ тілін таңдаған оқушы осы мәтінді көреді; бос болса — орысшасын.",
    alerts: "Оқушылардың жауаптарын Telegram-ға жіберу",
    alertsHint: "Telegram байланыстырылмаған: жауаптар оны байланыстырғаннан кейін келеді.",
    linkTelegram: "Telegram-ды байланыстыру",
    save: "Сақтау",
    saved: "Сақталды.",
    problems: {
      hours: (min: number, max: number) => `${kkFrom(min)} ${max} сағатқа дейін.`,
      secondAfterFirst: "Екінші еске салу біріншісінен гөрі сабаққа жақын болуы керек.",
      tooLong: fieldProblems.kk.tooLong,
    },
  },
});

/** A problem of the lesson rules form in the language. */
export function lessonRulesProblemText(p: LessonRulesProblem, language: Language): string {
  const say = lessonRulesTexts[language].problems;
  if (p.code === "hours") return say.hours(p.min, p.max);
  if (p.code === "tooLong") return say.tooLong(p.max);
  return say.secondAfterFirst;
}
