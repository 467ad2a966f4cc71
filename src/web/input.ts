// Validation at the door: the pieces every route's `t` model is made of, and the few parsers
// for query filters. Routes declare `body`, `query` and `params` with these beside the handler;
// Elysia checks them before the handler runs, and plugins/errors.tsx turns a failure into a
// friendly 400 page or fragment (a malformed path id into the 404 any missing page gets).
//
// The rules, so nothing malformed reaches PostgreSQL (and nothing malformed is a 500):
// - text (`Text`, `QText`): no NUL byte (PostgreSQL refuses it) and no lone surrogate (it would
//   be stored as U+FFFD): refused, never silently changed; bounded length. The exact limits a
//   user sees ("Не длиннее 120 символов.") stay with the domain, which re-renders the form;
//   the model's bound only stops what no form would send.
// - ids (`Id`, `IdParams`): int4 primary keys, 1..2147483647.
// - query filters (`idParam`, `dateParam`, `pageOf`): a malformed filter is simply not applied
//   (the page still opens), but only values in range ever reach a query.
// - dates (`localDate`): YYYY-MM-DD, a real calendar day, year MIN_YEAR..MAX_YEAR.
//
// API: Text(max, min) · OptText(max) · QText(max) · Id · IdParams · Form(fields) · INT4_MAX
//      isSafeText(s) · idParam(raw) · dateParam(raw) · localDate(raw) · localDateTime(raw, zone) · pageOf(raw)
//      NOT_FOUND_ID (the message a malformed path id carries; errors.tsx answers it with 404)
import { t } from "elysia";
import { FormatRegistry } from "elysia/type-system";
import { localInstant, MAX_YEAR, MIN_YEAR, parseDay } from "../model/time.ts";

type TProperties = Parameters<typeof t.Object>[0];

export const INT4_MAX = 2_147_483_647;
/** Lists page at most this far (a bigger page number is page 1). */
export const MAX_PAGE = 10_000;
export { MAX_YEAR, MIN_YEAR };

/** Text PostgreSQL stores as typed: no NUL, no lone surrogate. */
export function isSafeText(value: string): boolean {
  return !value.includes("\0") && value.isWellFormed();
}

FormatRegistry.Set("safe-text", isSafeText);

/**
 * The mark a refused text field fails with: errors.tsx answers 400 with errorTexts.badText in the
 * request's language (src/i18n/admin/errors.ts). A mark, not the text, so one model serves both.
 */
export const BAD_TEXT = "bad_text";
/** The mark a malformed path id fails with; errors.tsx answers it as a missing page (404, errorTexts.notFound). */
export const NOT_FOUND_ID = "not_found_id";

/** A text field of a form body, `min`..`max` characters. */
export const Text = (max = 5000, min = 0) => t.String({ format: "safe-text", maxLength: max, minLength: min, error: BAD_TEXT });
/** An optional text field of a form body. */
export const OptText = (max = 5000) => t.Optional(Text(max));
/** An optional query parameter, as text (interpret it with idParam, dateParam, pageOf…). */
export const QText = (max = 200) => t.Optional(Text(max));

/** A path id: an int4 key. Anything else (abc, 0, 2^31, 1e308) is a 404 like a missing row. */
export const Id = t.Integer({ minimum: 1, maximum: INT4_MAX, error: NOT_FOUND_ID });
export const IdParams = t.Object({ id: Id });

/**
 * A form body: the fields given, plus the CSRF field a plain (non-htmx) form carries (declared so
 * Elysia keeps it for the security plugin's check). Fields not declared are dropped.
 */
export function Form<P extends TProperties>(fields: P) {
  return t.Object({ _csrf: t.Optional(t.String({ maxLength: 200 })), ...fields });
}

/** A positive int4 id from a query parameter, or undefined (the filter is then not applied). */
export function idParam(raw: unknown): number | undefined {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= 1 && n <= INT4_MAX ? n : undefined;
}

/** A page number from the query: 1..MAX_PAGE, else 1. */
export function pageOf(raw: unknown): number {
  const n = typeof raw === "string" && /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : typeof raw === "number" ? raw : NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : 1;
}

/** A real calendar day "YYYY-MM-DD" with a year in MIN_YEAR..MAX_YEAR (the model's parseDay); else null. */
export function localDate(raw: unknown): { y: number; m: number; d: number } | null {
  return typeof raw === "string" ? parseDay(raw.trim()) : null;
}

/** A valid local date (YYYY-MM-DD, see localDate) as given, or undefined. */
export function dateParam(raw: unknown): string | undefined {
  return localDate(raw) ? (raw as string).trim() : undefined;
}

/** "2025-03-05T14:30" (or with a space), local time in `zone` → the UTC instant; null when malformed. */
export function localDateTime(raw: string, zone: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(raw.trim());
  return m ? localInstant(zone, m[1]!, m[2]!) : null;
}
