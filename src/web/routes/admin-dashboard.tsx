// The admin entrance: GET /admin/ is the login form for visitors and the dashboard for admins;
// the password login (same rate limits as the CRM) and logout.
import { Elysia } from "elysia";
import { checkLogin, LOGIN_LIMITS, startSession } from "../../domain/auth.ts";
import { loadDashboard } from "../../domain/admin-dashboard.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { DashboardPage } from "../../../views/pages/admin/dashboard.tsx";
import { formOf, type CrmDeps } from "../crm.tsx";
import { htmlResponse } from "../html.ts";
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
    .post("/admin/login", async ({ body, request, server, auth, set }) => {
      const f = formOf(body);
      const login = (f.login ?? "").trim().slice(0, 100);
      const address = server?.requestIP(request)?.address ?? "unknown";
      const result = await checkLogin(db, { login, password: f.password ?? "", role: "admin", address });
      if (!result.ok) {
        const error =
          result.reason === "rate_limited"
            ? `Слишком много неудачных попыток входа. Подождите ${LOGIN_LIMITS.windowMinutes} минут и попробуйте снова.`
            : "Неверный логин или пароль.";
        return htmlResponse(<LoginPage title={TITLE} action="/admin/login" error={error} login={login} />, result.reason === "rate_limited" ? 429 : 401);
      }
      const session = await startSession(auth, result.accountId);
      set.headers["set-cookie"] = auth.createSessionCookie(session.id).serialize();
      return seeOther("/admin/");
    })
    .post("/admin/logout", async ({ user, auth, set }) => {
      if (user) await auth.invalidateSession(user.sessionId);
      set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
      return seeOther("/admin/");
    });
}
