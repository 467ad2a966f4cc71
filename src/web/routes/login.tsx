// Logging in and out of the CRM: the password form of each entrance, the one-tap link from the
// bot (opening it shows a page naming the account; only that page's POST logs in), and logout.
// Sessions themselves are domain/auth.ts; the admin entrance (admin-dashboard.tsx) uses the same
// refusal answer from here.
import { Elysia, t } from "elysia";
import type { Role } from "../../db/schema.ts";
import { checkLogin, homeOf, startSession, type Auth, type LoginRefusal } from "../../domain/auth.ts";
import { accountCards, type Account } from "../../domain/accounts.ts";
import { consumeLoginToken, LOGIN_TOKEN_SECONDS, peekLoginToken } from "../../domain/staff-telegram.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { LoginLinkPage } from "../../../views/pages/login-link.tsx";
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
      async ({ query, user }) => {
        const token = query.t ?? "";
        const account = staffOnly(await peekLoginToken(db, config.secretKey, token));
        if (!account) return linkRefused();
        // Already logged into this very account (the staff member opened /login's link in the
        // browser that holds their session): there is nothing to switch, so straight to the CRM,
        // as a bookmark would. Asking "log in as yourself?" would only teach people to press the
        // button without reading it. The token stays unused and expires on its own.
        if (user?.account.id === account.id) return seeOther(homeOf(account.role));
        const cards = await accountCards(db, user ? [account.id, user.account.id] : [account.id]);
        const target = cards.find((c) => c.id === account.id)!;
        const currentCard = user && cards.find((c) => c.id === user.account.id);
        const current = user && currentCard ? { card: currentCard, home: homeOf(user.account.role), csrfToken: user.csrfToken } : null;
        return htmlResponse(
          <LoginLinkPage token={token} target={target} current={current} validMinutes={LOGIN_TOKEN_SECONDS / 60} />,
          200,
          // The page holds a live token: never keep it in a cache.
          { "cache-control": "no-store" },
        );
      },
      { query: t.Object({ t: QText(4000) }) },
    )
    // The confirmation. The security plugin checks its Origin, and, when the browser has a session,
    // that session's CSRF token (the page carries it): so another site can neither log a visitor in
    // nor switch a logged-in browser to its own account.
    .post(
      "/crm/login/token",
      async ({ body, auth, set, user }) => {
        const account = staffOnly(await consumeLoginToken(db, config.secretKey, body.t ?? ""));
        if (!account) return linkRefused();
        set.headers["set-cookie"] = await beginSession(auth, account.id, user);
        return seeOther(homeOf(account.role));
      },
      { body: Form({ t: OptText(4000) }) },
    );
}

/** The link logs into the school and instructor CRMs only (administrators use their password). */
function staffOnly(account: Account | null): Account | null {
  return account && (account.role === "school" || account.role === "instructor") ? account : null;
}

function linkRefused() {
  return htmlResponse(<ErrorPage status={400} message="Ссылка для входа недействительна или устарела. Запросите новую в боте командой /login." />, 400);
}
