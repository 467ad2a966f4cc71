// How the CRM and admin write times, statuses and names, in the page's language (money:
// src/model/money.ts). Times are stored in UTC and shown in TIME_ZONE.
import { languages, type Language } from "../src/db/schema.ts";
import { FORMAT_NAMES, type TrainingFormat } from "../src/domain/reference.ts";
import { bilingual } from "../src/i18n/bilingual.ts";
import { locale } from "../src/i18n/format.ts";
import { nameOf, t } from "../src/i18n/index.ts";
import { inLanguage } from "../src/model/content.ts";
import { applicationStatuses, isApplicationStatus, STATUS, type ApplicationStatus } from "../src/model/application-status.ts";
import { UNTAGGED_SOURCE } from "../src/model/share-link.ts";
import { dateFormat, wallClock } from "../src/model/time.ts";
import { offerLabel, type OfferFacts } from "../src/notify/catalog.ts";

const two = (n: number) => (n < 10 ? "0" + n : String(n));

/** "05.03.2025 14:30" in the zone (what Intl's ru-RU gives, without its ~15 µs formatToParts per call). */
export function dateTime(at: Date, zone: string): string {
  const w = wallClock(zone, at);
  return `${two(w.getUTCDate())}.${two(w.getUTCMonth() + 1)}.${w.getUTCFullYear()} ${two(w.getUTCHours())}:${two(w.getUTCMinutes())}`;
}

const formatTexts = bilingual({
  ru: {
    justNow: "только что",
    minutes: (n: number) => `${n} мин`,
    hours: (n: number) => `${n} ч`,
    days: (n: number) => `${n} дн`,
    untagged: "Без метки (бот)",
    phoneConfirmed: "подтверждён в Telegram",
    phoneTyped: "введён вручную",
    transmissions: { automatic: "АКПП", manual: "МКПП" } as Record<string, string>,
    includes: (what: string) => `в цену входит: ${what}`,
    offerHoursLabel: "Часов вождения",
    offerHoursHint: "Для практики обязательно (1–200); для курса — по желанию.",
    offerIncludesLabel: "Что входит в цену",
    offerIncludesKkLabel: "Что входит в цену (по-казахски)",
    offerIncludesExample: "автомобиль школы, топливо, площадка",
    bytes: ["Б", "КБ", "МБ"] as readonly string[],
  },
  kk: {
    justNow: "жаңа ғана",
    minutes: (n: number) => `${n} мин`,
    hours: (n: number) => `${n} сағ`,
    days: (n: number) => `${n} күн`,
    untagged: "Белгісіз (бот)",
    phoneConfirmed: "Telegram арқылы расталған",
    phoneTyped: "қолмен енгізілген",
    transmissions: { automatic: "Автомат", manual: "Механика" },
    includes: (what: string) => `бағаға кіреді: ${what}`,
    offerHoursLabel: "Жүргізу сағаттары",
    offerHoursHint: "Тәжірибе үшін міндетті (1–200); курс үшін — қалауыңызша.",
    offerIncludesLabel: "Бағаға не кіреді",
    offerIncludesKkLabel: "Бағаға не кіреді (қазақша)",
    offerIncludesExample: "мектептің көлігі, жанармай, алаң",
    bytes: ["Б", "КБ", "МБ"],
  },
});

/** How long ago, briefly: "5 мин", "3 ч" / "3 сағ", "2 дн" / "2 күн". */
export function ago(at: Date, now: Date, language: Language): string {
  const say = formatTexts[language];
  const minutes = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 60_000));
  if (minutes < 1) return say.justNow;
  if (minutes < 60) return say.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return say.hours(hours);
  return say.days(Math.floor(hours / 24));
}

/** Every status as staff see it in the CRM, in the language (the status model holds the labels). */
export function statusNames(language: Language): Record<ApplicationStatus, string> {
  return STATUS_NAMES[language];
}
const STATUS_NAMES = Object.fromEntries(languages.map((l) => [l, Object.fromEntries(applicationStatuses.map((st) => [st, STATUS[st].staff[l]]))])) as Record<Language, Record<ApplicationStatus, string>>;

/** A status read back as text (history rows): its label, or the raw text if it is no status we know. */
export function statusName(status: string | null | undefined, language: Language): string {
  return isApplicationStatus(status) ? STATUS_NAMES[language][status] : (status ?? "—");
}

/** The button that moves an application to a status. */
export function statusAction(to: ApplicationStatus, language: Language): string {
  return STATUS[to].action?.[language] ?? STATUS_NAMES[language][to];
}

export function formatName(format: string | null, language: Language): string {
  return format ? (FORMAT_NAMES[format as TrainingFormat]?.[language] ?? format) : "";
}

/** A transmission as staff read it ("АКПП"; the raw value if it is none we know). */
export function transmissionName(value: string, language: Language): string {
  return formatTexts[language].transmissions[value] ?? value;
}

/** An offer's kind (one list with the bot's: src/i18n). */
export function offerKindName(kind: string, language: Language): string {
  return nameOf(t(language).offerKindNames, kind) ?? kind;
}

/** An application's source as staff read it: its link's tag, or "Без метки (бот)" when it came without one. */
export function sourceName(source: string, language: Language): string {
  return source === UNTAGGED_SOURCE ? formatTexts[language].untagged : source;
}

/** Where an application's phone came from: the student's own Telegram contact, or typed (issue 19). */
export const phoneOrigin = (confirmed: boolean, language: Language): string => (confirmed ? formatTexts[language].phoneConfirmed : formatTexts[language].phoneTyped);

/** An offer as staff read it: the line the student reads in the bot (a course's says not its kind), what the price includes. */
export function offerFacts(o: OfferFacts, language: Language): string {
  const label = offerLabel(language, o);
  const line = o.kind === "full_course" ? `${offerKindName("full_course", language)}: ${label}` : label;
  const includes = inLanguage(language, o.includes, o.includesKk);
  return includes ? `${line}; ${formatTexts[language].includes(includes)}` : line;
}

/** The offer form's words for what the student reads in the bot (CRM profile and admin panel). */
export const offerFormTexts = (language: Language) => formatTexts[language];

/** A file's size as staff read it: "820 Б", "340 КБ", "1,2 МБ". */
export function fileSize(bytes: number, language: Language): string {
  const [b, kb, mb] = formatTexts[language].bytes;
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ${kb}`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} ${mb}`;
}

/**
 * A day as a CRM heading or a lesson card names it, in the language: "пятница, 4 декабря" /
 * "4 желтоқсан, жұма" (the weekday in lower case, as Russian writes it inside a sentence:
 * "Сегодня, пятница, 4 декабря"; issue 17).
 */
export function dayLong(at: Date, zone: string, language: Language): string {
  return dateFormat(locale(language), { weekday: "long", day: "numeric", month: "long", timeZone: zone }).format(at);
}

/** "04.12.2026": the numeric date both languages write. */
export function dateOnly(at: Date, zone: string): string {
  return dateTime(at, zone).slice(0, 10);
}

/** A text with its first letter in upper case (a weekday starting a heading). */
export const capitalized = (text: string): string => text.charAt(0).toLocaleUpperCase("ru") + text.slice(1);
