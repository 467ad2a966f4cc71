// Messages of the waitlist (src/domain/waitlist.ts): the wish as the student and the CRM read it,
// the confirmation of joining, the offer of a freed time with its two buttons, and the answers to
// pressing them. Dates and times in the configured zone; the instructor's name is escaped here.
import type { Language, WaitlistDaypart } from "../db/schema.ts";
import { formatDay } from "../i18n/format.ts";
import { parseDay, localToUtc } from "../model/time.ts";
import { escapeHtml } from "./html.ts";
import { lessonWhen } from "./lesson.ts";
import { inlineKeyboard, type ChatMessage } from "./message.ts";

/** Why a press on an offer was refused (src/domain/waitlist.ts WaitlistError). */
export type WaitlistRefusal = "taken" | "past" | "not_yours" | "left";

type Words = {
  parts: Record<WaitlistDaypart, string>;
  wish: (day: string, part: string) => string;
  joined: (who: string, day: string, part: string) => string;
  offer: (who: string, when: string, minutes: number) => string;
  take: string;
  leave: string;
  booked: (who: string, when: string) => string;
  gone: (who: string, when: string) => string;
  left: string;
  refusals: Record<WaitlistRefusal, string>;
};

const words: Record<Language, Words> = {
  ru: {
    parts: { morning: "утро", afternoon: "день", evening: "вечер", day: "любое время" },
    wish: (day, part) => `лист ожидания: ${day}, ${part}`,
    joined: (who, day, part) =>
      `Вы в листе ожидания к инструктору ${who}: ${day}, ${part}. Когда время освободится, я пришлю предложение — его получит тот, кто подтвердит первым.`,
    offer: (who, when, m) => `Освободилось время у инструктора ${who}: ${when}, ${m} мин. Время получит тот, кто подтвердит первым.`,
    take: "Записаться",
    leave: "Выйти из листа ожидания",
    booked: (who, when) => `Готово: вы записаны к инструктору ${who} на ${when}.`,
    gone: (who, when) => `Время ${when} у инструктора ${who} уже заняли. Вы остаётесь в листе ожидания.`,
    left: "Вы вышли из листа ожидания.",
    refusals: {
      taken: "Это время уже заняли. Вы остаётесь в листе ожидания.",
      past: "Это время уже прошло.",
      not_yours: "Это предложение не для вас.",
      left: "По этой заявке вы уже не в листе ожидания.",
    },
  },
  kk: {
    parts: { morning: "таңертең", afternoon: "күндіз", evening: "кешке", day: "кез келген уақыт" },
    wish: (day, part) => `күту тізімі: ${day}, ${part}`,
    joined: (who, day, part) =>
      `Сіз ${who} нұсқаушысының күту тізіміндесіз: ${day}, ${part}. Уақыт босағанда ұсыныс жіберемін — оны бірінші растаған адам алады.`,
    offer: (who, when, m) => `${who} нұсқаушысында уақыт босады: ${when}, ${m} мин. Уақытты бірінші растаған адам алады.`,
    take: "Жазылу",
    leave: "Күту тізімінен шығу",
    booked: (who, when) => `Дайын: сіз ${who} нұсқаушысына ${when} уақытына жазылдыңыз.`,
    gone: (who, when) => `${who} нұсқаушысының ${when} уақытын басқа біреу алып қойды. Сіз күту тізімінде қаласыз.`,
    left: "Сіз күту тізімінен шықтыңыз.",
    refusals: {
      taken: "Бұл уақытты басқа біреу алып қойды. Сіз күту тізімінде қаласыз.",
      past: "Бұл уақыт өтіп кетті.",
      not_yours: "Бұл ұсыныс сізге арналмаған.",
      left: "Бұл өтінім бойынша сіз енді күту тізімінде емессіз.",
    },
  },
};

/** "пт, 11 дек." for a local day "YYYY-MM-DD" (noon of it, so no zone shifts it to another day). */
export function waitlistDay(lang: Language, day: string, timeZone: string): string {
  const d = parseDay(day);
  return d ? formatDay(localToUtc(timeZone, d.y, d.m, d.d, 12), lang, timeZone) : day;
}

/** "пт, 11 дек., утро": the wish in words. */
function dayAndPart(lang: Language, day: string, part: WaitlistDaypart, timeZone: string): [string, string] {
  return [waitlistDay(lang, day, timeZone), words[lang].parts[part]];
}

/** "лист ожидания: пт, 11 дек., утро": the application's preferred time (the CRM shows it in Russian). */
export function waitlistWish(lang: Language, day: string, part: WaitlistDaypart, timeZone: string): string {
  return words[lang].wish(...dayAndPart(lang, day, part, timeZone));
}

/** The line the bot's confirmation adds: on the waitlist for that day and part, an offer will come. */
export function waitlistJoined(lang: Language, instructor: string, day: string, part: WaitlistDaypart, timeZone: string): string {
  return words[lang].joined(escapeHtml(instructor), ...dayAndPart(lang, day, part, timeZone));
}

export interface OfferFacts {
  instructor: string;
  startsAt: Date;
  minutes: number;
  timeZone: string;
}

/** A freed time for a waiting student, with "Записаться" and "Выйти из листа ожидания" (`data` packs the press). */
export function waitlistOffer(lang: Language, f: OfferFacts, data: (take: boolean) => string): ChatMessage {
  const w = words[lang];
  return {
    text: w.offer(escapeHtml(f.instructor), lessonWhen(f.startsAt, lang, f.timeZone), f.minutes),
    markup: inlineKeyboard([[{ text: w.take, callback_data: data(true) }], [{ text: w.leave, callback_data: data(false) }]]),
  };
}

/** The offer message after "Записаться" worked. */
export function waitlistBooked(lang: Language, f: OfferFacts): ChatMessage {
  return { text: words[lang].booked(escapeHtml(f.instructor), lessonWhen(f.startsAt, lang, f.timeZone)) };
}

/** Another student confirmed first: this one keeps waiting. */
export function waitlistGone(lang: Language, f: OfferFacts): ChatMessage {
  return { text: words[lang].gone(escapeHtml(f.instructor), lessonWhen(f.startsAt, lang, f.timeZone)) };
}

/** The offer message after "Выйти из листа ожидания". */
export function waitlistLeft(lang: Language): ChatMessage {
  return { text: words[lang].left };
}

/** The offer message after a refused press. */
export function waitlistRefused(lang: Language, refusal: WaitlistRefusal): ChatMessage {
  return { text: words[lang].refusals[refusal] };
}
