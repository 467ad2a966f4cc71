// Admin access: the /admin/ login (role admin only, rate limited like the CRM), logout, and every
// admin URL refusing anonymous visitors (→ login) and other roles (403), plus the CSRF guard.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, auditLog, schools } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import { adminSession, createAdmin } from "./admin-support.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let ids: { school: number; offer: number; instructor: number; slot: number; city: number; account: number; application: number; student: number };
const form = fx.formPost;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const school = await fx.createSchool(db);
  const instructor = await fx.createInstructor(db, { cityId: school.cityId });
  const staff = await fx.createStaff(db, { schoolId: school.id });
  const app = await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId });
  const { schoolOffers, instructorSlots } = await import("../../src/db/schema.ts");
  const [offer] = await db.insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "in_person", priceKzt: 100000, durationWeeks: 8 }).returning();
  const [slot] = await db.insert(instructorSlots).values({ instructorId: instructor.id, startsAt: new Date(Date.now() + 86_400_000) }).returning();
  ids = { school: school.id, offer: offer!.id, instructor: instructor.id, slot: slot!.id, city: school.cityId, account: staff.id, application: app.id, student: app.studentId };
});
afterAll(() => t.dispose());

/** Every admin route, with real ids. */
function adminUrls(): { method: "GET" | "POST"; path: string }[] {
  const i = ids;
  const get = ["/admin/cities", `/admin/cities/${i.city}`, "/admin/schools", "/admin/schools/new", `/admin/schools/${i.school}`, `/admin/schools/${i.school}/offers/${i.offer}`,
    "/admin/instructors", "/admin/instructors/new", `/admin/instructors/${i.instructor}`, "/admin/accounts", "/admin/applications", "/admin/applications/export.csv",
    `/admin/applications/${i.application}`, "/admin/students", `/admin/students/${i.student}`, "/admin/audit"];
  const post = ["/admin/cities", `/admin/cities/${i.city}`, `/admin/cities/${i.city}/deactivate`, `/admin/cities/${i.city}/activate`, "/admin/schools", `/admin/schools/${i.school}`,
    `/admin/schools/${i.school}/deactivate`, `/admin/schools/${i.school}/activate`, `/admin/schools/${i.school}/offers`, `/admin/schools/${i.school}/offers/${i.offer}`,
    `/admin/schools/${i.school}/offers/${i.offer}/deactivate`, `/admin/schools/${i.school}/offers/${i.offer}/activate`, "/admin/instructors", `/admin/instructors/${i.instructor}`,
    `/admin/instructors/${i.instructor}/deactivate`, `/admin/instructors/${i.instructor}/activate`, `/admin/instructors/${i.instructor}/slots`,
    `/admin/instructors/${i.instructor}/slots/${i.slot}/cancel`, "/admin/accounts", `/admin/accounts/${i.account}/reset`, `/admin/accounts/${i.account}/disable`,
    `/admin/accounts/${i.account}/enable`, `/admin/students/${i.student}/block`, `/admin/students/${i.student}/unblock`];
  return [...get.map((path) => ({ method: "GET" as const, path })), ...post.map((path) => ({ method: "POST" as const, path }))];
}

describe("login", () => {
  test("GET /admin/ without a session is the login form", async () => {
    const res = await t.request("/admin/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Администрирование</h1>");
    expect(html).toContain('action="/admin/login"');
  });

  test("an admin logs in, sees the dashboard, and the login is recorded; logout ends the session", async () => {
    const { session, id } = await adminSession(t);
    const home = await session.request("/admin/");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("Сводка");
    expect(html).toContain('href="/admin/schools"');
    const [a] = await t.database.db.select().from(accounts).where(eq(accounts.id, id));
    expect(a!.lastLoginAt).not.toBeNull();
    const out = await session.request("/admin/logout", { method: "POST" });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await session.request("/admin/schools")).status).toBe(303);
  });

  test("a wrong password, a school account or a disabled admin cannot log in; the login is kept escaped", async () => {
    const bad = await t.request("/admin/login", form({ login: '"><script>x</script>', password: "nope-nope" }));
    expect(bad.status).toBe(401);
    const html = await bad.text();
    expect(html).toContain("Неверный логин или пароль.");
    // Inside a quoted attribute only the quote matters: it cannot close the attribute.
    expect(html).toContain('value="&#34;><script>x</script>"');
    const staff = await fx.createStaff(t.database.db, { schoolId: ids.school });
    expect((await t.request("/admin/login", form({ login: staff.login, password: fx.PASSWORD }))).status).toBe(401);
    const admin = await createAdmin(t);
    await t.database.db.update(accounts).set({ disabled: true }).where(eq(accounts.id, admin.id));
    expect((await t.request("/admin/login", form({ login: admin.login, password: fx.PASSWORD }))).status).toBe(401);
  });

  test("a login form posted from another site is refused", async () => {
    const admin = await createAdmin(t);
    expect((await t.request("/admin/login", form({ login: admin.login, password: fx.PASSWORD }, "https://evil.example"))).status).toBe(403);
  });

  test("after 5 failures the admin login is locked even with the right password", async () => {
    const admin = await createAdmin(t);
    for (let i = 0; i < 5; i++) await t.request("/admin/login", form({ login: admin.login, password: "wrong-one" }));
    expect((await t.request("/admin/login", form({ login: admin.login, password: fx.PASSWORD }))).status).toBe(429);
  });
});

