// The home page and the login doors of the web side (school CRM, instructor CRM); the admin
// login is served by routes/admin-dashboard.tsx, the logins' POSTs by routes/login.tsx. They speak
// the request's language (the security plugin's `language`).
import { Elysia } from "elysia";
import type { Language } from "../../db/schema.ts";
import { publicTexts } from "../../i18n/admin/public.ts";
import { HomePage } from "../../../views/pages/home.tsx";
import { LoginPage } from "../../../views/pages/login.tsx";
import { htmlResponse } from "../html.ts";
import type { Security } from "../plugins/security.tsx";

const redirect = (to: string) => new Response(null, { status: 308, headers: { location: to } });

/** The school's and the instructor's login doors (their POSTs: routes/login.tsx). */
export const CRM_ENTRANCES = [
  { path: "/crm/schools/login/", role: "school", title: (l: Language) => publicTexts[l].schoolLogin },
  { path: "/crm/instructors/login/", role: "instructor", title: (l: Language) => publicTexts[l].instructorLogin },
] as const;

export const entrances = (opts: { simulator: boolean; security: Security }) =>
  new Elysia({ name: "entrances", strictPath: true })
    .use(opts.security)
    .get("/", ({ language, user }) => htmlResponse(<HomePage simulator={opts.simulator} language={language} csrfToken={user?.csrfToken} />))
    .get("/crm/schools/login", () => redirect("/crm/schools/login/"))
    .get("/crm/instructors/login", () => redirect("/crm/instructors/login/"))
    .get("/crm/schools/login/", ({ language, user }) => loginPage(0, language, user?.csrfToken))
    .get("/crm/instructors/login/", ({ language, user }) => loginPage(1, language, user?.csrfToken))
    // GET /admin/ (the admin login, or the dashboard when logged in) is routes/admin-dashboard.tsx.
    .get("/admin", () => redirect("/admin/"));

/** A login door; someone already logged in (to the other area, say) gets the switch with their session's token. */
function loginPage(which: 0 | 1, language: Language, csrfToken: string | undefined) {
  const e = CRM_ENTRANCES[which];
  return htmlResponse(<LoginPage title={e.title(language)} action={e.path} language={language} here={e.path} csrfToken={csrfToken} />);
}
