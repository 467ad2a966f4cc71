// Webhook mode: setWebhook with our address and secret at start; Telegram's POSTs are checked
// against the secret, handled by the same bot (exactly once), and answered 200.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { webhookSecret } from "../../src/bot/webhook.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";
import { freePort } from "../support/process.ts";

setDefaultTimeout(30_000);

let tg: FakeTelegram;
let server: Running;
let base: string;
const config = () => testConfig({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, BOT_MODE: "webhook", PUBLIC_URL: base, PORT: String(new URL(base).port), SIMULATOR: "0" });

beforeAll(async () => {
  tg = await startFakeTelegram();
  base = `http://127.0.0.1:${freePort()}`;
  server = await startServer(config());
});
afterAll(async () => {
  await server.stop();
  tg.stop();
});

const update = (id: number, chat: number) => ({
  update_id: id,
  message: { message_id: 1, date: 0, chat: { id: chat, type: "private" }, from: { id: chat, is_bot: false, first_name: "Вебхук" }, text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] },
});
const post = (body: unknown, secret: string | null) =>
  fetch(`${base}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(body),
  });

describe("webhook mode", () => {
  test("registers the webhook with our address and secret, and does not poll", async () => {
    const call = await tg.waitForCall("setWebhook");
    expect(call).toMatchObject({ url: `${base}/telegram/webhook`, secret_token: webhookSecret(config().secretKey) });
    // The fake records the call before our side has read its answer: give it a moment.
    const botState = async () => (await (await fetch(`${base}/healthz`)).json()).bot;
    for (let i = 0; i < 50 && (await botState()) !== "webhook"; i++) await Bun.sleep(20);
    expect(await botState()).toBe("webhook");
    await Bun.sleep(300);
    expect(tg.pending()).toBe(0); // nothing queued, and nobody asked getUpdates for it
  });

  test("a POST without the right secret is refused and changes nothing", async () => {
    expect((await post(update(9001, 8001), null)).status).toBe(401);
    expect((await post(update(9001, 8001), "x".repeat(64))).status).toBe(401);
    const [row] = await queryRows<{ n: number }>(server.database.db, sql`select count(*)::int as n from processed_updates where update_id = 9001`);
    expect(row!.n).toBe(0);
  });

  test("an update with the secret is handled once, however often Telegram sends it", async () => {
    const secret = webhookSecret(config().secretKey);
    expect((await post(update(9002, 8002), secret)).status).toBe(200);
    expect((await post(update(9002, 8002), secret)).status).toBe(200);
    const reply = await tg.waitForCall("sendMessage", (p) => p.chat_id === 8002);
    expect(reply.text).toContain("Здравствуйте, Вебхук!");
    await Bun.sleep(200);
    expect(tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === 8002)).toHaveLength(1);
    expect((await post({ nonsense: true }, secret)).status).toBe(400);
  });

  test("an update over 64 KiB is 413 and not handled, declared or chunked (the webhook precedes the security plugin)", async () => {
    const secret = webhookSecret(config().secretKey);
    const big = JSON.stringify({ ...update(9003, 8003), padding: "x".repeat(70 * 1024) });
    const headers = { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret };
    expect((await fetch(`${base}/telegram/webhook`, { method: "POST", headers, body: big })).status).toBe(413);
    // A stream body goes out with Transfer-Encoding: chunked (no Content-Length).
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 16_384) c.enqueue(bytes.subarray(i, i + 16_384));
        c.close();
      },
    });
    const chunked = await fetch(`${base}/telegram/webhook`, { method: "POST", headers, body: stream });
    expect(chunked.status).toBe(413);
    expect(chunked.headers.get("content-security-policy")).toContain("default-src 'self'");
    const [row] = await queryRows<{ n: number }>(server.database.db, sql`select count(*)::int as n from processed_updates where update_id = 9003`);
    expect(row!.n).toBe(0);
  });
});
