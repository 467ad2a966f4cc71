// The background jobs of one instance, started and stopped together by server.ts: the outbox
// delivery (with a bot), the index refresher, the housekeeper, and the lesson schedule's jobs
// (rolling slot generation, waitlist offers, reminders). Each is built on loop.ts.
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { housekeeper } from "./housekeeping.ts";
import { indexRefresher } from "./index-refresh.ts";
import { loops, type Loop } from "./loop.ts";
// Rolling availability (issue 15): slots kept generated SLOT_HORIZON_DAYS ahead.
import { slotGenerator } from "./slot-generation.ts";
// Waitlist (issue 15): freed times offered every minute.
import { waitlistOfferer } from "./waitlist.ts";
// Reminders (issue 15): due lesson reminders enqueued every minute.
import { reminderSender } from "./reminders.ts";
// Reviews (issue 16): due review questions and their one reminder, every minute.
import { reviewRequester } from "./review-requests.ts";

export function backgroundJobs(db: Db, bot: { delivery: Loop | null }, config: Config) {
  return loops([
    ...(bot.delivery ? [bot.delivery] : []),
    indexRefresher(db),
    housekeeper(db),
    slotGenerator(db, config),
    waitlistOfferer(db, { timeZone: config.timeZone }),
    reminderSender(db, { timeZone: config.timeZone }),
    reviewRequester(db, { timeZone: config.timeZone }),
  ]);
}
