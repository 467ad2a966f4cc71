// The polling loop on its own (src/bot/polling.ts), over the fake Bot API and a real database,
// with a handler we hold: what stop() does while an update is being handled, how it backs off
// (on a fake sleep), and what the inbox keeps for the next poller.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { Bot } from "gramio";
import { createPoller, type RetryMarks, type TelegramUpdate } from "../../src/bot/polling.ts";
import { queryRows } from "../../src/db/client.ts";
import type { Sleep } from "../../src/jobs/loop.ts";
import { createTestDatabase } from "../support/db.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";

setDefaultTimeout(30_000);

const tg = await startFakeTelegram();
const database = await createTestDatabase();
afterAll(async () => {
  tg.stop();
  await database.dispose();
});

/** A stand-in for GramIO's router: our loop only calls bot.updates.handleUpdate. */
function heldBot(onUpdate: (u: TelegramUpdate) => Promise<void>) {
  return { updates: { handleUpdate: onUpdate } } as unknown as Bot;
}

const poller = (bot: Bot, retry: RetryMarks, sleep?: Sleep) => createPoller({ bot, apiRoot: tg.apiRoot, token: tg.token, db: database.db, retry, cap: 20, sleep });
const stored = async (id: number) => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from bot_inbox where update_id = ${id}`))[0]!.n;

describe("the poller's stop", () => {
  test("during an update that must be retried: returns at once, without the retry's backoff; the update stays stored for the next poller", async () => {
    const retry: RetryMarks = new Set();
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = poller(
      heldBot(async (u) => {
        started();
        await held;
        retry.add(u.update_id); // as the bot does when the database was away
      }),
      retry,
    );
    const id = tg.sendText({ id: 5101, first_name: "P" }, "/start");
    first.start();
    await inHandler;
    const stopped = first.stop().then(() => "stopped");
    release();
    // The first backoff is 1 s: a stop that waited it out would lose this race.
    expect(await Promise.race([stopped, Bun.sleep(700).then(() => "still pausing")])).toBe("stopped");
    // Stored, so confirmed: Telegram has nothing for the next poller, the inbox does.
    expect(tg.pending()).toBe(0);
    expect(await stored(id)).toBe(1);
    expect(retry.has(id)).toBe(false);

    const handled: number[] = [];
    const next = poller(heldBot(async (u) => void handled.push(u.update_id)), new Set());
    next.start();
    for (let i = 0; i < 200 && !handled.includes(id); i++) await Bun.sleep(10);
    await next.stop();
    expect(handled).toEqual([id]);
    expect(await stored(id)).toBe(0); // handled: the row is gone
  });
});

describe("the poller's backoff", () => {
  test("a failing getUpdates pauses 1 s, 2 s, … or Telegram's retry_after; a stored batch starts over", async () => {
    const pauses: number[] = [];
    const sleep: Sleep = async (ms) => void pauses.push(ms); // records the pause, never waits it
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await Bun.sleep(10);
    };
    const handled: number[] = [];
    const p = poller(heldBot(async (u) => void handled.push(u.update_id)), new Set(), sleep);
    tg.failNext("getUpdates", { code: 500 }, 2);
    tg.failNext("getUpdates", { code: 429, retryAfter: 3 });
    p.start();
    await until(() => pauses.length === 3);
    expect(pauses).toEqual([1000, 2000, 3000]);
    const id = tg.sendText({ id: 5102, first_name: "P" }, "/start");
    await until(() => handled.includes(id));
    tg.failNext("getUpdates", { code: 502 });
    await until(() => pauses.length === 4);
    expect(pauses[3]).toBe(1000); // reset by the stored batch
    await p.stop();
    expect(tg.pending()).toBe(0); // confirmed on stop
  });
});
