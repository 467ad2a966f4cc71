// Logging in and out of the CRM: the password form of each entrance, the one-tap link from the
// bot, and logout. Sessions themselves are domain/auth.ts; the admin entrance (admin-dashboard.tsx)
// uses the same refusal answer from here.
import { Elysia, t } from "elysia";
import type { Role } from "../../db/schema.ts";
import { checkLogin, homeOf, startSession, type Auth, type LoginRefusal } from "../../domain/auth.ts";
import { consumeLoginToken } from "../../domain/staff-telegram.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { ErrorPage } from "../../../views/pages/error.tsx";
import { htmlResponse, seeOther } from "../html.ts";
import type { CrmDeps } from "../crm.tsx";
import { Form, OptText, QText } from "../input.ts";
import type { CurrentUser } from "../plugins/security.tsx";

/** The password form of every entrance (admin-dashboard.tsx too). */
export const LoginForm = Form({ login: OptText(200), password: OptText(1000) });

const ENTRANCES: { path: string; role: Role; title: string }[] = [
  { path: "/crm/schools/login/", role: "school", title: "Вход для автошколы" },
  { path: "/crm/instructors/login/", role: "instructor", title: "Вход для инструктора" },
];

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} с`;
  return `${Math.ceil(seconds / 60)} мин`;
}

/** The login form again, with why the login was refused: 401, or 429 with Retry-After. */
export function loginRefused(result: LoginRefusal, page: { title: string; action: string; login: string }) {
  if (result.reason === "invalid")
    return htmlResponse(<LoginPage title={page.title} action={page.action} error="Неверный логин или пароль." login={page.login} />, 401);
  const error =
    result.reason === "locked"
      ? `Слишком много неудачных попыток входа: вход временно заблокирован. Попробуйте снова через ${waitText(result.retryAfterSeconds)}.`
      : `Слишком много неудачных попыток входа. Подождите ${waitText(result.retryAfterSeconds)} и попробуйте снова.`;
  return htmlResponse(<LoginPage title={page.title} action={page.action} error={error} login={page.login} />, 429, {
    "retry-after": String(result.retryAfterSeconds),
  });
}

/**
 * A new session for an account that has just proven who it is. A session the browser already
 * had (another account, or a cookie planted before login) is ended: the id always changes at login.
 */
export async function beginSession(auth: Auth, accountId: number, previous: CurrentUser | null): Promise<string> {
  if (previous) await auth.invalidateSession(previous.sessionId);
  const session = await startSession(auth, accountId);
  return auth.createSessionCookie(session.id).serialize();
}

export function loginRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  let app = new Elysia({ name: "login", strictPath: true }).use(deps.security);

  for (const e of ENTRANCES) {
    app = app.post(
      e.path,
      async ({ body, auth, set, user, clientAddress }) => {
        const login = (body.login ?? "").trim().slice(0, 100);
        const result = await checkLogin(db, { login, password: body.password ?? "", role: e.role, address: clientAddress });
        if (!result.ok) return loginRefused(result, { title: e.title, action: e.path, login });
        set.headers["set-cookie"] = await beginSession(auth, result.accountId, user);
        return seeOther(homeOf(e.role));
      },
      { body: LoginForm },
    ) as typeof app;
  }

  return app
    .post("/crm/logout", async ({ user, auth, set }) => {
      const to = user?.account.role === "instructor" ? "/crm/instructors/login/" : "/crm/schools/login/";
      if (user) await auth.invalidateSession(user.sessionId);
      set.headers["set-cookie"] = auth.createBlankSessionCookie().serialize();
      return seeOther(to);
    })
    .get(
      "/crm/login/token",
      async ({ query, auth, set, user }) => {
        const account = await consumeLoginToken(db, config.secretKey, query.t ?? "");
        if (!account || (account.role !== "school" && account.role !== "instructor"))
          return htmlResponse(<ErrorPage status={400} message="Ссылка для входа недействительна или устарела. Запросите новую в боте командой /login." />, 400);
        set.headers["set-cookie"] = await beginSession(auth, account.id, user);
        return seeOther(homeOf(account.role));
      },
      { query: t.Object({ t: QText(4000) }) },
    );
}
