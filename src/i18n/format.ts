// Formatting shared by the bot and the CRM: money in tenge, dates in the configured zone.
import type { Language } from "../db/schema.ts";
import { dateFormat } from "../domain/time.ts";

/** 180000 → "180 000 ₸" (a narrow no-break space between thousands, as Kazakh price tags do). */
export function formatKzt(amount: number): string {
  return `${Math.round(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f")} ₸`;
}

const locale = (language: Language) => (language === "kk" ? "kk-KZ" : "ru-RU");

/** "ср, 25 нояб." */
export function formatDay(at: Date, language: Language, timeZone: string): string {
  return dateFormat(locale(language), { weekday: "short", day: "numeric", month: "short", timeZone }).format(at);
}

/** "09:00" */
export function formatTime(at: Date, timeZone: string): string {
  return dateFormat("ru-RU", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/** The WhatsApp deep link: digits only, with the country code, and a prefilled text. */
export function whatsappLink(phone: string, text: string): string | null {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 10) return null;
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}
