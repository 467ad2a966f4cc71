// The student's message when an instructor withdraws the time they booked. Telegram HTML: every
// value a person typed is escaped here.
import type { Language } from "../db/schema.ts";
import { escapeHtml } from "./html.ts";
import { lessonWhen } from "./lesson.ts";

const texts: Record<Language, (number: string, instructor: string, when: string, reason: string) => string> = {
  ru: (number, instructor, when, reason) =>
    `Заявка № ${number}: занятие ${when} отменено, инструктор — ${instructor}.\nПричина: ${reason}\n` +
    `Заявка остаётся в силе: инструктор свяжется с вами, чтобы договориться о другом времени.`,
  kk: (number, instructor, when, reason) =>
    `№ ${number} өтінім: нұсқаушы ${instructor} ${when} сабағын тоқтатты.\nСебебі: ${reason}\n` +
    `Өтінім күшінде қалады: нұсқаушы басқа уақытты келісу үшін сізбен хабарласады.`,
};

export function slotCancelledText(
  language: Language,
  m: { number: string; instructor: string; startsAt: Date; reason: string; timeZone: string },
): string {
  const when = lessonWhen(m.startsAt, language, m.timeZone);
  return texts[language](escapeHtml(m.number), escapeHtml(m.instructor), escapeHtml(when), escapeHtml(m.reason));
}
