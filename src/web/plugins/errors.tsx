// Turns every failure into a clean page (or a short fragment for htmx): never a stack trace.
import { Elysia } from "elysia";
import { ErrorPage } from "../../../views/pages/error.tsx";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import { log } from "../../log.ts";
import { htmlResponse } from "../html.ts";
import { BAD_TEXT, NOT_FOUND_ID } from "../input.ts";

/** A failure whose message is meant for the person using the page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Not logged in (or not with the right role): a page redirects to the login, htmx is told to. */
export class LoginRequired extends HttpError {
  constructor(readonly loginPath: string) {
    super(401, "Войдите, чтобы продолжить.");
  }
}

const messages: Record<number, string> = {
  400: "Запрос не понят. Проверьте введённые данные.",
  403: "Доступ запрещён.",
  413: "Слишком большой запрос.",
  404: "Страница не найдена.",
  503: "Сервис временно недоступен. Попробуйте через минуту.",
  500: "Что-то пошло не так. Мы уже разбираемся.",
};

/** The message a route model gave the value that failed (src/web/input.ts), if any. */
function modelMessage(code: string | number, error: unknown): string | undefined {
  if (code !== "VALIDATION") return undefined;
  const custom = (error as { customError?: unknown }).customError;
  return custom === NOT_FOUND_ID || custom === BAD_TEXT ? custom : undefined;
}

export function statusOf(code: string | number, error: unknown): number {
  if (error instanceof HttpError) return error.status;
  // A malformed path id: the same 404 as an id that names no row.
  if (modelMessage(code, error) === NOT_FOUND_ID) return 404;
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

export const errorPages = new Elysia({ name: "error-pages" }).onError({ as: "global" }, ({ code, error, request }) => {
  if (error instanceof LoginRequired) {
    if (request.headers.get("hx-request")) return new Response(null, { status: 401, headers: { "hx-redirect": error.loginPath } });
    return new Response(null, { status: 303, headers: { location: error.loginPath } });
  }
  const status = statusOf(code, error);
  if (status >= 500) log.error("request failed", { method: request.method, url: new URL(request.url).pathname, status, err: error });
  const own = error instanceof HttpError ? error : (error as { cause?: unknown })?.cause instanceof HttpError ? ((error as { cause: HttpError }).cause) : null;
  const message = own ? own.message : (modelMessage(code, error) ?? messages[status] ?? messages[500]!);
  if (request.headers.get("hx-request")) return htmlResponse(<p class="error" role="alert" safe>{message}</p>, status);
  return htmlResponse(<ErrorPage status={status} message={message} />, status);
});
