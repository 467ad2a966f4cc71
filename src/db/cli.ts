// Shared start-up for the small commands (migrate, seeds, create-admin): config, open, migrate, close.
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase, type Database } from "./client.ts";
import { migrate } from "./migrate.ts";

export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`bad environment:\n  ${err.problems.join("\n  ")}\n`);
      process.exit(1);
    }
    throw err;
  }
  const database = await openDatabase(config.database);
  try {
    await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}
