// Reviews (issue 16): the rules of a student's rating of a school or an instructor. Pure.

export const MIN_RATING = 1;
export const MAX_RATING = 5;
/** A review's comment, and the school's public answer, are at most this long. */
export const MAX_REVIEW_TEXT = 1000;
/** Unanswered review requests get one reminder this long after the first ask. */
export const REVIEW_REMINDER_MS = 3 * 24 * 60 * 60 * 1000;

export function isRating(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= MIN_RATING && n <= MAX_RATING;
}
