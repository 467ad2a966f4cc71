import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig, parseDatabaseUrl, redactUrl } from "../../src/config.ts";

const base = { NODE_ENV: "test" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe("config", () => {
  test("defaults: embedded database, port 3000, Almaty time, bot off", () => {
    const c = loadConfig({ ...base });
    expect(c.database).toEqual({ kind: "pglite", dataDir: "./data/pglite" });
    expect(c.port).toBe(3000);
    expect(c.timeZone).toBe("Asia/Almaty");
    expect(c.telegramToken).toBeNull();
    expect(c.telegramApiRoot).toBe("https://api.telegram.org");
  });

  test("database URLs: server, folder, memory", () => {
    expect(parseDatabaseUrl("postgres://u:p@db:5432/app")).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/app" });
    expect(parseDatabaseUrl("pglite://./x")).toEqual({ kind: "pglite", dataDir: "./x" });
    expect(parseDatabaseUrl("pglite://memory")).toEqual({ kind: "pglite", dataDir: null });
  });

  test("every bad value is named with what was expected", () => {
    expect(problems({ DATABASE_URL: "mysql://x" })[0]).toStartWith("DATABASE_URL: expected postgres://");
    expect(problems({ DATABASE_URL: "pglite://" })[0]).toStartWith("DATABASE_URL: pglite://<folder> needs a folder");
    expect(problems({ PORT: "http" })[0]).toStartWith("PORT: expected a whole number");
    expect(problems({ PORT: "70000" })[0]).toStartWith("PORT:");
    expect(problems({ TELEGRAM_BOT_TOKEN: "not-a-token" })[0]).toStartWith("TELEGRAM_BOT_TOKEN: expected the shape");
    expect(problems({ TELEGRAM_API_ROOT: "ftp://x" })[0]).toStartWith("TELEGRAM_API_ROOT:");
    expect(problems({ TIME_ZONE: "Mars/Olympus" })[0]).toStartWith("TIME_ZONE:");
    expect(problems({ PUBLIC_URL: "example.kz" })[0]).toStartWith("PUBLIC_URL:");
    expect(problems({ SECRET_KEY: "short" })[0]).toStartWith("SECRET_KEY: expected at least 32");
  });

  test("BOT_MODE: polling by default; webhook needs a token and PUBLIC_URL", () => {
    expect(loadConfig({ ...base }).botMode).toBe("polling");
    expect(problems({ BOT_MODE: "push" })[0]).toStartWith("BOT_MODE: expected polling or webhook");
    expect(problems({ BOT_MODE: "webhook" })).toEqual([
      "BOT_MODE: webhook needs TELEGRAM_BOT_TOKEN",
      "BOT_MODE: webhook needs PUBLIC_URL, the https address Telegram will call",
    ]);
    const ok = loadConfig({ ...base, BOT_MODE: "webhook", TELEGRAM_BOT_TOKEN: "1:a", PUBLIC_URL: "https://avtomat.kz" });
    expect(ok.botMode).toBe("webhook");
  });

  test("DATABASE_POOL_SIZE: 20 by default, a whole number of connections from 1 to 100", () => {
    expect(loadConfig(base).databasePoolSize).toBe(20);
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: "10" }).databasePoolSize).toBe(10);
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: " 100 " }).databasePoolSize).toBe(100);
    for (const bad of ["0", "101", "-5", "2.5", "ten", "1e2"])
      expect(problems({ DATABASE_POOL_SIZE: bad })).toEqual([`DATABASE_POOL_SIZE: expected a whole number of connections from 1 to 100 (got "${bad}")`]);
  });

  test("SLOT_HORIZON_DAYS: 14 by default, a whole number of days from 1 to 92", () => {
    expect(loadConfig({ ...base }).slotHorizonDays).toBe(14);
    expect(loadConfig({ ...base, SLOT_HORIZON_DAYS: "30" }).slotHorizonDays).toBe(30);
    expect(loadConfig({ ...base, SLOT_HORIZON_DAYS: " 92 " }).slotHorizonDays).toBe(92);
    for (const bad of ["0", "93", "-1", "7.5", "two weeks", "1e1"])
      expect(problems({ SLOT_HORIZON_DAYS: bad })).toEqual([`SLOT_HORIZON_DAYS: expected a whole number of days from 1 to 92 (got "${bad}")`]);
  });

  test("BOT_CHAT_QUEUE_CAP: 50 by default, a whole number of updates from 1 to 1000", () => {
    expect(loadConfig({ ...base }).botChatQueueCap).toBe(50);
    expect(loadConfig({ ...base, BOT_CHAT_QUEUE_CAP: " 30 " }).botChatQueueCap).toBe(30);
    expect(loadConfig({ ...base, BOT_CHAT_QUEUE_CAP: "" }).botChatQueueCap).toBe(50);
    for (const bad of ["0", "1001", "-5", "2.5", "many", "1e2", "99999"])
      expect(problems({ BOT_CHAT_QUEUE_CAP: bad })).toEqual([`BOT_CHAT_QUEUE_CAP: expected a whole number of updates from 1 to 1000 (got "${bad}")`]);
  });

  test("TELEGRAM_SEND_RATE / TELEGRAM_CHAT_RATE: 30 and 1 a second by default, a positive number up to 1000, or off", () => {
    expect(loadConfig({ ...base })).toMatchObject({ telegramSendRate: 30, telegramChatRate: 1 });
    expect(loadConfig({ ...base, TELEGRAM_SEND_RATE: " 300 ", TELEGRAM_CHAT_RATE: "0.5" })).toMatchObject({ telegramSendRate: 300, telegramChatRate: 0.5 });
    for (const bad of ["0", "-1", "1001", "fast", "1e2", "30/s"])
      expect(problems({ TELEGRAM_SEND_RATE: bad })).toEqual([`TELEGRAM_SEND_RATE: expected messages per second, a number above 0 and at most 1000, or off (got "${bad}")`]);
    expect(problems({ TELEGRAM_CHAT_RATE: "0.0" })).toEqual(['TELEGRAM_CHAT_RATE: expected messages per second, a number above 0 and at most 1000 (got "0.0")']);
    // Off only by name, for a Bot API without limits (the benchmark's fake).
    expect(loadConfig({ ...base, TELEGRAM_SEND_RATE: "off" }).telegramSendRate).toBeNull();
  });

  test("SUPPORT_CONTACT: unset, a Telegram @username or t.me link, or a Kazakh phone", () => {
    expect(loadConfig({ ...base }).supportContact).toBeNull();
    expect(loadConfig({ ...base, SUPPORT_CONTACT: " " }).supportContact).toBeNull();
    for (const raw of ["@avtomat_help", "t.me/avtomat_help", "https://t.me/avtomat_help/"])
      expect(loadConfig({ ...base, SUPPORT_CONTACT: raw }).supportContact).toEqual({ kind: "telegram", username: "avtomat_help" });
    expect(loadConfig({ ...base, SUPPORT_CONTACT: "8 (701) 234-56-78" }).supportContact).toEqual({ kind: "phone", phone: "+77012345678" });
    // An office's landline is fine for support.
    expect(loadConfig({ ...base, SUPPORT_CONTACT: "+7 727 123 45 67" }).supportContact).toEqual({ kind: "phone", phone: "+77271234567" });
    for (const bad of ["avtomat_help", "@abc", "@bad-name", "https://example.com/help", "+7 916 123 45 67", "<script>"])
      expect(problems({ SUPPORT_CONTACT: bad })).toEqual([`SUPPORT_CONTACT: expected a Telegram @username or a Kazakh phone number such as +7 701 234 56 78 (got "${bad}")`]);
  });

  test("all problems are reported at once", () => {
    expect(problems({ PORT: "x", TIME_ZONE: "y", TELEGRAM_BOT_TOKEN: "z" })).toHaveLength(3);
  });

  test("production requires SECRET_KEY", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow("SECRET_KEY: required when NODE_ENV=production");
    expect(loadConfig({ NODE_ENV: "production", SECRET_KEY: "k".repeat(32) }).secretKey).toBe("k".repeat(32));
  });

  test("a valid token and API root are kept, trailing slash trimmed", () => {
    const c = loadConfig({ ...base, TELEGRAM_BOT_TOKEN: "12345:AAH-abc_DEF", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" });
    expect(c.telegramToken).toBe("12345:AAH-abc_DEF");
    expect(c.telegramApiRoot).toBe("http://127.0.0.1:8081");
  });

  test("development keeps a generated secret in the data folder across restarts", async () => {
    const dir = `/tmp/avtomat-config-${process.pid}-${Date.now()}`;
    const env = { NODE_ENV: "development", DATABASE_URL: `pglite://${dir}/pglite` };
    const first = loadConfig(env).secretKey;
    expect(first).toHaveLength(64);
    expect(loadConfig(env).secretKey).toBe(first);
    expect(await Bun.file(`${dir}/secret-key`).text()).toBe(first);
  });

  test("passwords in database URLs are redacted for logs", () => {
    expect(redactUrl("postgres://app:s3cret@db/app")).toBe("postgres://app:***@db/app");
  });
});
