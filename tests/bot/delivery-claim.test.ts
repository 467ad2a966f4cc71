// The outbox's claim is a lease (src/domain/outbox.ts claimDue): a message that waits for its slot
// longer than the lease (a long 429 pause) must not go out once its row was claimed again, or the
// student gets it twice. The wait is injected (the pacer's sleep), never slept.
import { afterAll, beforeAll, beforeEach, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { deliverDue, InFlight } from "../../src/bot/delivery.ts";
import { pacedApi } from "../../src/bot/paced-api.ts";
import { LATE_MS, Pacer } from "../../src/bot/pacer.ts";
import { ChatBacklog } from "../../src/bot/replies.ts";
import { telegramApi } from "../../src/bot/telegram-api.ts";
import { queryRows } from "../../src/db/client.ts";
import { outbox } from "../../src/db/schema.ts";
import { claimDue, enqueueReplies, type ClaimedRow } from "../../src/domain/outbox.ts";
import { pauseSending, reserveSlots, type SendPace } from "../../src/domain/send-pace.ts";
import { outboxDelivery } from "../../src/jobs/outbox-delivery.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";

setDefaultTimeout(30_000);

const pace: SendPace = { intervalMs: 50, chatIntervalMs: 100, horizonMs: 200 };
let d: TestDatabase;
let tg: FakeTelegram;
beforeAll(async () => {
  d = await createTestDatabase();
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg.stop();
  await d.dispose();
});
beforeEach(async () => {
  await d.db.execute(sql`delete from outbox`);
  await d.db.execute(sql`delete from send_pace where chat_id <> 0`);
});

/** A taken-over reply whose slot is a second ahead (the bot's pace is busy), so its send waits. */
async function queueBehindBusyPace(chatId: number, text: string): Promise<number> {
  await d.db.execute(sql`update send_pace set next_at = clock_timestamp() + interval '1 second' where chat_id = 0`);
  const [id] = await enqueueReplies(d.db, chatId, [{ method: "sendMessage", params: { chat_id: chatId, text } }], 0);
  return id!;
}

test("a message whose claim expired while it waited for its slot is left to the round that claimed it again", async () => {
  const id = await queueBehindBusyPace(4242, "once");
  let rival: ClaimedRow[] = [];
  // The wait for the slot: meanwhile the lease (none here, in place of a pause past 60 s)
  // runs out and another round claims the row.
  const sleep = async () => {
    if (rival.length) return;
    await d.db.execute(sql`update outbox set next_attempt_at = now() - interval '1 second' where id = ${id}`);
    rival = await claimDue(d.db, null);
  };
  const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), new Pacer(d.db, pace, { sleep }), { directMs: 1000 });
  const inFlight = new InFlight();
  expect((await deliverDue(api, d.db, new ChatBacklog(), inFlight, { leaseSeconds: 0 })).claimed).toBe(1);
  await inFlight.settled();
  expect(rival.map((r) => r.id)).toEqual([id]);
  expect(tg.calls.filter((c) => c.params.chat_id === 4242)).toEqual([]);
  const [row] = await d.db.select().from(outbox).where(eq(outbox.id, id));
  expect(row!.state).toBe("pending");
  expect(row!.nextAttemptAt.getTime()).toBe(rival[0]!.nextAttemptAt.getTime());
});

test("a message still claimed when its slot comes is sent once and marked sent", async () => {
  const id = await queueBehindBusyPace(4343, "sent");
  const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), new Pacer(d.db, pace, { sleep: async () => {} }), { directMs: 1000 });
  const inFlight = new InFlight();
  await deliverDue(api, d.db, new ChatBacklog(), inFlight);
  await inFlight.settled();
  expect(tg.calls.filter((c) => c.params.chat_id === 4343).map((c) => c.params.text)).toEqual(["sent"]);
  const [row] = await d.db.select().from(outbox).where(eq(outbox.id, id));
  expect(row!.state).toBe("sent");
});

test("a message whose claim has most of its lease left goes at its slot with no database round trip before it (the claim is not renewed)", async () => {
  const id = await queueBehindBusyPace(4545, "straight");
  let lease: number | null = null; // the claim's, read while the message waits for its slot
  const sleep = async () => {
    const [row] = await d.db.select().from(outbox).where(eq(outbox.id, id));
    lease ??= row!.nextAttemptAt.getTime();
  };
  const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), new Pacer(d.db, pace, { sleep }), { directMs: 1000 });
  const inFlight = new InFlight();
  await deliverDue(api, d.db, new ChatBacklog(), inFlight);
  await inFlight.settled();
  expect(tg.calls.filter((c) => c.params.chat_id === 4545).map((c) => c.params.text)).toEqual(["straight"]);
  const [row] = await d.db.select().from(outbox).where(eq(outbox.id, id));
  expect(row!.state).toBe("sent");
  expect(lease).not.toBeNull();
  expect(row!.nextAttemptAt.getTime()).toBe(lease!);
});

