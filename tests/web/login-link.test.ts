// The bot's one-tap login link: opening it (a GET anyone can make a browser do) only shows a page
// naming the account; logging in is that page's POST, guarded by Origin and, when the browser has
// a session, by that session's CSRF token. A link sent by someone else never switches a session.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { jwt } from "@elysiajs/jwt";
import { eq } from "drizzle-orm";
import { accounts, sessions, usedTokens } from "../../src/db/schema.ts";
import { issueLoginToken, peekLoginToken } from "../../src/domain/staff-telegram.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const REFUSED = "Ссылка для входа недействительна или устарела. Запросите новую в боте командой /login.";

let t: TestApp;
let zhol: Awaited<ReturnType<typeof fx.createSchool>>;
let a: Awaited<ReturnType<typeof fx.createStaff>>; // the link's account (school A)
let b: Awaited<ReturnType<typeof fx.createStaff>>; // the victim's account (school B)

beforeAll(async () => {
  t = await createTestApp();
  zhol = await fx.createSchool(t.database.db, { name: "Автошкола «Жол» <script>alert(1)</script>" });
  a = await fx.createStaff(t.database.db, { schoolId: zhol.id }, "school-zhol");
  const other = await fx.createSchool(t.database.db, { name: "Автошкола «Бета»" });
  b = await fx.createStaff(t.database.db, { schoolId: other.id }, "school-beta");
});
afterAll(() => t.dispose());

const link = (token: string) => `/crm/login/token?t=${encodeURIComponent(token)}`;
const confirm = (token: string, origin?: string) => t.request("/crm/login/token", fx.formPost({ t: token }, origin));
const sessionCount = async (accountId: number) => (await t.database.db.select().from(sessions).where(eq(sessions.userId, accountId))).length;
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

describe("opening the link", () => {
  test("shows a page naming the account (escaped) and does not log in or use the token", async () => {
    const token = await issueLoginToken(t.config.secretKey, a.id);
    const res = await t.request(link(token));
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("Войти как <strong>Автошкола «Жол» &lt;script&gt;alert(1)&lt;/script&gt; (school-zhol)</strong>?");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain(`Сотрудник: <span>Менеджер school-zhol</span>`);
    expect(html).toContain('<form method="post" action="/crm/login/token">');
    expect(html).toContain(`name="t" value="${token}"`);
    expect(html).not.toContain('name="_csrf"'); // a visitor has no session: Origin guards the POST
    expect(await sessionCount(a.id)).toBe(0);
    // Opening it again still works: nothing was used up.
    expect((await t.request(link(token))).status).toBe(200);
    expect(await peekLoginToken(t.database.db, t.config.secretKey, token)).not.toBeNull();
  });

  test("a bad, forged, expired, used or disabled account's link gets today's message and 400", async () => {
    const forged = await issueLoginToken("another-secret-another-secret-000", a.id);
    const signer = jwt({ name: "jwt", secret: t.config.secretKey }).decorator.jwt;
    const expired = await signer.sign({ sub: String(a.id), aud: "staff-login", jti: "expired-jti", exp: Math.floor(Date.now() / 1000) - 60 });
    const otherAudience = await signer.sign({ sub: String(a.id), aud: "something-else", jti: "aud-jti" });
    const used = await issueLoginToken(t.config.secretKey, a.id);
    expect((await confirm(used)).status).toBe(303);
    const disabledStaff = await fx.createStaff(t.database.db, { schoolId: zhol.id });
    const disabled = await issueLoginToken(t.config.secretKey, disabledStaff.id);
    await t.database.db.update(accounts).set({ disabled: true }).where(eq(accounts.id, disabledStaff.id));
    for (const token of ["garbage", "", forged, expired, otherAudience, used, disabled]) {
      const res = await t.request(link(token));
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(await res.text()).toContain(REFUSED);
    }
    expect(await sessionCount(disabledStaff.id)).toBe(0);
  });
});

