// Shared start-up for the small commands (migrate, seeds, create-admin): config, open, migrate, close.
import { ConfigError, loadConfig } from "../config.ts";
import { DatabaseInUseError, openDatabase, type Database } from "./client.ts";
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
  const database = await openDatabase(config.database).catch((err) => {
    // `bun start` holds the embedded database (one process at a time): one line saying what to do, no stack.
    if (!(err instanceof DatabaseInUseError)) throw err;
    const command = process.env.npm_lifecycle_event ? `bun run ${process.env.npm_lifecycle_event}` : "this command";
    process.stderr.write(`${err.message.split(";")[0]}: stop it (Ctrl+C in its terminal), run ${command}, then start it again.\n`);
    process.exit(1);
  });
  try {
    await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}
