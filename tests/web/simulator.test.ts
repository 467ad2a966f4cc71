// The bot simulator's routes over the real bot: the student's actions go in through
// /simulator/chats/:id/..., become updates in the in-process Bot API, the real bot (botRunner,
// the same handlers and database) polls them and answers through it, and the transcript shows
// the answers. Plus the Bot API's own protocol, the configuration switch and the production gate.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { botRunner } from "../../src/bot/bot.ts";
import { withDelivery } from "../support/bot.ts";
import { loadConfig, ConfigError } from "../../src/config.ts";
import { accounts, applications, students } from "../../src/db/schema.ts";
import { seedDemo } from "../../src/db/seeds/demo.ts";
import { createAuth, SESSION_COOKIE, startSession } from "../../src/domain/auth.ts";
import { scopeOf } from "../../src/domain/scope.ts";
import { changeStatus } from "../../src/domain/status.ts";
import { createSimulator, serveBotApi, type Simulator, type Transcript } from "../../src/simulator/bot-api.ts";
import { createApp } from "../../src/web/app.ts";
import { testConfig } from "../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const ASEL = 990_000_001;
const DAULET = 990_000_002;

let database: TestDatabase;
let simulator: Simulator;
let botApi: ReturnType<typeof serveBotApi>;
let bot: ReturnType<typeof botRunner>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, "Asia/Almaty");
  const config = testConfig({ SIMULATOR: "1" });
  simulator = createSimulator();
  botApi = serveBotApi(simulator);
  // What server.ts does: the real bot (with its outbox delivery), pointed at the simulator instead of Telegram.
  bot = withDelivery(botRunner({ ...config, telegramToken: simulator.token, telegramApiRoot: botApi.apiRoot }, database.db, { apiTimeoutMs: 5000 }));
  app = createApp({ config, database, botState: bot.state, simulator });
  await bot.start();
});
afterAll(async () => {
  simulator.close();
  await bot.stop();
  botApi.stop();
  await database.dispose();
});

