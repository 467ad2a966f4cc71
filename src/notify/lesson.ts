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

/** "чт, 10 дек. 09:00", "10 желтоқсан, бейсенбі, 09:00" in the reader's language and the configured zone. */
export function lessonWhen(at: Date, lang: Language, timeZone: string): string {
  // The Kazakh day ends with the weekday's name: a comma keeps the time apart from it.
  return `${formatDay(at, lang, timeZone)}${lang === "kk" ? "," : ""} ${formatTime(at, timeZone)}`;
}

type Words = {
  planned: (n: string, when: string, minutes: number) => string;
  moved: (n: string, from: string, when: string, minutes: number) => string;
  cancelled: (n: string, when: string) => string;
  instructor: (who: string) => string;
  place: (place: string) => string;
  reason: (reason: string) => string;
  stays: string;
};

// Impersonal on purpose: staff of the instructor or of their school may have made the change, and
// nobody's gender is known.
const words: Record<Language, Words> = {
  ru: {
    planned: (n, when, m) => `Заявка № ${n}: назначено занятие — ${when}, ${m} мин.`,
    moved: (n, from, when, m) => `Заявка № ${n}: занятие перенесено — было ${from}, теперь ${when}, ${m} мин.`,
    cancelled: (n, when) => `Заявка № ${n}: занятие ${when} отменено.`,
    instructor: (who) => `Инструктор: ${who}`,
    place: (p) => `Место: ${p}`,
    reason: (r) => `Причина: ${r}`,
    stays: "Заявка остаётся в силе. Ваши занятия — /my.",
  },
  kk: {
    planned: (n, when, m) => `№ ${n} өтінім: сабақ белгіленді — ${when}, ${m} мин.`,
    moved: (n, from, when, m) => `№ ${n} өтінім: сабақ ауыстырылды — бұрын ${from}, енді ${when}, ${m} мин.`,
    cancelled: (n, when) => `№ ${n} өтінім: ${when} сабағы болмайды.`,
    instructor: (who) => `Нұсқаушы: ${who}`,
    place: (p) => `Орны: ${p}`,
    reason: (r) => `Себебі: ${r}`,
    stays: "Өтінім күшінде қалады. Сабақтарыңыз — /my.",
  },
};

/** The instructor's line and the place's (when set) under a lesson message. */
function details(lang: Language, f: LessonFacts): string {
  const w = words[lang];
  const lines = [w.instructor(escapeHtml(f.instructor))];
  if (f.place.trim()) lines.push(w.place(escapeHtml(f.place.trim())));
  return `\n${lines.join("\n")}`;
}

/** Staff planned a lesson: the student's message. */
export function lessonPlanned(lang: Language, f: LessonFacts): ChatMessage {
  return { text: words[lang].planned(escapeHtml(f.number), lessonWhen(f.startsAt, lang, f.timeZone), f.minutes) + details(lang, f) };
}

/** Staff moved a lesson from `from`: the student's message. */
export function lessonMoved(lang: Language, f: LessonFacts, from: Date): ChatMessage {
  const text = words[lang].moved(escapeHtml(f.number), lessonWhen(from, lang, f.timeZone), lessonWhen(f.startsAt, lang, f.timeZone), f.minutes);
  return { text: text + details(lang, f) };
}

/** Staff cancelled a lesson: the student's message, with the reason when one was given. */
export function lessonCancelled(lang: Language, f: LessonFacts, reason: string): ChatMessage {
  const w = words[lang];
  const lines = [w.cancelled(escapeHtml(f.number), lessonWhen(f.startsAt, lang, f.timeZone)), w.instructor(escapeHtml(f.instructor))];
  if (reason.trim()) lines.push(w.reason(escapeHtml(reason.trim())));
  lines.push(w.stays);
  return { text: lines.join("\n") };
}

/** What the student did with a lesson, for the instructor's linked staff. */
export type StudentLessonChange = { kind: "moved"; from: Date } | { kind: "cancelled"; late: boolean } | { kind: "booked" };

const staffWords: Record<Language, { moved: (n: string, s: string, from: string, to: string) => string; cancelled: (n: string, s: string, when: string) => string; booked: (n: string, s: string, when: string) => string; late: string }> = {
  ru: {
    booked: (n, s, when) => `Заявка № ${n}, ${s}: ученик записался на занятие из листа ожидания — ${when}.`,
    moved: (n, s, from, to) => `Заявка № ${n}, ${s}: ученик перенёс занятие из бота — было ${from}, теперь ${to}.`,
    cancelled: (n, s, when) => `Заявка № ${n}, ${s}: ученик отменил занятие ${when} из бота.`,
    late: "Поздняя отмена: меньше срока, до которого занятие можно отменить.",
  },
  kk: {
    booked: (n, s, when) => `№ ${n} өтінім, ${s}: оқушы күту тізімінен сабаққа жазылды — ${when}.`,
    moved: (n, s, from, to) => `№ ${n} өтінім, ${s}: оқушы боттан сабақты ауыстырды — бұрын ${from}, енді ${to}.`,
    cancelled: (n, s, when) => `№ ${n} өтінім, ${s}: оқушы боттан ${when} сабағынан бас тартты.`,
    late: "Кеш бас тарту: сабақтан бас тартуға болатын мерзім өтіп кеткен.",
  },
};

/** The student moved or cancelled a lesson from the bot: the staff alert. */
export function studentChangedLesson(lang: Language, f: LessonFacts & { studentName: string }, change: StudentLessonChange): ChatMessage {
  const w = staffWords[lang];
  const [n, s] = [escapeHtml(f.number), escapeHtml(f.studentName)];
  const when = lessonWhen(f.startsAt, lang, f.timeZone);
  if (change.kind === "moved") return { text: w.moved(n, s, lessonWhen(change.from, lang, f.timeZone), when) };
  if (change.kind === "booked") return { text: w.booked(n, s, when) };
  return { text: change.late ? `${w.cancelled(n, s, when)}\n${w.late}` : w.cancelled(n, s, when) };
}
