// A steady load for SOAK_MINUTES (default 10): the resident memory of the app stops growing.
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { startFakeTelegram } from "../tests/support/fake-telegram.ts";
import { killStrays, spawnApp } from "../tests/support/process.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
setDefaultTimeout((MINUTES + 3) * 60_000);
afterEach(killStrays);

const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test(`${MINUTES} minutes of steady bot and web load: memory stops growing`, async () => {
  const dir = `/tmp/avtomat-soak-${process.pid}`;
  const tg = await startFakeTelegram();
  const app = spawnApp({ DATABASE_URL: `pglite://${dir}/pglite`, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, SIMULATOR: "0" });
  await app.healthy(30_000, (b) => b.bot === "polling");
  const samples: number[] = [];
  const end = Date.now() + MINUTES * 60_000;
  let n = 0;
  while (Date.now() < end) {
    if (app.proc.exitCode !== null) throw new Error(`the app exited (${app.proc.exitCode}):\n${app.output().slice(-4000)}`);
    // ~40 updates and ~10 page views a second, from 500 students.
    for (let i = 0; i < 20; i++) tg.sendText({ id: 50_000 + (n++ % 500), first_name: "S", language_code: n % 2 ? "kk" : "ru" }, n % 3 ? "/start" : "текст");
    await Promise.all(Array.from({ length: 5 }, () => fetch(`http://127.0.0.1:${app.port}/crm/schools/login/`).then((r) => r.text()))).catch(async (err) => {
      await Bun.sleep(500); // let the app's last words arrive
      throw new Error(`${(err as Error).message}; the app (exit ${app.proc.exitCode}) said:\n${app.output().slice(-4000)}`);
    });
    await Bun.sleep(500);
    if (n % 600 < 20) {
      samples.push(rssMb(app.proc.pid));
      if (process.env.SOAK_LOG) console.log(`${new Date().toISOString()} RSS ${samples.at(-1)!.toFixed(0)} MB`);
    }
    tg.calls.length = 0; // the test's own memory must not grow either
  }
  app.proc.kill("SIGTERM");
  expect(await app.proc.exited).toBe(0);
  tg.stop();
  rmSync(dir, { recursive: true, force: true });
  // After warming up, the last third of the run uses no more than the middle third, plus 10 %.
  const third = Math.floor(samples.length / 3);
  const middle = mean(samples.slice(third, 2 * third));
  const last = mean(samples.slice(2 * third));
  console.log(`RSS MB: ${samples.map((s) => s.toFixed(0)).join(" ")}`);
  expect(last).toBeLessThan(middle * 1.1);
});
