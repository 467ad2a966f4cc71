// Several instances over one PostgreSQL: exactly one polls Telegram; when it dies, another
// takes over within 10 s. (Needs a PostgreSQL server: runs with TEST_DATABASE_URL.)
import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { seedCities } from "../../src/db/seeds/cities.ts";
import { createServerDatabase, serverUrl, type TestDatabase } from "../support/db.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";
import { killStrays, spawnApp, type AppProcess } from "../support/process.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(60_000);

// Needs a PostgreSQL server (TEST_DATABASE_URL): reported as skipped without one, so the count is honest.
describe.skipIf(!serverUrl)("several instances", () => {
  let database: TestDatabase;
  let tg: FakeTelegram;
  afterEach(killStrays);
  afterAll(async () => {
    tg?.stop();
    await database?.dispose();
  });

  test("one polls, the others stand by; kill -9 of the poller hands over within 10 s", async () => {
    database = await createServerDatabase(serverUrl!);
    await seedCities(database.db);
    tg = await startFakeTelegram();
    const env = { DATABASE_URL: database.url!, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, SIMULATOR: "0" };
    const apps: AppProcess[] = [spawnApp(env), spawnApp(env), spawnApp(env)];
    const states = await Promise.all(apps.map((a) => a.healthy(20_000, (b) => b.bot === "polling" || b.bot === "standby")));
    expect(states.filter((s) => s.bot === "polling")).toHaveLength(1);
    expect(states.filter((s) => s.bot === "standby")).toHaveLength(2);

    const s = student(tg, { id: 5001, first_name: "Первая", language_code: "ru" });
    expect((await s.send("/start")).text).toContain("Первая");

    const leader = apps[states.findIndex((st) => st.bot === "polling")]!;
    leader.proc.kill("SIGKILL");
    await leader.proc.exited;
    const t0 = Date.now();
    const others = apps.filter((a) => a !== leader);
    const next = await Promise.race(others.map((a) => a.healthy(15_000, (b) => b.bot === "polling").then(() => a)));
    expect(Date.now() - t0).toBeLessThan(10_000);
    const after = await Promise.all(others.map(async (a) => (await (await fetch(`http://127.0.0.1:${a.port}/healthz`)).json()).bot));
    expect(after.sort()).toEqual(["polling", "standby"]);
    expect((await student(tg, { id: 5002, first_name: "Вторая", language_code: "ru" }).send("/start")).text).toContain("Вторая");
    void next;
  });
});
