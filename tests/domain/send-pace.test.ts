// The shared send pace (src/domain/send-pace.ts) and the outbox's claim that uses it. Intervals of
// seconds keep every expectation off the clock: the slots are read from the table, and the few
// waits checked have a second or more of slack.
import { afterAll, beforeAll, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { outbox } from "../../src/db/schema.ts";
import { claimDue, enqueueMessage, enqueueReplies, markSent, nextClaimInMs } from "../../src/domain/outbox.ts";
import { databaseNow, pauseSending, reserveSlots, type SendPace } from "../../src/domain/send-pace.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const pace: SendPace = { intervalMs: 10_000, chatIntervalMs: 60_000, horizonMs: 20_000 };

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.dispose());
beforeEach(async () => {
  await d.db.execute(sql`delete from send_pace where chat_id <> 0`);
  await d.db.execute(sql`update send_pace set next_at = now() - interval '1 hour', reserved_from = null where chat_id = 0`);
  await d.db.execute(sql`delete from outbox`);
});

/** The slot each chat was given (its row's moment less the chat interval), ms since the epoch. */
async function slots(): Promise<Map<number, number>> {
  const rows = await queryRows<{ chat_id: string; at: string }>(
    d.db,
    sql`select chat_id, extract(epoch from next_at) * 1000 - ${pace.chatIntervalMs} as at from send_pace where chat_id <> 0`,
  );
  return new Map(rows.map((r) => [Number(r.chat_id), Number(r.at)]));
}

const botNextAt = async () => Number((await queryRows<{ at: string }>(d.db, sql`select extract(epoch from next_at) * 1000 as at from send_pace where chat_id = 0`))[0]!.at);
const reserve = (chats: number[], interactive: number) => reserveSlots(d.db, chats, interactive, pace);
/** How far ahead of the database's clock a moment is, ms. */
const ahead = async (at: number) => at - (await databaseNow(d.db));

describe("reserveSlots", () => {
  test("interactive reservations take consecutive slots one interval apart", async () => {
    for (const chat of [1, 2, 3]) expect((await reserve([chat], 1))[0]).toMatchObject({ chatId: chat, reserved: true });
    const s = await slots();
    expect(s.get(2)! - s.get(1)!).toBeCloseTo(pace.intervalMs, 0);
    expect(s.get(3)! - s.get(2)!).toBeCloseTo(pace.intervalMs, 0);
    expect(await botNextAt()).toBeCloseTo(s.get(3)! + pace.intervalMs, 0);
  });

  test("several at once (another instance's pool on a server) never share a slot", async () => {
    const chats = Array.from({ length: 10 }, (_, i) => 100 + i);
    const results = await Promise.all(chats.map((c) => reserve([c], 1)));
    expect(results.flat().every((r) => r.reserved)).toBe(true);
    const at = [...(await slots()).values()].sort((a, b) => a - b);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeCloseTo(pace.intervalMs, 0);
  });

  test("bulk takes only the slots within the horizon; an interactive reply still gets the next one", async () => {
    const bulk = await reserve([11, 12, 13, 14, 15], 0);
    expect(bulk.map((r) => r.chatId)).toEqual([11, 12, 13]); // now, +10 s, +20 s
    expect(await reserve([16], 0)).toEqual([]);
    const [reply] = await reserve([17], 1);
    expect(reply).toMatchObject({ chatId: 17, reserved: true });
    expect(await ahead(reply!.at)).toBeGreaterThan(3 * pace.intervalMs - 2000);
    const s = await slots();
    expect(s.get(17)! - s.get(13)!).toBeCloseTo(pace.intervalMs, 0);
  });

  test("one batch of both lanes: every interactive one, then bulk in what the horizon leaves", async () => {
    await reserve([21, 22], 0); // the next free slot is 20 s ahead: the horizon's last
    const got = await reserve([31, 32, 33, 34, 35], 3);
    expect(got.map((r) => r.chatId)).toEqual([31, 32, 33]);
  });

  test("a chat that just had a message waits its own interval; the bot's slot is not spent on it", async () => {
    await reserve([41], 1);
    const before = await botNextAt();
    const [again] = await reserve([41], 1);
    expect(again).toMatchObject({ chatId: 41, reserved: false });
    expect(await ahead(again!.at)).toBeGreaterThan(pace.chatIntervalMs - 2000);
    expect(await botNextAt()).toBe(before);
  });

  test("a retry of a slot not used (woken late) replaces the chat's reservation: the next bot slot, not the chat's interval later", async () => {
    const [first] = await reserve([45], 1);
    const [retry] = await reserveSlots(d.db, [45], 1, pace, first!.at);
    expect(retry).toMatchObject({ chatId: 45, reserved: true });
    expect(retry!.at - first!.at).toBeCloseTo(pace.intervalMs, 0);
    expect((await slots()).get(45)).toBeCloseTo(retry!.at, 0);
    // Only its own slot: a retry naming another moment still waits out the chat's interval.
    const [stranger] = await reserveSlots(d.db, [45], 1, pace, first!.at);
    expect(stranger).toMatchObject({ chatId: 45, reserved: false });
  });

  test("a pause pushes every sender's next slot past retry_after", async () => {
    await pauseSending(d.db, 30);
    const [r] = await reserve([51], 1);
    expect(await ahead(r!.at)).toBeGreaterThan(28_000);
  });

  test("refuses what is not a chat id, before touching the table", async () => {
    expect(reserve([0], 1)).rejects.toThrow(TypeError);
    expect(reserve([Number.NaN], 1)).rejects.toThrow(TypeError);
  });
});

