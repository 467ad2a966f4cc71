// The real bot over a test database and the fake Bot API, for tests that drive it as students.
import { botRunner } from "../../src/bot/bot.ts";
import { seedDemo } from "../../src/db/seeds/demo.ts";
import { testConfig } from "./app.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram.ts";

export interface BotHarness {
  tg: FakeTelegram;
  database: TestDatabase;
  bot: ReturnType<typeof botRunner>;
  /** Stops the bot and starts a new one on the same database, as a process restart would. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startBotHarness(opts: { demo?: boolean; apiTimeoutMs?: number } = {}): Promise<BotHarness> {
  const tg = await startFakeTelegram();
  const database = await createTestDatabase();
  if (opts.demo !== false) await seedDemo(database.db, "Asia/Almaty");
  const config = testConfig({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, PUBLIC_URL: "https://crm.avtomat.test" });
  const make = () => botRunner(config, database.db, { apiTimeoutMs: opts.apiTimeoutMs ?? 2000 });
  const h: BotHarness = {
    tg,
    database,
    bot: make(),
    async restart() {
      await h.bot.stop();
      h.bot = make();
      await h.bot.start();
    },
    async dispose() {
      await h.bot.stop();
      tg.stop();
      await database.dispose();
    },
  };
  await h.bot.start();
  return h;
}
