// The background loop shared by the index refresher and the housekeeper (src/domain/periodic.ts).
import { describe, expect, test } from "bun:test";
import { periodic } from "../../src/domain/periodic.ts";

const HOUR = 3_600_000;

describe("periodic", () => {
  test("runs a round at once, then not before its pause; stop() cuts the pause short", async () => {
    let rounds = 0;
    const job = periodic("test job", HOUR, async () => void rounds++);
    await Bun.sleep(20);
    expect(rounds).toBe(1);
    const stopped = job.stop().then(() => "stopped");
    expect(await Promise.race([stopped, Bun.sleep(500).then(() => "waiting out the hour")])).toBe("stopped");
  });

  test("a first pause before the first round, also cut short by stop()", async () => {
    let rounds = 0;
    const job = periodic("test job", HOUR, async () => void rounds++, HOUR);
    await Bun.sleep(20);
    await job.stop();
    expect(rounds).toBe(0);
  });

  test("stop() during a round waits for it and tells it to end; no round after", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: boolean[] = [];
    let rounds = 0;
    const job = periodic("test job", 1, async (running) => {
      rounds++;
      await held;
      seen.push(running());
    });
    await Bun.sleep(20);
    let done = false;
    const stopped = job.stop().then(() => (done = true));
    await Bun.sleep(20);
    expect(done).toBe(false); // the round is still in hand
    release();
    await stopped;
    expect(seen).toEqual([false]);
    expect(rounds).toBe(1);
  });

  test("a failed round is retried on the next one", async () => {
    let rounds = 0;
    const job = periodic("test job", 5, async () => {
      if (++rounds === 1) throw new Error("database away");
    });
    for (let i = 0; i < 100 && rounds < 2; i++) await Bun.sleep(10);
    await job.stop();
    expect(rounds).toBeGreaterThanOrEqual(2);
  });
});
