// The texts of the flow's screens that show the catalog (schools, offers, instructors) and the
// application being made: everything a school or instructor typed is escaped here. The flow
// (src/bot/flows/) picks the screen and its buttons; these say what the screen reads.
import type { Language } from "../db/schema.ts";
import { formatDay, formatTime } from "../i18n/format.ts";
import { formatKzt } from "../model/money.ts";
import { nameOf, t } from "../i18n/index.ts";
import { escapeHtml } from "./html.ts";
import { inLicenceOrder } from "../model/licence.ts";

export interface SchoolLine {
  name: string;
  address: string;
  minPriceKzt: number;
  durationWeeks: number;
  trust: number | null;
}

export interface OfferFacts {
  category: string;
  format: string;
  priceKzt: number;
  durationWeeks: number;
}

export interface InstructorFacts {
  name: string;
  car: string;
  pricePerHourKzt: number;
  transmission: string;
  categories: string[];
  schoolName: string | null;
  rating: number | null;
}

/** "Автошколы (1–5 из 12):" and a numbered entry per school; `first` is the first entry's number. */
export function schoolsList(lang: Language, items: SchoolLine[], first: number, total: number): string {
  const d = t(lang);
  const lines = items.map((s, i) => d.schoolLine(first + i, escapeHtml(s.name), formatKzt(s.minPriceKzt), s.durationWeeks, escapeHtml(s.address), d.trust(s.trust)));
  return `${d.schoolsTitle(first, first + items.length - 1, total)}\n\n${lines.join("\n\n")}`;
}

/** A school's card; without offers it says so. */
export function schoolCard(lang: Language, s: { name: string; address: string; phone: string; description: string; trust: number | null }, hasOffers: boolean): string {
  const d = t(lang);
  const card = d.schoolCard(escapeHtml(s.name), escapeHtml(s.address), escapeHtml(s.phone), escapeHtml(s.description), d.trust(s.trust));
  return hasOffers ? card : `${card}\n\n${d.noOffers}`;
}

/** "B, Очно — 180 000 ₸, 10 нед." (a button's label too: no markup in it). */
export function offerLabel(lang: Language, o: OfferFacts): string {
  const d = t(lang);
  return d.offerLine(o.category, nameOf(d.formatNames, o.format) ?? o.format, formatKzt(o.priceKzt), o.durationWeeks);
}

const whereFrom = (lang: Language, schoolName: string | null) => (schoolName ? t(lang).fromSchool(escapeHtml(schoolName)) : t(lang).independent);

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
    d.instructorLine(first + n, escapeHtml(i.name), escapeHtml(i.car), formatKzt(i.pricePerHourKzt), teaches(lang, i), whereFrom(lang, i.schoolName), d.rating(i.rating)),
  );
  return `${d.instructorsTitle(first, first + items.length - 1, total)}\n\n${lines.join("\n\n")}`;
}

export function instructorCard(lang: Language, i: InstructorFacts): string {
  const d = t(lang);
  return d.instructorCard(escapeHtml(i.name), escapeHtml(i.car), teaches(lang, i), formatKzt(i.pricePerHourKzt), whereFrom(lang, i.schoolName), d.rating(i.rating));
}

/** "ср, 27 нояб., 09:00" for a slot, or "Утром" for a part of the day: what the student asked for. */
export function lessonTime(lang: Language, at: { startsAt: Date; timeZone: string } | { daypart: string }): string {
  // A part of the day by its key; any other stored wish (a waitlist's "лист ожидания: …") as written.
  if ("daypart" in at) return nameOf(t(lang).dayparts, at.daypart) ?? at.daypart;
  return `${formatDay(at.startsAt, lang, at.timeZone)}, ${formatTime(at.startsAt, at.timeZone)}`;
}

/** The summary before Confirm: to a school (with the offer) or to an instructor (with the time). */
export function applicationSummary(
  lang: Language,
  a: { studentName: string; phone: string } & ({ school: string; offer: OfferFacts } | { instructor: string; when: string }),
): string {
  const d = t(lang);
  const who = escapeHtml(a.studentName);
  const phone = escapeHtml(a.phone);
  if ("school" in a) return d.summarySchool(escapeHtml(a.school), offerLabel(lang, a.offer), who, phone);
  return d.summaryInstructor(escapeHtml(a.instructor), a.when, who, phone);
}

/** What the application is for, in the WhatsApp greeting: "B, Очно" or "автомат, ср, 27 нояб., 09:00". */
export function courseOf(lang: Language, a: { kind: "school" | "instructor"; category: string | null; format: string | null; transmission: string | null }, when: string): string {
  const d = t(lang);
  const transmission = nameOf(d.transmissionNames, a.transmission) ?? a.transmission;
  return a.kind === "school" ? `${a.category}, ${nameOf(d.formatNames, a.format) ?? a.format}` : when ? `${transmission}, ${when}` : String(transmission ?? "");
}

/** After Confirm: the number, the school's or instructor's contacts, and what happens next. */
export function submitted(lang: Language, number: string, target: { name: string; address: string; phone: string } | null, heading = t(lang).submitted(number)): string {
  const d = t(lang);
  if (!target) return heading;
  return `${heading}\n\n${d.contactsOf(escapeHtml(target.name), escapeHtml(target.address), escapeHtml(target.phone))}\n\n${d.whatNext}`;
}
