// The environment, read and validated once at start. Every bad value is reported
// by name with what was expected; the caller decides to exit (see main.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { parseSupportContact, type SupportContact } from "./model/support-contact.ts";
import { DEFAULT_TIME_ZONE } from "./model/time.ts";

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string | null }; // null = in memory

export interface Config {
  env: "development" | "production" | "test";
  database: DatabaseTarget;
  port: number;
  telegramToken: string | null;
  telegramApiRoot: string;
  secretKey: string;
  timeZone: string;
  publicUrl: string;
  /** The bot's @username without "@", for t.me deep links in the CRM (optional). */
  telegramBotUsername: string | null;
  /** The bot simulator at /simulator/ (used only when no token is set): on in development, off in production unless SIMULATOR=1. */
  simulator: boolean;
  /** How updates arrive: long polling (default) or Telegram calling POST /telegram/webhook. */
  botMode: "polling" | "webhook";
  /**
   * The app runs behind a reverse proxy it trusts (TRUST_PROXY=1): the client's address is the
   * first X-Forwarded-For address instead of the socket's (login rate limits are per address).
   */
  trustProxy: boolean;
  /** Slots from the weekly templates are kept generated this many local days ahead (SLOT_HORIZON_DAYS, 1..MAX_SLOT_HORIZON_DAYS). */
  slotHorizonDays: number;
  /** Where students reach the platform's support (/help): a Telegram @username or a phone; null = not set. */
  supportContact: SupportContact | null;
  /**
   * Updates one chat may have waiting to be handled (BOT_CHAT_QUEUE_CAP, 1..MAX_CHAT_QUEUE_CAP):
   * beyond it the chat's updates are dropped and the student is asked once to slow down.
   */
  botChatQueueCap: number;
  /**
   * Telegram's limits for this bot, in messages per second (TELEGRAM_SEND_RATE overall, default 30;
   * TELEGRAM_CHAT_RATE per chat, default 1): every instance together stays under them
   * (src/bot/pacer.ts). null: TELEGRAM_SEND_RATE=off, no pacing (a Bot API without limits: the
   * benchmark's fake).
   */
  telegramSendRate: number | null;
  telegramChatRate: number;
  /** Connections this instance keeps to a PostgreSQL server (DATABASE_POOL_SIZE, 1..MAX_DATABASE_POOL_SIZE). */
  databasePoolSize: number;
}

/** The largest per-chat queue: more would let one chat fill the poller's in-memory bound (src/bot/polling.ts). */
export const MAX_CHAT_QUEUE_CAP = 1000;

/**
 * The pool's default: with 20 connections the bot spends ~8 % less CPU per update than with 10
 * (more of the updates in flight share each wake-up of the event loop; bench/results.md,
 * 2026-12-04). Each instance opens this many plus one for the poller lock; PostgreSQL's default
 * max_connections is 100.
 */
export const DEFAULT_DATABASE_POOL_SIZE = 20;
export const MAX_DATABASE_POOL_SIZE = 100;

/** The longest slot horizon: three months (src/domain/availability.ts generates at most this many days at once). */
export const MAX_SLOT_HORIZON_DAYS = 92;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

export const DEFAULT_DATABASE_URL = "pglite://./data/pglite";

export function parseDatabaseUrl(raw: string): DatabaseTarget | string {
  if (raw === "pglite://memory") return { kind: "pglite", dataDir: null };
  if (raw.startsWith("pglite://")) {
    const dir = raw.slice("pglite://".length);
    return dir ? { kind: "pglite", dataDir: dir } : "pglite://<folder> needs a folder, or use pglite://memory";
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      const u = new URL(raw);
      if (!u.hostname && !u.searchParams.get("host")) return "a postgres:// URL needs a host";
      return { kind: "postgres", url: raw };
    } catch {
      return "not a valid URL";
    }
  }
  return "expected postgres://user@host:port/db, pglite://<folder> or pglite://memory";
}

