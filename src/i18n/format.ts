// Formatting of dates in the configured zone, in the reader's language (money: src/model/money.ts).
import type { Language } from "../db/schema.ts";
import { dateFormat } from "../model/time.ts";

/** The Intl locale of a page language: the one place that maps ru/kk to "ru-RU"/"kk-KZ". */
export const locale = (language: Language) => (language === "kk" ? "kk-KZ" : "ru-RU");

/**
 * "ср, 25 нояб." in Russian; in Kazakh "25 қараша, сәрсенбі": ICU's short Kazakh forms ("25 қар.,
 * ср") are abbreviations readers do not use, so the month and the weekday are written in full.
 */
export function formatDay(at: Date, language: Language, timeZone: string): string {
  const length = language === "kk" ? "long" : "short";
  return dateFormat(locale(language), { weekday: length, day: "numeric", month: length, timeZone }).format(at);
}

/** "09:00" */
export function formatTime(at: Date, timeZone: string): string {
  return dateFormat("ru-RU", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}
