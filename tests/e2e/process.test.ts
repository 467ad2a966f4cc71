// The real process: start-up on the embedded database with no .env, graceful shutdown,
// reopening after a clean stop and after kill -9, and refusing bad configuration.
import { afterAll, afterEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { rmSync } from "node:fs";
import { openDatabase, queryRows } from "../../src/db/client.ts";
import { sql } from "drizzle-orm";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { killStrays, runScript, spawnApp } from "../support/process.ts";

// This file starts databases, servers or processes: more than the 5 s default.
setDefaultTimeout(30_000);

const dir = `/tmp/avtomat-process-${process.pid}`;
const DATABASE_URL = `pglite://${dir}/pglite`;
afterEach(killStrays);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function count(table: string): Promise<number> {
  const d = await openDatabase({ kind: "pglite", dataDir: `${dir}/pglite` });
  try {
    const [row] = await queryRows<{ n: number }>(d.db, sql.raw(`select count(*)::int as n from ${table}`));
    return row!.n;
  } finally {
    await d.close();
  }
}

describe("the process", () => {
  // How fast it starts is the benchmark's business (bench: "app start-up"); this limit only has to
  // hold on a busy 2-core machine, where a first start has been seen to take 9–14 s.
  test("starts on the embedded database, says the bot is off, stops on SIGTERM with exit 0", async () => {
    const app = spawnApp({ DATABASE_URL, SIMULATOR: "0" }); // the bot simulator (on by default in development) has its own test
    expect(await app.healthy(60_000)).toEqual({ status: "ok", database: "up", bot: "off" });
    expect(app.output()).toContain("Telegram bot is off: TELEGRAM_BOT_TOKEN is not set. Set SIMULATOR=1 to try the bot in the browser at /simulator/.");
    app.proc.kill("SIGTERM");
    expect(await app.proc.exited).toBe(0);
    expect(app.output()).toContain("stopped cleanly");
  }, 90_000);

  test("seed:cities twice: the second run inserts nothing; the data survives a clean restart", async () => {
    const first = await runScript(["run", "seed:cities"], { DATABASE_URL });
    expect(first.stdout).toContain("cities: inserted 23 of 23");
    const second = await runScript(["run", "seed:cities"], { DATABASE_URL });
    expect(second.stdout).toContain("nothing inserted");
    const app = spawnApp({ DATABASE_URL });
    await app.healthy();
    app.proc.kill("SIGINT");
    expect(await app.proc.exited).toBe(0);
    expect(await count("cities")).toBe(23);
  });

  test("after kill -9 in the middle of bot traffic the database reopens with its data", async () => {
    const tg = await startFakeTelegram();
    const app = spawnApp({ DATABASE_URL, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
    expect((await app.healthy(15_000, (b) => b.bot === "polling")).bot).toBe("polling");
    for (let i = 0; i < 5; i++) tg.sendText({ id: 7000 + i, first_name: `S${i}` }, "/start");
    // The five replies go one send slot apart (Telegram's limits), in any order.
    for (let i = 0; i < 5; i++) await tg.waitForCall("sendMessage", (p) => p.chat_id === 7000 + i, 10_000);
    for (let i = 0; i < 5; i++) tg.sendText({ id: 8000 + i, first_name: `T${i}` }, "/start");
    app.proc.kill("SIGKILL");
    await app.proc.exited;
    await tg.stop();
    // Every student whose reply was sent is stored; the reopened database answers.
    const replied = new Set(tg.calls.filter((c) => c.method === "sendMessage").map((c) => c.params.chat_id));
    expect(await count("students")).toBeGreaterThanOrEqual(replied.size);
    expect(replied.size).toBeGreaterThanOrEqual(5);
    const again = spawnApp({ DATABASE_URL });
    await again.healthy();
    again.proc.kill("SIGTERM");
    expect(await again.proc.exited).toBe(0);
  });

  test("with the bot polling, SIGTERM still exits 0 well within 10 s", async () => {
    const tg = await startFakeTelegram();
    const app = spawnApp({ DATABASE_URL, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
    await app.healthy();
    const t0 = Date.now();
    app.proc.kill("SIGTERM");
    expect(await app.proc.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    await tg.stop();
  });

  test("a second instance on the same embedded database refuses to start, with a clear message", async () => {
    const first = spawnApp({ DATABASE_URL });
    await first.healthy();
    const second = spawnApp({ DATABASE_URL });
    expect(await second.proc.exited).toBe(1);
    expect(second.output()).toContain("is in use by another AvtoMat process");
    expect(second.output()).toContain("use a PostgreSQL server");
    first.proc.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
  });

  test("seed:demo while the app holds the embedded database: one line saying what to do, exit 1, no stack trace", async () => {
    const app = spawnApp({ DATABASE_URL });
    await app.healthy();
    const seeded = await runScript(["run", "seed:demo"], { DATABASE_URL });
    expect(seeded.code).toBe(1);
    const lines = seeded.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("$ ") && !l.startsWith("error: script"));
    expect(lines).toEqual([expect.stringContaining("is in use by another AvtoMat process")]);
    expect(lines[0]).toContain("stop it (Ctrl+C in its terminal), run bun run seed:demo, then start it again.");
    expect(seeded.stderr).not.toMatch(/^\s+at /m);
    expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200); // the app is untouched
    app.proc.kill("SIGTERM");
    expect(await app.proc.exited).toBe(0);
  });

  for (const [name, env, expected] of [
    ["a malformed DATABASE_URL", { DATABASE_URL: "mysql://x" }, "DATABASE_URL: expected postgres://"],
    ["a bad PORT", { PORT: "eighty" }, "PORT: expected a whole number"],
    ["a token without the digits:chars shape", { TELEGRAM_BOT_TOKEN: "abc" }, "TELEGRAM_BOT_TOKEN: expected the shape"],
    ["a send rate of zero", { TELEGRAM_SEND_RATE: "0" }, "TELEGRAM_SEND_RATE: expected messages per second, a number above 0"],
    ["an unreachable database", { DATABASE_URL: "postgres://postgres@127.0.0.1:9/nowhere" }, "DATABASE_URL: the database at postgres://postgres@127.0.0.1:9/nowhere does not answer"],
  ] as const) {
    test(`${name}: one clear line, exit 1, nothing listening`, async () => {
      const app = spawnApp({ DATABASE_URL, ...(env as Record<string, string>) });
      expect(await app.proc.exited).toBe(1);
      expect(app.output()).toContain(expected);
      expect(await fetch(`http://127.0.0.1:${app.port}/healthz`).catch(() => null)).toBeNull();
    });
  }
});
