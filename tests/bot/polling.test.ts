// The polling loop on its own (src/bot/polling.ts), over the fake Bot API, with a handler we hold:
// what stop() does while an update is being handled, and how it backs off (on a fake sleep).
import { afterAll, describe, expect, test } from "bun:test";
import type { Bot } from "gramio";
import { createPoller, type RetryMarks, type TelegramUpdate } from "../../src/bot/polling.ts";
import type { Sleep } from "../../src/jobs/loop.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";

const tg = await startFakeTelegram();
afterAll(() => tg.stop());

/** A stand-in for GramIO's router: our loop only calls bot.updates.handleUpdate. */
function heldBot(onUpdate: (u: TelegramUpdate) => Promise<void>) {
  return { updates: { handleUpdate: onUpdate } } as unknown as Bot;
}

describe("the poller's stop", () => {
  test("during an update that must be retried: returns at once, without the retry's backoff, and does not confirm it", async () => {
    const retry: RetryMarks = new Set();
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const poller = createPoller(
      heldBot(async (u) => {
        started();
        await held;
        retry.add(u.update_id); // as the bot does when the database was away
      }),
      tg.apiRoot,
      tg.token,
      retry,
    );
    const id = tg.sendText({ id: 5101, first_name: "P" }, "/start");
    poller.start();
    await inHandler;
    const stopped = poller.stop().then(() => "stopped");
    release();
    // The first backoff is 1 s: a stop that waited it out would lose this race.
    expect(await Promise.race([stopped, Bun.sleep(700).then(() => "still pausing")])).toBe("stopped");
    // Not handled, so not confirmed: Telegram hands it to the next poller.
    expect(tg.pending()).toBe(1);
    expect(retry.has(id)).toBe(false);
  });
});

describe("the poller's backoff", () => {
  test("a failing getUpdates pauses 1 s, 2 s, … or Telegram's retry_after; a handled batch starts over", async () => {
    const pauses: number[] = [];
    const sleep: Sleep = async (ms) => void pauses.push(ms); // records the pause, never waits it
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await Bun.sleep(10);
    };
    const handled: number[] = [];
    const poller = createPoller(heldBot(async (u) => void handled.push(u.update_id)), tg.apiRoot, tg.token, new Set(), undefined, { sleep });
    tg.failNext("getUpdates", { code: 500 }, 2);
    tg.failNext("getUpdates", { code: 429, retryAfter: 3 });
    poller.start();
    await until(() => pauses.length === 3);
    expect(pauses).toEqual([1000, 2000, 3000]);
    const id = tg.sendText({ id: 5102, first_name: "P" }, "/start");
    await until(() => handled.includes(id));
    tg.failNext("getUpdates", { code: 502 });
    await until(() => pauses.length === 4);
    expect(pauses[3]).toBe(1000); // reset by the handled batch
    await poller.stop();
    expect(tg.pending()).toBe(0); // confirmed on stop
  });
});
