// How the CRM writes times and statuses (money: src/model/money.ts). Times are stored in UTC and shown in TIME_ZONE.
import { FORMAT_NAMES, type TrainingFormat } from "../src/domain/reference.ts";
import { wallClock } from "../src/model/time.ts";

const two = (n: number) => (n < 10 ? "0" + n : String(n));

/** "05.03.2025 14:30" in the zone (what Intl's ru-RU gives, without its ~15 µs formatToParts per call). */
export function dateTime(at: Date, zone: string): string {
  const w = wallClock(zone, at);
  return `${two(w.getUTCDate())}.${two(w.getUTCMonth() + 1)}.${w.getUTCFullYear()} ${two(w.getUTCHours())}:${two(w.getUTCMinutes())}`;
}

/** How long ago, briefly: "5 мин", "3 ч", "2 дн". */
export function ago(at: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 60_000));
  if (minutes < 1) return "только что";
  if (minutes < 60) return `${minutes} мин`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} ч`;
  return `${Math.floor(hours / 24)} дн`;
}

export const STATUS_NAMES: Record<string, string> = {
  new: "Новая",
  contacted: "Связались",
  confirmed: "Подтверждена",
  paid: "Оплачена",
  studying: "Обучается",
  completed: "Завершена",
  accepted: "Принята",
  rejected: "Отклонена",
  cancelled: "Отменена студентом",
};

/** The button that moves an application to a status. */
export const STATUS_ACTIONS: Record<string, string> = {
  contacted: "Связались",
  confirmed: "Подтвердить",
  paid: "Оплачено",
  studying: "Начал обучение",
  completed: "Завершить",
  accepted: "Принять",
  rejected: "Отклонить",
};

export function formatName(format: string | null): string {
  return format ? (FORMAT_NAMES[format as TrainingFormat]?.ru ?? format) : "";
}

export const TRANSMISSION_NAMES: Record<string, string> = { automatic: "АКПП", manual: "МКПП" };

export const OFFER_KIND_NAMES: Record<string, string> = { full_course: "Полный курс", practice: "Практика", test_prep: "Подготовка к экзамену" };
