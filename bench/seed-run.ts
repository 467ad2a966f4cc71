// Runs the seed plan (seed-data.ts) against PostgreSQL (two connections, lanes in parallel,
// foreign-key triggers off, indexes built after the load) or PGlite (one connection, in order).
import postgres from "postgres";
import type { PGlite } from "@electric-sql/pglite";
import { BENCH_MARKER, BULK_TABLES, seedPlan, sizesFor, type SeedOptions } from "./seed-data.ts";

export type SeedTarget = { kind: "postgres"; url: string } | { kind: "pglite"; pglite: PGlite };

export interface SeedReport {
  totalMs: number;
  steps: { name: string; ms: number }[];
  rows: Record<string, number>;
}

interface Runner {
  foreignKeysOff: boolean;
  /** One lane per entry; lanes run concurrently where the driver allows. */
  lanes(lanes: string[][], onStep?: (sql: string, ms: number) => void): Promise<void>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function postgresRunner(url: string): Promise<Runner> {
  const settings = { synchronous_commit: "off", maintenance_work_mem: "512MB", work_mem: "64MB", TimeZone: "UTC" };
  let client = postgres(url, { max: 2, onnotice: () => {}, connection: { ...settings, session_replication_role: "replica" } });
  let foreignKeysOff = true;
  try {
    // Foreign-key checks are triggers: off for the load (superuser only), the data is consistent by construction.
    await client`select 1`;
  } catch {
    await client.end();
    foreignKeysOff = false;
    client = postgres(url, { max: 2, onnotice: () => {}, connection: settings });
  }
  return {
    foreignKeysOff,
    async lanes(lanes, onStep) {
      await Promise.all(
        lanes.map(async (lane) => {
          for (const s of lane) {
            const t0 = performance.now();
            await client.unsafe(s);
            onStep?.(s, performance.now() - t0);
          }
        }),
      );
    },
    query: async <T>(s: string) => (await client.unsafe(s)) as unknown as T[],
    close: () => client.end({ timeout: 5 }),
  };
}

function pgliteRunner(pg: PGlite): Runner {
  return {
    foreignKeysOff: false,
    async lanes(lanes, onStep) {
      for (const lane of lanes)
        for (const s of lane) {
          const t0 = performance.now();
          await pg.exec(s);
          onStep?.(s, performance.now() - t0);
        }
    },
    query: async <T>(s: string) => (await pg.query<T>(s)).rows,
    close: async () => {},
  };
}

/** Splits items round-robin into n lanes. */
function spread<T>(items: T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  items.forEach((x, i) => out[i % n]!.push(x));
  return out.filter((l) => l.length);
}

export async function seedBench(target: SeedTarget, opts: SeedOptions, log: (line: string) => void = () => {}): Promise<SeedReport> {
  const started = performance.now();
  const runner = target.kind === "postgres" ? await postgresRunner(target.url) : pgliteRunner(target.pglite);
  const parallel = target.kind === "postgres" ? 2 : 1;
  const steps: { name: string; ms: number }[] = [];
  const step = async (name: string, work: () => Promise<void>) => {
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    steps.push({ name, ms });
    log(`  ${name.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);
  };
  try {
    // Secondary indexes (not the primary keys, not the unique constraints) are built once at the end:
    // much cheaper than maintaining them row by row during the load.
    const tables = BULK_TABLES.map((t) => `'${t}'`).join(",");
    const indexes = await runner.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
        where i.schemaname = 'public' and i.tablename in (${tables})
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    // Unique constraints on text keys of big tables too (inserted in an order that is not theirs).
    const uniques = await runner.query<{ tbl: string; name: string; def: string }>(
      `select c.conrelid::regclass::text as tbl, c.conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c
        where c.contype = 'u' and c.conrelid = 'applications'::regclass`,
    );
    await step("drop secondary indexes", () =>
      runner.lanes([[...indexes.map((i) => `drop index if exists "${i.name}"`), ...uniques.map((u) => `alter table ${u.tbl} drop constraint "${u.name}"`)]]),
    );
    const names = new Map<string, string>();
    for (const stage of seedPlan({ ...opts, foreignKeysOff: runner.foreignKeysOff })) {
      for (const s of stage.lanes.flat()) names.set(s.sql, s.name);
      await step(stage.name, () =>
        runner.lanes(
          stage.lanes.map((lane) => lane.map((s) => s.sql)),
          (s, ms) => log(`    ${names.get(s)!.padEnd(26)} ${(ms / 1000).toFixed(1)} s`),
        ),
      );
    }
    const builds = [
      ...indexes.map((i) => ({ sql: i.def, w: weight(i.def) })),
      ...uniques.map((u) => ({ sql: `alter table ${u.tbl} add constraint "${u.name}" ${u.def}`, w: 1 })),
    ];
    // The statistics counters (migration 0005) are kept by triggers, which the replica role skips
    // during the load: they are built from the loaded rows in one pass (no index needed), in a lane
    // of its own beside the index builds.
    const sorted = builds.sort((a, b) => b.w - a.w).map((b) => b.sql);
    const buildLanes = parallel > 1 ? [["select application_stats_refresh()"], sorted] : [[...sorted, "select application_stats_refresh()"]];
    await step(`build ${builds.length} indexes + statistics counters`, () => runner.lanes(buildLanes));
    await step("vacuum analyze", () =>
      runner.lanes(spread(["application_stats", "funnel_events", "application_events", "applications", "students", "lessons", "instructor_slots", "instructors", "school_offers", "schools", "accounts", "cities"].map((t) => `vacuum (analyze) ${t}`), parallel)),
    );
    const marker = JSON.stringify({ status: "complete", scale: opts.scale, seed: opts.seed, anchor: opts.anchor.toISOString(), sizes: sizesFor(opts.scale), at: new Date().toISOString() });
    await runner.lanes([[`insert into app_state (key, value) values ('${BENCH_MARKER}', '${marker.replace(/'/g, "''")}'::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`]]);
    const counts = await runner.query<Record<string, number | string>>(
      `select ${["cities", "schools", "school_offers", "instructors", "instructor_slots", "students", "applications", "application_events", "lessons", "funnel_events", "accounts"]
        .map((t) => `(select count(*) from ${t})::int as ${t}`)
        .join(", ")}`,
    );
    const rows = Object.fromEntries(Object.entries(counts[0]!).map(([k, v]) => [k, Number(v)]));
    return { totalMs: performance.now() - started, steps, rows };
  } finally {
    await runner.close();
  }
}

function weight(def: string): number {
  // The inbox search's GIN indexes (word keys, phone trigrams) are the slowest builds: start them first.
  if (/using gin/i.test(def)) return 4;
  return /funnel_events/.test(def) ? 3 : /application_events/.test(def) ? 2 : /applications/.test(def) ? 1 : 0;
}

