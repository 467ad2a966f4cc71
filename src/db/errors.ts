// Recognizes "the database is not there right now" across postgres.js and PGlite, so callers
// can answer 503 or retry later instead of treating it as a bug.
const DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (DOWN_CODES.has(e.code ?? "")) return true;
  if (/PGlite is closed|connection (terminated|closed)|write CONNECTION_CLOSED/i.test(e.message ?? "")) return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}
