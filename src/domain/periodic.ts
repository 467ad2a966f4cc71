// A background job that runs a round of work every few seconds (or hours) until stopped: the
// index refresher and the housekeeper. A failed round is logged and the next one tries again;
// stop() cuts the pause short and waits for a round in progress.
import { log } from "../log.ts";

export interface Periodic {
  stop(): Promise<void>;
}

/** `work` gets `running()` to end a long round early once stop() was called. */
export function periodic(name: string, everyMs: number, work: (running: () => boolean) => Promise<unknown>, firstAfterMs = 0): Periodic {
  let running = true;
  let wake: () => void = () => {};
  // No pause once stopped: a stop() during a round must not wait out the next pause.
  const pause = (ms: number) =>
    running
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => (clearTimeout(timer), resolve());
        })
      : Promise.resolve();
  const loop = (async () => {
    await pause(firstAfterMs);
    while (running) {
      try {
        await work(() => running);
      } catch (err) {
        log.warn(`${name} failed; will retry`, { err: err as Error });
      }
      await pause(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      wake();
      await loop;
    },
  };
}
