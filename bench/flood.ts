// The "flood" part (issue 19): one chat sends 1,000 updates while 100 other chats each press one
// button. Per mode, the bystanders' reply times beside the same presses without a flood (same
// run), and what the flooding chat got:
//  - polling: the app's own poller; the flood and then the presses are queued at Telegram at once,
//    so each press waits behind the whole flood there (reply time from that moment);
//  - webhook: a second app process in BOT_MODE=webhook; the flood is POSTed over 40 connections
//    (Telegram's default max_connections) and the presses meanwhile (reply time from each POST).
// A bystander's reply is the first message sent or edited in its chat.
import { sql } from "drizzle-orm";
import { stepData } from "../src/bot/callback-data.ts";
import { chatOf } from "../src/bot/chat-queues.ts";
import { webhookSecret } from "../src/bot/webhook.ts";
import { queryRows, type Database } from "../src/db/client.ts";
import { t } from "../src/i18n/index.ts";
import { appEnv, FIRST_CHAT, forgetBenchChats, nextUpdateId, startApp, type BenchConfig, type Row } from "./bench.ts";
import type { BenchBotApi, BenchUpdate } from "./fake-bot-api.ts";

const FLOOD = 1000;
const BYSTANDERS = 100;
const TARGET_P99_MS = 300;
/** The flood part's chats: FIRST_CHAT + these, past the bot part's (FIRST_CHAT + chat index), one block per mode. */
const CHATS = { polling: 5_000_000, webhook: 5_010_000 } as const;
const WEBHOOK_CONNECTIONS = 40;
const WAIT_MS = 60_000;

type Mode = keyof typeof CHATS;

/** Hands updates to the bot; returns when each was sent (performance.now()). */
type Door = (updates: BenchUpdate[], flood?: BenchUpdate[]) => Promise<Map<number, number>>;

export async function floodRows(cfg: BenchConfig, api: BenchBotApi): Promise<Row[]> {
  await forgetBenchChats(cfg.database);
  cfg.log(`flood, polling: ${FLOOD} updates from one chat, ${BYSTANDERS} chats press a button`);
  const rows = [await measure(cfg, api, "polling", pollingDoor(api))];
  const webhookApp = await startApp(cfg, api, { BOT_MODE: "webhook" });
  try {
    cfg.log("flood, webhook: the same through a second app in BOT_MODE=webhook");
    rows.push(await measure(cfg, api, "webhook", webhookDoor(webhookApp.url, webhookSecret(appEnv(cfg, api, 0).SECRET_KEY!))));
  } finally {
    await webhookApp.stop();
  }
  return rows;
}

/** Polling: Telegram holds the updates; the app's long poll takes them. All are sent at once. */
function pollingDoor(api: BenchBotApi): Door {
  return async (updates, flood = []) => {
    const at = performance.now();
    api.load([...flood, ...updates]);
    return new Map([...flood, ...updates].map((u) => [u.update_id, at]));
  };
}