const request = (path: string, init?: RequestInit) => app.handle(new Request(`http://localhost${path}`, init));
const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  request(path, { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost", ...headers }, body: JSON.stringify(body) });
const transcript = async (chat: number): Promise<Transcript> => (await request(`/simulator/chats/${chat}`)).json();

/** Waits until the chat's newest bot message satisfies `ok` (the page's long poll, in a loop). */
async function until(chat: number, ok: (t: Transcript) => boolean, timeoutMs = 8000): Promise<Transcript> {
  const deadline = Date.now() + timeoutMs;
  let t = await transcript(chat);
  while (!ok(t)) {
    if (Date.now() > deadline) throw new Error(`chat ${chat}: not there within ${timeoutMs} ms; last: ${JSON.stringify(t.messages.at(-1))}`);
    t = await (await request(`/simulator/chats/${chat}?after=${t.version}`)).json();
  }
  return t;
}
const lastBot = (t: Transcript) => t.messages.filter((m) => m.from === "bot").at(-1)!;
const said = (text: string) => (t: Transcript) => t.messages.some((m) => m.from === "bot" && m.html?.includes(text));

/** Presses the button with this text on the newest bot message that shows it, and waits for `then`. */
async function press(chat: number, text: string, then: string): Promise<Transcript> {
  const t = await transcript(chat);
  const holder = t.messages.filter((m) => m.inline.flat().some((b) => b.text === text)).at(-1);
  if (!holder) throw new Error(`no button "${text}"; buttons: ${lastBot(t).inline.flat().map((b) => b.text).join(" | ")}`);
  const res = await post(`/simulator/chats/${chat}/press`, { messageId: holder.id, data: holder.inline.flat().find((b) => b.text === text)!.data });
  expect(res.status).toBe(200);
  return until(chat, (x) => x.version > t.version && lastBot(x).html!.includes(then));
}

describe("a student in the simulator, answered by the real bot", () => {
  test("the page lists the simulated students and loads its script", async () => {
    const res = await request("/simulator/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Асель Нурланова");
    expect(html).toContain("+7 701 000 00 01");
    expect(html).toContain('src="/public/simulator.js"');
    expect((await request("/simulator")).headers.get("location")).toBe("/simulator/");
    expect((await request("/public/simulator.js")).status).toBe(200);
    expect((await request("/public/simulator.css")).status).toBe(200);
  });

  test("flow 1 from /start to the WhatsApp link; the CRM's status change arrives as a notification", async () => {
    expect((await post(`/simulator/chats/${ASEL}/send`, { text: "/start" })).status).toBe(200);
    let t = await until(ASEL, said("У вас есть водительское удостоверение?"));
    expect(t.messages[0]).toMatchObject({ from: "student", text: "/start" });
    expect(lastBot(t).html).toContain("Здравствуйте, Асель!");
    const greeting = lastBot(t).id;

    // Pressing edits the same message in place, as in Telegram.
    t = await press(ASEL, "Нет, хочу учиться в автошколе", "Выберите ваш город:");
    expect(lastBot(t)).toMatchObject({ id: greeting, edited: true });
    expect(lastBot(t).html).toStartWith("Выберите ваш город:");
    await press(ASEL, "Алматы (2)", "Какая категория прав вам нужна?");
    await press(ASEL, "B — легковые", "Какой формат обучения удобнее?");
    await press(ASEL, "Очно", "Автошкола «Жол»");
    await press(ASEL, "1. Автошкола «Жол»", "ул. Толе би, 101");
    t = await press(ASEL, "Записаться: B, Очно — 180\u202f000 ₸, 10 нед.", "Отправьте номер телефона");
    expect(t.keyboard?.rows[0]![0]).toEqual({ text: "📱 Отправить мой номер", contact: true });

    expect((await post(`/simulator/chats/${ASEL}/contact`)).status).toBe(200);
    t = await until(ASEL, said("Как к вам обращаться?"));
    expect(t.messages.some((m) => m.from === "student" && m.contact && m.text === "+7 701 000 00 01")).toBe(true);
    expect(t.messages.some((m) => m.html === "Номер +7 701 000 00 01 сохранён.")).toBe(true);
    expect(t.keyboard).toBeNull(); // remove_keyboard
    await press(ASEL, "✓ Асель Нурланова", "Проверьте заявку:\n\n<b>Автошкола «Жол»</b>");
    t = await press(ASEL, "✅ Подтвердить", "отправлена!");

    const [student] = await database.db.select().from(students).where(eq(students.telegramId, ASEL));
    const [application] = await database.db.select().from(applications).where(eq(applications.studentId, student!.id));
    expect(application).toMatchObject({ status: "new", studentPhone: "+77010000001", studentName: "Асель Нурланова" });
    const wa = lastBot(t).inline.flat().find((b) => b.text === "Написать в WhatsApp")!;
    expect(wa.url).toStartWith("https://wa.me/77012345601?text=");

    // The school confirms in the CRM (the same domain call its route makes): the outbox delivers.
    const [school] = await database.db.select().from(accounts).where(eq(accounts.login, "school-zhol"));
    const changed = await changeStatus(database.db, scopeOf(school!)!, application!.id, { from: "new", to: "confirmed" });
    expect(changed.ok).toBe(true);
    t = await until(ASEL, (x) => x.messages.length > 0 && lastBot(x).html!.includes(`№ ${application!.publicNumber}`) && lastBot(x).id !== t.messages.at(-1)!.id);
    expect(lastBot(t).html).toContain(String(application!.publicNumber));
  });

  test("a second student in Kazakh runs side by side with their own chat and number", async () => {
    await post(`/simulator/chats/${DAULET}/send`, { text: "/start" });
    const t = await until(DAULET, said("Сәлеметсіз бе, Дәулет!"));
    expect(t.student).toMatchObject({ language: "kk", phone: "+7 701 000 00 02" });
    expect((await transcript(ASEL)).messages.some((m) => m.html?.includes("Дәулет"))).toBe(false);
  });

  test("a changed name and language go to the bot as the Telegram profile", async () => {
    const chat = 990_000_003;
    expect((await post(`/simulator/chats/${chat}/profile`, { firstName: "Ерлан", language: "kk" })).status).toBe(200);
    await post(`/simulator/chats/${chat}/send`, { text: "/start" });
    await until(chat, said("Сәлеметсіз бе, Ерлан!"));
  });

  test("refuses what a Telegram client could not do", async () => {
    const t = await transcript(ASEL);
    // A button that is not on that message (any more).
    expect((await post(`/simulator/chats/${ASEL}/press`, { messageId: t.messages[0]!.id, data: "made-up" })).status).toBe(409);
    // A chat that is not a simulated student.
    expect((await post(`/simulator/chats/12345/send`, { text: "hi" })).status).toBe(404);
    expect((await request(`/simulator/chats/12345`)).status).toBe(404);
    // Invalid bodies.
    expect((await post(`/simulator/chats/${ASEL}/send`, { text: "" })).status).toBe(400);
    expect((await post(`/simulator/chats/${ASEL}/profile`, { firstName: "X", language: "en" })).status).toBe(400);
    // Another site's page cannot post as the student (the app's Origin guard).
    expect((await post(`/simulator/chats/${ASEL}/send`, { text: "/start" }, { origin: "https://evil.example" })).status).toBe(403);
  });

  test("/healthz reports the simulated bot as polling", async () => {
    expect(await (await request("/healthz")).json()).toMatchObject({ bot: "polling" });
  });
});

describe("the in-process Bot API speaks Telegram's protocol", () => {
  const api = async (method: string, params: Record<string, unknown> = {}, token = simulator.token) => {
    const res = await fetch(`${botApi.apiRoot}/bot${token}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) });
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: any; error_code?: number; description?: string } };
  };

  test("a wrong token is 401, an unknown chat 400 chat not found", async () => {
    expect((await api("getMe", {}, "1:wrong")).body).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    expect((await api("getMe")).body.result).toMatchObject({ is_bot: true, username: "avtomat_simulator_bot" });
    expect((await api("sendMessage", { chat_id: 42, text: "hi" })).body).toMatchObject({ ok: false, error_code: 400, description: "Bad Request: chat not found" });
  });

  test("HTML Telegram would refuse is refused; same text again is 'not modified'", async () => {
    const chat = 990_000_004;
    const bad = await api("sendMessage", { chat_id: chat, text: "<script>alert(1)</script>", parse_mode: "HTML" });
    expect(bad.status).toBe(400);
    expect(bad.body.description).toContain("can't parse entities");
    const sent = await api("sendMessage", { chat_id: chat, text: "<b>Жол</b> &amp; &lt;ко&gt;", parse_mode: "HTML" });
    expect(sent.body.result).toMatchObject({ chat: { id: chat }, text: "Жол & <ко>" });
    const again = await api("editMessageText", { chat_id: chat, message_id: sent.body.result.message_id, text: "<b>Жол</b> &amp; &lt;ко&gt;", parse_mode: "HTML" });
    expect(again.body.description).toStartWith("Bad Request: message is not modified");
    expect((await api("editMessageText", { chat_id: chat, message_id: 9999, text: "x" })).body.description).toBe("Bad Request: message to edit not found");
    expect((await api("deleteMessage", { chat_id: chat, message_id: sent.body.result.message_id })).body.result).toBe(true);
  });

  test("getUpdates forgets what an offset confirmed", async () => {
    // A private simulator and Bot API, so the running bot does not take the updates.
    const own = createSimulator();
    const server = serveBotApi(own);
    try {
      const call = async (params: Record<string, unknown>) =>
        (await (await fetch(`${server.apiRoot}/bot${own.token}/getUpdates`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) })).json()) as { result: any[] };
      const started = Date.now();
      expect((await call({ timeout: 1 })).result).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // a long poll
      own.sendText(ASEL, "/start");
      own.sendText(ASEL, "привет");
      const first = (await call({ timeout: 0 })).result;
      expect(first.map((u) => u.message.text)).toEqual(["/start", "привет"]);
      expect(first[0].message.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
      expect(first[0].message.from).toMatchObject({ id: ASEL, first_name: "Асель", language_code: "ru", is_bot: false });
      expect((await call({ offset: first[0].update_id + 1, timeout: 0 })).result.map((u) => u.message.text)).toEqual(["привет"]);
      expect((await call({ offset: first[1].update_id + 1, timeout: 0 })).result).toEqual([]);
      expect(own.pending()).toBe(0);
    } finally {
      server.stop();
    }
  });
});

describe("switching it on and off", () => {
  test("SIMULATOR: on in development, off in production unless 1, validated", () => {
    expect(loadConfig({ NODE_ENV: "development", DATABASE_URL: "pglite://memory", SECRET_KEY: "x".repeat(32) }).simulator).toBe(true);
    expect(loadConfig({ NODE_ENV: "development", DATABASE_URL: "pglite://memory", SECRET_KEY: "x".repeat(32), SIMULATOR: "0" }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", DATABASE_URL: "pglite://memory", SECRET_KEY: "x".repeat(32) }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", DATABASE_URL: "pglite://memory", SECRET_KEY: "x".repeat(32), SIMULATOR: "1" }).simulator).toBe(true);
    expect(() => loadConfig({ NODE_ENV: "production", DATABASE_URL: "pglite://memory", SECRET_KEY: "x".repeat(32), SIMULATOR: "maybe" })).toThrow(ConfigError);
  });

  test("off: no /simulator/ at all; a real token: the page says the real Telegram is in use", async () => {
    const off = createApp({ config: testConfig({ SIMULATOR: "0" }), database, botState: () => "off" });
    expect((await off.handle(new Request("http://localhost/simulator/"))).status).toBe(404);
    const real = createApp({ config: testConfig({ SIMULATOR: "1", TELEGRAM_BOT_TOKEN: "1:abc" }), database, botState: () => "polling", simulator: null });
    const res = await real.handle(new Request("http://localhost/simulator/"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Симулятор выключен");
    const send = await real.handle(new Request(`http://localhost/simulator/chats/${ASEL}/send`, { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost" }, body: JSON.stringify({ text: "hi" }) }));
    expect(send.status).toBe(409);
  });

  test("production with SIMULATOR=1: administrators only, and with the session's CSRF token", async () => {
    const config = testConfig({ NODE_ENV: "production", SECRET_KEY: "s".repeat(40), SIMULATOR: "1" });
    const prod = createApp({ config, database, botState: bot.state, simulator });
    const auth = createAuth(database.db, { secure: false });
    const sessionOf = async (login: string) => {
      const [account] = await database.db.select().from(accounts).where(eq(accounts.login, login));
      const session = await startSession(auth, account!.id);
      return { cookie: `${SESSION_COOKIE}=${session.id}`, csrf: session.csrfToken };
    };
    const at = (path: string, init: RequestInit = {}) => prod.handle(new Request(`http://localhost${path}`, init));
    const send = (headers: Record<string, string>) =>
      at(`/simulator/chats/${ASEL}/send`, { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost", ...headers }, body: JSON.stringify({ text: "/my" }) });

    expect((await at("/simulator/")).status).toBe(403);
    expect((await at(`/simulator/chats/${ASEL}`)).status).toBe(403);
    expect((await send({})).status).toBe(403);
    const school = await sessionOf("school-zhol");
    expect((await at("/simulator/", { headers: { cookie: school.cookie } })).status).toBe(403);
    expect((await send({ cookie: school.cookie, "x-csrf-token": school.csrf })).status).toBe(403);

    const admin = await sessionOf("admin");
    const page = await at("/simulator/", { headers: { cookie: admin.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`data-csrf="${admin.csrf}"`);
    expect((await at(`/simulator/chats/${ASEL}`, { headers: { cookie: admin.cookie } })).status).toBe(200);
    expect((await send({ cookie: admin.cookie })).status).toBe(403); // no CSRF token
    expect((await send({ cookie: admin.cookie, "x-csrf-token": admin.csrf })).status).toBe(200);
  });
});
