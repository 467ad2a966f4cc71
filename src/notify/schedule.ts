// The student's schedule in the bot: the lessons part of /my, a lesson's card, and the steps of
// cancelling and moving it. Dates and times in the configured zone, in the reader's language;
// every value a person typed (instructor names, places) is escaped here. The callback data of
// the buttons is packed by the bot and handed in: notify never packs it.
import type { Language, LessonCanceller, LessonState } from "../db/schema.ts";
import type { BotDict } from "../i18n/bot-ru.ts";
import { formatDay, formatTime } from "../i18n/format.ts";
import { t } from "../i18n/index.ts";
import { cancelReasonsFor, type CancelReason } from "../model/cancel-reason.ts";
import type { ApplicationKind } from "../model/application-status.ts";
import { escapeHtml } from "./html.ts";
import { lessonWhen } from "./lesson.ts";
import { inlineKeyboard, type ChatMessage, type InlineButton } from "./message.ts";

/** A lesson as the student's messages name it (domain/student-lessons.ts StudentLesson has this shape). */
export interface StudentLesson {
  id: number;
  publicNumber: string;
  instructorName: string;
  startsAt: Date;
  minutes: number;
  place: string;
  state: LessonState;
  noShowBy: "student" | "instructor" | null;
  cancelledBy: LessonCanceller | null;
  cancelledLate: boolean;
}

export interface StudentSchedule {
  upcoming: StudentLesson[];
  past: StudentLesson[];
}

/** Why a change was refused (domain/lessons.ts LessonRefusal: the dictionaries list every one). */
export type LessonRefusal = keyof BotDict["lessonRefused"];

/** What the student sees of how a lesson ended (or that it still waits for the instructor's mark). */
export function lessonOutcome(lang: Language, l: Pick<StudentLesson, "state" | "noShowBy" | "cancelledBy" | "cancelledLate">): string {
  const o = t(lang).lessonOutcome;
  if (l.state === "conducted") return o.conducted;
  if (l.state === "no_show") return l.noShowBy === "student" ? o.noShowStudent : l.noShowBy === "instructor" ? o.noShowInstructor : o.noShow;
  if (l.state === "cancelled") {
    if (l.cancelledBy === "student") return l.cancelledLate ? o.cancelledByYouLate : o.cancelledByYou;
    if (l.cancelledBy === "instructor") return o.cancelledByInstructor;
    if (l.cancelledBy === "school") return o.cancelledBySchool;
    return o.cancelled;
  }
  return o.unmarked;
}

const placeLine = (lang: Language, place: string) => (place.trim() ? `\n    ${t(lang).lessonPlace(escapeHtml(place.trim()))}` : "");

/**
 * The lessons part of /my: the upcoming lessons (time, length, instructor, application, place)
 * and the latest others with their outcome; '' when the student has none. Its buttons open each
 * upcoming lesson's card.
 */
export function scheduleSection(lang: Language, s: StudentSchedule, opts: { timeZone: string; openData: (lessonId: number) => string }): { text: string; buttons: InlineButton[][] } {
  const d = t(lang);
  const parts: string[] = [];
  if (s.upcoming.length) {
    const lines = s.upcoming.map((l) => `• ${d.lessonLine(lessonWhen(l.startsAt, lang, opts.timeZone), l.minutes, escapeHtml(l.instructorName), escapeHtml(l.publicNumber))}${placeLine(lang, l.place)}`);
    parts.push(`${d.lessonsTitle}\n${lines.join("\n")}`);
  }
  if (s.past.length) {
    const lines = s.past.map((l) => `• ${d.lessonPastLine(lessonWhen(l.startsAt, lang, opts.timeZone), escapeHtml(l.publicNumber), lessonOutcome(lang, l))}`);
    parts.push(`${d.lessonsPastTitle}\n${lines.join("\n")}`);
  }
  const buttons = s.upcoming.map((l) => [{ text: `📅 ${lessonWhen(l.startsAt, lang, opts.timeZone)}`, callback_data: opts.openData(l.id) }]);
  return { text: parts.join("\n\n"), buttons };
}

/** A lesson's card: when, how long, the instructor, the place, the application; its outcome unless it is still ahead. */
export function lessonCard(
  lang: Language,
  l: StudentLesson,
  opts: { timeZone: string; upcoming: boolean; moveData: string; cancelData: string; backData: string },
): ChatMessage {
  const d = t(lang);
  let text = d.lessonCard(lessonWhen(l.startsAt, lang, opts.timeZone), l.minutes, escapeHtml(l.instructorName), escapeHtml(l.publicNumber));
  if (l.place.trim()) text += `\n${d.lessonPlace(escapeHtml(l.place.trim()))}`;
  if (!opts.upcoming) text += `\n\n${lessonOutcome(lang, l)}`;
  const actions = opts.upcoming ? [[{ text: d.lessonMove, callback_data: opts.moveData }, { text: d.lessonCancel, callback_data: opts.cancelData }]] : [];
  return { text, markup: inlineKeyboard([...actions, [{ text: d.backToLessons, callback_data: opts.backData }]]) };
}

/** "Отменить занятие чт, 10 дек. 09:00?", with the plain-words warning when it would be a late cancellation. */
export function confirmLessonCancel(lang: Language, l: StudentLesson, opts: { timeZone: string; lateWithin: number | null; yesData: string; noData: string }): ChatMessage {
  const d = t(lang);
  const question = d.confirmCancelLesson(lessonWhen(l.startsAt, lang, opts.timeZone));
  const text = opts.lateWithin === null ? question : `${question}\n\n⚠️ ${d.lateCancelWarning(opts.lateWithin)}`;
  return { text, markup: inlineKeyboard([[{ text: d.cancelLessonYes, callback_data: opts.yesData }, { text: d.cancelLessonNo, callback_data: opts.noData }]]) };
}

