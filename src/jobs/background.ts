// The background jobs of one instance, started and stopped together by server.ts: the outbox
// delivery (with a bot), the index refresher and the housekeeper. A new periodic job (reminders)
// is one more entry here, built on loop.ts.
import type { Db } from "../db/client.ts";
import { housekeeper } from "./housekeeping.ts";
import { indexRefresher } from "./index-refresh.ts";
import { loops, type Loop } from "./loop.ts";
// ---- reminders (issue 15) ----
import { reminderSender } from "./reminders.ts";

export function backgroundJobs(db: Db, bot: { delivery: Loop | null }, opts: { timeZone?: string } = {}) {
  return loops([...(bot.delivery ? [bot.delivery] : []), indexRefresher(db), housekeeper(db), reminderSender(db, { timeZone: opts.timeZone })]);
}
