// One Drizzle schema over two drivers: a PostgreSQL server (postgres.js) or the
// embedded PGlite. Domain code only sees `Db`; the driver is picked from the URL.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { fillPlaceholders, is, sql, type SQL } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { PgDialect, type PgSession } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres, PostgresJsSession, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { DatabaseTarget } from "../config.ts";
import { withTimeout } from "../time-limit.ts";

/**
 * Both drivers expose the same query builder; typed once as the postgres.js one. Without the
 * schema: we never use drizzle's relational queries (`db.query.*`), and with a schema drizzle
 * builds a query builder for every table at the start of every transaction (~15 µs each).
 */
export type Db = PostgresJsDatabase;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  db: Db;
  kind: DatabaseTarget["kind"];
  /** Resolves when the database answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /** The embedded instance, when there is one (tests dump and load it). */
  pglite?: PGlite;
}

export interface OpenOptions {
  /** A PGlite data-dir dump to start from (tests: a migrated template). */
  loadDataDir?: Blob;
  /** postgres.js pool size. */
  max?: number;
}

export async function openDatabase(target: DatabaseTarget, opts: OpenOptions = {}): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target.url, opts) : openPglite(target.dataDir, opts);
}

/**
 * Seconds before postgres.js reconnects after `retries` failed connections (counted across the
 * pool until one succeeds). Its default, 3^retries / 100 capped at 20 s, grows so fast during an
 * outage that the app stayed away for up to 20 s after the server was back (seen in CI:
 * tests/e2e/database-restart.test.ts). Capped at 2 s here: one attempt per connection every
 * two seconds costs a recovering server nothing. Jittered so the pool does not knock at once.
 */
export function reconnectBackoff(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 2) * (0.5 + Math.random() / 2);
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    backoff: reconnectBackoff,
    // Our timestamps are timestamptz; keep the session in UTC so text output is unambiguous.
    connection: { TimeZone: "UTC" },
  });
  const db = drizzlePostgres(preparing(client));
  const ping = (timeoutMs = 2000) => withTimeout(client`select 1`.then(() => true), timeoutMs).catch(() => false);
  // Queries still running get 2 s, then their connections are closed: shutdown has 10 s in all.
  return { db, kind: "postgres", ping, close: () => client.end({ timeout: 2 }) };
}

type Sql = postgres.Sql | postgres.TransactionSql;

const PLAN_PER_CALL_MARK = "/* plan per call */";
/**
 * Put in a statement whose best plan depends on a parameter's value, so PostgreSQL plans it for
 * each call instead of settling on a generic plan after five. The trigram inbox search was one
 * (its generic plan walked all 15,000 new applications of the busiest school through a b-tree
 * instead of the trigram index: 16 ms, not 3 + 1.7 of planning); the word search of migration
 * 0019 is prepared again, its generic plan being bounded (bench/results.md).
 */
export const PLAN_PER_CALL = sql.raw(PLAN_PER_CALL_MARK);

/**
 * Drizzle runs every query through postgres.js `unsafe(…, { prepare: false })` unless it was
 * prepared by name, so the server parses and plans each statement again and the client decodes
 * its description every time. Our statements are a bounded set of texts with parameters, so we
 * let postgres.js prepare them once per connection (its statement cache is keyed by the text).
 * A statement holding PLAN_PER_CALL is left unprepared (see there).
 */
function preparing<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe")
        return (query: string, args?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, args as never, { ...options, prepare: !query.includes(PLAN_PER_CALL_MARK) });
      if (prop === "begin")
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.Sql).begin(...(args as []), (tx: postgres.TransactionSql) => work(preparing(tx)));
        };
      if (prop === "savepoint")
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.TransactionSql).savepoint(...(args as []), (tx: postgres.TransactionSql) => work(preparing(tx)));
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

export class DatabaseInUseError extends Error {}

