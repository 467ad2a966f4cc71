// Deletes bookkeeping rows that have done their job (src/domain/housekeeping.ts) every hour, the
// first time a minute after start (start-up has other work to do).
import type { Db } from "../db/client.ts";
import { pruneOnce } from "../domain/housekeeping.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

export function housekeeper(db: Db, opts: { everyMs?: number; firstAfterMs?: number; now?: () => Date; sleep?: Sleep } = {}): Loop {
  const now = opts.now ?? (() => new Date());
  return loop({
    name: "housekeeping",
    everyMs: opts.everyMs ?? 3_600_000,
    firstAfterMs: opts.firstAfterMs ?? 60_000,
    sleep: opts.sleep,
    round: async (running) => void (await pruneOnce(db, now(), 5000, running)),
  });
}
