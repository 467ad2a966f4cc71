// The one line the CRM's history shows for a 'lesson' event (src/model/lesson-event.ts), in Russian
// and Kazakh, with its times in the configured zone. Plain text: escape it where it is shown.
import type { Language, LessonCanceller } from "../db/schema.ts";
import { formatTime } from "../i18n/format.ts";
import { dateFormat } from "../model/time.ts";
import type { LessonEventAction, LessonEventPayload } from "../model/lesson-event.ts";

const BY: Record<Language, Record<LessonCanceller, string>> = {
  ru: { student: "ученик", instructor: "инструктор", school: "автошкола" },
  kk: { student: "оқушы", instructor: "нұсқаушы", school: "автомектеп" },
};

type Lines = { [A in LessonEventAction]: (p: Extract<LessonEventPayload, { action: A }>, when: (iso: string) => string) => string };

const LINES: Record<Language, Lines> = {
  ru: {
    planned: (p, w) => `Занятие назначено: ${w(p.startsAt)}, ${p.minutes} мин${p.fromBooking ? " (время из записи)" : ""}`,
    moved: (p, w) => `Занятие перенесено (${BY.ru[p.by]}): ${w(p.from)} → ${w(p.startsAt)}`,
    cancelled: (p, w) => `Занятие ${w(p.startsAt)} отменено (${BY.ru[p.by]})${p.late ? ", поздняя отмена" : ""}${p.reason ? `: ${p.reason}` : ""}`,
    conducted: (p, w) => `Занятие ${w(p.startsAt)} проведено`,
    no_show: (p, w) => `Занятие ${w(p.startsAt)}: ${p.noShowBy === "student" ? "ученик не пришёл" : p.noShowBy === "instructor" ? "инструктор не пришёл" : "неявка"}`,
    answered: (p, w) => `Ответ на напоминание о занятии ${w(p.startsAt)}: ${p.answer === "coming" ? "«Приду»" : "«Не смогу»"}`,
  },
  kk: {
    planned: (p, w) => `Сабақ белгіленді: ${w(p.startsAt)}, ${p.minutes} мин${p.fromBooking ? " (жазылған уақыт)" : ""}`,
    moved: (p, w) => `Сабақ ауыстырылды (${BY.kk[p.by]}): ${w(p.from)} → ${w(p.startsAt)}`,
    cancelled: (p, w) => `${w(p.startsAt)} сабағы тоқтатылды (${BY.kk[p.by]})${p.late ? ", кеш бас тарту" : ""}${p.reason ? `: ${p.reason}` : ""}`,
    conducted: (p, w) => `${w(p.startsAt)} сабағы өтті`,
    no_show: (p, w) => `${w(p.startsAt)} сабағы: ${p.noShowBy === "student" ? "оқушы келмеді" : p.noShowBy === "instructor" ? "нұсқаушы келмеді" : "келмеу"}`,
    answered: (p, w) => `Сабақ туралы еске салуға жауап (${w(p.startsAt)}): ${p.answer === "coming" ? "«Келемін»" : "«Келе алмаймын»"}`,
  },
};

/** "04.12.2026": the date style of the CRM's history and lists, the same in both languages. */
const numericDate = (at: Date, timeZone: string) => dateFormat("ru-RU", { day: "2-digit", month: "2-digit", year: "numeric", timeZone }).format(at);

const isAction = (a: unknown): a is LessonEventAction => typeof a === "string" && a in LINES.ru;

/** The history line of a 'lesson' event (plain text: escape it where it is shown); null for a payload that is not one. */
export function lessonEventLine(lang: Language, payload: Record<string, unknown>, timeZone: string): string | null {
  if (!isAction(payload.action) || typeof payload.startsAt !== "string") return null;
  const when = (iso: string) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? "—" : `${numericDate(at, timeZone)} ${formatTime(at, timeZone)}`;
  };
  const line = LINES[lang][payload.action] as (p: LessonEventPayload, w: (iso: string) => string) => string;
  return line(payload as LessonEventPayload, when);
}
