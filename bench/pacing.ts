// The pacing part of `bun run bench` (issue 19): the real app against a fake Bot API that enforces
// Telegram's limits (300 messages a second, 1 per chat, 429 beyond; the app is told the same
// limits), while 2,000 bulk messages wait in the outbox (two each to 1,000 chats) and 50 students
// press buttons. It reports the share of the limit the app used while the bulk drained, the 429s
// it got, and how long the students waited for their replies.
//
// Each student sends /start once the bulk is flowing (spread over most of the drain) and presses
// the reply's first button THINK_MS after it arrived: a student reads before pressing, and a press
// sooner than the chat's interval (1 s) would wait for the chat's turn by design.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../src/db/client.ts";
import { enqueueMessages } from "../src/domain/outbox.ts";
import { BULK_HORIZON_MS, PACE_SHARE } from "../src/bot/pacer.ts";
import { forgetBenchChats, startApp, type BenchConfig, type Row } from "./bench.ts";
import { startBenchBotApi, type BenchUpdate } from "./fake-bot-api.ts";

export interface PacingConfig {
  /** Outbox messages queued at once (two per chat). */
  bulk: number;
  students: number;
  /** The limits the fake enforces and the app is configured with: messages per second, overall and per chat. */
  limit: number;
  perChat: number;
  /** How long a student reads a reply before pressing its button. */
  thinkMs: number;
  timeoutMs: number;
}

export const PACING_DEFAULTS: PacingConfig = { bulk: 2000, students: 50, limit: 300, perChat: 1, thinkMs: 1500, timeoutMs: 120_000 };

const TOKEN = "777002:BENCH-token_pacing-limits";
/** Chat ids of the bulk messages and of the students (above the bot part's, cleaned up by the same forgetBenchChats). */
const FIRST_BULK_CHAT = 8_500_000_000;
const FIRST_STUDENT = 8_600_000_000;
/** update_ids at or above this belong to the persistence ceiling's rows (bench.ts), not to real updates. */
const CEILING_UPDATES = 900_000_000_000;

