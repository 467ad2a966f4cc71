// kill -9 with a chat's updates stored in the bot's inbox and not handled yet (issue 19): the
// restarted process handles them once and in order, from the inbox; Telegram was told they
// arrived (the offset confirmed them) and never hands them out again.
import { afterAll, afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../../src/db/client.ts";
import { t } from "../../src/i18n/index.ts";
import { startFakeTelegram, type FakeUser } from "../support/fake-telegram.ts";
import { killStrays, spawnApp } from "../support/process.ts";

setDefaultTimeout(180_000);

const dir = `/tmp/avtomat-inbox-crash-${process.pid}`;
afterEach(killStrays);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(what: string, ok: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

test("kill -9 with updates stored and not handled: the restarted process handles them once, in order, without fetching them again", async () => {
  const tg = await startFakeTelegram();
  const env = { DATABASE_URL: `pglite://${dir}/pglite`, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, SIMULATOR: "0" };
  let app = spawnApp(env);
  await app.healthy(60_000, (b) => b.bot === "polling");

  const user: FakeUser = { id: 6501, first_name: "Авария", language_code: "ru" };
  const held = tg.hold("sendMessage", (p) => p.chat_id === user.id);
  const ids = ["/start", "/my", "/lang"].map((c) => tg.sendText(user, c));
  // The /start is being answered (its reply held); the whole batch is stored and, by the next
  // getUpdates, confirmed: Telegram no longer has it.
  await until("the batch to be stored and confirmed", () => held.waiting() === 1 && tg.pending() === 0);
  app.proc.kill("SIGKILL");
  await app.proc.exited;
  held.release(); // answers into the dead process's closed socket

  const ru = t("ru");
  const later = () => tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === user.id && [ru.myEmpty, ru.chooseLanguage].includes(c.params.text));
  app = spawnApp(env);
  await app.healthy(60_000, (b) => b.bot === "polling");
  await until("the stored updates' replies", () => later().length >= 2);
  expect(later().map((c) => c.params.text)).toEqual([ru.myEmpty, ru.chooseLanguage]);
  app.proc.kill("SIGTERM");
  expect(await app.proc.exited).toBe(0);
  tg.stop();

  const d = await openDatabase({ kind: "pglite", dataDir: `${dir}/pglite` });
  try {
    const list = sql`${`{${ids.join(",")}}`}::bigint[]`;
    const done = await queryRows<{ id: string }>(d.db, sql`select update_id as id from processed_updates where update_id = any(${list}) order by update_id`);
    expect(done.map((r) => Number(r.id))).toEqual(ids); // the /start committed before its reply was held
    expect((await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from bot_inbox`))[0]!.n).toBe(0);
  } finally {
    await d.close();
  }
  expect(ids.map((id) => tg.timesHandedOut(id))).toEqual([1, 1, 1]);
});