const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]+$/;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Development keeps a generated key next to the data so sessions survive restarts. */
function developmentSecret(database: DatabaseTarget): string {
  const folder = database.kind === "pglite" && database.dataDir ? dirname(database.dataDir) : "./data";
  const file = join(folder, "secret-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("hex");
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const mode = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";

  const dbRaw = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const parsedDb = parseDatabaseUrl(dbRaw);
  if (typeof parsedDb === "string") problems.push(`DATABASE_URL: ${parsedDb} (got "${redactUrl(dbRaw)}")`);

  let port = 3000;
  if (env.PORT !== undefined && env.PORT !== "") {
    port = Number(env.PORT);
    if (!/^\d+$/.test(env.PORT) || port < 0 || port > 65535)
      problems.push(`PORT: expected a whole number from 0 to 65535 (got "${env.PORT}")`);
  }

  const token = env.TELEGRAM_BOT_TOKEN?.trim() || null;
  if (token && !TOKEN_SHAPE.test(token))
    problems.push('TELEGRAM_BOT_TOKEN: expected the shape "<digits>:<letters, digits, _ or ->" as BotFather gives it');

  const apiRoot = (env.TELEGRAM_API_ROOT?.trim() || "https://api.telegram.org").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(apiRoot)) problems.push(`TELEGRAM_API_ROOT: expected an http(s) URL (got "${apiRoot}")`);

  const timeZone = env.TIME_ZONE?.trim() || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) problems.push(`TIME_ZONE: expected an IANA time zone such as Asia/Almaty (got "${timeZone}")`);

  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) problems.push(`PUBLIC_URL: expected an http(s) URL (got "${publicUrl}")`);

  let secretKey = env.SECRET_KEY?.trim() || "";
  if (secretKey && secretKey.length < 32) problems.push("SECRET_KEY: expected at least 32 characters");
  if (!secretKey && mode === "production") problems.push("SECRET_KEY: required when NODE_ENV=production (32+ random characters)");

  const botUsername = env.TELEGRAM_BOT_USERNAME?.trim().replace(/^@/, "") || null;
  if (botUsername && !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(botUsername))
    problems.push(`TELEGRAM_BOT_USERNAME: expected a bot username such as avtomat_bot (got "${botUsername}")`);

  const simulatorRaw = env.SIMULATOR?.trim().toLowerCase() || "";
  const simulator = simulatorRaw === "" ? mode === "development" : ["1", "true", "yes", "on"].includes(simulatorRaw);
  if (simulatorRaw && !["1", "true", "yes", "on", "0", "false", "no", "off"].includes(simulatorRaw))
    problems.push(`SIMULATOR: expected 1 (on) or 0 (off) (got "${env.SIMULATOR}")`);

  const trustProxyRaw = env.TRUST_PROXY?.trim().toLowerCase() || "";
  const trustProxy = ["1", "true", "yes", "on"].includes(trustProxyRaw);
  if (trustProxyRaw && !["1", "true", "yes", "on", "0", "false", "no", "off"].includes(trustProxyRaw))
    problems.push(`TRUST_PROXY: expected 1 (behind a trusted reverse proxy) or 0 (got "${env.TRUST_PROXY}")`);

  const botMode = (env.BOT_MODE?.trim().toLowerCase() || "polling") as Config["botMode"];
  if (botMode !== "polling" && botMode !== "webhook") problems.push(`BOT_MODE: expected polling or webhook (got "${env.BOT_MODE}")`);
  if (botMode === "webhook" && !token) problems.push("BOT_MODE: webhook needs TELEGRAM_BOT_TOKEN");
  if (botMode === "webhook" && !env.PUBLIC_URL?.trim()) problems.push("BOT_MODE: webhook needs PUBLIC_URL, the https address Telegram will call");

  let slotHorizonDays = 14;
  if (env.SLOT_HORIZON_DAYS !== undefined && env.SLOT_HORIZON_DAYS.trim() !== "") {
    slotHorizonDays = Number(env.SLOT_HORIZON_DAYS.trim());
    if (!/^\d{1,3}$/.test(env.SLOT_HORIZON_DAYS.trim()) || slotHorizonDays < 1 || slotHorizonDays > MAX_SLOT_HORIZON_DAYS)
      problems.push(`SLOT_HORIZON_DAYS: expected a whole number of days from 1 to ${MAX_SLOT_HORIZON_DAYS} (got "${env.SLOT_HORIZON_DAYS}")`);
  }

  let botChatQueueCap = 50;
  const capRaw = env.BOT_CHAT_QUEUE_CAP?.trim() ?? "";
  if (capRaw !== "") {
    botChatQueueCap = Number(capRaw);
    if (!/^\d{1,4}$/.test(capRaw) || botChatQueueCap < 1 || botChatQueueCap > MAX_CHAT_QUEUE_CAP)
      problems.push(`BOT_CHAT_QUEUE_CAP: expected a whole number of updates from 1 to ${MAX_CHAT_QUEUE_CAP} (got "${env.BOT_CHAT_QUEUE_CAP}")`);
  }

  let databasePoolSize = DEFAULT_DATABASE_POOL_SIZE;
  const poolRaw = env.DATABASE_POOL_SIZE?.trim() ?? "";
  if (poolRaw !== "") {
    databasePoolSize = Number(poolRaw);
    if (!/^\d{1,3}$/.test(poolRaw) || databasePoolSize < 1 || databasePoolSize > MAX_DATABASE_POOL_SIZE)
      problems.push(`DATABASE_POOL_SIZE: expected a whole number of connections from 1 to ${MAX_DATABASE_POOL_SIZE} (got "${env.DATABASE_POOL_SIZE}")`);
  }

  const supportRaw = env.SUPPORT_CONTACT?.trim() || "";
  const support = supportRaw ? parseSupportContact(supportRaw) : null;
  if (typeof support === "string") problems.push(`SUPPORT_CONTACT: ${support}`);

  const telegramSendRate = env.TELEGRAM_SEND_RATE?.trim().toLowerCase() === "off" ? null : messageRate(env, "TELEGRAM_SEND_RATE", 30, problems, ", or off");
  const telegramChatRate = messageRate(env, "TELEGRAM_CHAT_RATE", 1, problems);

  if (problems.length) throw new ConfigError(problems);
  const database = parsedDb as DatabaseTarget;
  if (!secretKey) secretKey = mode === "test" ? "test-secret-key-test-secret-key-00" : developmentSecret(database);

  return { env: mode, database, port, telegramToken: token, telegramApiRoot: apiRoot, secretKey, timeZone, publicUrl, telegramBotUsername: botUsername, simulator, trustProxy, botMode, slotHorizonDays, supportContact: support as SupportContact | null, botChatQueueCap, telegramSendRate, telegramChatRate, databasePoolSize };
}

/** Paid broadcasts lift a bot to 1,000 messages a second; nothing Telegram offers goes beyond. */
export const MAX_SEND_RATE = 1000;

/**
 * A rate in messages per second: a positive number (decimals allowed, e.g. 0.5) up to
 * MAX_SEND_RATE. 0 is refused: pacing is turned off by name (TELEGRAM_SEND_RATE=off).
 */
function messageRate(env: Record<string, string | undefined>, name: string, fallback: number, problems: string[], orElse = ""): number {
  const raw = env[name]?.trim() ?? "";
  if (raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0) || value > MAX_SEND_RATE) {
    problems.push(`${name}: expected messages per second, a number above 0 and at most ${MAX_SEND_RATE}${orElse} (got "${env[name]}")`);
    return fallback;
  }
  return value;
}

/** For logs: never print a database password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
