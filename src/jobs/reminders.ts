// Sends due lesson reminders (src/domain/lesson-reminders.ts) every minute, on every instance:
// the claim in the database makes each reminder go once however many instances run. A round that
// hit its batch limit is followed by another at once. The clock and the pause are injectable, so
// tests step through a day without waiting for it.
import { reminderButtons } from "../bot/callback-data.ts";
import type { Db } from "../db/client.ts";
import { sendDueReminders } from "../domain/lesson-reminders.ts";
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

export function reminderSender(
  db: Db,
  opts: { timeZone?: string; everyMs?: number; firstAfterMs?: number; limit?: number; now?: () => Date; sleep?: Sleep } = {},
): Loop {
  const now = opts.now ?? (() => new Date());
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  return loop({
    name: "lesson reminders",
    everyMs: opts.everyMs ?? 60_000,
    firstAfterMs: opts.firstAfterMs ?? 5_000,
    sleep: opts.sleep,
    round: async () => ((await sendDueReminders(db, now(), { timeZone, limit: opts.limit, buttons: reminderButtons })).full ? 0 : undefined),
  });
}
