// The session and the CSRF guard for every route, in one plugin:
// - resolves the session cookie with lucia (renewing it when half its life has passed),
// - refuses every state-changing request (not GET/HEAD/OPTIONS) whose Origin is not ours, and,
//   when there is a session, whose CSRF token (X-CSRF-Token header from htmx, or the `_csrf`
//   field of a plain form) is not the session's: 403, before any handler runs,
// - refuses bodies over the size limit (413) before they are read.
// Login forms have no session yet: the Origin check and the login rate limit protect them.
import { Elysia } from "elysia";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { createAuth, csrfTokenMatches, type Auth, type AccountAttributes } from "../../domain/auth.ts";
import { HttpError } from "./errors.tsx";

export interface CurrentUser {
  account: AccountAttributes & { id: number };
  sessionId: string;
  csrfToken: string;
}

/** Forms here are small; anything bigger is refused without reading it. */
export const MAX_BODY_BYTES = 64 * 1024;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

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
  return new Elysia({ name: "security" })
    .decorate("auth", auth)
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > MAX_BODY_BYTES) throw new HttpError(413, "Слишком большой запрос.");
    })
    // A body sent without Content-Length (chunked, or app.handle in tests) is measured before
    // Elysia parses it; the server itself also caps bodies (serve.maxRequestBodySize in app.ts).
    .onParse({ as: "global" }, async ({ request }) => {
      if (request.headers.has("content-length") || !request.body) return;
      const size = (await request.clone().arrayBuffer()).byteLength;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, "Слишком большой запрос.");
    })
    .derive({ as: "global" }, async ({ request, set }): Promise<{ user: CurrentUser | null }> => {
      set.headers["x-frame-options"] = "DENY";
      set.headers["x-content-type-options"] = "nosniff";
      set.headers["referrer-policy"] = "same-origin";
      const sessionId = auth.readSessionCookie(request.headers.get("cookie") ?? "");
      if (!sessionId) return { user: null };
      const { session, user } = await auth.validateSession(sessionId);
      if (!session) {
        set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
        return { user: null };
      }
      if (session.fresh) set.headers["set-cookie"] = auth.createSessionCookie(session.id).serialize();
      return { user: { account: { ...user, id: user.id }, sessionId: session.id, csrfToken: session.csrfToken } };
    })
    .onBeforeHandle({ as: "global" }, ({ request, user, body }) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (!sameOrigin(request, deps.config.publicUrl)) throw new HttpError(403, "Запрос отклонён: он пришёл не со страницы AvtoMat.");
      if (!user) return;
      const given = request.headers.get("x-csrf-token") ?? (body as Record<string, unknown> | undefined)?._csrf;
      if (!csrfTokenMatches(user.csrfToken, typeof given === "string" ? given : null))
        throw new HttpError(403, "Сессия устарела: обновите страницу и повторите.");
    });
}

export type Security = ReturnType<typeof security>;
