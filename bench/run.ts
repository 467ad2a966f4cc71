// `bun run bench [--only web,bot,recompute,startup] [--duration 20] [--warmup 5] [--connections 16] [--chats 1000] [--loops 7] [--bot-budget 300]
//                [--recompute-budget 60] [--no-pglite] [--out bench/results.md]`
// Runs the whole benchmark against the database bench:seed filled (same URL rules as bench:seed):
// ceilings, inbox, statistics, bot, analytics, start-up and memory. Prints the table and writes it
// with the run's facts into bench/results.md between the markers (the analysis text around them stays).
import { existsSync, readFileSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { BENCH_PARTS, runBench, type BenchConfig, type BenchPart } from "./bench.ts";
import { benchDatabaseUrl, redact, requireSeeded } from "./database.ts";
import { defaultGenerator } from "./load.ts";
import { ROOT } from "./processes.ts";
import { factsList, markdownTable } from "./report.ts";
import { SEED_PASSWORD, sizesFor } from "./seed-data.ts";
import { seedBench } from "./seed-run.ts";
import { argOf } from "./seed.ts";

const argv = process.argv.slice(2);
const num = (name: string, dflt: number) => Number(argOf(argv, name) ?? dflt);
const started = performance.now();
const url = benchDatabaseUrl();
const marker = await requireSeeded(url);
const generator = defaultGenerator();
const out = argOf(argv, "out") ?? `${ROOT}bench/results.md`;
console.log(`bench → ${redact(url)} (seeded at scale ${marker.scale}, anchor ${String(marker.anchor).slice(0, 10)}), load: ${generator.name}`);

/** The embedded database for the start-up measurement: a tenth of the data set, built once and kept in data/bench/. */
async function pgliteDataDir(scale: number): Promise<{ dir: string; note: string }> {
  const dir = `${ROOT}data/bench/pglite-scale${scale}-seed${marker.seed}`;
  const z = sizesFor(scale);
  const note = `PGlite data dir at scale ${scale} (${z.applications.toLocaleString("en")} applications, ${z.funnelEvents.toLocaleString("en")} funnel events)`;
  if (existsSync(`${dir}/.complete`)) return { dir, note };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  console.log(`building the embedded database for the start-up measurement (${note}), once…`);
  const database = await openDatabase({ kind: "pglite", dataDir: dir });
  await migrate(database);
  const passwordHash = await Bun.password.hash(SEED_PASSWORD, { algorithm: "argon2id" });
  await seedBench({ kind: "pglite", pglite: database.pglite as PGlite }, { scale, seed: marker.seed, anchor: new Date(marker.anchor), passwordHash });
  await database.close();
  writeFileSync(`${dir}/.complete`, new Date().toISOString());
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { dir, note };
}

const onlyArg = argOf(argv, "only");
const only = onlyArg ? new Set(onlyArg.split(",") as BenchPart[]) : undefined;
for (const part of only ?? []) if (!BENCH_PARTS.includes(part)) throw new Error(`--only: unknown part ${part} (parts: ${BENCH_PARTS.join(", ")})`);
const pglite = argv.includes("--no-pglite") || (only && !only.has("startup")) ? null : await pgliteDataDir(num("pglite-scale", 0.1));
const database = await openDatabase({ kind: "postgres", url }, { max: 10 });
const cfg: BenchConfig = {
  mode: "child",
  databaseUrl: url,
  database,
  generator,
  load: { connections: num("connections", 16), durationS: num("duration", 20), warmupS: num("warmup", 5) },
  bot: { chats: num("chats", 1000), loops: num("loops", 7), applicantShare: 0.3, timeoutMs: num("bot-budget", 300) * 1000 },
  persistenceWorkers: 32,
  recomputeBudgetS: num("recompute-budget", 60),
  startup: { runs: 3, pgliteDir: pglite?.dir ?? null, pgliteNote: pglite?.note ?? "" },
  zone: "Asia/Almaty",
  log: (line) => console.log(`· ${line}`),
  only,
};

let result;
try {
  result = await runBench(cfg);
} finally {
  await database.close();
}
const minutes = (performance.now() - started) / 60_000;
result.facts["machine"] = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (other work on the machine shares these cores)`;
result.facts["load generator"] = `${generator.name}, ${cfg.load.connections} connections, ${cfg.load.durationS} s after ${cfg.load.warmupS} s warm-up`;
result.facts["data set"] = `scale ${marker.scale}, seed ${marker.seed}, anchor ${String(marker.anchor).slice(0, 10)}: ${JSON.stringify(marker.sizes)}`;
result.facts["run"] = `${new Date().toISOString()}, ${minutes.toFixed(1)} min`;

const table = markdownTable(result);
const block = `<!-- bench:results:start -->\n${table}\n\n${factsList(result.facts)}\n<!-- bench:results:end -->`;
console.log(`\n${table}\n\n${factsList(result.facts)}`);
// A partial run prints its rows; only a whole run rewrites bench/results.md.
if (!argv.includes("--no-write") && !only) {
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  const next = /<!-- bench:results:start -->[\s\S]*<!-- bench:results:end -->/.test(previous)
    ? previous.replace(/<!-- bench:results:start -->[\s\S]*<!-- bench:results:end -->/, block)
    : `# Benchmark results\n\nWritten by \`bun run bench\` (see bench/README.md).\n\n${block}\n`;
  writeFileSync(out, next);
  console.log(`\nwritten to ${out}`);
}
process.exit(0);
