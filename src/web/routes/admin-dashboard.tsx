// The admin entrance: GET /admin/ is the login form for visitors and the dashboard for admins;
// the password login (same rate limits as the CRM) and logout.
import { Elysia, t } from "elysia";
import { checkLogin } from "../../domain/auth.ts";
import { loadDashboard } from "../../domain/admin-dashboard.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { DashboardPage } from "../../../views/pages/admin/dashboard.tsx";
import type { CrmDeps } from "../crm.tsx";
import { htmlResponse, seeOther } from "../html.ts";
import { QText } from "../input.ts";
import { beginSession, LoginForm, loginRefused } from "./login.tsx";
import { adminPage, requireAdmin } from "./admin-common.tsx";
import { publicTexts } from "../../i18n/admin/public.ts";
import { adminTexts } from "../../i18n/admin/common.ts";

/** The dashboard's window: 1..720 hours, 24 when missing or malformed. */
function hoursOf(raw: string | undefined): number {
  const n = /^\d{1,3}$/.test(raw?.trim() ?? "") ? Number(raw!.trim()) : NaN;
  return n >= 1 && n <= 720 ? n : 24;
}

export function adminDashboardRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return new Elysia({ name: "admin-dashboard", strictPath: true })
    .use(deps.security)
    .get(
      "/admin/",
      async ({ request, query, user, language }) => {
        if (!user) return htmlResponse(<LoginPage title={publicTexts[language].adminLogin} action="/admin/login" language={language} here="/admin/" />, 200, { "cache-control": "no-store" });
        const shell = requireAdmin(user, config.timeZone, language, request);
        const now = new Date();
        const d = await loadDashboard(db, config.timeZone, now, hoursOf(query.hours));
        return adminPage(request, shell, { title: adminTexts[language].titles.dashboard, active: "dashboard" }, <DashboardPage d={d} zone={config.timeZone} now={now} language={language} />);
      },
      { query: t.Object({ hours: QText(10) }) },
    )
    .post(
      "/admin/login",
      async ({ body, auth, set, user, clientAddress, language }) => {
        const login = (body.login ?? "").trim().slice(0, 100);
        const result = await checkLogin(db, { login, password: body.password ?? "", role: "admin", address: clientAddress });
        if (!result.ok) return loginRefused(result, { title: publicTexts[language].adminLogin, action: "/admin/login", login, language });
        set.headers["set-cookie"] = await beginSession(auth, result.accountId, user);
        return seeOther("/admin/");
      },
      { body: LoginForm },
    )
    .post("/admin/logout", async ({ user, auth, set }) => {
      if (user) await auth.invalidateSession(user.sessionId);
      set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
      return seeOther("/admin/");
    });
}
