// Keeps every active instructor's slots generated from their weekly template a fixed number of
// local days ahead (SLOT_HORIZON_DAYS), so the bot always has real times to offer, not only the
// day the template was saved plus two weeks. One round is one statement (src/domain/availability.ts
// generateSlots for "all"): days off stay empty, cancelled slots stay cancelled, and a second
// round adds nothing. Several instances may run this job at once: that stays correct, because
// the insert is idempotent (on conflict (instructor_id, starts_at) do nothing) and needs no lock.
// Every hour, the first time about 30 s after start (start-up has other work to do).
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { generateSlots } from "../domain/availability.ts";
import { log } from "../log.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

/** One round: generates the horizon for every active instructor with a template; returns how many slots are new. */
export async function generateAhead(db: Db, config: Pick<Config, "timeZone" | "slotHorizonDays">, now: Date): Promise<number> {
  const { created } = await generateSlots(db, "all", { from: now, days: config.slotHorizonDays, timeZone: config.timeZone });
  if (created) log.info("slots generated ahead", { created, days: config.slotHorizonDays });
  return created;
}

export function slotGenerator(
  db: Db,
  config: Pick<Config, "timeZone" | "slotHorizonDays">,
  opts: { everyMs?: number; firstAfterMs?: number; now?: () => Date; sleep?: Sleep } = {},
): Loop {
  const now = opts.now ?? (() => new Date());
  return loop({
    name: "slot generation",
    everyMs: opts.everyMs ?? 3_600_000,
    firstAfterMs: opts.firstAfterMs ?? 30_000,
    sleep: opts.sleep,
    round: async () => void (await generateAhead(db, config, now())),
  });
}
