// The Elysia root: plugins and route groups, nothing else. Handlers call domain/.
import { Elysia } from "elysia";
import type { Database } from "../db/client.ts";
import type { Config } from "../config.ts";
import { errorPages } from "./plugins/errors.tsx";
import { entrances } from "./routes/entrances.tsx";
import { health, type BotState } from "./routes/health.ts";
import { publicFiles } from "./routes/public.ts";

export interface AppDeps {
  config: Config;
  database: Database;
  botState: () => BotState;
}

export function createApp(deps: AppDeps) {
  return new Elysia({ strictPath: true })
    .use(errorPages)
    .use(publicFiles)
    .use(health(deps))
    .use(entrances);
}

export type App = ReturnType<typeof createApp>;
