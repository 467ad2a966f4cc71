// The benchmark's smoke test: the same code paths as `bun run bench:seed && bun run bench` (seed
// plan, ceilings, logged-in inbox, statistics, the real bot through the fake Bot API, recompute,
// the report), on tiny data in this process with the fetch-loop load generator instead of wrk.
// It checks that the instrument works, not how fast anything is.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
setDefaultTimeout(90_000); // generous: every part runs, and the machine may be busy
import type { PGlite } from "@electric-sql/pglite";
import { runBench, type BenchResult } from "../../bench/bench.ts";
import { fetchLoop } from "../../bench/load.ts";
import { markdownTable } from "../../bench/report.ts";
import { SEED_PASSWORD, sizesFor } from "../../bench/seed-data.ts";
import { seedBench, type SeedReport } from "../../bench/seed-run.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

const SCALE = 0.0001;
let database: TestDatabase;
let seeded: SeedReport;
let result: BenchResult;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = database.kind === "pglite" ? { kind: "pglite" as const, pglite: database.pglite as PGlite } : { kind: "postgres" as const, url: database.url! };
  const passwordHash = await Bun.password.hash(SEED_PASSWORD, { algorithm: "argon2id" });
  const t0 = performance.now();
  seeded = await seedBench(target, { scale: SCALE, seed: 7, anchor: new Date("2025-03-01T00:00:00Z"), passwordHash }, process.env.BENCH_SMOKE_LOG ? console.log : undefined);
  if (process.env.BENCH_SMOKE_LOG) console.log(`seeded in ${(performance.now() - t0).toFixed(0)} ms`);
});
afterAll(() => database?.dispose());

test("the seed fills every table at the requested size, consistently", async () => {
  const z = sizesFor(SCALE);
  expect(seeded.rows).toMatchObject({ cities: z.cities, schools: z.schools, students: z.students, applications: z.applications, funnel_events: z.funnelEvents, accounts: z.schools });
  expect(seeded.rows.application_events!).toBeGreaterThan(z.applications); // each has "created" at least
});

test("one benchmark run over tiny data measures every row and the bot keeps each chat's order", async () => {
  result = await runBench({
    mode: "inprocess",
    database,
    generator: fetchLoop,
    load: { connections: 2, durationS: 0.2, warmupS: 0.05 },
    bot: { chats: 4, loops: 1, applicantShare: 0.5, timeoutMs: 20_000 },
    persistenceWorkers: 4,
    recomputeBudgetS: 10,
    pacing: { bulk: 60, students: 3, limit: 50, thinkMs: 1200, timeoutMs: 20_000 },
    zone: "Asia/Almaty",
    log: process.env.BENCH_SMOKE_LOG ? (l) => console.log(`${(performance.now() / 1000).toFixed(1)} ${l}`) : () => {},
  });
  const byKey = Object.fromEntries(result.rows.map((r) => [r.key, r]));
  for (const key of ["a", "b", "inbox", "search", "stats", "c", "fake", "d", "bot", "flood-polling", "flood-webhook", "rss", "recompute", "pacing", "pacing-429", "pacing-interactive"]) expect(byKey[key], key).toBeDefined();
  for (const key of ["a", "b", "inbox", "search", "stats"]) {
    expect(byKey[key]!.rate!, key).toBeGreaterThan(0);
    expect(byKey[key]!.errors ?? 0, key).toBe(0);
  }
  // The real bot handled every update in order: no stale-button answers, every funnel event and application there.
  expect(byKey.bot!.note).toContain("order kept");
  expect(byKey.bot!.rate!).toBeGreaterThan(0);
  expect(byKey.recompute!.value).not.toContain("extrapolated");
  for (const key of ["a", "b", "inbox", "search", "stats", "c", "fake", "d", "bot", "flood-polling", "flood-webhook", "rss", "recompute", "pacing", "pacing-429", "pacing-interactive"]) expect(byKey[key], key).toBeDefined();
  const table = markdownTable(result);
  if (process.env.BENCH_SMOKE_LOG) console.log(table);
  expect(table).toContain("| School inbox, first page");
  expect(table.split("\n").length).toBe(result.rows.length + 2);
});
