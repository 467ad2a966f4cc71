// The real bot over a test database and the fake Bot API, for tests that drive it as students.
import { botRunner, type BotRunner } from "../../src/bot/bot.ts";
import { seedDemo } from "../../src/db/seeds/demo.ts";
import { testConfig } from "./app.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from "./fake-telegram.ts";

export interface BotHarness {
  tg: FakeTelegram;
  database: TestDatabase;
  /** The bot with its outbox delivery running beside it, as server.ts runs them. */
  bot: BotRunner;
  /**
   * Stops the bot and starts a new one on the same database, as a process restart would;
   * `meanwhile` runs while no bot runs (e.g. tg.redeliver: Telegram sends an update again, or a
   * look at what the stopped bot left in the database).
   */
  restart(meanwhile?: () => void | Promise<void>): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * `now`: the bot's clock (lessons, slots), for tests that need a fixed time; the real clock otherwise.
 * `env`: more configuration, as the environment would give it (e.g. SUPPORT_CONTACT).
 * `telegram`: the fake Bot API's options (its limit mode).
 */
export async function startBotHarness(
  opts: { demo?: boolean; apiTimeoutMs?: number; now?: () => Date; env?: Record<string, string>; telegram?: FakeTelegramOptions } = {},
): Promise<BotHarness> {
  const tg = await startFakeTelegram(opts.telegram);
  const database = await createTestDatabase();
  if (opts.demo !== false) await seedDemo(database.db, "Asia/Almaty");
  const config = testConfig({ ...opts.env, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, PUBLIC_URL: "https://crm.avtomat.test" });
  const make = () => withDelivery(botRunner(config, database.db, { apiTimeoutMs: opts.apiTimeoutMs ?? 2000, now: opts.now }));
  const h: BotHarness = {
    tg,
    database,
    bot: make(),
    async restart(meanwhile) {
      await h.bot.stop();
      await meanwhile?.();
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

/** A bot runner whose start() and stop() also start and stop its outbox delivery (server.ts runs it among the background jobs). */
export function withDelivery(bot: BotRunner): BotRunner {
  return {
    ...bot,
    async start() {
      bot.delivery?.start();
      await bot.start();
    },
    stop: () => Promise.all([bot.stop(), bot.delivery?.stop()]).then(() => {}),
  };
}
