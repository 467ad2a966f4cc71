// Messages about a lesson: to the student when staff plan, move or cancel it, and to the
// instructor's linked staff when the student moves or cancels it from the bot. Dates and times in
// the configured zone; every value a person typed is escaped here.
import type { Language } from "../db/schema.ts";
import { formatDay, formatTime } from "../i18n/format.ts";
import { escapeHtml } from "./html.ts";
import type { ChatMessage } from "./message.ts";

/** What a lesson message says: the application, the instructor, the time and the place. */
export interface LessonFacts {
  number: string;
  instructor: string;
  startsAt: Date;
  minutes: number;
  /** '' = not set: the line is left out. */
  place: string;
  timeZone: string;
}

/** "чт, 10 дек. 09:00" in the reader's language and the configured zone. */
export function lessonWhen(at: Date, lang: Language, timeZone: string): string {
  return `${formatDay(at, lang, timeZone)} ${formatTime(at, timeZone)}`;
}

type Words = {
  planned: (n: string, who: string, when: string, minutes: number) => string;
  moved: (n: string, who: string, from: string, when: string, minutes: number) => string;
  cancelled: (n: string, who: string, when: string) => string;
  place: (place: string) => string;
  reason: (reason: string) => string;
  stays: string;
};

const words: Record<Language, Words> = {
  ru: {
    planned: (n, who, when, m) => `Заявка № ${n}: инструктор ${who} назначил(а) занятие — ${when}, ${m} мин.`,
    moved: (n, who, from, when, m) => `Заявка № ${n}: инструктор ${who} перенёс(ла) занятие с ${from} на ${when}, ${m} мин.`,
    cancelled: (n, who, when) => `Заявка № ${n}: инструктор ${who} отменил(а) занятие ${when}.`,
    place: (p) => `Место: ${p}`,
    reason: (r) => `Причина: ${r}`,
    stays: "Заявка остаётся в силе. Ваши занятия — /my.",
  },
  kk: {
    planned: (n, who, when, m) => `№ ${n} өтінім: нұсқаушы ${who} сабақ белгіледі — ${when}, ${m} мин.`,
    moved: (n, who, from, when, m) => `№ ${n} өтінім: нұсқаушы ${who} сабақты ${from} уақытынан ${when} уақытына ауыстырды, ${m} мин.`,
    cancelled: (n, who, when) => `№ ${n} өтінім: нұсқаушы ${who} ${when} сабағын болдырмады.`,
    place: (p) => `Орны: ${p}`,
    reason: (r) => `Себебі: ${r}`,
    stays: "Өтінім күшінде қалады. Сабақтарыңыз — /my.",
  },
};

const placeLine = (lang: Language, place: string) => (place.trim() ? `\n${words[lang].place(escapeHtml(place.trim()))}` : "");

/** Staff planned a lesson: the student's message. */
export function lessonPlanned(lang: Language, f: LessonFacts): ChatMessage {
  const w = words[lang];
  return { text: w.planned(escapeHtml(f.number), escapeHtml(f.instructor), lessonWhen(f.startsAt, lang, f.timeZone), f.minutes) + placeLine(lang, f.place) };
}

/** Staff moved a lesson from `from`: the student's message. */
export function lessonMoved(lang: Language, f: LessonFacts, from: Date): ChatMessage {
  const w = words[lang];
  const text = w.moved(escapeHtml(f.number), escapeHtml(f.instructor), lessonWhen(from, lang, f.timeZone), lessonWhen(f.startsAt, lang, f.timeZone), f.minutes);
  return { text: text + placeLine(lang, f.place) };
}

/** Staff cancelled a lesson: the student's message, with the reason when one was given. */
export function lessonCancelled(lang: Language, f: LessonFacts, reason: string): ChatMessage {
  const w = words[lang];
  const lines = [w.cancelled(escapeHtml(f.number), escapeHtml(f.instructor), lessonWhen(f.startsAt, lang, f.timeZone))];
  if (reason.trim()) lines.push(w.reason(escapeHtml(reason.trim())));
  lines.push(w.stays);
  return { text: lines.join("\n") };
}

/** What the student did with a lesson, for the instructor's linked staff. */
export type StudentLessonChange = { kind: "moved"; from: Date } | { kind: "cancelled"; late: boolean };

const staffWords: Record<Language, { moved: (n: string, s: string, from: string, to: string) => string; cancelled: (n: string, s: string, when: string) => string; late: string }> = {
  ru: {
    moved: (n, s, from, to) => `Заявка № ${n}: ученик ${s} перенёс(ла) занятие с ${from} на ${to}.`,
    cancelled: (n, s, when) => `Заявка № ${n}: ученик ${s} отменил(а) занятие ${when}.`,
    late: "Поздняя отмена: меньше срока, до которого занятие можно отменить.",
  },
  kk: {
    moved: (n, s, from, to) => `№ ${n} өтінім: оқушы ${s} сабақты ${from} уақытынан ${to} уақытына ауыстырды.`,
    cancelled: (n, s, when) => `№ ${n} өтінім: оқушы ${s} ${when} сабағын болдырмады.`,
    late: "Кеш болдырмау: сабақты болдырмауға болатын мерзім өтіп кеткен.",
  },
};

/** The student moved or cancelled a lesson from the bot: the staff alert. */
export function studentChangedLesson(lang: Language, f: LessonFacts & { studentName: string }, change: StudentLessonChange): ChatMessage {
  const w = staffWords[lang];
  const [n, s] = [escapeHtml(f.number), escapeHtml(f.studentName)];
  const when = lessonWhen(f.startsAt, lang, f.timeZone);
  if (change.kind === "moved") return { text: w.moved(n, s, lessonWhen(change.from, lang, f.timeZone), when) };
  return { text: change.late ? `${w.cancelled(n, s, when)}\n${w.late}` : w.cancelled(n, s, when) };
}