describe("claimDue", () => {
  const text = (r: { payload: { params: Record<string, unknown> } }) => String(r.payload.params.text);

  test("a chat's bulk waits while a reply to it is held (the bot is sending it directly); other chats' bulk goes", async () => {
    await enqueueMessage(d.db, 130, { text: "bulk 130" });
    await enqueueMessage(d.db, 131, { text: "bulk 131" });
    const [held] = await enqueueReplies(d.db, 130, [{ method: "sendMessage", params: { chat_id: 130, text: "reply 130" } }], 30);
    expect((await claimDue(d.db, pace)).map(text)).toEqual(["bulk 131"]);
    await markSent(d.db, held!);
    expect((await claimDue(d.db, { ...pace, intervalMs: 1 })).map(text)).toEqual(["bulk 130"]);
  });

  test("a held reply first, then bulk, oldest first, as many as the horizon allows; then nothing until the pace allows", async () => {
    for (const chat of [101, 102, 103, 104]) await enqueueMessage(d.db, chat, { text: `bulk ${chat}` });
    const [held] = await enqueueReplies(d.db, 120, [{ method: "sendMessage", params: { chat_id: 120, text: "reply 120" } }], 0);
    const claimed = await claimDue(d.db, pace);
    expect(claimed.map(text)).toEqual(["reply 120", "bulk 101", "bulk 102"]);
    expect(claimed[0]!.id).toBe(held!);
    const at = claimed.map((r) => r.slotAt);
    expect(at[1]! - at[0]!).toBeCloseTo(pace.intervalMs, 0);
    expect(at[2]! - at[1]!).toBeCloseTo(pace.intervalMs, 0);
    expect(await claimDue(d.db, pace)).toEqual([]);
    // The bot's next slot is 30 s ahead: bulk may claim again once it is within the 20 s horizon.
    const next = (await nextClaimInMs(d.db, pace))!;
    expect(next).toBeGreaterThan(pace.intervalMs - 2000);
    expect(next).toBeLessThanOrEqual(pace.intervalMs);
  });

  test("a chat's next message waits for the chat's interval, and the chats behind it are not held up", async () => {
    await enqueueMessage(d.db, 201, { text: "first 201" });
    await enqueueMessage(d.db, 201, { text: "second 201" });
    const [first] = await claimDue(d.db, pace);
    expect(text(first!)).toBe("first 201");
    await markSent(d.db, first!.id);
    await d.db.execute(sql`update send_pace set next_at = now() - interval '1 hour' where chat_id = 0`); // the bot is free again
    await enqueueMessage(d.db, 202, { text: "only 202" });
    expect((await claimDue(d.db, pace)).map(text)).toEqual(["only 202"]);
    expect(await nextClaimInMs(d.db, pace)).toBeGreaterThan(pace.chatIntervalMs - 5000);
    const [second] = await d.db.select().from(outbox).where(eq(outbox.chatId, 201)).orderBy(outbox.id).offset(1);
    expect(second).toMatchObject({ state: "pending", attempts: 0 });
  });

  test("a chat that came free between the empty claim and the question when to claim again is due now, not forgotten", async () => {
    await enqueueMessage(d.db, 301, { text: "first 301" });
    await enqueueMessage(d.db, 301, { text: "second 301" });
    const [first] = await claimDue(d.db, pace);
    await markSent(d.db, first!.id);
    // The chat's slot passed 100 ms ago: after a claim that looked a second ago (and saw it busy) ...
    await d.db.execute(sql`update send_pace set next_at = now() - interval '100 milliseconds' where chat_id = 301`);
    expect(await nextClaimInMs(d.db, pace, 1000)).toBe(0);
    // ... but before a claim that looked just now, which saw it free: nothing waits for the pace.
    expect(await nextClaimInMs(d.db, pace, 0)).toBeNull();
    expect((await claimDue(d.db, pace)).map(text)).toEqual(["second 301"]);
  });
});
