// Builds the running system (database, web, bot, background jobs) from a config, and takes it down in order.
// main.ts wires it to the process; tests start it in-process the same way.
import type { Config } from "./config.ts";
import { redactUrl } from "./config.ts";
import { DatabaseInUseError, openDatabase, type Database } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { botRunner } from "./bot/bot.ts";
import { createApp } from "./web/app.ts";
import { createSimulator, serveBotApi } from "./simulator/bot-api.ts";
import { backgroundJobs } from "./jobs/background.ts";
import { log } from "./log.ts";
import { withTimeout } from "./time-limit.ts";

export class StartupError extends Error {}

/** How long shutdown waits for work in hand before it closes the database (2 s more) anyway. */
const STOP_WORK_MS = 4000;

export interface Running {
  port: number;
  database: Database;
  stop(): Promise<void>;
}

function describeTarget(config: Config): string {
  const d = config.database;
  return d.kind === "postgres" ? redactUrl(d.url) : `pglite://${d.dataDir ?? "memory"}`;
}

async function openAndMigrate(config: Config): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase(config.database, { max: config.databasePoolSize });
  } catch (err) {
    if (err instanceof DatabaseInUseError) throw new StartupError(`DATABASE_URL: ${err.message}`);
    throw new StartupError(`DATABASE_URL: cannot open ${describeTarget(config)}: ${(err as Error).message}`);
  }
  if (!(await database.ping(5000))) {
    await database.close().catch(() => {});
    throw new StartupError(`DATABASE_URL: the database at ${describeTarget(config)} does not answer`);
  }
  await migrate(database);
  return database;
}

export async function startServer(config: Config): Promise<Running> {
  const database = await openAndMigrate(config);
  // No token but the simulator enabled: the real bot polls an in-process Bot API on 127.0.0.1
  // instead of Telegram, and /simulator/ plays the students (src/simulator/bot-api.ts).
  const simulator = config.simulator && !config.telegramToken ? createSimulator() : null;
  const botApi = simulator ? serveBotApi(simulator) : null;
  // Its Bot API is not Telegram and limits nothing: no send pace (src/bot/pacer.ts) there.
  const botConfig = simulator ? { ...config, telegramToken: simulator.token, telegramApiRoot: botApi!.apiRoot, telegramSendRate: null } : config;
  const bot = botRunner(botConfig, database.db);
  const app = createApp({ config, database, botState: bot.state, simulator, botWebhook: bot.webhook });
  try {
    app.listen({ port: config.port, hostname: "0.0.0.0" });
  } catch (err) {
    botApi?.stop();
    await database.close();
    throw new StartupError(`PORT: cannot listen on ${config.port}: ${(err as Error).message}`);
  }
  const port = app.server!.port!;
  log.info("web is listening", { url: `http://localhost:${port}`, database: describeTarget(config) });
  if (simulator) log.info(`Bot simulator: http://localhost:${port}/simulator/`);
  else if (!config.telegramToken)
    log.info("Telegram bot is off: TELEGRAM_BOT_TOKEN is not set. Set SIMULATOR=1 to try the bot in the browser at /simulator/.");
  void bot.start();
  const jobs = backgroundJobs(database.db, bot, config);
  jobs.start();

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      simulator?.close(); // end the simulator pages' long polls
      // Requests in flight, the bot's batch in hand and a background round get a few seconds to
      // finish. What they leave is safe to drop (an unconfirmed update comes again, a dirty mark
      // stays), and it must be: a database that hangs (a connect that never answers) would
      // otherwise keep the process past main.ts's 10 s (seen in tests/e2e/database-restart.test.ts).
      const work = Promise.all([app.stop(), bot.stop(), jobs.stop()]).catch((err) =>
        log.warn("a part did not stop cleanly", { err: err as Error }),
      );
      const finished = await withTimeout(work, STOP_WORK_MS).then(() => true, () => false);
      botApi?.stop();
      await database.close();
      if (finished) log.info("stopped cleanly");
      else log.warn(`stopped; work still running after ${STOP_WORK_MS} ms was left to end with the database`);
    })());
  return { port, database, stop };
}
