// What every admin route shares: the area plugin (an admin session is required: anonymous
// visitors go to the /admin/ login, other roles get 403), the page answer, query helpers and
// the fixed notices shown after a redirect (a key in the URL, never reflected text).
import { Elysia } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import { AdminLayout, type AdminSection, type AdminShell } from "../../../views/pages/admin/layout.tsx";
import { type CrmDeps, pathOf, wantsFragment } from "../crm.tsx";
import type { Language } from "../../db/schema.ts";
import { adminTexts } from "../../i18n/admin/common.ts";
import { htmlResponse } from "../html.ts";
import { HttpError, LoginRequired } from "../plugins/errors.tsx";
import type { CurrentUser } from "../plugins/security.tsx";

export const ADMIN_LOGIN = "/admin/";

/** The admin behind the request, or the right refusal. */
export function requireAdmin(user: CurrentUser | null, zone: string, language: Language, request: Request): AdminShell {
  if (!user) throw new LoginRequired(ADMIN_LOGIN);
  if (user.account.role !== "admin") throw new HttpError(403, said("adminOnly"));
  return { accountId: user.account.id, language, here: pathOf(request), accountName: user.account.displayName || user.account.login, csrfToken: user.csrfToken, zone };
}

/** Routes under /admin: every handler gets `shell` (the admin, their CSRF token, the zone). */
export function adminArea(deps: CrmDeps) {
  return new Elysia({ prefix: "/admin", strictPath: true }).use(deps.security).resolve(({ user, language, request }) => ({ shell: requireAdmin(user, deps.config.timeZone, language, request) }));
}

const noStore = { "cache-control": "no-store", vary: "HX-Request" };

export function adminPage(request: Request, shell: AdminShell, opts: { title: string; active: AdminSection; status?: number }, body: JSX.Element) {
  if (wantsFragment(request)) return htmlResponse(body, opts.status, noStore);
  return htmlResponse(
    <AdminLayout shell={shell} title={opts.title} active={opts.active}>
      {body}
    </AdminLayout>,
    opts.status,
    noStore,
  );
}

/** A query parameter as one trimmed string ("" when missing, repeated or not text). */
export function param(query: Record<string, unknown>, key: string, max = 100): string {
  const v = query[key];
  return typeof v === "string" ? v.trim().slice(0, max) : "";
}

/** The notice named by `?notice=` (a fixed key: the URL never carries the text), in the page's language. */
export function noticeOf(query: Record<string, unknown>, language: Language): string | undefined {
  const key = param(query, "notice", 40);
  const notices: Record<string, string> = adminTexts[language].notices;
  return Object.hasOwn(notices, key) ? notices[key] : undefined;
}
