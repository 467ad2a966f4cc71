// Words the instructor's schedule (availability.ts), the lesson screens (lessons.ts) and the admin's
// instructor page share: a lesson's length and the refusal of a malformed form, defined once.
import { kkFrom } from "../kk-numbers.ts";
import { bilingual } from "../bilingual.ts";

export const scheduleTexts = bilingual({
  ru: {
    /** The label of a lesson's length field. */
    minutes: "Длительность, мин",
    /** Said at the length field: the field names what the numbers are. */
    minutesRange: (min: number, max: number) => `От ${min} до ${max} минут.`,
    /** Said where no field is next to it. */
    lessonMinutes: (min: number, max: number) => `Длительность занятия — от ${min} до ${max} минут.`,
    badRequest: "Запрос не понят.",
  },
  kk: {
    minutes: "Ұзақтығы, мин",
    minutesRange: (min: number, max: number) => `${kkFrom(min)} ${max} минутқа дейін.`,
    lessonMinutes: (min: number, max: number) => `Сабақ ұзақтығы — ${kkFrom(min)} ${max} минутқа дейін.`,
    badRequest: "Сұрау түсініксіз.",
  },
});
