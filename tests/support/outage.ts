// The real app process with its database reached through a TCP proxy the test controls (cut,
// restore, blackhole), the bot polling a fake Bot API: the set-up of every database-fault test.
import { seedCities } from "../../src/db/seeds/cities.ts";
import { createServerDatabase } from "./db.ts";
import { startFakeTelegram } from "./fake-telegram.ts";
import { spawnApp } from "./process.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

export async function appBehindProxy(serverUrl: string) {
  const database = await createServerDatabase(serverUrl);
  await seedCities(database.db);
  const target = new URL(database.url!);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.host = `127.0.0.1:${proxy.port}`;
  const tg = await startFakeTelegram();
  const app = spawnApp({ DATABASE_URL: target.toString(), TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, SIMULATOR: "0" });
  await app.healthy(30_000, (b) => b.bot === "polling");
  return {
    database,
    proxy,
    tg,
    app,
    /** After the app has exited (or been killed). */
    async dispose() {
      proxy.stop();
      tg.stop();
      await database.dispose();
    },
  };
}
