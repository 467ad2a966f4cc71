// The home page and the login doors of the web side (school CRM, instructor CRM); the admin
// login is served by routes/admin-dashboard.tsx, the logins' POSTs by routes/login.tsx.
import { Elysia } from "elysia";
import { HomePage } from "../../../views/pages/home.tsx";
import { LoginPage } from "../../../views/pages/login.tsx";
import { htmlResponse } from "../html.ts";

const redirect = (to: string) => new Response(null, { status: 308, headers: { location: to } });

export const entrances = (opts: { simulator: boolean }) =>
  new Elysia({ name: "entrances", strictPath: true })
  .get("/", () => htmlResponse(<HomePage simulator={opts.simulator} />))
  .get("/crm/schools/login", () => redirect("/crm/schools/login/"))
  .get("/crm/schools/login/", () =>
    htmlResponse(<LoginPage title="Вход для автошколы" action="/crm/schools/login/" />),
  )
  .get("/crm/instructors/login", () => redirect("/crm/instructors/login/"))
  .get("/crm/instructors/login/", () =>
    htmlResponse(<LoginPage title="Вход для инструктора" action="/crm/instructors/login/" />),
  )
  // GET /admin/ (the admin login, or the dashboard when logged in) is routes/admin-dashboard.tsx.
  .get("/admin", () => redirect("/admin/"));
