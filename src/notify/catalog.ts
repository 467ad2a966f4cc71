// The texts of the flow's screens that show the catalog (schools, offers, instructors) and the
// application being made: everything a school or instructor typed is escaped here. The flow
// (src/bot/flows/) picks the screen and its buttons; these say what the screen reads.
import { namesItself } from "../model/school-name.ts";
import type { Language, OfferKind } from "../db/schema.ts";
import { formatDay, formatTime } from "../i18n/format.ts";
import { formatKzt, lessonPriceKzt } from "../model/money.ts";
import { nameOf, t } from "../i18n/index.ts";
import { formatDuration, strongestAndWeakest, type IndexComponent, type IndexResult } from "../analytics/explain.ts";
import { formatRating } from "../model/review.ts";
import { escapeHtml, escapedWithin } from "./html.ts";
import { TELEGRAM_TEXT_LIMIT } from "../model/thread-message.ts";
import { inLicenceOrder } from "../model/licence.ts";
import { formatPhone } from "../model/phone.ts";
import { inLanguage } from "../model/content.ts";

export interface SchoolLine {
  name: string;
  address: string;
  /** Kazakh versions of what the school wrote ('': only Russian); the reader's language is picked by inLanguage. */
  nameKk: string;
  addressKk: string;
  minPriceKzt: number;
  durationWeeks: number;
  /** What the list is of; a practice list gives hours of driving, not weeks (absent: a course). */
  kind?: OfferKind;
  hours?: number | null;
  trust: number | null;
}

export interface OfferFacts {
  kind: OfferKind;
  category: string;
  format: string;
  priceKzt: number;
  durationWeeks: number;
  /** Hours of driving (a practice offer's measure; null: not said). */
  hours: number | null;
  /** What the price includes, as the school typed it ('' = not said), and in Kazakh ('': only Russian). */
  includes: string;
  includesKk: string;
}

export interface InstructorFacts {
  name: string;
  car: string;
  pricePerHourKzt: number;
  transmission: string;
  categories: string[];
  schoolName: string | null;
  /** The school's Kazakh name ('': only Russian; null: no school). */
  schoolNameKk: string | null;
  rating: number | null;
}

/** "Автошколы (1–5 из 12):" and a numbered entry per school; `first` is the first entry's number. */
export function schoolsList(lang: Language, items: SchoolLine[], first: number, total: number): string {
  const d = t(lang);
  const terms = (s: SchoolLine) => (s.kind === "practice" ? d.schoolTermsPractice(formatKzt(s.minPriceKzt), s.hours ?? null) : d.schoolTerms(formatKzt(s.minPriceKzt), s.durationWeeks));
  const lines = items.map((s, i) => d.schoolLine(first + i, escapeHtml(inLanguage(lang, s.name, s.nameKk)), terms(s), escapeHtml(inLanguage(lang, s.address, s.addressKk)), d.trust(s.trust)));
  return `${d.schoolsTitle(first, first + items.length - 1, total)}\n\n${lines.join("\n\n")}`;
}

/** How long "what's included" may be on the card: the summary before Confirm shows it in full. */
export const CARD_INCLUDES_LIMIT = 100;

/**
 * A school's card with the offers the student may apply to, each in its kind's words with what
 * its price includes (a button cannot carry that); without offers it says so. It always fits one
 * Telegram message: each "what's included" is cut at CARD_INCLUDES_LIMIT and the description gets
 * what room is left (a school may write 2000 characters of it and list any number of offers).
 */
export function schoolCard(
  lang: Language,
  s: { name: string; address: string; phone: string; description: string; nameKk: string; addressKk: string; descriptionKk: string; trust: number | null; trustIndex?: IndexResult | null },
  offers: OfferFacts[],
): string {
  const d = t(lang);
  const trust = [d.trust(s.trust), ...(s.trust === null ? [] : trustParts(lang, s.trustIndex))].join("\n");
  const [name, address] = [inLanguage(lang, s.name, s.nameKk), inLanguage(lang, s.address, s.addressKk)];
  const compose = (description: string, offerLines: string) =>
    `${d.schoolCard(escapeHtml(name), escapeHtml(address), escapeHtml(formatPhone(s.phone)), description, trust)}\n\n${offerLines}`;
  const line = (o: OfferFacts, withIncludes: boolean) => {
    const includes = inLanguage(lang, o.includes, o.includesKk);
    return `• ${escapeHtml(offerLabel(lang, o))}${withIncludes && includes ? `\n   ${d.offerIncludes(escapedWithin(includes, CARD_INCLUDES_LIMIT))}` : ""}`;
  };
  let offerLines = offers.length ? offers.map((o) => line(o, true)).join("\n") : d.noOffers;
  // Hundreds of offers leave no room even without a description: then only their lines (the buttons name each too).
  if (compose("", offerLines).length > TELEGRAM_TEXT_LIMIT) offerLines = fitLines(offers.map((o) => line(o, false)), TELEGRAM_TEXT_LIMIT - compose("", "").length);
  const room = TELEGRAM_TEXT_LIMIT - compose("", offerLines).length;
  return compose(escapedWithin(inLanguage(lang, s.description, s.descriptionKk), Math.max(0, room)), offerLines);
}

