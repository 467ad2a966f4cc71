// The fake Bot API round trip: the real bot long-polls the fake server, /start → greeting with
// city buttons read from the database, pressing a city edits the message, a redelivered update
// changes nothing.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { botRunner } from "../../src/bot/bot.ts";
import { funnelEvents, outbox, processedUpdates, students } from "../../src/db/schema.ts";
import { enqueueMessage } from "../../src/domain/outbox.ts";
import { seedCities } from "../../src/db/seeds/cities.ts";
import { testConfig } from "../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";

// This file starts databases, servers or processes: more than the 5 s default.
setDefaultTimeout(30_000);

let tg: FakeTelegram;
let database: TestDatabase;
let bot: ReturnType<typeof botRunner>;

beforeAll(async () => {
  tg = await startFakeTelegram();
  database = await createTestDatabase();
  await seedCities(database.db);
  bot = botRunner(testConfig({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }), database.db);
  await bot.start();
});

afterAll(async () => {
  await bot.stop();
  await tg.stop();
  await database.dispose();
});

const ruUser = { id: 501, first_name: "Асель", language_code: "ru" };
const kkUser = { id: 502, first_name: "Дәулет", language_code: "kk" };

describe("bot over the fake Bot API", () => {
  test("starts polling", () => {
    expect(bot.state()).toBe("polling");
  });

  test("/start answers in Russian; the next step lists the cities from the database", async () => {
    tg.sendText(ruUser, "/start");
    const reply = await tg.waitForCall("sendMessage", (p) => p.chat_id === ruUser.id);
    expect(reply.text).toStartWith("Здравствуйте, Асель!");
    expect(reply.text).toContain("У вас есть водительское удостоверение?");
    const before = tg.calls.length;
    tg.pressButton(ruUser, { ...reply, message_id: tg.calls.find((c) => c.params === reply)!.result.message_id }, "Нет, хочу учиться в автошколе");
    const edit = await tg.waitForCall("editMessageText", (p) => p.chat_id === ruUser.id, 5000, before);
    // 23 cities seeded and no school yet: no city would lead anywhere, so none is offered.
    expect(edit.text).toBe("Пока ни в одном городе нет подходящих предложений. Загляните чуть позже.");
    expect(tg.buttons(edit).flat()).toEqual(["← Назад"]);
    const [student] = await database.db.select().from(students).where(eq(students.telegramId, ruUser.id));
    expect(student).toMatchObject({ firstName: "Асель", language: "ru", chatId: ruUser.id });
  });

  test("/start answers in Kazakh to a Kazakh Telegram", async () => {
    tg.sendText(kkUser, "/start");
    const reply = await tg.waitForCall("sendMessage", (p) => p.chat_id === kkUser.id);
    expect(reply.text).toStartWith("Сәлеметсіз бе, Дәулет!");
    expect(tg.buttons(reply).flat()).toContain("Иә, нұсқаушы керек");
  });

  test("every step entered is a funnel event", async () => {
    const [student] = await database.db.select().from(students).where(eq(students.telegramId, ruUser.id));
    const events = await database.db.select().from(funnelEvents).where(eq(funnelEvents.studentId, student!.id));
    expect(events.map((e) => `${e.flow}/${e.step}:${e.action}`)).toEqual(["start/licence:enter", "school/city:enter"]);
  });

  test("an update that records several funnel events keeps them all, in order (/start in the middle of a flow)", async () => {
    const before = tg.calls.length;
    tg.sendText(ruUser, "/start");
    await tg.waitForCall("sendMessage", (p) => p.chat_id === ruUser.id, 5000, before);
    const [student] = await database.db.select().from(students).where(eq(students.telegramId, ruUser.id));
    const events = await database.db.select().from(funnelEvents).where(eq(funnelEvents.studentId, student!.id)).orderBy(asc(funnelEvents.id));
    expect(events.map((e) => `${e.flow}/${e.step}:${e.action}`)).toEqual(["start/licence:enter", "school/city:enter", "school/city:restart", "start/licence:enter"]);
    expect(events[3]!.at).toEqual(events[2]!.at); // one statement of one transaction
  });

  test("an update delivered again to a restarted bot is processed once", async () => {
    const user = { id: 503, first_name: "Ержан" };
    const updateId = tg.sendText(user, "/start");
    await tg.waitForCall("sendMessage", (p) => p.chat_id === user.id);
    await bot.stop();
    tg.redeliver(updateId); // as if the offset had never been confirmed
    bot = botRunner(testConfig({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }), database.db);
    await bot.start();
    tg.sendText({ id: 504, first_name: "Маркер" }, "/start"); // handled after the duplicate
    await tg.waitForCall("sendMessage", (p) => p.chat_id === 504);
    expect(tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === user.id)).toHaveLength(1);
    const rows = await database.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, updateId));
    expect(rows).toHaveLength(1);
  });
});

describe("a token Telegram refuses", () => {
  test("the outbox delivery idles (no message spends its attempts) and both stop at once", async () => {
    await enqueueMessage(database.db, 777, { text: "kept for later" });
    const wrong = botRunner(testConfig({ TELEGRAM_BOT_TOKEN: "999:not-the-fake-token", TELEGRAM_API_ROOT: tg.apiRoot }), database.db);
    wrong.delivery!.start(); // as server.ts starts it, beside the bot
    void wrong.start();
    await Bun.sleep(1500); // getMe refused twice: the start-up retry now pauses 2 s
    expect(wrong.state()).toBe("failed");
    const t0 = Date.now();
    await Promise.all([wrong.stop(), wrong.delivery!.stop()]);
    expect(Date.now() - t0).toBeLessThan(500);
    const [row] = await database.db.select().from(outbox).where(eq(outbox.chatId, 777)).orderBy(outbox.id);
    expect({ state: row!.state, attempts: row!.attempts }).toEqual({ state: "pending", attempts: 0 });
  });
});
