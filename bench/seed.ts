// `bun run bench:seed [--scale 1] [--seed 42] [--anchor 2025-01-01] [--force]`
// Wipes and fills a PostgreSQL database with the national-size data set (seed-data.ts) and says how
// long it took. The database is BENCH_DATABASE_URL, or DATABASE_URL when it is postgres://, or
// postgres://postgres@127.0.0.1:5432/avtomat_bench (created when missing). A database holding rows
// not made by bench:seed is refused unless --force.
import { openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { benchDatabaseUrl, databaseState, ensureDatabase, redact, resetSchema } from "./database.ts";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { BENCH_MARKER, SEED_PASSWORD, sizesFor } from "./seed-data.ts";
import { seedBench } from "./seed-run.ts";

export function argOf(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** UTC midnight of today: the data set is the same all day, and always recent. */
export function defaultAnchor(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const scale = Number(argOf(argv, "scale") ?? 1);
  const seed = Number(argOf(argv, "seed") ?? 42);
  const anchorArg = argOf(argv, "anchor");
  const anchor = anchorArg ? new Date(`${anchorArg}T00:00:00Z`) : defaultAnchor();
  if (!(scale > 0) || !Number.isInteger(seed) || Number.isNaN(anchor.getTime())) {
    console.error("usage: bun run bench:seed [--scale 1] [--seed 42] [--anchor YYYY-MM-DD] [--force]");
    process.exit(2);
  }
  const url = benchDatabaseUrl();
  const started = performance.now();
  await ensureDatabase(url);
  const state = await databaseState(url);
  if (state.kind === "foreign" && !argv.includes("--force")) {
    console.error(`bench:seed: ${redact(url)} holds data that bench:seed did not make; refusing to wipe it (use --force, or BENCH_DATABASE_URL)`);
    process.exit(1);
  }
  console.log(`bench:seed → ${redact(url)} (scale ${scale}, seed ${seed}, anchor ${anchor.toISOString().slice(0, 10)})`);
  console.log(`  sizes: ${JSON.stringify(sizesFor(scale))}`);
  let t0 = performance.now();
  await resetSchema(url);
  const database = await openDatabase({ kind: "postgres", url }, { max: 1 });
  await migrate(database);
  // Marked at once: a seed that fails halfway still leaves a database bench:seed may wipe again.
  await database.db.execute(sql`insert into app_state (key, value) values (${BENCH_MARKER}, ${JSON.stringify({ status: "seeding" })}::jsonb)`);
  await database.close();
  console.log(`  ${"reset schema + migrate".padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const passwordHash = await Bun.password.hash(SEED_PASSWORD, { algorithm: "argon2id" });
  const report = await seedBench({ kind: "postgres", url }, { scale, seed, anchor, passwordHash }, console.log);
  const total = (performance.now() - started) / 1000;
  const record = postgres(url, { max: 1, onnotice: () => {} });
  await record`update app_state set value = value || ${record.json({ seconds: Math.round(total * 10) / 10 })} where key = ${BENCH_MARKER}`;
  await record.end();
  console.log(`  rows: ${Object.entries(report.rows).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(", ")}`);
  console.log(`bench:seed done in ${total.toFixed(1)} s`);
}