/** As many whole lines as fit in `room` characters, then "…". */
function fitLines(lines: string[], room: number): string {
  let out = "";
  for (const l of lines) {
    const next = out ? `${out}\n${l}` : l;
    if (next.length + 2 > room) return out ? `${out}\n…` : "…";
    out = next;
  }
  return out;
}

/** The offer's kind; none, or a value the dictionaries do not know (the column is text), reads as a course. */
const kindOf = (o: { kind?: string | null }): OfferKind => (o.kind && Object.hasOwn(t("ru").offerKindNames, o.kind) ? (o.kind as OfferKind) : "full_course");

/**
 * One offer in its kind's words (a button's label too: no markup in it): "B, Очно — 180 000 ₸, 10 нед.",
 * "Практика B, 10 ч — 8 000 ₸", "Подготовка к теории B — 25 000 ₸, 2 нед.".
 */
export function offerLabel(lang: Language, o: OfferFacts): string {
  const d = t(lang);
  const words = { category: o.category, format: nameOf(d.formatNames, o.format) ?? o.format, price: formatKzt(o.priceKzt), weeks: o.durationWeeks, hours: o.hours };
  return d.offerLine[kindOf(o)](words);
}

/** What a school application is for, as far as the course goes (the offer's kind: null when unknown). */
export interface CourseFacts {
  kind?: string | null;
  category: string | null;
  format: string | null;
}

/**
 * What a school application is for, short: "B, Очно" for a full course, "Практика вождения, B",
 * "Подготовка к теоретическому экзамену, B, Теория онлайн": a practice offer's format says
 * nothing, so it is left out. Plain text (the caller escapes for its markup).
 */
export function courseName(lang: Language, o: CourseFacts): string {
  const d = t(lang);
  const kind = kindOf(o);
  const format = kind === "practice" || !o.format ? null : (nameOf(d.formatNames, o.format) ?? o.format);
  return [kind === "full_course" ? null : d.offerKindNames[kind], o.category, format].filter(Boolean).join(", ");
}


/** "автошкола «Жол»" for a name that does not say so itself; the name as written when it does. */
export function schoolTitle(lang: Language, schoolName: string): string {
  return namesItself(schoolName) ? escapeHtml(schoolName) : t(lang).fromSchool(escapeHtml(schoolName));
}

const whereFrom = (lang: Language, i: Pick<InstructorFacts, "schoolName" | "schoolNameKk">) => (i.schoolName ? schoolTitle(lang, inLanguage(lang, i.schoolName, i.schoolNameKk ?? "")) : t(lang).independent);

/** "Категории: B, C · Коробка: механика", categories in the law's order whatever order they were typed in. */
function teaches(lang: Language, i: Pick<InstructorFacts, "categories" | "transmission">): string {
  const d = t(lang);
  // Only known codes come out of inLicenceOrder: nothing typed reaches the markup.
  const categories = inLicenceOrder(i.categories).join(", ");
  return d.instructorTeaches(categories, escapeHtml(nameOf(d.transmissionNames, i.transmission) ?? i.transmission));
}

/** "Инструкторы (1–5 из 7):" and a numbered entry per instructor. */
export function instructorsList(lang: Language, items: InstructorFacts[], first: number, total: number): string {
  const d = t(lang);
  const lines = items.map((i, n) =>
    d.instructorLine(first + n, escapeHtml(i.name), escapeHtml(i.car), formatKzt(i.pricePerHourKzt), teaches(lang, i), whereFrom(lang, i), d.rating(i.rating)),
  );
  return `${d.instructorsTitle(first, first + items.length - 1, total)}\n\n${lines.join("\n\n")}`;
}

/**
 * An instructor's card; `meetingPoint` (where lessons start, in Russian and Kazakh: the reader's
 * language or else the other) is a line under the school when the instructor set one.
 */
export function instructorCard(lang: Language, i: InstructorFacts & { trustIndex?: IndexResult | null; meetingPoint: string; meetingPointKk: string }): string {
  const d = t(lang);
  const rating = [d.rating(i.rating), ...(i.rating === null ? [] : trustParts(lang, i.trustIndex))].join("\n");
  const place = inLanguage(lang, i.meetingPoint, i.meetingPointKk).trim();
  const where = place ? `${whereFrom(lang, i)}\n${d.instructorMeetingPoint(escapeHtml(place))}` : whereFrom(lang, i);
  return d.instructorCard(escapeHtml(i.name), escapeHtml(i.car), teaches(lang, i), formatKzt(i.pricePerHourKzt), where, rating);
}

/**
 * The trust index's two strongest and two weakest parts in plain words (issue 16), one line each
 * ("Сильные стороны: отвечает в среднем за 12 мин, …"). Only parts that rest on data are named;
 * nothing when the index is unknown. Shown only with a number: while the "мало данных" rule holds
 * the card says so instead.
 */
