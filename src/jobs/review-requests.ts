// Asks students for reviews of their finished applications (src/domain/reviews.ts
// sendDueReviewRequests) every minute, on every instance: the rows are claimed in the database, so
// each question and its one reminder go once however many instances run. A round that hit its
// batch limit is followed by another at once. The clock and the pause are injectable, so tests
// step through days without waiting for them.
import { ratingButtons } from "../bot/callback-data.ts";
import type { Db } from "../db/client.ts";
import { sendDueReviewRequests } from "../domain/reviews.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

export function reviewRequester(db: Db, opts: { everyMs?: number; firstAfterMs?: number; limit?: number; now?: () => Date; sleep?: Sleep; timeZone?: string } = {}): Loop {
  const now = opts.now ?? (() => new Date());
  return loop({
    name: "review requests",
    everyMs: opts.everyMs ?? 60_000,
    firstAfterMs: opts.firstAfterMs ?? 7_000,
    sleep: opts.sleep,
    round: async () => ((await sendDueReviewRequests(db, now(), { limit: opts.limit, buttons: ratingButtons, timeZone: opts.timeZone })).full ? 0 : undefined),
  });
}
