// CRM access: logins per entrance, sessions (cookie flags, renewal, expiry, logout), the CSRF
// and Origin guard, login rate limits, one-tap login links from the bot, body limits.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { accounts, applications, sessions } from "../../src/db/schema.ts";
import { LOGIN_LIMITS } from "../../src/domain/auth.ts";
import { createLinkCode, issueLoginToken, linkTelegramByCode, staffChatsFor } from "../../src/domain/staff-telegram.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let staff: Awaited<ReturnType<typeof fx.createStaff>>;
const form = fx.formPost;

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(t.database.db);
  staff = await fx.createStaff(t.database.db, { schoolId: school.id });
});
afterAll(() => t.dispose());

describe("login", () => {
  test("a page without a session redirects to the entrance; htmx is told to redirect", async () => {
    const page = await t.request("/crm/schools/applications");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/crm/schools/login/");
    const frag = await t.request("/crm/instructors/applications", { headers: { "hx-request": "true" } });
    expect(frag.status).toBe(401);
    expect(frag.headers.get("hx-redirect")).toBe("/crm/instructors/login/");
  });

  test("a right password starts a session with an HttpOnly, SameSite=Lax cookie and records the login", async () => {
    const res = await t.request("/crm/schools/login/", form({ login: staff.login, password: fx.PASSWORD }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/schools/");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    const [a] = await t.database.db.select().from(accounts).where(eq(accounts.id, staff.id));
    expect(a!.lastLoginAt).not.toBeNull();
    const home = await t.request("/crm/schools/", { headers: { cookie: cookie.split(";")[0]! } });
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/crm/schools/applications");
  });

  test("a wrong password says so and keeps the login (escaped)", async () => {
    const res = await t.request("/crm/schools/login/", form({ login: '"><b>nobody</b>', password: "wrong-password" }));
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("Неверный логин или пароль.");
    // Inside a quoted attribute only the quote matters: it cannot close the attribute.
    expect(html).toContain('value="&#34;><b>nobody</b>"');
  });

  test("the entrance must match the role; a disabled account cannot log in", async () => {
    const res = await t.request("/crm/instructors/login/", form({ login: staff.login, password: fx.PASSWORD }));
    expect(res.status).toBe(401);
    const other = await fx.createStaff(t.database.db, { schoolId: school.id });
    await t.database.db.update(accounts).set({ disabled: true }).where(eq(accounts.id, other.id));
    expect((await t.request("/crm/schools/login/", form({ login: other.login, password: fx.PASSWORD }))).status).toBe(401);
  });

  test("a login form posted from another site is refused", async () => {
    const res = await t.request("/crm/schools/login/", form({ login: staff.login, password: fx.PASSWORD }, "https://evil.example"));
    expect(res.status).toBe(403);
  });

  test(`after ${LOGIN_LIMITS.perLogin} failures a login is locked, even with the right password`, async () => {
    const victim = await fx.createStaff(t.database.db, { schoolId: school.id });
    for (let i = 0; i < LOGIN_LIMITS.perLogin; i++)
      expect((await t.request("/crm/schools/login/", form({ login: victim.login, password: "nope-nope" }))).status).toBe(401);
    const res = await t.request("/crm/schools/login/", form({ login: victim.login, password: fx.PASSWORD }));
    expect(res.status).toBe(429);
    expect(await res.text()).toContain("Слишком много неудачных попыток входа");
  });

  test(`after ${LOGIN_LIMITS.perAddress} failures from one address every login from it is locked`, async () => {
    const other = await createTestApp();
    const s = await fx.createSchool(other.database.db);
    const ok = await fx.createStaff(other.database.db, { schoolId: s.id });
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++)
      await other.request("/crm/schools/login/", form({ login: `guess-${i}`, password: "nope-nope" }));
    const res = await other.request("/crm/schools/login/", form({ login: ok.login, password: fx.PASSWORD }));
    expect(res.status).toBe(429);
    await other.dispose();
  });
});

describe("sessions", () => {
  test("logout ends the session", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const res = await s.request("/crm/logout", { form: { _csrf: s.csrf }, noCsrf: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await s.request("/crm/schools/applications")).status).toBe(303);
  });

  test("an expired session is gone; one past half its life is renewed", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const id = s.cookie.split("=")[1]!;
    await t.database.db.update(sessions).set({ expiresAt: sql`now() + interval '1 day'` }).where(eq(sessions.id, id));
    const renewed = await s.request("/crm/schools/applications");
    expect(renewed.status).toBe(200);
    expect(renewed.headers.get("set-cookie")).toContain(id);
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.id, id));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await t.database.db.update(sessions).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(sessions.id, id));
    expect((await s.request("/crm/schools/applications")).status).toBe(303);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
  });

  test("cookies are Secure when PUBLIC_URL is https", async () => {
    const other = await createTestApp({ env: { PUBLIC_URL: "https://crm.avtomat.kz" } });
    const s = await fx.createSchool(other.database.db);
    const a = await fx.createStaff(other.database.db, { schoolId: s.id });
    const res = await other.request("/crm/schools/login/", form({ login: a.login, password: fx.PASSWORD }, "https://crm.avtomat.kz"));
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("Secure");
    await other.dispose();
  });
});