export function trustParts(lang: Language, index: IndexResult | null | undefined): string[] {
  if (!index) return [];
  const d = t(lang);
  const { strong, weak } = strongestAndWeakest(index.components, 2);
  const words = (c: IndexComponent): string | null => {
    const m = c.measure;
    if (m == null) return null;
    const pct = Math.round(100 * m);
    switch (c.key) {
      case "speed":
        return d.trustPart.speed(formatDuration(m)[lang]);
      case "answered":
      case "confirmed":
      case "accepted":
      case "paid":
      case "kept":
        return d.trustPart[c.key](pct);
      case "reviews":
        return d.trustPart.reviews(formatRating(m, lang));
      default:
        return null;
    }
  };
  const list = (cs: IndexComponent[]) => cs.map(words).filter((w): w is string => w != null).join(", ");
  const lines: string[] = [];
  if (list(strong)) lines.push(d.trustStrong(list(strong)));
  if (list(weak)) lines.push(d.trustWeak(list(weak)));
  return lines;
}

/** "ср, 27 нояб., 09:00" for a slot, or "Утром" for a part of the day: what the student asked for. */
export function lessonTime(lang: Language, at: { startsAt: Date; timeZone: string } | { daypart: string }): string {
  // A part of the day by its key; any other stored wish (a waitlist's "лист ожидания: …") as written.
  if ("daypart" in at) return nameOf(t(lang).dayparts, at.daypart) ?? at.daypart;
  return `${formatDay(at.startsAt, lang, at.timeZone)}, ${formatTime(at.startsAt, at.timeZone)}`;
}

/** What the student asks an instructor for: the time (or wish) in words, the hourly price, the slot's length if a slot. */
export interface LessonFacts {
  instructor: string;
  when: string;
  pricePerHourKzt: number;
  /** The slot's length; null without a slot (a part of the day, a waitlist wish). */
  minutes: number | null;
  /** The licence category the student chose (an instructor's link skips the question: null). */
  category?: string | null;
}

/**
 * The summary before Confirm, everything the student signs up for: to a school, the offer's kind,
 * duration (weeks, or hours of driving), price and what it includes; to an instructor, the time
 * with the slot's length, the price per hour and the slot's total.
 */
export function applicationSummary(lang: Language, a: { studentName: string; phone: string } & ({ school: string; offer: OfferFacts } | LessonFacts)): string {
  const d = t(lang);
  const who = { name: escapeHtml(a.studentName), phone: escapeHtml(formatPhone(a.phone)) };
  if ("school" in a) {
    const o = a.offer;
    return d.summarySchool({
      ...who,
      school: d.summarySchoolLine(escapeHtml(a.school), namesItself(a.school)),
      // The summary names every kind, a full course too: "Полный курс, B, Очно".
      course: escapeHtml(kindOf(o) === "full_course" ? `${d.offerKindNames.full_course}, ${courseName(lang, o)}` : courseName(lang, o)),
      duration: d.summaryDuration(kindOf(o) === "practice" ? null : o.durationWeeks, o.hours),
      price: formatKzt(o.priceKzt),
      includes: escapeHtml(inLanguage(lang, o.includes, o.includesKk)),
    });
  }
  const perHour = formatKzt(a.pricePerHourKzt);
  const time = a.minutes ? d.slotLength(a.when, a.minutes) : a.when;
  const price = a.minutes ? d.slotPrice(perHour, a.minutes, formatKzt(lessonPriceKzt(a.pricePerHourKzt, a.minutes))) : d.hourPrice(perHour);
  return d.summaryInstructor({ ...who, instructor: escapeHtml(a.instructor), category: a.category ?? "", time, price });
}

/**
 * What the application is for, in the WhatsApp greeting and the {курс} placeholder: "B, Очно",
 * "Практика вождения, B" (`offerKind`: the kind of its offer, school_offers.kind) or
 * "автомат, ср, 27 нояб., 09:00".
 */
export function courseOf(
  lang: Language,
  a: { kind: "school" | "instructor"; category: string | null; format: string | null; transmission: string | null; offerKind?: string | null },
  when: string,
): string {
  const d = t(lang);
  const transmission = nameOf(d.transmissionNames, a.transmission) ?? a.transmission;
  return a.kind === "school" ? courseName(lang, { kind: a.offerKind, category: a.category, format: a.format }) : when ? `${transmission}, ${when}` : String(transmission ?? "");
}

/** After Confirm: the number, the school's or instructor's contacts, and what happens next. */
export function submitted(lang: Language, number: string, target: { name: string; address: string; phone: string } | null, heading = t(lang).submitted(number)): string {
  const d = t(lang);
  if (!target) return heading;
  return `${heading}\n\n${d.contactsOf(escapeHtml(target.name), escapeHtml(target.address), escapeHtml(formatPhone(target.phone)))}\n\n${d.whatNext}`;
}
