// The review block under the school's and the instructor's card in the bot (issue 16): average,
// count, the latest visible comments with the school's answer (notify/review.ts says how). Read
// through the catalog cache: a review written, answered or hidden bumps the catalog's version
// (migration 0017), so the card stays cached as before and is never older than the update's snapshot.
import type { ReviewSubject } from "../../domain/reviews.ts";
import { reviewBlock, withReviews } from "../../notify/review.ts";
import type { StepContext } from "../conversation.ts";

/** `card` with the review block of school or instructor `id` under it (unchanged when there are no reviews). */
export async function withReviewBlock(c: StepContext, kind: ReviewSubject, id: number, card: string): Promise<string> {
  const summary = await c.catalog.reviewSummary(kind, id);
  return withReviews(card, summary ? reviewBlock(c.student.language, kind, summary) : null);
}
