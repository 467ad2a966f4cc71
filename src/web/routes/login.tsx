// Logging in and out of the CRM: the password form of each entrance, the one-tap link from the
// bot, and logout. Sessions themselves are domain/auth.ts.
import { Elysia } from "elysia";
import type { Role } from "../../db/schema.ts";
import { checkLogin, homeOf, LOGIN_LIMITS, startSession } from "../../domain/auth.ts";
import { consumeLoginToken } from "../../domain/staff-telegram.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { ErrorPage } from "../../../views/pages/error.tsx";
import { htmlResponse } from "../html.ts";
import { formOf, seeOther, type CrmDeps } from "../crm.tsx";

const ENTRANCES: { path: string; role: Role; title: string }[] = [
  { path: "/crm/schools/login/", role: "school", title: "Вход для автошколы" },
  { path: "/crm/instructors/login/", role: "instructor", title: "Вход для инструктора" },
];

export function loginRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  let app = new Elysia({ name: "login", strictPath: true }).use(deps.security);

  for (const e of ENTRANCES) {
    app = app.post(e.path, async ({ body, request, server, auth, set }) => {
      const f = formOf(body);
      const login = (f.login ?? "").trim().slice(0, 100);
      const address = server?.requestIP(request)?.address ?? "unknown";
      const result = await checkLogin(db, { login, password: f.password ?? "", role: e.role, address });
      if (!result.ok) {
        const error =
          result.reason === "rate_limited"
            ? `Слишком много неудачных попыток входа. Подождите ${LOGIN_LIMITS.windowMinutes} минут и попробуйте снова.`
            : "Неверный логин или пароль.";
        return htmlResponse(<LoginPage title={e.title} action={e.path} error={error} login={login} />, result.reason === "rate_limited" ? 429 : 401);
      }
      const session = await startSession(auth, result.accountId);
      set.headers["set-cookie"] = auth.createSessionCookie(session.id).serialize();
      return seeOther(homeOf(e.role));
    }) as typeof app;
  }

  return app
    .post("/crm/logout", async ({ user, auth, set }) => {
      const to = user?.account.role === "instructor" ? "/crm/instructors/login/" : "/crm/schools/login/";
      if (user) await auth.invalidateSession(user.sessionId);
      set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
      return seeOther(to);
    })
    .get("/crm/login/token", async ({ query, auth, set }) => {
      const account = await consumeLoginToken(db, config.secretKey, String(query.t ?? ""));
      if (!account || (account.role !== "school" && account.role !== "instructor"))
        return htmlResponse(<ErrorPage status={400} message="Ссылка для входа недействительна или устарела. Запросите новую в боте командой /login." />, 400);
      const session = await startSession(auth, account.id);
      set.headers["set-cookie"] = auth.createSessionCookie(session.id).serialize();
      return seeOther(homeOf(account.role));
    });
}
