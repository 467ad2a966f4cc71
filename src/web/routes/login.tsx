// Logging in and out of the CRM: the password form of each entrance, the one-tap link from the
// bot (opening it shows a page naming the account; only that page's POST logs in), and logout.
// Sessions themselves are domain/auth.ts; the admin entrance (admin-dashboard.tsx) uses the same
// refusal answer from here.
import { Elysia, t } from "elysia";
import type { Language } from "../../db/schema.ts";
import { said } from "../../i18n/admin/errors.ts";
import { publicTexts } from "../../i18n/admin/public.ts";
import { checkLogin, homeOf, startSession, type Auth, type LoginRefusal } from "../../domain/auth.ts";
import { accountCards, type Account } from "../../domain/accounts.ts";
import { consumeLoginToken, LOGIN_TOKEN_SECONDS, peekLoginToken } from "../../domain/staff-telegram.ts";
import { LoginPage } from "../../../views/pages/login.tsx";
import { LoginLinkPage } from "../../../views/pages/login-link.tsx";
import { htmlResponse, seeOther } from "../html.ts";
import type { CrmDeps } from "../crm.tsx";
import { Form, OptText, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import type { CurrentUser } from "../plugins/security.tsx";
import { CRM_ENTRANCES } from "./entrances.tsx";

/** The password form of every entrance (admin-dashboard.tsx too). */
export const LoginForm = Form({ login: OptText(200), password: OptText(1000) });

function waitText(seconds: number, language: Language): string {
  const say = publicTexts[language];
  return seconds < 60 ? say.seconds(seconds) : say.minutes(Math.ceil(seconds / 60));
}

/** The login form again, with why the login was refused: 401, or 429 with Retry-After. */
export function loginRefused(result: LoginRefusal, page: { title: string; action: string; login: string; language: Language }) {
  const say = publicTexts[page.language];
  const form = { title: page.title, action: page.action, login: page.login, language: page.language, here: page.action.endsWith("/") ? page.action : "/admin/" };
  if (result.reason === "invalid") return htmlResponse(<LoginPage {...form} error={say.invalidLogin} />, 401);
  const wait = waitText(result.retryAfterSeconds, page.language);
  const error = result.reason === "locked" ? say.locked(wait) : say.throttled(wait);
  return htmlResponse(<LoginPage {...form} error={error} />, 429, {
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

  for (const e of CRM_ENTRANCES) {
    app = app.post(
      e.path as string,
      async ({ body, auth, set, user, clientAddress, language }) => {
        const login = (body.login ?? "").trim().slice(0, 100);
        const result = await checkLogin(db, { login, password: body.password ?? "", role: e.role, address: clientAddress });
        if (!result.ok) return loginRefused(result, { title: e.title(language), action: e.path, login, language });
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
      async ({ query, user, language }) => {
        const token = query.t ?? "";
        const account = staffOnly(await peekLoginToken(db, config.secretKey, token));
        if (!account) throw linkRefused();
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
          <LoginLinkPage token={token} target={target} current={current} validMinutes={LOGIN_TOKEN_SECONDS / 60} language={language} />,
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
        if (!account) throw linkRefused();
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

/** A link that logs in nobody: the error page (400) in the request's language. */
function linkRefused() {
  return new HttpError(400, said("loginLinkInvalid"));
}