describe("CSRF", () => {
  test("a state change without the token, with a wrong token or from another origin is 403 and changes nothing", async () => {
    const db = t.database.db;
    const app = await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId });
    const s = await fx.loginAs(t, staff.login, "school");
    const path = `/crm/schools/applications/${app.id}/status`;
    const f = { from: "new", to: "contacted" };
    expect((await s.request(path, { form: f, noCsrf: true, htmx: true })).status).toBe(403);
    expect((await s.request(path, { form: f, headers: { "x-csrf-token": "forged" }, noCsrf: true })).status).toBe(403);
    expect((await s.request(path, { form: f, headers: { origin: "https://evil.example" } })).status).toBe(403);
    const noOrigin = await t.app.handle(
      new Request(`http://localhost${path}`, { method: "POST", headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/x-www-form-urlencoded" }, body: fx.formBody(f) }),
    );
    expect(noOrigin.status).toBe(403);
    const [row] = await db.select().from(applications).where(eq(applications.id, app.id));
    expect(row!.status).toBe("new");
    // The same request with the token goes through; a plain form may send it as _csrf.
    expect((await s.request(path, { form: { ...f, _csrf: s.csrf }, noCsrf: true, htmx: true })).status).toBe(200);
  });

  test("the token is in the head for htmx-guard.js, which alone sends it; htmx may request only the area's paths", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const html = await (await s.request("/crm/schools/applications")).text();
    const head = html.slice(0, html.indexOf("</head>"));
    expect(head).toContain(`<meta name="csrf-token" content="${s.csrf}"/>`);
    expect(head).toContain(`<meta name="htmx-paths" content="/crm/schools/"/>`);
    // The guard comes first, so its listeners are in place before htmx processes the page.
    expect(head.indexOf("/public/htmx-guard.js")).toBeGreaterThan(0);
    expect(head.indexOf("/public/htmx-guard.js")).toBeLessThan(head.indexOf("/public/htmx.min.js"));
    // No inherited header would hand the token to whatever htmx processes.
    expect(html).not.toContain("hx-headers");
  });
});

describe("bad bodies", () => {
  test("an oversized body is 413, a malformed one 400, never 500", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const huge = "body=" + "x".repeat(70_000);
    const declared = await s.request("/crm/schools/templates", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(huge.length) }, body: huge });
    expect(declared.status).toBe(413);
    const undeclared = await s.request("/crm/schools/templates", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: huge });
    expect(undeclared.status).toBe(413);
    const bad = await s.request("/crm/schools/templates", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(400);
    const mangled = await s.request("/crm/schools/applications/abc/status", { form: { from: "new", to: "contacted" } });
    expect(mangled.status).toBe(404);
    const nonsense = await s.request("/crm/schools/applications/1/status", { form: { from: "new", to: "flying" } });
    expect(nonsense.status).toBe(400);
  });
});

describe("staff Telegram", () => {
  test("a link code links the chat once; staff chats are found by school", async () => {
    const db = t.database.db;
    const a = await fx.createStaff(db, { schoolId: school.id });
    const { code } = await createLinkCode(db, a.id);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect((await linkTelegramByCode(db, code.toLowerCase(), 555001))!.id).toBe(a.id);
    expect(await linkTelegramByCode(db, code, 555002)).toBeNull();
    expect(await staffChatsFor(db, { schoolId: school.id })).toContainEqual({ chatId: 555001, language: "ru" });
    const { code: expired } = await createLinkCode(db, a.id);
    await db.update(accounts).set({ telegramLinkExpiresAt: sql`now() - interval '1 minute'` }).where(eq(accounts.id, a.id));
    expect(await linkTelegramByCode(db, expired, 555003)).toBeNull();
  });

  test("the CRM shows a code and the /start command", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const res = await s.request("/crm/schools/telegram/code", { method: "POST", htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/\/start link_[A-Z2-9]{8}/);
    expect(html).not.toContain("<!doctype html>");
  });

  test("a one-tap login link works once, for the right CRM (opening it asks, the page's POST logs in)", async () => {
    const token = await issueLoginToken(t.config.secretKey, staff.id);
    const page = await t.request(`/crm/login/token?t=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("set-cookie")).toBeNull();
    expect(await page.text()).toContain(`(${staff.login})</strong>?`);
    const first = await t.request("/crm/login/token", form({ t: token }));
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/crm/schools/");
    expect(first.headers.get("set-cookie")).toContain("HttpOnly");
    expect((await t.request("/crm/login/token", form({ t: token }))).status).toBe(400);
    expect((await t.request(`/crm/login/token?t=${encodeURIComponent(token)}`)).status).toBe(400);
    const forged = await issueLoginToken("another-secret-another-secret-000", staff.id);
    expect((await t.request(`/crm/login/token?t=${encodeURIComponent(forged)}`)).status).toBe(400);
    expect((await t.request(`/crm/login/token?t=garbage`)).status).toBe(400);
  });
});
