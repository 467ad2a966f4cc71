// `bun start`: validate the environment, start web + bot, stop cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from "./config.ts";
import { isDatabaseUnavailable } from "./db/errors.ts";
import { log } from "./log.ts";
import { StartupError, startServer } from "./server.ts";

const SHUTDOWN_LIMIT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`avtomat: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(`bad environment:\n  ${err.problems.join("\n  ")}`);
  throw err;
}

let running;
try {
  running = await startServer(config);
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  fail(`could not start: ${(err as Error).message}`);
}

// postgres.js can leave a promise rejected with a connection error nobody awaits when the
// server goes away (seen with ECONNREFUSED during an outage): that is an outage, already
// reported through /healthz and the failing requests, not a reason to stop. Anything else
// unhandled is a bug: log it and exit so a supervisor restarts a clean process.
process.on("unhandledRejection", (reason) => {
  if (isDatabaseUnavailable(reason)) return log.warn("database connection lost (driver)", { err: reason as Error });
  log.error("unhandled rejection; exiting", { err: reason as Error });
  process.exit(1);
});

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("shutting down", { signal });
  const force = setTimeout(() => {
    log.error("shutdown took longer than 10 s; exiting anyway");
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  force.unref();
  await running!.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
