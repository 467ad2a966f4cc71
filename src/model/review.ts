// Reviews (issue 16): the rules of a student's rating of a school or an instructor. Pure.
import { addDays, localDate, localToUtc } from "./time.ts";

export const MIN_RATING = 1;
export const MAX_RATING = 5;
/** A review's comment, and the school's public answer, are at most this long. */
export const MAX_REVIEW_TEXT = 1000;
/** Unanswered review requests get one reminder this long after the first ask. */
export const REVIEW_REMINDER_MS = 3 * 24 * 60 * 60 * 1000;

export function isRating(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= MIN_RATING && n <= MAX_RATING;
}

/** The local hour a review request is sent (the day after the application finished): polite, awake, not at work yet for most. */
export const REVIEW_ASK_HOUR = 11;
/** How many visible comments the bot's card shows, newest first. */
export const CARD_REVIEWS = 3;
/** A comment (and the school's answer under it) on the bot's card is cut at this length: the card must fit one message. */
export const CARD_COMMENT_LIMIT = 200;

/**
 * When to ask for a review of an application that finished at `finishedAt`: the next local day
 * (the zone of src/model/time.ts) at REVIEW_ASK_HOUR. A course completed at 23:50 is not asked
 * about at midnight, and one completed in the morning is asked the next day, not an hour later.
 */
export function reviewDueAt(finishedAt: Date, zone: string): Date {
  const day = addDays(localDate(zone, finishedAt), 1);
  return localToUtc(zone, day.y, day.m, day.d, REVIEW_ASK_HOUR);
}

/** Made once: a NumberFormat costs ~10 µs to build, more than the formatting (every school card shows a rating). */
const RATING_FORMATS = {
  ru: new Intl.NumberFormat("ru-RU", { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  kk: new Intl.NumberFormat("kk-KZ", { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};

/** The average rating as people read it: one decimal, the language's decimal comma ("4,5"). */
export function formatRating(average: number, lang: "ru" | "kk"): string {
  return RATING_FORMATS[lang].format(average);
}
