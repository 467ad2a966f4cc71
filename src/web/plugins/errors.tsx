// Turns every failure into a clean page (or a short fragment for htmx): never a stack trace.
import { Elysia } from "elysia";
import { ErrorPage } from "../../../views/pages/error.tsx";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import { log } from "../../log.ts";
import { htmlResponse } from "../html.ts";
import type { Language } from "../../db/schema.ts";
import { errorTexts, said, type ErrorKey, type Said } from "../../i18n/admin/errors.ts";
import { BAD_TEXT, NOT_FOUND_ID } from "../input.ts";
import { requestLanguage } from "../language.ts";

/**
 * A failure whose message is meant for the person using the page: in both languages (said(key)
 * from src/i18n/admin/errors.ts), shown in the request's; a plain string is shown as it is (a
 * message a domain function already wrote in the reader's language).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly said: string | Said,
  ) {
    super(typeof said === "string" ? said : said.ru);
  }

  /** The message in the reader's language. */
  text(language: Language): string {
    return typeof this.said === "string" ? this.said : this.said[language];
  }
}

/** Not logged in (or not with the right role): a page redirects to the login, htmx is told to. */
export class LoginRequired extends HttpError {
  constructor(readonly loginPath: string) {
    super(401, said("loginRequired"));
  }
}

const messages: Record<number, ErrorKey> = {
  400: "badRequest",
  403: "forbidden",
  413: "tooLarge",
  404: "notFound",
  503: "unavailable",
  500: "failed",
};

/** The message a route model gave the value that failed (src/web/input.ts), if any, as its key. */
function modelMessage(code: string | number, error: unknown): ErrorKey | undefined {
  if (code !== "VALIDATION") return undefined;
  const custom = (error as { customError?: unknown }).customError;
  return custom === NOT_FOUND_ID ? "notFound" : custom === BAD_TEXT ? "badText" : undefined;
}

export function statusOf(code: string | number, error: unknown): number {
  if (error instanceof HttpError) return error.status;
  // A malformed path id: the same 404 as an id that names no row.
  if (modelMessage(code, error) === "notFound") return 404;
  // Elysia wraps what a parse hook throws (e.g. our 413) in its own ParseError.
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof HttpError) return cause.status;
  if (code === "NOT_FOUND") return 404;
  if (code === "VALIDATION" || code === "PARSE" || code === "INVALID_COOKIE_SIGNATURE") return 400;
  // A malformed %-escape in the query, a cookie or a path parameter (found by tests/web/http-fuzz.test.ts).
  if (error instanceof URIError) return 400;
  if (typeof code === "number") return code;
  // Bun/Elysia refuse an oversized body before we see it.
  if ((error as { code?: string })?.code === "ERR_BODY_TOO_LARGE" || /too large/i.test(String((error as Error)?.message))) return 413;
  const status = (error as { status?: number })?.status;
  if (typeof status === "number" && status >= 400 && status < 600) return status;
  return isDatabaseUnavailable(error) ? 503 : 500;
}

export const errorPages = new Elysia({ name: "error-pages" }).onError({ as: "global" }, (context) => {
  const { code, error, request } = context;
  if (error instanceof LoginRequired) {
    if (request.headers.get("hx-request")) return new Response(null, { status: 401, headers: { "hx-redirect": error.loginPath } });
    return new Response(null, { status: 303, headers: { location: error.loginPath } });
  }
  const status = statusOf(code, error);
  if (status >= 500) log.error("request failed", { method: request.method, url: new URL(request.url).pathname, status, err: error });
  const own = error instanceof HttpError ? error : (error as { cause?: unknown })?.cause instanceof HttpError ? ((error as { cause: HttpError }).cause) : null;
  // The page's language as the security plugin derived it (the account's choice) when it ran;
  // else (a failure before it, e.g. the database's) the cookie's or the browser's, with no lookup.
  const derived = (context as { language?: unknown }).language;
  const language: Language = derived === "ru" || derived === "kk" ? derived : requestLanguage(request, null);
  const message = own ? own.text(language) : errorTexts[language][modelMessage(code, error) ?? messages[status] ?? "failed"];
  if (request.headers.get("hx-request")) return htmlResponse(<p class="error" role="alert" safe>{message}</p>, status);
  return htmlResponse(<ErrorPage status={status} message={message} language={language} />, status);
});