describe("confirming", () => {
  test("the POST logs in once; a second POST with the same token is refused", async () => {
    const token = await issueLoginToken(t.config.secretKey, a.id);
    const before = await sessionCount(a.id);
    const first = await confirm(token);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/crm/schools/");
    expect(first.headers.get("set-cookie")).toContain("HttpOnly");
    const inbox = await t.request("/crm/schools/applications", { headers: { cookie: cookieOf(first) } });
    expect(inbox.status).toBe(200);
    expect(await sessionCount(a.id)).toBe(before + 1);

    const again = await confirm(token);
    expect(again.status).toBe(400);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain(REFUSED);
    expect(await sessionCount(a.id)).toBe(before + 1);
    expect((await t.request(link(token))).status).toBe(400);
  });

  test("an instructor's link opens the instructor CRM", async () => {
    const instructor = await fx.createInstructor(t.database.db, { name: "Инструктор Ерлан" });
    const staff = await fx.createStaff(t.database.db, { instructorId: instructor.id });
    const token = await issueLoginToken(t.config.secretKey, staff.id);
    expect(await (await t.request(link(token))).text()).toContain(`Войти как <strong>«Инструктор Ерлан» (${staff.login})</strong>?`);
    const res = await confirm(token);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/instructors/");
  });

  test("a POST from another site, or with no Origin, is refused and leaves the token usable", async () => {
    const token = await issueLoginToken(t.config.secretKey, a.id);
    const before = await sessionCount(a.id);
    const foreign = await confirm(token, "https://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("set-cookie")).toBeNull();
    const bare = await t.request("/crm/login/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fx.formBody({ t: token }) });
    expect(bare.status).toBe(403);
    expect(await sessionCount(a.id)).toBe(before);
    const [burnt] = await t.database.db.select().from(usedTokens).where(eq(usedTokens.jti, JSON.parse(atob(token.split(".")[1]!)).jti));
    expect(burnt).toBeUndefined();
    expect((await confirm(token)).status).toBe(303);
  });

  test("bad input in the form is a 400, never a 500, and logs nobody in", async () => {
    const nul = await t.request("/crm/login/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: "t=a%00b" });
    expect(nul.status).toBe(400);
    const huge = await confirm("x".repeat(5000));
    expect(huge.status).toBe(400);
    expect(huge.headers.get("set-cookie")).toBeNull();
  });
});

describe("a browser already logged in", () => {
  test("login CSRF: logged in as B, opening A's link keeps B and asks; only the POST switches", async () => {
    const victim = await fx.loginAs(t, b.login, "school");
    const token = await issueLoginToken(t.config.secretKey, a.id);
    const aSessions = await sessionCount(a.id);

    const page = await victim.request(link(token));
    expect(page.status).toBe(200);
    expect(page.headers.get("set-cookie")).toBeNull();
    const html = await page.text();
    expect(html).toContain("Сейчас вы вошли как <strong>Автошкола «Бета» (school-beta)</strong>.");
    expect(html).toContain("Выйти и войти как <strong>Автошкола «Жол» &lt;script&gt;alert(1)&lt;/script&gt; (school-zhol)</strong>?");
    expect(html).toContain(`name="_csrf" value="${victim.csrf}"`);
    expect(html).toContain('<a href="/crm/schools/">Остаться в текущем кабинете</a>');
    // Still B, and nobody was logged in as A.
    const still = await victim.request("/crm/schools/applications");
    expect(still.status).toBe(200);
    expect(await still.text()).toContain("Менеджер school-beta");
    expect(await sessionCount(a.id)).toBe(aSessions);

    // A page of another site posting the link's token: refused by Origin (and it lacks B's CSRF token).
    const forged = await victim.request("/crm/login/token", { form: { t: token }, noCsrf: true, headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
    // Same origin but without B's CSRF token (what a forged same-site request would lack): refused too.
    const noCsrf = await victim.request("/crm/login/token", { form: { t: token }, noCsrf: true });
    expect(noCsrf.status).toBe(403);
    expect((await victim.request("/crm/schools/applications")).status).toBe(200);
    expect(await sessionCount(a.id)).toBe(aSessions);
    expect(await peekLoginToken(t.database.db, t.config.secretKey, token)).not.toBeNull();

    // The page's own form (token + B's CSRF field, same origin): switches to A and ends B's session.
    const switched = await victim.request("/crm/login/token", { form: { t: token, _csrf: victim.csrf }, noCsrf: true });
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe("/crm/schools/");
    const asA = await t.request("/crm/schools/applications", { headers: { cookie: cookieOf(switched) } });
    expect(await asA.text()).toContain("Менеджер school-zhol");
    expect((await victim.request("/crm/schools/applications")).status).toBe(303); // B's old cookie is dead
    expect(await sessionCount(a.id)).toBe(aSessions + 1);
  });

  test("already logged in as the link's account: straight to the CRM, token unused", async () => {
    const s = await fx.loginAs(t, a.login, "school");
    const token = await issueLoginToken(t.config.secretKey, a.id);
    const before = await sessionCount(a.id);
    const res = await s.request(link(token));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/schools/");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await sessionCount(a.id)).toBe(before);
    expect(await peekLoginToken(t.database.db, t.config.secretKey, token)).not.toBeNull();
    expect((await s.request("/crm/schools/applications")).status).toBe(200);
  });
});
