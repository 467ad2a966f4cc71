// The instructor's schedule screen (weekly template, slots, days off, one-off slots) and the
// problems of src/domain/availability.ts / slot-cancel.ts (AvailabilityProblem), in both languages.
import { kkTo } from "../kk-numbers.ts";
import type { Language } from "../../db/schema.ts";
import { MAX_LESSON_MINUTES, MIN_LESSON_MINUTES, type AvailabilityProblem } from "../../domain/availability.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";
import { scheduleTexts } from "./schedule.ts";

/** Minutes after midnight → "09:30"; 1440 → "24:00". */
const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

export const availabilityTexts = bilingual({
  ru: {
    title: "Расписание",
    /** Monday first (ISO weekday 1..7 at index 0..6). */
    weekdays: ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"] as readonly string[],
    templateTitle: "Недельный шаблон",
    templateHint: (days: number) => `Из шаблона создаются окна на ${days} дней вперёд, и каждый день добавляются новые. Занятые и отменённые окна и выходные дни не меняются. Конец дня — 00:00.`,
    save: "Сохранить",
    weekday: "День недели",
    from: "С",
    to: "До",
    lessonMinutes: "Занятие, мин",
    noRows: "Строк нет: окна из шаблона не создаются.",
    rowWeekday: (row: number) => `Строка ${row}: день недели`,
    rowFrom: (row: number) => `Строка ${row}: с`,
    rowTo: (row: number) => `Строка ${row}: до`,
    rowMinutes: (row: number) => `Строка ${row}: длительность занятия`,
    remove: "Удалить",
    addRow: "Добавить строку",
    saveAndCreate: "Сохранить и создать окна",
    fixRows: "Исправьте отмеченные строки.",
    templateSaved: (created: number) => `Шаблон сохранён. Новых окон: ${created}.`,
    byApplication: (n: string) => `заявкой № ${n}`,
    cancelSlot: "Отменить окно",
    reasonForStudent: "Причина для ученика",
    cancelBooking: "Отменить запись",
    keepBooking: "Не отменять",
    cancelBookingOpen: "Отменить запись…",
    dayOff: "выходной",
    dayOffHint: "Шаблон не создаёт окна на этот день.",
    giveBack: "Вернуть день",
    notOff: "Этот день уже не выходной.",
    dayReturned: (slots: number) => `День возвращён, новых окон: ${slots}.`,
    slotsTitle: (days: number) => `Окна на ${days} дней`,
    noSlots: "Окон нет. Заполните шаблон или добавьте окно вручную.",
    blockTitle: "Выходной день",
    date: "Дата",
    cancelBookingsToo: "Отменить и записи учеников на этот день",
    reasonForStudents: "Причина для учеников (если отменяете записи)",
    closeDay: "Закрыть день",
    dayClosed: (cancelled: number) => `День закрыт: отменено свободных окон — ${cancelled}.`,
    released: (n: number) => `Отменено записей: ${n}, ученики получили причину.`,
    kept: (list: string) => `Записи учеников остались: ${list}. Чтобы отменить и их, укажите причину — ученики получат её в боте.`,
    oneOffTitle: "Разовое окно",
    start: "Начало",
    minutes: scheduleTexts.ru.minutes,
    addSlot: "Добавить окно",
    slotAdded: (id: number) => `Окно добавлено (№ ${id}).`,
    bookingReleased: (n: string) => `Запись № ${n} отменена, ученик получил причину.`,
    slotBooked: "Окно занято заявкой: напишите причину, ученик получит её в боте.",
    badRequest: scheduleTexts.ru.badRequest,
    chooseWeekday: "Выберите день недели.",
    startFormat: "Время начала в формате ЧЧ:ММ.",
    endFormat: "Время окончания в формате ЧЧ:ММ.",
    timeFormat: "Время в формате ЧЧ:ММ.",
    minutesRange: scheduleTexts.ru.minutesRange,
    problems: {
      weekday: "День недели должен быть от 1 (понедельник) до 7 (воскресенье).",
      start: "Неверное время начала.",
      end: "Неверное время окончания.",
      minutes: scheduleTexts.ru.lessonMinutes,
      endBeforeStart: (end: string, start: string) => `Время окончания (${end}) должно быть позже начала (${start}).`,
      noFit: (from: string, to: string, minutes: number) => `В интервал ${from}–${to} не помещается ни одно занятие по ${minutes} минут.`,
      overlap: (weekday: string, from: string, to: string, other: number, otherFrom: string, otherTo: string) =>
        `${weekday} ${from}–${to} пересекается со строкой ${other} (${otherFrom}–${otherTo}).`,
      days: (max: number) => `Количество дней — от 1 до ${max}.`,
      badDay: "Неверная дата: нужен формат ГГГГ-ММ-ДД.",
      badStart: "Неверное время начала.",
      past: "Это время уже прошло.",
      slotOverlap: "Это время пересекается с другим окном.",
      reasonMissing: fieldProblems.ru.reasonRequired,
      reasonTooLong: fieldProblems.ru.tooLong,
    },
  },
  kk: {
    title: "Кесте",
    weekdays: ["Дүйсенбі", "Сейсенбі", "Сәрсенбі", "Бейсенбі", "Жұма", "Сенбі", "Жексенбі"],
    templateTitle: "Апталық үлгі",
    templateHint: (days: number) => `Үлгі бойынша ${days} күн алға бос уақыттар ашылады, әр күн сайын жаңалары қосылады. Жазылған және жабылған уақыттар мен демалыс күндері өзгермейді. Күннің соңы — 00:00.`,
    save: "Сақтау",
    weekday: "Апта күні",
    from: "Басталуы",
    to: "Аяқталуы",
    lessonMinutes: "Сабақ, мин",
    noRows: "Жол жоқ: үлгі бойынша уақыт ашылмайды.",
    rowWeekday: (row: number) => `${row}-жол: апта күні`,
    rowFrom: (row: number) => `${row}-жол: басталуы`,
    rowTo: (row: number) => `${row}-жол: аяқталуы`,
    rowMinutes: (row: number) => `${row}-жол: сабақ ұзақтығы`,
    remove: "Жою",
    addRow: "Жол қосу",
    saveAndCreate: "Сақтап, уақыттарды ашу",
    fixRows: "Белгіленген жолдарды түзетіңіз.",
    templateSaved: (created: number) => `Үлгі сақталды. Жаңа уақыттар: ${created}.`,
    byApplication: (n: string) => `№ ${n} өтінім`,
    cancelSlot: "Уақытты жабу",
    reasonForStudent: "Оқушыға себебі",
    cancelBooking: "Жазылуды тоқтату",
    keepBooking: "Қалдыру",
    cancelBookingOpen: "Жазылуды тоқтату…",
    dayOff: "демалыс күні",
    dayOffHint: "Үлгі бұл күнге уақыт ашпайды.",
    giveBack: "Күнді қайтару",
    notOff: "Бұл күн енді демалыс емес.",
    dayReturned: (slots: number) => `Күн қайтарылды, жаңа уақыттар: ${slots}.`,
    slotsTitle: (days: number) => `${days} күнге бос уақыттар`,
    noSlots: "Бос уақыт жоқ. Үлгіні толтырыңыз немесе уақытты қолмен қосыңыз.",
    blockTitle: "Демалыс күні",
    date: "Күні",
    cancelBookingsToo: "Осы күнгі оқушылардың жазылуын да тоқтату",
    reasonForStudents: "Оқушыларға себебі (жазылуды тоқтатсаңыз)",
    closeDay: "Күнді жабу",
    dayClosed: (cancelled: number) => `Күн жабылды: жабылған бос уақыттар — ${cancelled}.`,
    released: (n: number) => `Тоқтатылған жазылулар: ${n}, оқушыларға себебі жіберілді.`,
    kept: (list: string) => `Оқушылардың жазылуы қалды: ${list}. Оларды да тоқтату үшін себебін жазыңыз — оқушылар оны ботта алады.`,
    oneOffTitle: "Бір реттік уақыт",
    start: "Басталуы",
    minutes: scheduleTexts.kk.minutes,
    addSlot: "Уақыт қосу",
    slotAdded: (id: number) => `Уақыт қосылды (№ ${id}).`,
    bookingReleased: (n: string) => `№ ${n} жазылу тоқтатылды, оқушыға себебі жіберілді.`,
    slotBooked: "Бұл уақытқа өтінім бар: себебін жазыңыз, оқушы оны ботта алады.",
    badRequest: scheduleTexts.kk.badRequest,
    chooseWeekday: "Апта күнін таңдаңыз.",
    startFormat: "Басталу уақыты СС:ММ пішімінде болуы керек.",
    endFormat: "Аяқталу уақыты СС:ММ пішімінде болуы керек.",
    timeFormat: "Уақыт СС:ММ пішімінде болуы керек.",
    minutesRange: scheduleTexts.kk.minutesRange,
    problems: {
      weekday: "Апта күні 1-ден (дүйсенбі) 7-ге (жексенбі) дейін болуы керек.",
      start: "Басталу уақыты қате.",
      end: "Аяқталу уақыты қате.",
      minutes: scheduleTexts.kk.lessonMinutes,
      endBeforeStart: (end: string, start: string) => `Аяқталу уақыты (${end}) басталуынан (${start}) кейін болуы керек.`,
      noFit: (from: string, to: string, minutes: number) => `${from}–${to} аралығына ${minutes} минуттық бірде-бір сабақ сыймайды.`,
      overlap: (weekday: string, from: string, to: string, other: number, otherFrom: string, otherTo: string) =>
        `${weekday} ${from}–${to} ${other}-жолмен (${otherFrom}–${otherTo}) қиылысады.`,
      days: (max: number) => `Күндер саны — 1-ден ${kkTo(max)} дейін.`,
      badDay: "Күні қате: ЖЖЖЖ-АА-КК пішімі керек.",
      badStart: "Басталу уақыты қате.",
      past: "Бұл уақыт өтіп кетті.",
      slotOverlap: "Бұл уақыт басқа уақытпен қиылысады.",
      reasonMissing: fieldProblems.kk.reasonRequired,
      reasonTooLong: fieldProblems.kk.tooLong,
    },
  },
});

/** A problem as its message says it (a template row's without the row: the form shows it at the row). */
export function availabilityProblemText(p: AvailabilityProblem, language: Language): string {
  const say = availabilityTexts[language];
  const w = say.problems;
  switch (p.code) {
    case "minutes":
      return w.minutes(MIN_LESSON_MINUTES, MAX_LESSON_MINUTES);
    case "endBeforeStart":
      return w.endBeforeStart(hhmm(p.end), hhmm(p.start));
    case "noFit":
      return w.noFit(hhmm(p.start), hhmm(p.end), p.minutes);
    case "overlap":
      return w.overlap(say.weekdays[p.weekday - 1] ?? "", hhmm(p.start), hhmm(p.end), p.other, hhmm(p.otherStart), hhmm(p.otherEnd));
    case "days":
    case "reasonTooLong":
      return w[p.code](p.max);
    case "lessonMinutes":
      return w.minutes(p.min, p.max);
    default:
      return w[p.code];
  }
}
