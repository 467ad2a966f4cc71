// POST /language: the staff pages' language switch (issue 17). Remembered on the account when logged
// in (so the person's Telegram alerts follow it too) and in a cookie (the login pages, before login).
// CSRF: the security plugin checks the Origin, and the session's token when there is a session.
import { Elysia, t } from "elysia";
import { setAccountLanguage } from "../../domain/accounts.ts";
import type { CrmDeps } from "../crm.tsx";
import { Form } from "../input.ts";
import { languageCookie, safeBackPath } from "../language.ts";

const LanguageForm = Form({ language: t.Union([t.Literal("ru"), t.Literal("kk")], { error: "Язык: ru или kk. / Тіл: ru немесе kk." }), back: t.Optional(t.String({ maxLength: 2000 })) });

export function languageRoutes(deps: CrmDeps) {
  const secure = deps.config.publicUrl.startsWith("https://");
  return new Elysia({ name: "language", strictPath: true })
    .use(deps.security)
    .post(
      "/language",
      async ({ body, user }) => {
        if (user) await setAccountLanguage(deps.db, user.account.id, body.language);
        const headers = new Headers({ location: safeBackPath(body.back), "cache-control": "no-store" });
        headers.append("set-cookie", languageCookie(body.language, secure));
        return new Response(null, { status: 303, headers });
      },
      { body: LanguageForm },
    );
}
