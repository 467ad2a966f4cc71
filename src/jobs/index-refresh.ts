// Recomputes the indexes marked dirty (src/domain/index-refresh.ts) every few seconds; a round
// goes on while there are marks left, and ends between batches once stopped.
import type { Db } from "../db/client.ts";
import { refreshDirty } from "../domain/index-refresh.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

export function indexRefresher(db: Db, opts: { everyMs?: number; now?: () => Date; sleep?: Sleep } = {}): Loop {
  const now = opts.now ?? (() => new Date());
  return loop({
    name: "index refresh",
    everyMs: opts.everyMs ?? 5000,
    sleep: opts.sleep,
    async round(running) {
      while (running() && (await refreshDirty(db, now())) > 0);
    },
  });
}
