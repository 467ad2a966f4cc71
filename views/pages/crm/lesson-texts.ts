// The CRM's lesson pages' words (lessons list, week, the application's lessons), in Russian and
// Kazakh: a typed record, so a missing Kazakh text fails to compile. The CRM shows Russian today
// (LT = LESSON_TEXTS.ru) like the rest of it; the Kazakh half is ready for when it gets a switch.
import type { Language } from "../../../src/db/schema.ts";

export interface LessonTexts {
  states: { planned: string; conducted: string; no_show: string; cancelled: string };
  noShowBy: { student: string; instructor: string };
  answers: { coming: string; not_coming: string };
  cancelledBy: { student: string; instructor: string; school: string };
  late: string;
  move: string;
  cancel: string;
  cancelSubmit: string;
  moveSubmit: string;
  day: string;
  time: string;
  minutes: string;
  place: string;
  placeHint: string;
  reason: string;
  instructor: string;
  planned: (when: string) => string;
  moved: (when: string) => string;
  cancelled: string;
  badDay: string;
  badTime: string;
  badMinutes: (min: number, max: number) => string;
  placeTooLong: (max: number) => string;
  week: string;
  weekTitle: (from: string, to: string) => string;
  prevWeek: string;
  nextWeek: string;
  thisWeek: string;
  today: string;
  noLessons: string;
  weekEmpty: string;
  lessonsList: string;
  appLessons: string;
  appNoLessons: string;
  planOne: string;
  inWeek: string;
}

export const LESSON_TEXTS: Record<Language, LessonTexts> = {
  ru: {
    states: { planned: "Запланировано", conducted: "Проведено", no_show: "Неявка", cancelled: "Отменено" },
    noShowBy: { student: "Неявка ученика", instructor: "Неявка инструктора" },
    answers: { coming: "✓ придёт", not_coming: "✗ не сможет" },
    cancelledBy: { student: "отменил ученик", instructor: "отменил инструктор", school: "отменила автошкола" },
    late: "поздняя отмена",
    move: "Перенести",
    cancel: "Отменить",
    cancelSubmit: "Отменить занятие",
    moveSubmit: "Перенести занятие",
    day: "Дата",
    time: "Начало",
    minutes: "Длительность, мин",
    place: "Место",
    placeHint: "Пусто — место встречи инструктора",
    reason: "Причина для ученика (необязательно)",
    instructor: "Инструктор",
    planned: (when) => `Занятие назначено: ${when}.`,
    moved: (when) => `Занятие перенесено: ${when}. Ученику отправлено сообщение.`,
    cancelled: "Занятие отменено. Ученику отправлено сообщение.",
    badDay: "Неверная дата: нужен формат ГГГГ-ММ-ДД.",
    badTime: "Время в формате ЧЧ:ММ.",
    badMinutes: (min, max) => `От ${min} до ${max} минут.`,
    placeTooLong: (max) => `Не длиннее ${max} символов.`,
    week: "Неделя",
    weekTitle: (from, to) => `Неделя ${from} — ${to}`,
    prevWeek: "← Предыдущая",
    nextWeek: "Следующая →",
    thisWeek: "Эта неделя",
    today: "сегодня",
    noLessons: "Занятий нет",
    weekEmpty: "На этой неделе занятий нет.",
    lessonsList: "Список и назначение занятий",
    appLessons: "Занятия",
    appNoLessons: "Занятий по этой заявке нет.",
    planOne: "Назначить занятие",
    inWeek: "неделя",
  },
  kk: {
    states: { planned: "Жоспарланған", conducted: "Өтті", no_show: "Келмеу", cancelled: "Болдырылмады" },
    noShowBy: { student: "Оқушы келмеді", instructor: "Нұсқаушы келмеді" },
    answers: { coming: "✓ келеді", not_coming: "✗ келе алмайды" },
    cancelledBy: { student: "оқушы болдырмады", instructor: "нұсқаушы болдырмады", school: "автомектеп болдырмады" },
    late: "кеш болдырмау",
    move: "Ауыстыру",
    cancel: "Болдырмау",
    cancelSubmit: "Сабақты болдырмау",
    moveSubmit: "Сабақты ауыстыру",
    day: "Күні",
    time: "Басталуы",
    minutes: "Ұзақтығы, мин",
    place: "Орны",
    placeHint: "Бос болса — нұсқаушының кездесу орны",
    reason: "Оқушыға себебі (міндетті емес)",
    instructor: "Нұсқаушы",
    planned: (when) => `Сабақ белгіленді: ${when}.`,
    moved: (when) => `Сабақ ауыстырылды: ${when}. Оқушыға хабар жіберілді.`,
    cancelled: "Сабақ болдырылмады. Оқушыға хабар жіберілді.",
    badDay: "Күні қате: ЖЖЖЖ-АА-КК пішімі керек.",
    badTime: "Уақыт СС:ММ пішімінде.",
    badMinutes: (min, max) => `${min}–${max} минут.`,
    placeTooLong: (max) => `${max} таңбадан аспасын.`,
    week: "Апта",
    weekTitle: (from, to) => `Апта ${from} — ${to}`,
    prevWeek: "← Алдыңғы",
    nextWeek: "Келесі →",
    thisWeek: "Осы апта",
    today: "бүгін",
    noLessons: "Сабақ жоқ",
    weekEmpty: "Осы аптада сабақ жоқ.",
    lessonsList: "Сабақтар тізімі және белгілеу",
    appLessons: "Сабақтар",
    appNoLessons: "Бұл өтінім бойынша сабақ жоқ.",
    planOne: "Сабақ белгілеу",
    inWeek: "апта",
  },
};

/** What the CRM shows (Russian, like the rest of it). */
export const LT = LESSON_TEXTS.ru;
