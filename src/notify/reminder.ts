// Lesson reminders (issue 15): the student's reminder with "Приду" / "Не смогу", the same message
// once answered (edited in place by the bot), the bot's refusals, and the alert to staff who asked
// for students' answers in Telegram. Dates and times in the configured zone; every value a
// person typed is escaped here. Buttons' callback data is packed by the caller (notify never packs it).
import type { Language, LessonAnswer } from "../db/schema.ts";
import { escapeHtml } from "./html.ts";
import { lessonWhen, type LessonFacts } from "./lesson.ts";
import { inlineKeyboard, type ChatMessage, type InlineButton } from "./message.ts";

/** Why an answer was refused (src/domain/lesson-reminders.ts answerReminder). */
export type ReminderRefusal = "not_found" | "not_planned" | "past";

/** The callback data of the buttons under a reminder, packed by the bot's one door (callback-data.ts). */
export interface ReminderButtons {
  answer: (a: LessonAnswer) => string;
  move: string;
  cancel: string;
}

type Words = {
  title: string;
  number: (n: string) => string;
  when: (when: string, minutes: number) => string;
  instructor: (name: string) => string;
  place: (place: string) => string;
  question: string;
  answers: Record<LessonAnswer, string>;
  yourAnswer: (label: string) => string;
  instructorSees: string;
  changeIt: string;
  move: string;
  cancel: string;
  saved: string;
  refusals: Record<ReminderRefusal, string>;
  staff: (n: string, student: string, when: string, label: string) => string;
};

const words: Record<Language, Words> = {
  ru: {
    title: "⏰ Напоминание о занятии",
    number: (n) => `Заявка № ${n}`,
    when: (w, m) => `${w}, ${m} мин.`,
    instructor: (name) => `Инструктор: ${name}`,
    place: (p) => `Место: ${p}`,
    question: "Вы придёте?",
    answers: { coming: "Приду", not_coming: "Не смогу" },
    yourAnswer: (label) => `Ваш ответ: «${label}».`,
    instructorSees: "Инструктор увидит ваш ответ.",
    changeIt: "Занятие можно перенести или отменить:",
    move: "Перенести",
    cancel: "Отменить",
    saved: "Ответ сохранён.",
    refusals: {
      not_found: "Занятие не найдено.",
      not_planned: "Это занятие уже отменено или прошло.",
      past: "Занятие уже началось.",
    },
    staff: (n, s, w, label) => `Заявка № ${n}: ученик ${s} ответил(а) на напоминание о занятии ${w}: «${label}».`,
  },
  kk: {
    title: "⏰ Сабақ туралы еске салу",
    number: (n) => `№ ${n} өтінім`,
    when: (w, m) => `${w}, ${m} мин.`,
    instructor: (name) => `Нұсқаушы: ${name}`,
    place: (p) => `Орны: ${p}`,
    question: "Келесіз бе?",
    answers: { coming: "Келемін", not_coming: "Келе алмаймын" },
    yourAnswer: (label) => `Сіздің жауабыңыз: «${label}».`,
    instructorSees: "Нұсқаушы жауабыңызды көреді.",
    changeIt: "Сабақты ауыстыруға немесе одан бас тартуға болады:",
    move: "Ауыстыру",
    cancel: "Бас тарту",
    saved: "Жауап сақталды.",
    refusals: {
      not_found: "Сабақ табылмады.",
      not_planned: "Бұл сабақ тоқтатылған немесе өтіп кеткен.",
      past: "Сабақ басталып кетті.",
    },
    staff: (n, s, w, label) => `№ ${n} өтінім: оқушы ${s} ${w} сабағы туралы еске салуға жауап берді: «${label}».`,
  },
};

/** The lesson as the reminder shows it: number, time, instructor and place (left out when not set). */
function body(lang: Language, f: LessonFacts): string[] {
  const w = words[lang];
  const lines = [w.title, w.number(escapeHtml(f.number)), w.when(lessonWhen(f.startsAt, lang, f.timeZone), f.minutes), w.instructor(escapeHtml(f.instructor))];
  if (f.place.trim()) lines.push(w.place(escapeHtml(f.place.trim())));
  return lines;
}

const answerRow = (lang: Language, b: ReminderButtons): InlineButton[] =>
  (["coming", "not_coming"] as const).map((a) => ({ text: words[lang].answers[a], callback_data: b.answer(a) }));

/** The reminder the job sends: the lesson and the question, with "Приду" / "Не смогу". */
export function lessonReminder(lang: Language, f: LessonFacts, b: ReminderButtons): ChatMessage {
  return { text: [...body(lang, f), "", words[lang].question].join("\n"), markup: inlineKeyboard([answerRow(lang, b)]) };
}

/**
 * The reminder once answered (the bot edits it in place): the answer, that the instructor will
 * see it, and after "Не смогу" the way to move or cancel. The answer buttons stay: a student may
 * change their mind (the last answer counts).
 */
export function lessonReminderAnswered(lang: Language, f: LessonFacts, answer: LessonAnswer, b: ReminderButtons): ChatMessage {
  const w = words[lang];
  const lines = [...body(lang, f), "", `${w.yourAnswer(w.answers[answer])} ${w.instructorSees}`];
  const rows: InlineButton[][] = [answerRow(lang, b)];
  if (answer === "not_coming") {
    lines.push(w.changeIt);
    rows.push([
      { text: w.move, callback_data: b.move },
      { text: w.cancel, callback_data: b.cancel },
    ]);
  }
  return { text: lines.join("\n"), markup: inlineKeyboard(rows) };
}

/** The toast after an answer was stored. */
export const reminderAnswerSaved = (lang: Language): string => words[lang].saved;

/** The toast when the answer cannot be taken (the lesson is gone, cancelled, or has begun). */
export const reminderRefused = (lang: Language, why: ReminderRefusal): string => words[lang].refusals[why];

/** A student answered a reminder: the alert to staff who asked for it, in the staff member's language. */
export function reminderAnswerAlert(lang: Language, f: LessonFacts & { studentName: string }, answer: LessonAnswer): ChatMessage {
  const w = words[lang];
  return { text: w.staff(escapeHtml(f.number), escapeHtml(f.studentName), lessonWhen(f.startsAt, lang, f.timeZone), w.answers[answer]) };
}
