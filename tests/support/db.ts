// A fresh, migrated database per test file.
// Default: PGlite in memory, loaded from a migrated template dumped once per process (fast).
// With TEST_DATABASE_URL=postgres://…: a throwaway database on that server, dropped by dispose().
import postgres from "postgres";
import { openDatabase, type Database } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { emptyClusterTemplate } from "../../src/db/pglite-template.ts";

export interface TestDatabase extends Database {
  /** The DATABASE_URL that reaches this database from a child process (postgres only). */
  url: string | null;
  dispose(): Promise<void>;
}

let template: Promise<Blob> | null = null;

function pgliteTemplate(): Promise<Blob> {
  return (template ??= (async () => {
    const d = await openDatabase({ kind: "pglite", dataDir: null }, { loadDataDir: await emptyClusterTemplate() });
    await migrate(d);
    const dump = (await d.pglite!.dumpDataDir("none")) as Blob;
    await d.close();
    return dump;
  })());
}

export const serverUrl = process.env.TEST_DATABASE_URL || null;

export async function createTestDatabase(): Promise<TestDatabase> {
  return serverUrl ? createServerDatabase(serverUrl) : createPgliteDatabase();
}

export async function createPgliteDatabase(): Promise<TestDatabase> {
  const d = await openDatabase({ kind: "pglite", dataDir: null }, { loadDataDir: await pgliteTemplate() });
  return { ...d, url: null, dispose: () => d.close() };
}

export async function createServerDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `avtomat_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const d = await openDatabase({ kind: "postgres", url: url.toString() });
  await migrate(d);
  return {
    ...d,
    url: url.toString(),
    dispose: async () => {
      await d.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
