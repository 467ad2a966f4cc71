// The bot's durable inbox (issue 19, polling mode): what was stored is handled by the next poller
// once and in order, without Telegram being asked for it again; a database that is away while a
// batch is being stored loses nothing (Telegram keeps the updates until they are stored).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { t } from "../../src/i18n/index.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";
import { processed, stored, until } from "../support/inbox.ts";

setDefaultTimeout(120_000);


describe("a poller stopped with a backlog", () => {
  let h: BotHarness;
  beforeAll(async () => void (h = await startBotHarness({ apiTimeoutMs: 60_000 })));
  afterAll(() => h.dispose());

  test("stop waits for the update in hand only; the next poller handles the stored rest once, in order, and Telegram is not asked for it again", async () => {
    const user: FakeUser = { id: 6301, first_name: "Рестарт", language_code: "ru" };
    const ru = t("ru");
    const held = h.tg.hold("sendMessage", (p) => p.chat_id === user.id);
    const commands = ["/start", "/my", "/lang", "/cancel", "/help"];
    const ids = commands.map((c) => h.tg.sendText(user, c));
    await until("the first reply to be held", () => held.waiting() === 1);
    // All five stored, and confirmed to Telegram by the next getUpdates.
    await until("the batch to be stored and confirmed", async () => (await stored(h.database.db, ids)).length === 5 && h.tg.pending() === 0);

    const afterStop = h.tg.calls.length;
    let leftByTheOldBot: { processed: number[]; stored: number[] } | null = null;
    const restarted = h.restart(async () => {
      leftByTheOldBot = { processed: await processed(h.database.db, ids), stored: await stored(h.database.db, ids) };
    });
    // The stop reaches the poller without I/O (within this turn of the event loop); after it the
    // update in hand may finish, and nothing else of the chat starts.
    await Bun.sleep(0);
    held.release();
    await restarted;
    expect(leftByTheOldBot!).toEqual({ processed: ids.slice(0, 1), stored: ids.slice(1) });

    await until("the stored updates' replies", () => h.tg.calls.slice(afterStop).filter((c) => c.method === "sendMessage" && c.params.chat_id === user.id).length >= 5);
    const texts = h.tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === user.id).map((c) => c.params.text as string);
    expect(texts[0]).toContain("Здравствуйте, Рестарт!");
    expect(texts[1]).toBe(ru.myEmpty);
    expect(texts[2]).toBe(ru.chooseLanguage);
    expect(texts).toHaveLength(5); // /cancel and /help: one reply each, after /lang's
    expect(await processed(h.database.db, ids)).toEqual(ids);
    await until("the inbox to empty", async () => (await stored(h.database.db, ids)).length === 0);
    expect(ids.map((id) => h.tg.timesHandedOut(id))).toEqual([1, 1, 1, 1, 1]);
  });

  test("a stored row of an update handled already (a crash before its delete) is dropped at load, not handled again", async () => {
    const user: FakeUser = { id: 6302, first_name: "Дубль", language_code: "ru" };
    const id = h.tg.sendText(user, "/start");
    await h.tg.waitForCall("sendMessage", (p) => p.chat_id === user.id);
    await until("the handled row to go", async () => (await stored(h.database.db, [id])).length === 0);
    const before = h.tg.calls.length;
    await h.restart(async () => {
      // As a crash between the handling's commit and the batched delete leaves it.
      await h.database.db.execute(sql`insert into bot_inbox (update_id, chat_key, "update") values (${id}, ${String(user.id)}, ${JSON.stringify({ update_id: id, message: { message_id: 1, date: 0, chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, text: "/start" } })}::jsonb)`);
    });
    await until("the row to be dropped", async () => (await stored(h.database.db, [id])).length === 0);
    // The poller runs on (a fresh update is answered), and the old one was not answered again.
    const other = h.tg.sendText({ id: 6303, first_name: "Следом", language_code: "ru" }, "/start");
    await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 6303);
    expect(await processed(h.database.db, [other])).toEqual([other]);
    expect(h.tg.calls.slice(before).filter((c) => c.params.chat_id === user.id)).toEqual([]);
  });
});

describe("updates the database refuses as they are", () => {
  let h: BotHarness;
  beforeAll(async () => void (h = await startBotHarness()));
  afterAll(() => h.dispose());

  test("a text with U+0000 is stored with U+FFFD and handled; one still refused (a lone surrogate) is skipped; the batch moves on and another chat's /start is answered", async () => {
    const user: FakeUser = { id: 6311, first_name: "Ноль", language_code: "ru" };
    const nul = h.tg.sendText(user, "до\u0000после");
    const refused = h.tg.sendText({ id: 6312, first_name: "Суррогат", language_code: "ru" }, "половина \ud800 пары");
    const other = h.tg.sendText({ id: 6313, first_name: "Следом", language_code: "ru" }, "/start");
    expect((await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 6313, 60_000)).text).toContain("Здравствуйте, Следом!");
    await until("the offset to move past the batch", () => h.tg.pending() === 0);
    await until("the U+0000 message to be handled", async () => (await processed(h.database.db, [nul])).length === 1);
    expect(await processed(h.database.db, [nul, refused, other])).toEqual([nul, other]);
    await until("the inbox to empty", async () => (await stored(h.database.db, [nul, refused, other])).length === 0);
    expect([nul, refused, other].map((id) => h.tg.timesHandedOut(id))).toEqual([1, 1, 1]);
  });
});