/** The cancellation went through. */
export function lessonCancelledByStudent(lang: Language, l: { startsAt: Date }, opts: { timeZone: string; late: boolean; backData: string }): ChatMessage {
  const d = t(lang);
  const text = d.lessonCancelledDone(lessonWhen(l.startsAt, lang, opts.timeZone));
  return { text: opts.late ? `${text}\n${d.lessonCancelledLate}` : text, markup: inlineKeyboard([[{ text: d.backToLessons, callback_data: opts.backData }]]) };
}

/** Moving, first step: the local days with the instructor's free times, and how many on each. */
export function chooseMoveDay(
  lang: Language,
  l: StudentLesson,
  days: { day: string; first: Date; count: number }[],
  opts: { timeZone: string; dayData: (day: string) => string; backData: string },
): ChatMessage {
  const d = t(lang);
  const buttons = days.map((x) => ({ text: `${formatDay(x.first, lang, opts.timeZone)} (${x.count})`, callback_data: opts.dayData(x.day) }));
  const rows = chunk(buttons, 2);
  return { text: d.chooseMoveDay(lessonWhen(l.startsAt, lang, opts.timeZone)), markup: inlineKeyboard([...rows, [{ text: d.back, callback_data: opts.backData }]]) };
}

/** Moving, second step: the free times of one day. */
export function chooseMoveTime(lang: Language, slots: { id: number; startsAt: Date }[], opts: { timeZone: string; slotData: (slotId: number) => string; backData: string }): ChatMessage {
  const d = t(lang);
  const buttons = slots.map((s) => ({ text: formatTime(s.startsAt, opts.timeZone), callback_data: opts.slotData(s.id) }));
  return { text: d.chooseTime(formatDay(slots[0]!.startsAt, lang, opts.timeZone)), markup: inlineKeyboard([...chunk(buttons, 4), [{ text: d.back, callback_data: opts.backData }]]) };
}

/** Moving, last step: "Перенести занятие с … на …?". */
export function confirmMove(lang: Language, from: Date, to: Date, opts: { timeZone: string; yesData: string; backData: string }): ChatMessage {
  const d = t(lang);
  const text = d.confirmMove(lessonWhen(from, lang, opts.timeZone), lessonWhen(to, lang, opts.timeZone));
  return { text, markup: inlineKeyboard([[{ text: d.moveYes, callback_data: opts.yesData }], [{ text: d.back, callback_data: opts.backData }]]) };
}

/** The move went through. */
export function lessonMovedByStudent(lang: Language, l: { startsAt: Date; minutes: number }, opts: { timeZone: string; backData: string }): ChatMessage {
  const d = t(lang);
  return { text: d.lessonMovedDone(lessonWhen(l.startsAt, lang, opts.timeZone), l.minutes), markup: inlineKeyboard([[{ text: d.backToLessons, callback_data: opts.backData }]]) };
}

/**
 * The lesson cannot be moved from the bot: inside the cut-off (`cutoffHours`), or the instructor
 * has no free time (null). Either way the student can write to the instructor.
 */
export function cannotMove(lang: Language, cutoffHours: number | null, opts: { writeData: string; backData: string }): ChatMessage {
  const d = t(lang);
  const text = cutoffHours === null ? d.noMoveSlots : d.cannotMoveCutoff(cutoffHours);
  return { text, markup: inlineKeyboard([[{ text: d.writeInstructor, callback_data: opts.writeData }], [{ text: d.backToLessons, callback_data: opts.backData }]]) };
}

/** A refused change, in the student's words; "taken" offers other times, "cutoff" the instructor. */
export function lessonRefused(lang: Language, refusal: LessonRefusal, opts: { moveData: string; writeData: string; backData: string }): ChatMessage {
  const d = t(lang);
  const next: InlineButton[][] = [];
  if (refusal === "taken") next.push([{ text: d.chooseOtherTime, callback_data: opts.moveData }]);
  if (refusal === "cutoff") next.push([{ text: d.writeInstructor, callback_data: opts.writeData }]);
  return { text: d.lessonRefused[refusal], markup: inlineKeyboard([...next, [{ text: d.backToLessons, callback_data: opts.backData }]]) };
}

/** After "Написать инструктору": the student's next messages go to this application. */
export function writeToInstructor(lang: Language, l: Pick<StudentLesson, "instructorName" | "publicNumber">): ChatMessage {
  return { text: t(lang).writeNow(escapeHtml(l.instructorName), escapeHtml(l.publicNumber)) };
}

/**
 * /my: "Отменить заявку № 12 (…)? Почему отменяете?": cancelling an application is no longer one
 * tap. Each reason (the ones offered for the application's kind) cancels at once and is shown to
 * the school; so does "Отменить без причины"; "Не отменять" goes back to the list.
 */
export function confirmApplicationCancel(
  lang: Language,
  a: { publicNumber: string; targetName: string; kind: ApplicationKind },
  opts: { reasonData: (reason: CancelReason) => string; withoutReasonData: string; noData: string },
): ChatMessage {
  const d = t(lang);
  const target = escapeHtml(a.targetName);
  const reasons = cancelReasonsFor(a.kind).map((r): InlineButton[] => [{ text: d.cancelReasons[r], callback_data: opts.reasonData(r) }]);
  return {
    text: `${d.confirmCancelApplication(escapeHtml(a.publicNumber), target)}\n\n${d.cancelReasonAsk(target)}`,
    markup: inlineKeyboard([...reasons, [{ text: d.cancelWithoutReason, callback_data: opts.withoutReasonData }], [{ text: d.keepApplication, callback_data: opts.noData }]]),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
