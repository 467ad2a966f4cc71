// One chat's flood never stalls the others (issue 19): in polling mode the bystanders are answered
// while the flooding chat's backlog is still waiting, and in both modes a chat's updates beyond
// its cap (BOT_CHAT_QUEUE_CAP) are dropped with one "slow down" message per flood. Order, not
// timings: the flooding chat's replies are held at the fake Telegram (hold()), so nothing of its
// backlog can finish while the bystanders must already be answered.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { webhookSecret } from "../../src/bot/webhook.ts";
import { queryRows, type Db } from "../../src/db/client.ts";
import { t } from "../../src/i18n/index.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { createServerDatabase, serverUrl, type TestDatabase } from "../support/db.ts";
import { startFakeTelegram, type FakeTelegram, type FakeUser } from "../support/fake-telegram.ts";
import { freePort } from "../support/process.ts";

setDefaultTimeout(120_000);

const CAP = 50; // the default of BOT_CHAT_QUEUE_CAP
const sent = (tg: FakeTelegram, chat: number, text?: string) =>
  tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === chat && (text === undefined || c.params.text === text));
const answered = (tg: FakeTelegram) => new Set(tg.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.params.callback_query_id));
const processed = async (db: Db, ids: number[]) =>
  (await queryRows<{ update_id: string }>(db, sql`select update_id from processed_updates where update_id = any(${`{${ids.join(",")}}`}::bigint[]) order by update_id`)).map((r) => Number(r.update_id));
const press = (user: FakeUser, id: string) => ({
  callback_query: { id, from: { is_bot: false, ...user }, chat_instance: String(user.id), data: "garbage", message: { message_id: 1, date: 0, chat: { id: user.id, type: "private" }, text: "" } },
});

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

describe("polling: one chat floods", () => {
  let h: BotHarness;
  // Held replies must not time out meanwhile (a timeout would retry them, then use the outbox).
  beforeAll(async () => void (h = await startBotHarness({ apiTimeoutMs: 60_000 })));
  afterAll(() => h.dispose());

  test("1,000 updates from one chat: the others are answered while its backlog waits; it gets one 'slow down' (Kazakh), its cap's worth handled, every press answered", async () => {
    const flooder: FakeUser = { id: 6001, first_name: "Тасқын", language_code: "kk" };
    const slowDown = t("kk").slowDown;
    const held = h.tg.hold("sendMessage", (p) => p.chat_id === flooder.id && p.text !== slowDown);
    const ids: number[] = [];
    const presses: string[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 10 === 9) presses.push(`flood-${i}`), ids.push(h.tg.push(press(flooder, `flood-${i}`)));
      else ids.push(h.tg.sendText(flooder, i === 0 ? "/start" : `хабарлама ${i}`));
    }
    // Then 20 bystanders write: each is answered though the flooder's first reply is still held.
    const bystanders = Array.from({ length: 20 }, (_, i): FakeUser => ({ id: 6100 + i, first_name: `Көрші${i}`, language_code: "ru" }));
    const theirs = bystanders.map((b) => h.tg.sendText(b, "/start"));
    for (const b of bystanders) await h.tg.waitForCall("sendMessage", (p) => p.chat_id === b.id, 60_000);
    expect(held.waiting()).toBe(1); // the flooder's first reply, and nothing of its backlog, is out
    expect(sent(h.tg, flooder.id).map((c) => c.params.text)).toEqual([slowDown]);
    // Dropped presses were answered at once (no endless spinner): all but those within the cap (every tenth update).
    await until("the dropped presses' answers", () => presses.slice(CAP / 10).every((id) => answered(h.tg).has(id)));

    held.release();
    // The flooder's first CAP updates are handled, in order, and nothing else of its flood.
    await until("the flooder's queue to drain", async () => (await processed(h.database.db, ids)).length >= CAP && (await inbox(h.database.db)) === 0);
    expect(await processed(h.database.db, ids)).toEqual(ids.slice(0, CAP));
    expect(await processed(h.database.db, theirs)).toEqual(theirs);
    await until("every press answered", () => presses.every((id) => answered(h.tg).has(id)));
    expect(sent(h.tg, flooder.id, slowDown)).toHaveLength(1);
    expect(h.tg.pending()).toBe(0);
  });

  test("a burst under the cap (30 forwarded messages in one batch) is not a flood: every one handled, no 'slow down'", async () => {
    const user: FakeUser = { id: 6003, first_name: "Пересылка", language_code: "ru" };
    const ids = Array.from({ length: 30 }, (_, i) => h.tg.sendText(user, i === 0 ? "/start" : `пересланное ${i}`));
    await until("all 30 handled", async () => (await processed(h.database.db, ids)).length === ids.length);
    expect(await processed(h.database.db, ids)).toEqual(ids);
    expect(ids.map((id) => h.tg.timesHandedOut(id))).toEqual(ids.map(() => 1)); // one batch
    expect(sent(h.tg, user.id, t("ru").slowDown)).toEqual([]);
  });

  test("a flood after the queue drained is a new flood: one more 'slow down' (Russian), one per flood", async () => {
    const user: FakeUser = { id: 6002, first_name: "Дважды", language_code: "ru" };
    const slowDown = t("ru").slowDown;
    for (const round of [1, 2]) {
      const held = h.tg.hold("sendMessage", (p) => p.chat_id === user.id && p.text !== slowDown);
      const ids = Array.from({ length: CAP + 15 }, (_, i) => h.tg.sendText(user, i === 0 ? "/start" : `текст ${i}`));
      await until("the slow-down", () => sent(h.tg, user.id, slowDown).length === round);
      held.release();
      await until("the queue to drain", async () => (await processed(h.database.db, ids)).length === CAP && (await inbox(h.database.db)) === 0);
    }
    expect(sent(h.tg, user.id, slowDown)).toHaveLength(2);
  });
});

