// Formatting of dates in the configured zone, in the reader's language (money: src/model/money.ts).
import type { Language } from "../db/schema.ts";
import { dateFormat } from "../model/time.ts";

const locale = (language: Language) => (language === "kk" ? "kk-KZ" : "ru-RU");

/** "ср, 25 нояб." */
export function formatDay(at: Date, language: Language, timeZone: string): string {
  return dateFormat(locale(language), { weekday: "short", day: "numeric", month: "short", timeZone }).format(at);
}

/** "09:00" */
export function formatTime(at: Date, timeZone: string): string {
  return dateFormat("ru-RU", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}
