// Which database the benchmark uses, and the guard that keeps bench:seed away from real data.
import postgres from "postgres";
import { BENCH_MARKER } from "./seed-data.ts";

export const DEFAULT_BENCH_URL = "postgres://postgres@127.0.0.1:5432/avtomat_bench";

/** BENCH_DATABASE_URL, else DATABASE_URL when it is a PostgreSQL URL, else the local avtomat_bench database. */
export function benchDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const candidates = [env.BENCH_DATABASE_URL, env.DATABASE_URL].map((u) => u?.trim()).filter(Boolean) as string[];
  return candidates.find((u) => /^postgres(ql)?:\/\//.test(u)) ?? DEFAULT_BENCH_URL;
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

/** Creates the database named in the URL when the server does not have it yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await probe`select 1`;
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== "3D000") throw err; // anything but "database does not exist"
  } finally {
    await probe.end();
  }
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`will not create a database named "${name}"`);
  u.pathname = "/postgres";
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

export type DatabaseState = { kind: "empty" } | { kind: "bench"; marker: Record<string, unknown> } | { kind: "foreign"; rows: number };

/** Empty (no tables or no rows), made by bench:seed, or holding someone's data. */
export async function databaseState(url: string): Promise<DatabaseState> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ has }] = await sql<{ has: boolean }[]>`select to_regclass('public.applications') is not null as has`;
    if (!has) return { kind: "empty" };
    const hasState = (await sql<{ has: boolean }[]>`select to_regclass('public.app_state') is not null as has`)[0]!.has;
    if (hasState) {
      const [m] = await sql<{ value: Record<string, unknown> }[]>`select value from app_state where key = ${BENCH_MARKER}`;
      if (m) return { kind: "bench", marker: m.value };
    }
    const [{ n }] = await sql<{ n: number }[]>`
      select ((select count(*) from (select 1 from applications limit 1) a) + (select count(*) from (select 1 from schools limit 1) s)
            + (select count(*) from (select 1 from students limit 1) t) + (select count(*) from (select 1 from accounts limit 1) c))::int as n`;
    return n === 0 ? { kind: "empty" } : { kind: "foreign", rows: n };
  } finally {
    await sql.end();
  }
}

/** Drops everything (public and drizzle's migration bookkeeping); the caller migrates again. */
export async function resetSchema(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;`);
  } finally {
    await sql.end();
  }
}

/** The bench marker of a seeded database, or an error telling to run bench:seed. */
export async function requireSeeded(url: string): Promise<Record<string, any>> {
  const state = await databaseState(url);
  if (state.kind !== "bench" || state.marker.status !== "complete")
    throw new Error(`${redact(url)} was not filled by bench:seed (or the seed did not finish); run \`bun run bench:seed\` first`);
  return state.marker;
}