describe("every admin URL", () => {
  test("anonymous: a page redirects to the /admin/ login, htmx is told to redirect", async () => {
    for (const u of adminUrls()) {
      const res = await t.request(u.path, u.method === "POST" ? form({}) : {});
      expect({ ...u, status: res.status, location: res.headers.get("location") }).toEqual({ ...u, status: 303, location: "/admin/" });
    }
    const frag = await t.request("/admin/schools", { headers: { "hx-request": "true" } });
    expect(frag.status).toBe(401);
    expect(frag.headers.get("hx-redirect")).toBe("/admin/");
  });

  for (const role of ["school", "instructor"] as const) {
    test(`a logged-in ${role} account gets 403 on every admin URL (GET and POST with a valid CSRF token) and changes nothing`, async () => {
      const staff = await fx.createStaff(t.database.db, role === "school" ? { schoolId: ids.school } : { instructorId: ids.instructor });
      const s = await fx.loginAs(t, staff.login, role);
      const auditBefore = (await t.database.db.select().from(auditLog)).length;
      for (const u of [{ method: "GET" as const, path: "/admin/" }, ...adminUrls()]) {
        const res = await s.request(u.path, u.method === "POST" ? { form: { name: "Взлом", nameRu: "Взлом", nameKk: "x", _csrf: s.csrf } } : {});
        expect({ ...u, status: res.status }).toEqual({ ...u, status: 403 });
        if (u.method === "GET") expect(await res.text()).toContain("Доступ только для администраторов");
      }
      expect((await t.database.db.select().from(auditLog)).length).toBe(auditBefore);
      const [school] = await t.database.db.select().from(schools).where(eq(schools.id, ids.school));
      expect(school!.active).toBe(true);
    });
  }
});

describe("CSRF", () => {
  test("an admin POST without the session's token, or from another origin, is refused before the handler", async () => {
    const { session } = await adminSession(t);
    const before = (await t.database.db.select().from(auditLog)).length;
    const noToken = await session.request(`/admin/schools/${ids.school}/deactivate`, { method: "POST", noCsrf: true });
    expect(noToken.status).toBe(403);
    const wrong = await session.request(`/admin/schools/${ids.school}/deactivate`, { method: "POST", noCsrf: true, headers: { "x-csrf-token": "forged" } });
    expect(wrong.status).toBe(403);
    const foreign = await session.request(`/admin/schools/${ids.school}/deactivate`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect((await t.database.db.select().from(auditLog)).length).toBe(before);
    // The plain-form field works too.
    const ok = await session.request(`/admin/cities/${ids.city}/activate`, { form: { _csrf: session.csrf }, noCsrf: true });
    expect(ok.status).toBe(303);
  });
});

describe("malformed input", () => {
  test("mangled ids, unknown ids and odd queries are clean 404s or ignored, never 500", async () => {
    const { session } = await adminSession(t);
    for (const p of ["/admin/schools/abc", "/admin/schools/99999999", "/admin/schools/1e3", "/admin/instructors/-1", "/admin/applications/0x10", "/admin/students/99999", "/admin/cities/%00", `/admin/schools/${ids.school}/offers/999999`]) {
      const res = await session.request(p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
    }
    for (const p of ["/admin/applications?city=x&school=-1&status=evil&from=2025-13-45&to=yesterday&page=-5", "/admin/schools?city=1%27&state=%3Cb%3E&page=abc", "/admin/audit?from=2025-02-30&who=%25%5F", "/admin/students?q=%25%27%22%3C", "/admin/?hours=-7", "/admin/applications?city=1&city=2"]) {
      const res = await session.request(p);
      expect({ p, status: res.status }).toEqual({ p, status: 200 });
    }
    const res = await session.request("/admin/schools/99999/deactivate", { method: "POST" });
    expect(res.status).toBe(404);
  });
});
