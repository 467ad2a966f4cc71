// The inputs issue 13 found answered with a 500, one by one, through the real app: each is now
// a 400 page (or the form again with its message) and changes nothing.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import { adminSession } from "./admin-support.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let s: fx.Session;
let admin: fx.Session;
let appId: number;

beforeAll(async () => {
  t = await createTestApp();
  const school = await fx.createSchool(t.database.db);
  appId = (await fx.createApplication(t.database.db, { schoolId: school.id, cityId: school.cityId })).id;
  s = await fx.loginAs(t, (await fx.createStaff(t.database.db, { schoolId: school.id })).login, "school");
  admin = (await adminSession(t)).session;
});
afterAll(() => t.dispose());

const form = { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" };

test("a NUL byte in the login is a 400 page on every login form", async () => {
  for (const path of ["/crm/schools/login/", "/crm/instructors/login/", "/admin/login"]) {
    const res = await t.request(path, { method: "POST", headers: form, body: "login=a%00b&password=x" });
    expect({ path, status: res.status, type: res.headers.get("content-type") }).toEqual({ path, status: 400, type: "text/html; charset=utf-8" });
    expect(await res.text()).toContain("недопустимые символы");
  }
});

test("q=%00 is a 400 on the lists; a 5 kB search too", async () => {
  for (const path of ["/crm/schools/applications?q=%00", "/crm/schools/applications?q=" + "x".repeat(5000)]) expect((await s.request(path)).status).toBe(400);
  for (const path of ["/admin/schools?q=%00", "/admin/students?q=%00", "/admin/accounts?q=%00", "/admin/audit?who=%00"]) expect((await admin.request(path)).status).toBe(400);
});

test("the inbox poll refuses an id past int4, and 1e308", async () => {
  for (const after of ["2147483648", "1e308", "-1", "abc"]) expect((await s.request(`/crm/schools/applications/poll?after=${after}`)).status).toBe(400);
  expect((await s.request("/crm/schools/applications/poll?after=2147483647")).status).toBe(204);
});

test("statistics from year 9999: the form again with the message at the field", async () => {
  const res = await s.request("/crm/schools/stats?from=9999-12-31");
  expect(res.status).toBe(422);
  expect(await res.text()).toContain("Неверная дата: нужен формат ГГГГ-ММ-ДД.");
});

test("a reject reason: NUL is a 400, 501 characters the form again; the status stays", async () => {
  const url = `/crm/schools/applications/${appId}/status`;
  expect((await s.request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "from=new&to=rejected&reason=a%00b", htmx: true })).status).toBe(400);
  const long = await s.request(url, { form: { from: "new", to: "rejected", reason: "я".repeat(501) }, htmx: true });
  expect(long.status).toBe(422);
  expect(await long.text()).toContain("Не длиннее 500 символов.");
  expect((await t.database.db.select().from(applications).where(eq(applications.id, appId)))[0]!.status).toBe("new");
});