interface Student {
  id: number;
  /** When the update waiting for a reply was pushed (performance.now()), null when none waits. */
  waitingSince: number | null;
  pressed: boolean;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

export async function pacing(cfg: BenchConfig, facts: Record<string, string>): Promise<Row[]> {
  const p = { ...PACING_DEFAULTS, ...cfg.pacing };
  const db = cfg.database.db;
  const bulkChats = Math.ceil(p.bulk / 2);
  await forget(cfg);
  cfg.log(`pacing: ${p.bulk} bulk messages to ${bulkChats} chats, ${p.students} students, fake Bot API enforcing ${p.limit}/s and ${p.perChat}/s per chat`);

  let nextUpdate = await firstFreeUpdateId(db);
  const students = new Map<number, Student>();
  const latencies: number[] = [];
  const bulkAt: number[] = [];
  let repliesDuringBulk = 0;
  const api = await startBenchBotApi(TOKEN, {
    limit: { perSecond: p.limit, perChat: p.perChat },
    onReply(_method, params, result, at) {
      const chat = Number(params.chat_id);
      if (chat >= FIRST_BULK_CHAT && chat < FIRST_STUDENT) return void bulkAt.push(at);
      const s = students.get(chat);
      if (!s || s.waitingSince === null) return;
      latencies.push(at - s.waitingSince);
      if (bulkAt.length < p.bulk) repliesDuringBulk++;
      s.waitingSince = null;
      if (s.pressed) return;
      // The first button of the greeting, pressed after reading it.
      const data = params.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data;
      setTimeout(() => {
        s.pressed = true;
        s.waitingSince = performance.now();
        api.push(press(nextUpdate++, chat, result.message_id, data));
      }, p.thinkMs);
    },
  });
  const app = await startApp(cfg, api, { TELEGRAM_SEND_RATE: String(p.limit), TELEGRAM_CHAT_RATE: String(p.perChat) });
  let cpuMs: number | null = null;
  try {
    await untilPolling(app.url);
    api.load([]); // counters from here
    const cpuBefore = app.cpuMs();
    await db.transaction(async (tx) => {
      for (let i = 0; i < bulkChats; i++) {
        const chat = FIRST_BULK_CHAT + i;
        await enqueueMessages(tx, chat, [1, 2].slice(0, Math.min(2, p.bulk - 2 * i)).map((k) => ({ text: `echo ${chat}:${k}` })));
      }
    });
    await until(() => bulkAt.length > 0, 30_000, "the first bulk message");
    // The students come while the bulk drains: spread over 70 % of the time it should take.
    const drainMs = (p.bulk / (p.limit * PACE_SHARE)) * 1000;
    for (let i = 0; i < p.students; i++) {
      const id = FIRST_STUDENT + i;
      students.set(id, { id, waitingSince: performance.now(), pressed: false });
      api.push(start(nextUpdate++, id));
      await Bun.sleep((0.7 * drainMs) / p.students);
    }
    const done = () => bulkAt.length >= p.bulk && latencies.length >= 2 * p.students;
    await until(done, p.timeoutMs, "the bulk and every student's replies").catch((err) => cfg.log(String(err)));
    const cpuAfter = app.cpuMs();
    if (cpuBefore !== null && cpuAfter !== null) cpuMs = cpuAfter - cpuBefore;
  } finally {
    await app.stop();
    await api.stop();
  }
  const stats = api.stats();
  await forget(cfg);

  // The share of the limit: every message the fake accepted while the bulk drained.
  const [first, last] = [bulkAt[0] ?? 0, bulkAt.at(-1) ?? 0];
  const seconds = (last - first) / 1000;
  const inWindow = api.pacedTimes().filter((t) => t >= first && t <= last).length;
  const rate = seconds > 0 ? inWindow / seconds : 0;
  // Which limit each 429 hit and when, from the first bulk message: a start-up burst, a stall among the students, the tail.
  const limited = api.limitedLog().map((l) => `${l.which === "overall" ? `the ${p.limit}/s limit` : `chat ${l.chat}'s ${p.perChat}/s`} at ${((l.at - first) / 1000).toFixed(2)} s`);
  const complete = bulkAt.length >= p.bulk && latencies.length >= 2 * p.students;
  facts["pacing"] =
    `the app paces at ${Math.round(PACE_SHARE * 100)}% of TELEGRAM_SEND_RATE=${p.limit} (bulk reserves at most ${BULK_HORIZON_MS} ms ahead); ` +
    `the bulk drained in ${seconds.toFixed(1)} s; ${repliesDuringBulk} of ${latencies.length} student replies arrived while bulk was still queued; students press ${p.thinkMs} ms after reading` +
    (cpuMs === null ? "" : `; the app used ${(cpuMs / 1000).toFixed(1)} s of CPU for ${(bulkAt.length + latencies.length).toLocaleString("en")} messages (${(cpuMs / (bulkAt.length + latencies.length)).toFixed(2)} ms each, with the students' updates)`);
  const problems = [
    complete ? "" : `incomplete: ${bulkAt.length} of ${p.bulk} bulk, ${latencies.length} of ${2 * p.students} student replies`,
    stats.outOfOrder ? `${stats.outOfOrder} bulk messages out of their chat's order or twice` : "",
  ].filter(Boolean);
  return [
    {
      key: "pacing",
      label: `Pacing: ${p.bulk.toLocaleString("en")} bulk outbox messages to ${bulkChats.toLocaleString("en")} chats while ${p.students} students press buttons; fake Bot API enforcing ${p.limit}/s, ${p.perChat}/s per chat`,
      rate,
      unit: "calls/s",
      value: `${seconds.toFixed(1)} s`,
      ceiling: `${pct(rate / p.limit)} of the ${p.limit}/s limit`,
      target: "≥ 90% of the limit",
      pass: complete && rate >= 0.9 * p.limit && problems.length === 0,
      note: problems.length ? problems.join("; ") : `every bulk message once, each chat in order; ${inWindow.toLocaleString("en")} messages between the first and the last bulk one`,
    },
    {
      key: "pacing-429",
      label: "  429 answers from the fake Bot API during the pacing run",
      value: String(stats.limited),
      target: "0",
      pass: stats.limited === 0,
      note: limited.length ? `over ${limited.slice(0, 3).join("; ")}${limited.length > 3 ? "; …" : ""} (from the first bulk message)` : undefined,
    },
    {
      key: "pacing-interactive",
      label: `  the students' replies (/start, then a button press): update offered → reply received`,
      p50Ms: latencies.length ? quantile(latencies, 0.5) : undefined,
      p99Ms: latencies.length ? quantile(latencies, 0.99) : undefined,
      target: "p99 < 1 s",
      pass: latencies.length >= 2 * p.students && quantile(latencies, 0.99) < 1000,
      note: `${latencies.length} replies`,
    },
  ];
}

const from = (id: number) => ({ id, is_bot: false, first_name: `Студент ${id - FIRST_STUDENT + 1}`, language_code: "ru" });

function start(updateId: number, chat: number): BenchUpdate {
  return { update_id: updateId, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "private" }, from: from(chat), text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] } };
}

function press(updateId: number, chat: number, messageId: number, data: string): BenchUpdate {
  return {
    update_id: updateId,
    callback_query: { id: `pacing-${updateId}`, from: from(chat), chat_instance: String(chat), data, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "private" }, text: "" } },
  };
}

async function firstFreeUpdateId(db: Db): Promise<number> {
  const [row] = await queryRows<{ next: string | number }>(db, sql`select coalesce(max(update_id), 0) + 1 as next from processed_updates where update_id < ${CEILING_UPDATES}`);
  return Number(row!.next);
}

/** Deletes what a run leaves: the students (with the bot part's chats), the bulk's outbox rows and the chats' pace rows. */
async function forget(cfg: BenchConfig): Promise<void> {
  await forgetBenchChats(cfg.database);
  await cfg.database.db.execute(sql`delete from outbox where chat_id >= ${FIRST_BULK_CHAT}`);
  await cfg.database.db.execute(sql`delete from send_pace where chat_id >= ${FIRST_BULK_CHAT}`);
}

async function untilPolling(url: string): Promise<void> {
  await until(async () => ((await (await fetch(`${url}/healthz`)).json()) as { bot?: string }).bot === "polling", 30_000, "the bot to poll");
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`pacing: no ${what} within ${timeoutMs} ms`);
    await Bun.sleep(10);
  }
}
