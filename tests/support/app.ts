// An app factory for route tests: `app.handle(new Request(...))` over a fresh test database.
// Requests must use a real host name (http://localhost/...): Elysia mis-parses one-letter hosts.
import { loadConfig, type Config } from "../../src/config.ts";
import { createApp } from "../../src/web/app.ts";
import type { BotState } from "../../src/web/routes/health.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  config: Config;
  /** `get("/healthz")`, `request("/x", { method: "POST", body })`. */
  request(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * Telegram's send limits, raised out of the way: the tests' students press the next button the
 * moment a reply arrives and take 150 ms of quiet as "the bot is done", while at 1 message a second
 * per chat a reply's second message comes later. tests/bot/pacing.test.ts sets the real limits.
 */
const UNHURRIED = { TELEGRAM_SEND_RATE: "1000", TELEGRAM_CHAT_RATE: "1000" };

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", DATABASE_URL: "pglite://memory", ...UNHURRIED, ...overrides });
}

/** The app over a database a test already has (e.g. the bot harness's), so the bot and the CRM share it; the owner disposes of it. */
export function appOver(database: TestDatabase): TestApp {
  const config = testConfig();
  const app = createApp({ config, database, botState: () => "polling" });
  return { app, database, config, request: (path, init) => app.handle(new Request(`http://localhost${path}`, init)), dispose: async () => {} };
}

export async function createTestApp(opts: { botState?: () => BotState; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(opts.env);
  const app = createApp({ config, database, botState: opts.botState ?? (() => "off") });
  return {
    app,
    database,
    config,
    request: (path, init) => app.handle(new Request(`http://localhost${path}`, init)),
    dispose: () => database.dispose(),
  };
}