const inbox = async (db: Db) => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from bot_inbox`))[0]!.n;

describe("webhook: one chat floods", () => {
  let tg: FakeTelegram;
  let server: Running;
  let serverDb: TestDatabase | null = null;
  let base: string;
  let secret: string;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    base = `http://127.0.0.1:${freePort()}`;
    serverDb = serverUrl ? await createServerDatabase(serverUrl) : null;
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BOT_MODE: "webhook",
      PUBLIC_URL: base,
      PORT: String(new URL(base).port),
      SIMULATOR: "0",
      // Telegram's limits out of the way: the flooder's cap's worth of replies would go out one a second.
      TELEGRAM_SEND_RATE: "1000",
      TELEGRAM_CHAT_RATE: "1000",
      ...(serverDb ? { DATABASE_URL: serverDb.url! } : {}),
    });
    secret = webhookSecret(config.secretKey);
    server = await startServer(config);
    await tg.waitForCall("setWebhook");
  });
  afterAll(async () => {
    await server.stop();
    tg.stop();
    await serverDb?.dispose();
  });

  const post = (update: Record<string, unknown>) =>
    fetch(`${base}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body: JSON.stringify(update) });

  test("beyond the cap a POST is answered 200 unhandled, with one 'slow down'; dropped presses answered; a bystander is answered meanwhile", async () => {
    const flooder: FakeUser = { id: 6201, first_name: "Поток", language_code: "ru" };
    const slowDown = t("ru").slowDown;
    const held = tg.hold("sendMessage", (p) => p.chat_id === flooder.id && p.text !== slowDown);
    let nextId = 700_000;
    const message = (user: FakeUser, text: string) => ({
      update_id: nextId++,
      message: { message_id: nextId, date: 0, chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, text, ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}) },
    });
    const first = message(flooder, "/start");
    const responses: Promise<number>[] = [post(first).then((r) => r.status)];
    await until("the first reply to be held", () => held.waiting() === 1);
    const rest = Array.from({ length: 99 }, (_, i) => (i % 10 === 9 ? { update_id: nextId++, ...press(flooder, `wh-${i}`) } : message(flooder, `текст ${i}`)));
    let answeredPosts = 0;
    for (const u of rest) responses.push(post(u).then((r) => (answeredPosts++, r.status)));
    // CAP - 1 wait behind the held one; the other 80 are answered at once.
    await until("the dropped POSTs' answers", () => answeredPosts === rest.length - (CAP - 1));
    await tg.waitForCall("sendMessage", (p) => p.chat_id === flooder.id && p.text === slowDown);
    const bystander = message({ id: 6202, first_name: "Рядом", language_code: "ru" }, "/start");
    expect((await post(bystander)).status).toBe(200);
    expect((await tg.waitForCall("sendMessage", (p) => p.chat_id === 6202)).text).toContain("Здравствуйте, Рядом!");

    held.release();
    expect(new Set(await Promise.all(responses))).toEqual(new Set([200]));
    const ids = [first, ...rest].map((u) => u.update_id);
    const db = server.database.db;
    expect(await processed(db, ids)).toHaveLength(CAP);
    expect(await processed(db, [bystander.update_id])).toEqual([bystander.update_id]);
    const presses = rest.filter((u) => "callback_query" in u).map((u) => (u as { callback_query: { id: string } }).callback_query.id);
    await until("every press answered", () => presses.every((id) => answered(tg).has(id)));
    expect(sent(tg, flooder.id, slowDown)).toHaveLength(1);
  });
});