/** Webhook: each update POSTed as Telegram does; the flood over its own connections, the rest meanwhile. */
function webhookDoor(url: string, secret: string): Door {
  const post = (u: BenchUpdate) =>
    fetch(`${url}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body: JSON.stringify(u) }).then((r) => r.arrayBuffer());
  return async (updates, flood = []) => {
    const sentAt = new Map<number, number>();
    const send = (u: BenchUpdate) => (sentAt.set(u.update_id, performance.now()), post(u));
    let next = 0;
    const flooding = Promise.all(Array.from({ length: Math.min(WEBHOOK_CONNECTIONS, flood.length) }, async () => {
      while (next < flood.length) await send(flood[next++]!);
    }));
    await Promise.all([flooding, ...updates.map(send)]);
    return sentAt;
  };
}

async function measure(cfg: BenchConfig, api: BenchBotApi, mode: Mode, door: Door): Promise<Row> {
  const floodChat = FIRST_CHAT + CHATS[mode];
  const calm = Array.from({ length: BYSTANDERS }, (_, i) => floodChat + 1 + i);
  const busy = Array.from({ length: BYSTANDERS }, (_, i) => floodChat + 1 + BYSTANDERS + i);
  const slowDown = t("ru").slowDown;
  let firstReply = new Map<number, number>();
  let slowDowns = 0;
  api.watch((method, p) => {
    const chat = Number(p.chat_id);
    if (method === "sendMessage" && chat === floodChat && p.text === slowDown) slowDowns++;
    if ((method === "sendMessage" || method === "editMessageText") && !firstReply.has(chat)) firstReply.set(chat, performance.now());
  });
  let id = await nextUpdateId(cfg.database);
  const make = (chat: number, kind: "start" | "press" | "text", n = 0): BenchUpdate => {
    const from = { id: chat, is_bot: false, first_name: "Сосед", language_code: "ru" };
    const message = { message_id: n + 1, date: 1_700_000_000, chat: { id: chat, type: "private" }, from };
    if (kind === "press")
      return { update_id: id++, callback_query: { id: `flood-${chat}-${id}`, from, chat_instance: String(chat), data: stepData.pack({ s: "licence", v: "no" }), message: { ...message, text: "" } } };
    return { update_id: id++, message: { ...message, ...(kind === "start" ? { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] } : { text: `сообщение ${n}` }) } };
  };
  /** Sends and waits for every chat's first reply; the reply times of those that came in time. */
  const round = async (chats: number[], updates: BenchUpdate[], flood?: BenchUpdate[]) => {
    firstReply = new Map();
    const sentAt = await door(updates, flood);
    const deadline = performance.now() + WAIT_MS;
    while (chats.some((c) => !firstReply.has(c)) && performance.now() < deadline) await Bun.sleep(5);
    const byChat = new Map(updates.map((u) => [Number(chatOf(u)), sentAt.get(u.update_id)!]));
    return chats.filter((c) => firstReply.has(c)).map((c) => firstReply.get(c)! - byChat.get(c)!);
  };

  try {
    await round([...calm, ...busy], [...calm, ...busy].map((c) => make(c, "start"))); // each is at the licence question
    const without = percentiles(await round(calm, calm.map((c) => make(c, "press"))));
    const flood = Array.from({ length: FLOOD }, (_, n) => make(floodChat, n ? "text" : "start", n));
    const t0 = performance.now();
    const under = await round(busy, busy.map((c) => make(c, "press")), flood);
    const handled = await floodHandled(cfg.database, flood);
    const seconds = (performance.now() - t0) / 1000;
    const got = percentiles(under);
    const missing = BYSTANDERS - under.length;
    return {
      key: `flood-${mode}`,
      label: `Bystanders under a flood, ${mode}: ${BYSTANDERS} chats press a button ${mode === "polling" ? "queued behind" : "while"} ${FLOOD.toLocaleString("en")} updates from one chat`,
      p50Ms: got.p50,
      p99Ms: got.p99,
      ceiling: `p99 ×${(got.p99 / without.p99).toFixed(1)} of the same presses without a flood (p50 ${without.p50.toFixed(0)} ms, p99 ${without.p99.toFixed(0)} ms)`,
      target: `p99 < ${TARGET_P99_MS} ms`,
      pass: got.p99 < TARGET_P99_MS && missing === 0,
      errors: missing,
      note:
        `the flooding chat: ${handled} handled, ${FLOOD - handled} dropped, ${slowDowns} "slow down" message${slowDowns === 1 ? "" : "s"}; all settled in ${seconds.toFixed(1)} s` +
        (missing ? `; ${missing} bystanders not answered within ${WAIT_MS / 1000} s` : ""),
    };
  } finally {
    api.watch(null);
  }
}

/** Waits until the flood's stored updates are handled (the inbox empties); how many of them were. */
async function floodHandled(database: Database, flood: BenchUpdate[]): Promise<number> {
  const [lo, hi] = [flood[0]!.update_id, flood.at(-1)!.update_id];
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const [row] = await queryRows<{ stored: number; handled: number }>(
      database.db,
      sql`select (select count(*) from bot_inbox where update_id between ${lo} and ${hi})::int as stored,
                 (select count(*) from processed_updates where update_id between ${lo} and ${hi})::int as handled`,
    );
    if (row!.stored === 0 || performance.now() > deadline) return row!.handled;
    await Bun.sleep(20);
  }
}

function percentiles(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN);
  return { p50: q(0.5), p99: q(0.99) };
}
