// A fresh embedded database costs an initdb (3–6 s, ~1 GB peak). `bun install` runs it once
// (postinstall) and keeps the empty cluster as a tarball; a new data folder then starts from
// that copy in well under a second. Without the tarball (install scripts skipped, a new PGlite
// version) everything still works, only the first start is slower.
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions our migrations create (drizzle/0006_inbox_search.sql; the inbox search's
 * phone trigrams under the owner key, 0019_inbox_word_search.sql). PGlite ships them apart; every instance that runs or loads our schema loads them
 * (client.ts), and so does the template's, so the cluster is the same.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function pgliteVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export function templatePath(): string {
  return join(ROOT, "node_modules/.cache/avtomat", `pglite-${pgliteVersion()}-empty.tar.gz`);
}

/** The empty-cluster tarball, if `bun install` made one for this PGlite version. */
export async function emptyClusterTemplate(): Promise<Blob | undefined> {
  const file = Bun.file(templatePath());
  return (await file.exists()) ? new Blob([await file.arrayBuffer()]) : undefined;
}

/** True when the folder holds no cluster yet (PostgreSQL writes PG_VERSION at initdb). */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, "PG_VERSION"));
}

export async function writeTemplate(): Promise<string> {
  const path = templatePath();
  if (existsSync(path)) return path;
  const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
  await db.waitReady;
  const dump = await db.dumpDataDir("gzip");
  await db.close();
  mkdirSync(dirname(path), { recursive: true });
  await Bun.write(`${path}.tmp`, dump);
  renameSync(`${path}.tmp`, path); // never leave a half-written template
  return path;
}
