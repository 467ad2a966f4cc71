// Structured logs: one JSON object a line in production, a readable line in development,
// quiet in tests (LOG_LEVEL=debug shows them). Never pass secrets in `fields`.
import { DrizzleQueryError } from "drizzle-orm/errors";
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const env = process.env.NODE_ENV;
const threshold = order[(process.env.LOG_LEVEL as Level) ?? (env === "test" ? "warn" : "info")] ?? order.info;
const json = env === "production";

/**
 * Bot API URLs carry the token (/bot<digits>:<secret>/…): it must never reach a log line.
 * Nor must an instructor's iCalendar feed path (/calendar/<token>.ics, issue 15 iCal part).
 */
export function redactSecrets(line: string): string {
  return line
    .replace(/bot\d+:[A-Za-z0-9_-]+/g, "bot<redacted>")
    // Only a URL's password: it ends at the "@" of the same authority (a "/" or a quote would end the URL's authority first).
    .replace(/\/\/([^:/@\s"']+):[^@\s/"']*@/g, "//$1:***@")
    .replace(/\/calendar\/[^\s"?#]+/g, "/calendar/<redacted>");
}

/**
 * What a log line says of an error. A failed query (drizzle's DrizzleQueryError) carries its
 * parameters in its message and stack: session ids, phone numbers and password hashes travel
 * there, so its line keeps the statement and the driver's reason (the cause) and drops them.
 */
export function describeError(e: Error): { err: string; query?: string; stack?: string } {
  if (!(e instanceof DrizzleQueryError)) return { err: e.message, stack: e.stack };
  const cause = e.cause instanceof Error ? e.cause : null;
  return { err: cause?.message ?? "query failed", query: e.query, stack: cause?.stack };
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  if (order[level] < threshold) return;
  const err = fields.err instanceof Error ? describeError(fields.err) : {};
  const line = json
    ? JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields, ...err })
    : `${new Date().toISOString().slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${formatFields({ ...fields, ...err })}`;
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(redactSecrets(line) + "\n");
}

function formatFields(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([k, v]) => v !== undefined && k !== "stack")
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return parts.length ? "  " + parts.join(" ") : "";
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
