// `bun run db:migrate`: apply drizzle/ migrations to DATABASE_URL (start-up does this too).
import { withDatabase } from "./cli.ts";

await withDatabase(async () => console.log("migrations applied"));