test("a sent message whose mark fails is not treated as a failed send: no retry in seconds, its lease keeps it", async () => {
  const id = await queueBehindBusyPace(4747, "delivered");
  // The database refuses this row's sent mark (a transient error after the send went out).
  await d.db.execute(sql.raw(`create or replace function refuse_sent_mark() returns trigger language plpgsql as $$
    begin if new.state = 'sent' and new.id = ${id} then raise exception 'mark refused'; end if; return new; end $$`));
  await d.db.execute(sql`create trigger refuse_sent_mark before update on outbox for each row execute function refuse_sent_mark()`);
  try {
    const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), new Pacer(d.db, pace, { sleep: async () => {} }), { directMs: 1000 });
    const inFlight = new InFlight();
    await deliverDue(api, d.db, new ChatBacklog(), inFlight);
    const [claimed] = await d.db.select().from(outbox).where(eq(outbox.id, id));
    await inFlight.settled();
    expect(tg.calls.filter((c) => c.params.chat_id === 4747).map((c) => c.params.text)).toEqual(["delivered"]);
    const [row] = await d.db.select().from(outbox).where(eq(outbox.id, id));
    // Not marked failed (attempts, an error and a retry a few seconds away): still under the claim's lease.
    expect(row).toMatchObject({ state: "pending", attempts: 0, lastError: null });
    expect(row!.nextAttemptAt.getTime()).toBe(claimed!.nextAttemptAt.getTime());
  } finally {
    await d.db.execute(sql`drop trigger refuse_sent_mark on outbox`);
  }
});

test("a slot whose last step before the call (the claim's check) ends past LATE_MS is given up and a new one taken, not sent late", async () => {
  await d.db.execute(sql`update send_pace set next_at = clock_timestamp() where chat_id = 0`);
  let clock = Date.now();
  const pacer = new Pacer(d.db, pace, { now: () => clock, sleep: async (ms) => void (clock += ms) });
  const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), pacer, { directMs: 1000 });
  const [r] = await reserveSlots(d.db, [4646], 1, pace);
  const slot = await pacer.slot(r!.at);
  const readyAt: number[] = [];
  // The first check is slow (a busy database): it ends LATE_MS + 30 ms after the slot.
  const ready = async () => {
    readyAt.push(clock);
    if (readyAt.length === 1) clock += LATE_MS + 30;
  };
  await api.at(slot, { ready }).call("sendMessage", { chat_id: 4646, text: "on a new slot" });
  expect(tg.calls.filter((c) => c.params.chat_id === 4646).map((c) => c.params.text)).toEqual(["on a new slot"]);
  expect(readyAt.length).toBe(2);
  // The late slot was given up: the bot's pace moved on by a second one.
  const [bot] = await queryRows<{ at: string | number }>(d.db, sql`select extract(epoch from next_at) * 1000 as at from send_pace where chat_id = 0`);
  expect(Number(bot!.at) - r!.at).toBeCloseTo(2 * pace.intervalMs, 0);
});

test("stopping the delivery during a long 429 pause ends the wait at once and gives the message back to the outbox unsent", async () => {
  await pauseSending(d.db, 600); // far longer than this test's time limit: a stop that waited it out would fail by timing out
  const [id] = await enqueueReplies(d.db, 4444, [{ method: "sendMessage", params: { chat_id: 4444, text: "later" } }], 0);
  const api = pacedApi(telegramApi(tg.apiRoot, tg.token, 10_000), new Pacer(d.db, pace), { directMs: 1000 });
  const delivery = outboxDelivery(api, d.db, new ChatBacklog());
  delivery.start();
  let claimed = false;
  try {
    // Claimed: its lease moved next_attempt_at ahead, and it now waits for its slot past the pause.
    for (let i = 0; i < 600; i++) {
      const [row] = await queryRows<{ claimed: boolean }>(d.db, sql`select next_attempt_at > now() as claimed from outbox where id = ${id!}`);
      if ((claimed = row!.claimed)) break;
      await Bun.sleep(50);
    }
  } finally {
    await delivery.stop();
  }
  expect(claimed).toBe(true);
  expect(tg.calls.filter((c) => c.params.chat_id === 4444)).toEqual([]);
  const [row] = await queryRows<{ state: string; due: boolean }>(d.db, sql`select state, next_attempt_at <= now() as due from outbox where id = ${id!}`);
  expect(row).toEqual({ state: "pending", due: true });
  await d.db.execute(sql`update send_pace set next_at = now() where chat_id = 0`);
});
