// The admin entrance: GET /admin/ is the login form for visitors and the dashboard for admins;
// the password login (same rate limits as the CRM) and logout.
import { Elysia } from "elysia";
import { checkLogin } from "../../domain/auth.ts";
import { loadDashboard } from "../../domain/admin-dashboard.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { DashboardPage } from "../../../views/pages/admin/dashboard.tsx";
import { formOf, type CrmDeps } from "../crm.tsx";
import { htmlResponse } from "../html.ts";
import { beginSession, loginRefused } from "./login.tsx";
import { adminPage, param, requireAdmin, seeOther } from "./admin-common.tsx";

const TITLE = "Администрирование";

export function adminDashboardRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return new Elysia({ name: "admin-dashboard", strictPath: true })
    .use(deps.security)
    .get("/admin/", async ({ request, query, user }) => {
      if (!user) return htmlResponse(<LoginPage title={TITLE} action="/admin/login" />, 200, { "cache-control": "no-store" });
      const shell = requireAdmin(user, config.timeZone);
      const raw = Number(param(query, "hours", 4));
      const hours = Number.isInteger(raw) && raw >= 1 && raw <= 720 ? raw : 24;
      const now = new Date();
      const d = await loadDashboard(db, config.timeZone, now, hours);
      return adminPage(request, shell, { title: "Сводка", active: "dashboard" }, <DashboardPage d={d} zone={config.timeZone} now={now} />);
    })
    .post("/admin/login", async ({ body, auth, set, user, clientAddress }) => {
      const f = formOf(body);
      const login = (f.login ?? "").trim().slice(0, 100);
      const result = await checkLogin(db, { login, password: f.password ?? "", role: "admin", address: clientAddress });
      if (!result.ok) return loginRefused(result, { title: TITLE, action: "/admin/login", login });
      set.headers["set-cookie"] = await beginSession(auth, result.accountId, user);
      return seeOther("/admin/");
    })
    .post("/admin/logout", async ({ user, auth, set }) => {
      if (user) await auth.invalidateSession(user.sessionId);
      set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
      return seeOther("/admin/");
    });
}
