// How the CRM writes times and statuses (money: src/model/money.ts). Times are stored in UTC and shown in TIME_ZONE.
import { FORMAT_NAMES, type TrainingFormat } from "../src/domain/reference.ts";
import { applicationStatuses, isApplicationStatus, STATUS, type ApplicationStatus } from "../src/model/application-status.ts";
import { UNTAGGED_SOURCE } from "../src/model/share-link.ts";
import { wallClock } from "../src/model/time.ts";
import { offerLabel, type OfferFacts } from "../src/notify/catalog.ts";

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

/** A status as staff see it in the CRM (the status model holds the labels; the CRM is Russian today). */
export const STATUS_NAMES = Object.fromEntries(applicationStatuses.map((st) => [st, STATUS[st].staff.ru])) as Record<ApplicationStatus, string>;

/** A status read back as text (history rows): its label, or the raw text if it is no status we know. */
export function statusName(status: string | null | undefined): string {
  return isApplicationStatus(status) ? STATUS_NAMES[status] : (status ?? "—");
}

/** The button that moves an application to a status. */
export function statusAction(to: ApplicationStatus): string {
  return STATUS[to].action?.ru ?? STATUS_NAMES[to];
}

export function formatName(format: string | null): string {
  return format ? (FORMAT_NAMES[format as TrainingFormat]?.ru ?? format) : "";
}

export const TRANSMISSION_NAMES: Record<string, string> = { automatic: "АКПП", manual: "МКПП" };

/** An application's source as staff read it: its link's tag, or "Без метки (бот)" when it came without one. */
export function sourceName(source: string): string {
  return source === UNTAGGED_SOURCE ? "Без метки (бот)" : source;
}

/** Where an application's phone came from: the student's own Telegram contact, or typed (issue 19). */
export const phoneOrigin = (confirmed: boolean): string => (confirmed ? "подтверждён в Telegram" : "введён вручную");

export const OFFER_KIND_NAMES: Record<string, string> = { full_course: "Полный курс", practice: "Практика", test_prep: "Подготовка к экзамену" };

/** An offer as staff read it: the line the student reads in the bot (a course's says not its kind), what the price includes. */
export function offerFacts(o: OfferFacts): string {
  const label = offerLabel("ru", o);
  const line = o.kind === "full_course" ? `${OFFER_KIND_NAMES.full_course}: ${label}` : label;
  return o.includes ? `${line}; в цену входит: ${o.includes}` : line;
}

// The offer form's two fields for what the student reads in the bot (CRM profile and admin panel).
export const OFFER_HOURS_LABEL = "Часов вождения";
export const OFFER_HOURS_HINT = "Для практики обязательно (1–200); для курса — по желанию.";
export const OFFER_INCLUDES_LABEL = "Что входит в цену";
export const OFFER_INCLUDES_EXAMPLE = "автомобиль школы, топливо, площадка";

/** A file's size as staff read it: "820 Б", "340 КБ", "1,2 МБ". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} Б`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} КБ`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} МБ`;
}