/**
 * PGlite is a single-process database: a second process on the same folder would corrupt it.
 * A lock file next to the folder holds the owner's pid; a lock left by a dead process is taken over.
 */
function lockFolder(dataDir: string): () => void {
  const file = `${dataDir.replace(/\/+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== "EEXIST") throw err;
      const owner = Number(readFileSync(file, "utf8"));
      if (owner && owner !== process.pid && isAlive(owner))
        throw new DatabaseInUseError(
          `the embedded database ${dataDir} is in use by another AvtoMat process (pid ${owner}); stop it first, or use a PostgreSQL server (DATABASE_URL=postgres://…) to run several instances`,
        );
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseInUseError(`cannot lock the embedded database ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

async function openPglite(dataDir: string | null, opts: OpenOptions): Promise<Database> {
  // Loaded only for an embedded database: a process on a PostgreSQL server never needs them (~2 MB resident).
  const [{ PGlite }, { drizzle: drizzlePglite }, { emptyClusterTemplate, isNewDataDir, PGLITE_EXTENSIONS }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("./pglite-template.ts"),
  ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockFolder(dataDir) : () => {};
  let client: PGlite;
  try {
    const loadDataDir = opts.loadDataDir ?? (dataDir && isNewDataDir(dataDir) ? await emptyClusterTemplate() : undefined);
    client = new PGlite({ dataDir: dataDir ?? undefined, loadDataDir, extensions: PGLITE_EXTENSIONS });
    await client.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: "pglite",
    pglite: client,
    ping: async (timeoutMs = 2000) =>
      !closed && (await withTimeout(client.query("select 1").then(() => true), timeoutMs).catch(() => false)),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      unlock();
    },
  };
}

/** A timestamp column of a raw query's row as a Date: text through postgres.js (drizzle leaves its parsing to the columns), a Date through PGlite. */
export const rowDate = (value: unknown): Date | null => (value == null ? null : value instanceof Date ? value : new Date(value as string));

/**
 * Rows of a raw statement (`db.execute(sql…)`: postgres.js returns an array, PGlite `{ rows }`).
 * On PostgreSQL the built statement goes straight to postgres.js, as drizzle's `execute` would
 * send it (through `preparing`), without drizzle's per-call wrappers (a prepared-query object,
 * two tracing spans, a cache check): ~15 µs of CPU less per statement, and the bot's two
 * statements per update are raw (bench/results.md, 2026-12-04). A failure is wrapped in
 * DrizzleQueryError as drizzle does, so callers and the log see the same error either way.
 */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  return runBuilt<T>(db, (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query));
}

/** A raw statement built once: its text, with `sql.placeholder(name)`s for the values of a call. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const dialect = new PgDialect();

/**
 * Builds a statement once (a hot path's: drizzle rebuilds a `sql` template's text on every call,
 * ~5 µs for the bot's claim). Run it with queryStatement and the placeholders' values.
 */
export function statement(query: SQL): Statement {
  return dialect.sqlToQuery(query);
}

/** Rows of a statement built by `statement`, its placeholders filled from `values` (as queryRows). */
export async function queryStatement<T>(db: Db | Tx, st: Statement, values: Record<string, unknown>): Promise<T[]> {
  return runBuilt<T>(db, { sql: st.sql, params: fillPlaceholders(st.params as unknown[], values) });
}

async function runBuilt<T>(db: Db | Tx, query: { sql: string; params: unknown[] }): Promise<T[]> {
  const session = (db as unknown as { _: { session: PgSession } })._.session;
  if (is(session, PostgresJsSession)) {
    try {
      return (await session.client.unsafe(query.sql, query.params as never[])) as unknown as T[];
    } catch (err) {
      throw new DrizzleQueryError(query.sql, query.params, err as Error);
    }
  }
  // PGlite: drizzle's own path (its type parsers), minus the building.
  const result = (await session.prepareQuery(query, undefined, undefined, false).execute()) as { rows: T[] };
  return result.rows;
}
