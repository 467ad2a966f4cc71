// The session and the CSRF guard for every route, in one plugin:
// - resolves the session cookie with lucia (renewing it when half its life has passed),
// - refuses every state-changing request (not GET/HEAD/OPTIONS) whose Origin is not ours, and,
//   when there is a session, whose CSRF token (X-CSRF-Token header from htmx, or the `_csrf`
//   field of a plain form) is not the session's: 403, before any handler runs,
// - refuses bodies over the size limit (413) before they are read (chunked ones once the limit is
//   passed), so the refusal carries the security headers too,
// - puts the security headers (CSP and friends, HSTS on https) on every answer, errors included,
// - tells handlers the client's address (`clientAddress`: the socket's, or the first
//   X-Forwarded-For address when TRUST_PROXY=1), for the per-address login limits.
// Login forms have no session yet: the Origin check and the login rate limit protect them.
import { Elysia } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import type { Language } from "../../db/schema.ts";
import { requestLanguage } from "../language.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { createAuth, csrfTokenMatches, type Auth, type AccountAttributes } from "../../domain/auth.ts";
import { HttpError } from "./errors.tsx";

export interface CurrentUser {
  account: AccountAttributes & { id: number };
  sessionId: string;
  csrfToken: string;
}

/** Forms here are small; anything bigger is refused (413) without reading more than this. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Bun's own cap (serve.maxRequestBodySize in app.ts), kept above MAX_BODY_BYTES on purpose: when
 * Bun refuses a body itself it answers a bare 413 without calling the app, so without the security
 * headers. Between the two limits the app refuses it (the hooks below) with its headers and error
 * page; the cap still bounds what one request can make the server hold, and a body past it (a
 * huge upload) gets Bun's bare 413 (Bun 1.4.5 calls neither fetch nor error for it) and a closed
 * connection.
 */
export const SERVER_BODY_CAP_BYTES = 4 * MAX_BODY_BYTES;

/**
 * Reads a body until it ends or passes `limit` bytes, then stops: true if it passed. It does not
 * cancel the stream: on a clone's stream (Bun 1.4.5) cancel() can wait forever, and the request
 * is refused right after anyway; Bun's cap bounds what is still buffered.
 */
async function longerThan(body: ReadableStream<Uint8Array>, limit: number): Promise<boolean> {
  const reader = body.getReader();
  let size = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    size += part.value.byteLength;
    if (size > limit) return true;
  }
  return false;
}

/**
 * A body sent without Content-Length (chunked, or app.handle in tests) is counted before Elysia
 * parses it, reading a copy no further than the limit (the original keeps what was read for the
 * parser); Bun caps it too, higher (SERVER_BODY_CAP_BYTES). A plugin of its own because a parse
 * hook covers only routes added after it: app.ts also puts it before the Telegram webhook, which
 * comes before the security plugin. (A declared Content-Length is checked in onRequest, which
 * covers every route.)
 */
export const undeclaredBodyLimit = new Elysia({ name: "undeclared-body-limit" }).onParse({ as: "global" }, async ({ request }) => {
  if (request.headers.has("content-length") || !request.body) return;
  if (await longerThan(request.clone().body!, MAX_BODY_BYTES)) throw new HttpError(413, said("tooLarge"));
});

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The password forms: they carry no CSRF token (a visitor has no session), so a browser that still
 * holds a session may post them too; Origin is checked as for every other POST. A successful
 * login ends the session the browser had (routes/login.tsx beginSession).
 */
const LOGIN_PATHS = new Set(["/crm/schools/login/", "/crm/instructors/login/", "/admin/login"]);

/**
 * No inline script or style anywhere: scripts and styles come from /public only. htmx needs no
 * 'unsafe-eval' because no page uses hx-on or js: values (with this policy they could not run,
 * which also disarms such attributes if one were ever injected); its indicator CSS is a
 * constructed stylesheet, which style-src does not govern.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers every answer carries; HSTS only when the public address is https. */
export function securityHeaders(publicUrl: string): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (publicUrl.startsWith("https://")) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/**
 * The client's address: the socket's, or, behind a trusted proxy (TRUST_PROXY=1), the first
 * X-Forwarded-For address (the proxy must set or overwrite that header). "unknown" when neither
 * is known (requests made in-process by tests).
 */
export function clientAddressOf(request: Request, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const first = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (first && /^[0-9a-fA-F.:\[\]]{2,64}$/.test(first)) return first;
  }
  return socketAddress ?? "unknown";
}

/** The request comes from one of our pages: its Origin (or, failing that, Referer) is ours. */
export function sameOrigin(request: Request, publicUrl: string): boolean {
  const source = request.headers.get("origin") ?? request.headers.get("referer");
  if (!source || source === "null") return false;
  let origin: URL;
  try {
    origin = new URL(source);
  } catch {
    return false;
  }
  const own = new URL(publicUrl);
  if (origin.protocol === own.protocol && origin.host === own.host) return true;
  // The address the browser used (a proxy may keep the Host header; tests use localhost).
  const host = request.headers.get("host") ?? new URL(request.url).host;
  return origin.host === host;
}

export function security(deps: { db: Db; config: Config }) {
  const auth: Auth = createAuth(deps.db, { secure: deps.config.publicUrl.startsWith("https://") });
  const headers = securityHeaders(deps.config.publicUrl);
  return new Elysia({ name: "security" })
    .decorate("auth", auth)
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, headers);
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > MAX_BODY_BYTES) throw new HttpError(413, said("tooLarge"));
    })
    .use(undeclaredBodyLimit)
    .derive({ as: "global" }, async ({ request, set, server }): Promise<{ user: CurrentUser | null; clientAddress: string; language: Language }> => {
      const clientAddress = clientAddressOf(request, server?.requestIP(request)?.address, deps.config.trustProxy);
      const sessionId = auth.readSessionCookie(request.headers.get("cookie") ?? "");
      if (!sessionId) return { user: null, clientAddress, language: requestLanguage(request, null) };
      const { session, user } = await auth.validateSession(sessionId);
      if (!session) {
        set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
        return { user: null, clientAddress, language: requestLanguage(request, null) };
      }
      if (session.fresh) set.headers["set-cookie"] = auth.createSessionCookie(session.id).serialize();
      const current = { account: { ...user, id: user.id }, sessionId: session.id, csrfToken: session.csrfToken };
      return { user: current, clientAddress, language: requestLanguage(request, user.language) };
    })
    .onBeforeHandle({ as: "global" }, ({ request, user, body }) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (!sameOrigin(request, deps.config.publicUrl)) throw new HttpError(403, said("foreignOrigin"));
      if (!user || LOGIN_PATHS.has(new URL(request.url).pathname)) return;
      const given = request.headers.get("x-csrf-token") ?? (body as Record<string, unknown> | undefined)?._csrf;
      if (!csrfTokenMatches(user.csrfToken, typeof given === "string" ? given : null))
        throw new HttpError(403, said("staleSession"));
    });
}

export type Security = ReturnType<typeof security>;
