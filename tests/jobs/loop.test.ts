// The lifecycle every background loop shares (src/jobs/loop.ts), on a fake sleep: the tests
// see every pause asked for and end it when they choose, so nothing here really waits.
import { describe, expect, test } from "bun:test";
import { backoff, loop, type Sleep } from "../../src/jobs/loop.ts";

/** A sleep the test drives: `pauses` lists what was asked, `elapse()` ends the current one. */
function fakeSleep() {
  const pauses: number[] = [];
  let end: (() => void) | null = null;
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      pauses.push(ms);
      if (signal.aborted) return resolve();
      end = () => ((end = null), resolve());
      signal.addEventListener("abort", () => end?.(), { once: true });
    });
  return { sleep, pauses, elapse: () => end?.(), get sleeping() { return end !== null; } };
}

const tick = () => Bun.sleep(1);
const HOUR = 3_600_000;

describe("loop", () => {
  test("a round at once, then the pause asked for; stop() ends the pause at once", async () => {
    const clock = fakeSleep();
    let rounds = 0;
    const job = loop({ name: "test", everyMs: HOUR, round: async () => void rounds++, sleep: clock.sleep });
    job.start();
    await tick();
    expect(rounds).toBe(1);
    expect(clock.pauses).toEqual([HOUR]);
    expect(clock.sleeping).toBe(true);
    await job.stop(); // would hang if it waited out the (fake, never-ending) hour
    expect(rounds).toBe(1);
    expect(job.running).toBe(false);
  });

  test("the pause is what the round returns; elapse() leads to the next round", async () => {
    const clock = fakeSleep();
    let rounds = 0;
    const job = loop({ name: "test", everyMs: HOUR, round: async () => (++rounds === 1 ? 5 : undefined), sleep: clock.sleep });
    job.start();
    await tick();
    clock.elapse();
    await tick();
    expect(rounds).toBe(2);
    expect(clock.pauses).toEqual([5, HOUR]);
    await job.stop();
  });

  test("a first pause before the first round, also ended by stop()", async () => {
    const clock = fakeSleep();
    let rounds = 0;
    const job = loop({ name: "test", everyMs: HOUR, firstAfterMs: HOUR, round: async () => void rounds++, sleep: clock.sleep });
    job.start();
    await tick();
    expect(clock.pauses).toEqual([HOUR]);
    await job.stop();
    expect(rounds).toBe(0);
  });

  test("stop() during a round waits for it and tells it to end; no pause and no round after", async () => {
    const clock = fakeSleep();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: boolean[] = [];
    const job = loop({
      name: "test",
      everyMs: 1,
      round: async (running) => {
        await held;
        seen.push(running());
        return 30_000; // a backoff: must not be waited out once stopped
      },
      sleep: clock.sleep,
    });
    job.start();
    await tick();
    let done = false;
    const stopped = job.stop().then(() => (done = true));
    await tick();
    expect(done).toBe(false); // the round is still in hand
    release();
    await stopped;
    expect(seen).toEqual([false]);
    expect(clock.pauses).toEqual([]); // the 30 s was never asked for
  });

  test("wake() cuts the pause short, and a wake during a round skips the next pause", async () => {
    const clock = fakeSleep();
    let rounds = 0;
    let release: (() => void) | null = null;
    const job = loop({
      name: "test",
      everyMs: HOUR,
      round: async () => {
        if (++rounds === 2) await new Promise<void>((r) => (release = r));
      },
      sleep: clock.sleep,
    });
    job.start();
    await tick();
    job.wake(); // during the hour's pause
    await tick();
    expect(rounds).toBe(2);
    job.wake(); // during round 2
    release!();
    await tick();
    expect(rounds).toBe(3);
    expect(clock.pauses).toEqual([HOUR, HOUR]); // no pause between rounds 2 and 3
    await job.stop();
  });

  test("a failed round is reported and retried after the pause onError returns", async () => {
    const clock = fakeSleep();
    const errors: string[] = [];
    let rounds = 0;
    const job = loop({
      name: "test",
      everyMs: HOUR,
      round: async () => {
        if (++rounds === 1) throw new Error("database away");
      },
      onError: (err) => (errors.push((err as Error).message), 7),
      sleep: clock.sleep,
    });
    job.start();
    await tick();
    expect(errors).toEqual(["database away"]);
    expect(clock.pauses).toEqual([7]);
    clock.elapse();
    await tick();
    expect(rounds).toBe(2);
    await job.stop();
  });

  test("start() after stop() runs again, one loop only", async () => {
    const clock = fakeSleep();
    let rounds = 0;
    const job = loop({ name: "test", everyMs: HOUR, round: async () => void rounds++, sleep: clock.sleep });
    job.start();
    await tick();
    await job.stop();
    job.start();
    job.start(); // a no-op while running
    await tick();
    expect(rounds).toBe(2);
    await job.stop();
  });

  test("the real sleep: stop() does not wait out an hour", async () => {
    const job = loop({ name: "test", everyMs: HOUR, round: async () => {} });
    job.start();
    await Bun.sleep(10);
    const stopped = job.stop().then(() => "stopped");
    expect(await Promise.race([stopped, Bun.sleep(500).then(() => "waiting out the hour")])).toBe("stopped");
  });
});

describe("backoff", () => {
  test("doubles up to the cap; reset() starts over", () => {
    const b = backoff(1000, 5000);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([1000, 2000, 4000, 5000, 5000]);
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
