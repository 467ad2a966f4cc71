// Ids written together a moment later: one statement (and one commit) per batch instead of one
// per update. Sent replies are marked this way (replies.ts SentMarks), and handled updates leave
// the inbox this way (polling.ts). A write that fails (the database is away) keeps its ids for
// the next try; what a crash loses is at most one batch of writes that are safe to lose.
import { log } from "../log.ts";

export class IdBatch {
  private ids: number[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private write: (ids: number[]) => Promise<void>,
    /** Names the batch in the warning when a write fails. */
    private what: string,
    private everyMs = 200,
  ) {}

  add(ids: number[]): void {
    if (!ids.length) return;
    this.ids.push(...ids);
    this.timer ??= setTimeout(() => void this.flush(), this.everyMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.ids.splice(0);
    if (!ids.length) return;
    try {
      await this.write(ids);
    } catch (err) {
      this.ids.unshift(...ids);
      this.timer ??= setTimeout(() => void this.flush(), 1000);
      log.warn(`could not write ${this.what}; will retry`, { count: ids.length, err: err as Error });
    }
  }
}
