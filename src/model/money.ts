// Tenge amounts: how they are written for people and read back from a form. Amounts are whole
// tenge (prices are never quoted in tiyn).

/** A narrow no-break space between thousands: a price never wraps inside itself, in a chat or a table cell. */
const GROUP = "\u202f";

/** 180000 → "180 000 ₸" (thousands split by a narrow no-break space, as Kazakh price tags do). */
export function formatKzt(amount: number): string {
  return `${Math.round(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, GROUP)} ₸`;
}

/** How people write "tenge" after a number in a chat: "150 000 тг", "150000 тенге", "150 000 теңге". */
const TENGE_WORD = /(тг|тенге|теңге|kzt)\.?\s*$/i;

/** A whole number of tenge from 0 to `max`, written with or without spaces, ₸ or "тг" ("180 000 ₸"), or null. */
export function parseAmount(raw: string, max: number): number | null {
  const s = raw.trim().replace(TENGE_WORD, "").replace(/[\s\u00a0\u202f₸]/g, "");
  if (!/^\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

/** What a lesson of `minutes` costs at an hourly price, in whole tenge (90 min at 9 000 ₸/h → 13 500). */
export function lessonPriceKzt(pricePerHourKzt: number, minutes: number): number {
  return Math.round((pricePerHourKzt * minutes) / 60);
}
