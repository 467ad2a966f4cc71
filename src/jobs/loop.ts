// The one lifecycle of every background loop (outbox delivery, index refresh, housekeeping, the
// bot's polling): start, run a round, pause, again, until stopped. What each of them needs and
// once got wrong on its own:
//  - stop() ends the pause at once and waits only for the round in hand; once stopped there is no
//    pause at all (a stop during a retried update once waited out a 30 s backoff, and SIGTERM hit
//    its 10 s limit in CI);
//  - a round can read `running()` to end a long round early;
//  - a failed round never ends the loop: it is reported and retried after a pause;
//  - wake() cuts the current pause short (new work arrived);
//  - the pause is an injectable sleep, so tests never really wait an hour (or a backoff).
import { log } from "../log.ts";

/** Waits `ms`, or less when `signal` aborts (at once if it already has). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => (clearTimeout(timer), signal.removeEventListener("abort", done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

export interface LoopOptions {
  /** Names the loop in log lines. */
  name: string;
  /** The pause between rounds when a round does not say otherwise. */
  everyMs: number;
  /** The pause before the first round (start-up has other work to do). */
  firstAfterMs?: number;
  /** One round of work; returns the pause before the next one (ms), or nothing for `everyMs`. */
  round(running: () => boolean): Promise<number | void>;
  /** A round threw: report it and return the pause before the next try. Default: a warning, `everyMs`. */
  onError?(err: unknown, running: () => boolean): number | void;
  sleep?: Sleep;
}

export interface Loop {
  readonly name: string;
  /** Starts the rounds (again, after a stop); a no-op while running. */
  start(): void;
  /** The next round now, instead of after the pause in progress. */
  wake(): void;
  /** No round after the one in hand, no pause: resolves when that round has ended. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export function loop(opts: LoopOptions): Loop {
  const sleep = opts.sleep ?? realSleep;
  let running = false;
  let pausing: AbortController | null = null;
  let woken = false; // wake() during a round: no pause after it
  let done: Promise<void> = Promise.resolve();
  const isRunning = () => running;

  async function pause(ms: number): Promise<void> {
    if (!running || woken) return void (woken = false);
    if (ms <= 0) return;
    pausing = new AbortController();
    await sleep(ms, pausing.signal);
    pausing = null;
  }

  async function run(): Promise<void> {
    await pause(opts.firstAfterMs ?? 0);
    while (running) {
      let next: number | void;
      try {
        next = await opts.round(isRunning);
      } catch (err) {
        next = opts.onError ? opts.onError(err, isRunning) : (log.warn(`${opts.name} failed; will retry`, { err: err as Error }), undefined);
      }
      await pause(next ?? opts.everyMs);
    }
  }

  return {
    name: opts.name,
    start() {
      if (running) return;
      running = true;
      // After a stop whose round is still in hand: that run goes on (one loop, never two).
      done = done.then(run);
    },
    wake() {
      if (pausing) pausing.abort();
      else woken = true;
    },
    async stop() {
      running = false;
      pausing?.abort();
      await done;
    },
    get running() {
      return running;
    },
  };
}

/** Doubling pauses for retries: first, 2×first, … up to max; reset() after a success. */
export function backoff(firstMs: number, maxMs: number) {
  let nextMs = firstMs;
  return {
    /** The pause to take now; the one after it doubles. */
    next(): number {
      const ms = nextMs;
      nextMs = Math.min(nextMs * 2, maxMs);
      return ms;
    },
    reset: () => void (nextMs = firstMs),
  };
}

/** Several loops started and stopped together (server.ts's background jobs). */
export function loops(all: Loop[]) {
  return {
    start: () => all.forEach((l) => l.start()),
    stop: () => Promise.all(all.map((l) => l.stop())).then(() => {}),
  };
}
