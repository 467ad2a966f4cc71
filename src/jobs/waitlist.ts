// Offers freed times to waiting students (src/domain/waitlist.ts) every minute: whatever freed
// the time (a cancelled lesson, a released booking, a new slot) is picked up by the next round,
// and so is whatever took an offered time another way (the offer's students are told it is gone).
import { waitlistOfferData } from "../bot/callback-data.ts";
import type { Db } from "../db/client.ts";
import { offerFreedSlots, type OfferData, type OfferRound } from "../domain/waitlist.ts";
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

/** The offer's buttons as the bot parses them (bot/callback-data.ts, the one door). */
export const offerData: OfferData = (entry, slot, take) => waitlistOfferData.pack({ entry, slot, take: take ? 1 : 0 });

/** One round at `now` (what the loop runs; tests call it with their own clock). */
export function waitlistRound(db: Db, now: Date, timeZone: string): Promise<OfferRound> {
  return offerFreedSlots(db, now, { timeZone, offerData });
}

export function waitlistOfferer(db: Db, opts: { timeZone?: string; everyMs?: number; firstAfterMs?: number; now?: () => Date; sleep?: Sleep } = {}): Loop {
  const now = opts.now ?? (() => new Date());
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  return loop({
    name: "waitlist",
    everyMs: opts.everyMs ?? 60_000,
    firstAfterMs: opts.firstAfterMs ?? 30_000,
    sleep: opts.sleep,
    round: async () => void (await waitlistRound(db, now(), timeZone)),
  });
}
