// Admin catalog: cities, schools and offers, instructors and slots, CRM accounts — lists with
// search and filters, forms with errors at the fields, deactivation (the bot stops listing at
// once, history stays), the audit trail, escaping.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { accounts, applications, auditLog, cities, instructors, instructorSlots, schoolOffers, schools, sessions } from "../../src/db/schema.ts";
import { listInstructors, listSchools } from "../../src/domain/catalog.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import type { Session } from "../support/fixtures.ts";
import { adminSession } from "./admin-support.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let s: Session;
let adminId: number;
let city: { id: number };

beforeAll(async () => {
  t = await createTestApp();
  const a = await adminSession(t);
  s = a.session;
  adminId = a.id;
  city = await fx.createCity(t.database.db, `Алматы-${process.pid}`);
});
afterAll(() => t.dispose());

const audits = (subject: string) => t.database.db.select().from(auditLog).where(eq(auditLog.subject, subject));
const schoolForm = (extra: Record<string, string> = {}) => ({
  cityId: String(city.id),
  name: "Автошкола «Жол»",
  address: "ул. Абая, 1",
  phone: "8 701 123 45 67",
  whatsapp: "",
  description: "",
  kaspiUrl: "https://pay.kaspi.kz/pay/zhol",
  halykUrl: "",
  ...extra,
});

describe("cities", () => {
  test("add, list, edit, deactivate and activate, each audited; a duplicate name is an error at the field", async () => {
    const add = await s.request("/admin/cities", { form: { nameRu: "Тестоград", nameKk: "Тестқала", sort: "5", active: "on" } });
    expect(add.status).toBe(303);
    const [c] = await t.database.db.select().from(cities).where(eq(cities.nameRu, "Тестоград"));
    expect(c).toMatchObject({ nameKk: "Тестқала", sort: 5, active: true });
    const list = await (await s.request("/admin/cities?notice=created")).text();
    expect(list).toContain("Тестоград");
    expect(list).toContain("Создано.");
    expect(await (await s.request(`/admin/cities/${c!.id}`)).text()).toContain('value="Тестқала"');

    const dup = await s.request("/admin/cities", { form: { nameRu: "Тестоград", nameKk: "x", sort: "1" } });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain("Такой город уже есть.");
    const bad = await s.request(`/admin/cities/${c!.id}`, { form: { nameRu: "", nameKk: '"><b>kk</b>', sort: "abc" } });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Обязательное поле.");
    expect(html).toContain("Целое число от 0 до 100");
    // The typed value comes back inside a quoted attribute, its quote escaped: it cannot break out.
    expect(html).toContain('value="&#34;><b>kk</b>"');

    expect((await s.request(`/admin/cities/${c!.id}`, { form: { nameRu: "Тестоград-2", nameKk: "Тестқала", sort: "7", active: "on" } })).status).toBe(303);
    expect((await s.request(`/admin/cities/${c!.id}/deactivate`, { method: "POST" })).status).toBe(303);
    expect((await t.database.db.select().from(cities).where(eq(cities.id, c!.id)))[0]).toMatchObject({ nameRu: "Тестоград-2", active: false });
    expect((await s.request(`/admin/cities/${c!.id}/activate`, { method: "POST" })).status).toBe(303);
    const trail = (await audits(`city:${c!.id}`)).map((a) => a.action);
    expect(trail).toEqual(["city.create", "city.update", "city.deactivate", "city.activate"]);
    expect((await audits(`city:${c!.id}`))[0]!.accountId).toBe(adminId);
  });
});

describe("schools and offers", () => {
  test("create with an offer: the bot lists it; deactivate: the bot stops at once, the application keeps it", async () => {
    const res = await s.request("/admin/schools", { form: schoolForm() });
    expect(res.status).toBe(303);
    const id = Number(res.headers.get("location")!.match(/\/admin\/schools\/(\d+)/)![1]);
    const [row] = await t.database.db.select().from(schools).where(eq(schools.id, id));
    expect(row).toMatchObject({ name: "Автошкола «Жол»", phone: "+77011234567", kaspiUrl: "https://pay.kaspi.kz/pay/zhol", active: true });
    const offer = await s.request(`/admin/schools/${id}/offers`, { form: { kind: "full_course", category: "B", format: "in_person", priceKzt: "180 000", durationWeeks: "10" } });
    expect(offer.status).toBe(303);
    const filter = { cityId: city.id, kind: "full_course" as const, category: "B", format: "in_person" };
    expect((await listSchools(t.database.db, filter, 0)).items.map((i) => i.schoolId)).toContain(id);

    const page = await (await s.request(`/admin/schools/${id}`)).text();
    expect(page).toContain("Автошкола «Жол»");
    expect(page).toContain("180\u202f000 ₸");

    const app = await fx.createApplication(t.database.db, { schoolId: id, cityId: city.id });
    expect((await s.request(`/admin/schools/${id}/deactivate`, { method: "POST" })).status).toBe(303);
    expect((await listSchools(t.database.db, filter, 0)).items.map((i) => i.schoolId)).not.toContain(id);
    expect((await t.database.db.select().from(applications).where(eq(applications.id, app.id)))[0]!.schoolId).toBe(id);
    expect(await (await s.request(`/admin/schools/${id}?notice=deactivated`)).text()).toContain("Деактивировано");
    expect((await audits(`school:${id}`)).map((a) => a.action)).toEqual(["school.create", "school.deactivate"]);
    expect((await s.request(`/admin/schools/${id}/activate`, { method: "POST" })).status).toBe(303);
    expect((await listSchools(t.database.db, filter, 0)).items.map((i) => i.schoolId)).toContain(id);
  });

  test("the list searches by name and filters by city and state", async () => {
    const other = await fx.createCity(t.database.db);
    const a = await fx.createSchool(t.database.db, { cityId: other.id, name: "Альфа-Драйв" });
    const b = await fx.createSchool(t.database.db, { cityId: other.id, name: "Бета-Драйв" });
    await t.database.db.update(schools).set({ active: false }).where(eq(schools.id, b.id));
    const byName = await (await s.request("/admin/schools?q=альфа")).text();
    expect(byName).toContain("Альфа-Драйв");
    expect(byName).not.toContain("Бета-Драйв");
    const byCity = await (await s.request(`/admin/schools?city=${other.id}`)).text();
    expect(byCity).toContain("Альфа-Драйв");
    expect(byCity).toContain("Бета-Драйв");
    expect(byCity).not.toContain("Автошкола «Жол»");
    const inactive = await (await s.request(`/admin/schools?city=${other.id}&state=inactive`)).text();
    expect(inactive).not.toContain("Альфа-Драйв");
    expect(inactive).toContain("Бета-Драйв");
    expect(a.id).toBeGreaterThan(0);
  });

  test("bad school and offer input: messages at the fields, the typed values kept and escaped, nothing saved", async () => {
    const before = (await t.database.db.select().from(schools)).length;
    const res = await s.request("/admin/schools", { form: schoolForm({ cityId: "999999", name: "", phone: "12", kaspiUrl: "javascript:alert(1)", address: '"><img src=x onerror=alert(1)>' }) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Выберите город.");
    expect(html).toContain("Название: обязательно.");
    expect(html).toContain("Номер в формате +7 701 123 45 67.");
    expect(html).toContain("Ссылка https:// на kaspi.kz.");
    expect(html).toContain('value="&#34;><img src=x onerror=alert(1)>"');
    expect((await t.database.db.select().from(schools)).length).toBe(before);

    const school = await fx.createSchool(t.database.db, { cityId: city.id });
    const offer = await s.request(`/admin/schools/${school.id}/offers`, { form: { kind: "evil", category: "Z", format: "x", priceKzt: "-5", durationWeeks: "500" } });
    expect(offer.status).toBe(422);
    const oh = await offer.text();
    expect(oh).toContain("Выберите категорию.");
    expect(oh).toContain("Срок — от 1 до 104 недель.");
    const practice = await s.request(`/admin/schools/${school.id}/offers`, { form: { kind: "practice", category: "B", format: "in_person", priceKzt: "8000", durationWeeks: "1", hours: "", includes: "y".repeat(301) } });
    expect(practice.status).toBe(422);
    const ph = await practice.text();
    expect(ph).toContain("Для практики укажите, сколько часов вождения.");
    expect(ph).toContain("Не длиннее 300 символов.");
    const tooMany = await s.request(`/admin/schools/${school.id}/offers`, { form: { kind: "practice", category: "B", format: "in_person", priceKzt: "8000", durationWeeks: "1", hours: "500" } });
    expect(await tooMany.text()).toContain("Часы вождения — целое число от 1 до 200.");
    expect(await t.database.db.select().from(schoolOffers).where(eq(schoolOffers.schoolId, school.id))).toHaveLength(0);
    const ok = await s.request(`/admin/schools/${school.id}/offers`, { form: { kind: "practice", category: "B", format: "in_person", priceKzt: "8000", durationWeeks: "1", hours: "12", includes: "топливо" } });
    expect(ok.status).toBe(303);
    expect((await t.database.db.select().from(schoolOffers).where(eq(schoolOffers.schoolId, school.id)))[0]).toMatchObject({ kind: "practice", hours: 12, includes: "топливо" });
    const page = await (await s.request(`/admin/schools/${school.id}`)).text();
    expect(page).toContain("<td>12 ч</td><td>топливо</td>");
  });

  test("an offer is edited on its own page and withdrawn/returned; another school's offer id is 404", async () => {
    const school = await fx.createSchool(t.database.db, { cityId: city.id });
    const other = await fx.createSchool(t.database.db, { cityId: city.id });
    const [o] = await t.database.db.insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "evening", priceKzt: 150000, durationWeeks: 8 }).returning();
    expect(await (await s.request(`/admin/schools/${school.id}/offers/${o!.id}`)).text()).toContain('value="150000"');
    expect((await s.request(`/admin/schools/${school.id}/offers/${o!.id}`, { form: { kind: "full_course", category: "BE", format: "evening", priceKzt: "160000", durationWeeks: "9" } })).status).toBe(303);
    expect((await t.database.db.select().from(schoolOffers).where(eq(schoolOffers.id, o!.id)))[0]).toMatchObject({ category: "BE", priceKzt: 160000, durationWeeks: 9 });
    expect((await s.request(`/admin/schools/${school.id}/offers/${o!.id}/deactivate`, { method: "POST" })).status).toBe(303);
    expect((await t.database.db.select().from(schoolOffers).where(eq(schoolOffers.id, o!.id)))[0]!.active).toBe(false);
    expect((await s.request(`/admin/schools/${school.id}/offers/${o!.id}/activate`, { method: "POST" })).status).toBe(303);
    expect((await s.request(`/admin/schools/${other.id}/offers/${o!.id}`)).status).toBe(404);
    expect((await s.request(`/admin/schools/${other.id}/offers/${o!.id}/deactivate`, { method: "POST" })).status).toBe(404);
    expect((await audits(`offer:${o!.id}`)).map((a) => a.action)).toEqual(["offer.update", "offer.deactivate", "offer.activate"]);
  });
});

describe("instructors and slots", () => {
  test("create an independent instructor, attach to a school of the same city only, deactivate hides from the bot", async () => {
    const base = { cityId: String(city.id), schoolId: "", name: "Ерлан <Инструктор>", phone: "+7 701 555 44 33", whatsapp: "", transmission: "manual", car: "Toyota Corolla", pricePerHourKzt: "9 000", categories: "b, BE", kaspiUrl: "", halykUrl: "" };
    const res = await s.request("/admin/instructors", { form: base });
    expect(res.status).toBe(303);
    const id = Number(res.headers.get("location")!.match(/(\d+)/)![1]);
    const [row] = await t.database.db.select().from(instructors).where(eq(instructors.id, id));
    expect(row).toMatchObject({ schoolId: null, transmission: "manual", pricePerHourKzt: 9000, categories: ["B", "BE"], phone: "+77015554433" });
    const page = await (await s.request(`/admin/instructors/${id}`)).text();
    expect(page).toContain("Ерлан &lt;Инструктор&gt;");
    expect((await listInstructors(t.database.db, { cityId: city.id, transmission: "manual" }, 0)).items.map((i) => i.id)).toContain(id);

    const far = await fx.createSchool(t.database.db);
    const wrong = await s.request(`/admin/instructors/${id}`, { form: { ...base, schoolId: String(far.id), categories: "Q" } });
    expect(wrong.status).toBe(422);
    const wh = await wrong.text();
    expect(wh).toContain("Автошкола из другого города.");
    expect(wh).toContain("Категории через запятую");
    const near = await fx.createSchool(t.database.db, { cityId: city.id });
    expect((await s.request(`/admin/instructors/${id}`, { form: { ...base, schoolId: String(near.id) } })).status).toBe(303);
    expect((await t.database.db.select().from(instructors).where(eq(instructors.id, id)))[0]!.schoolId).toBe(near.id);
    const filtered = await (await s.request(`/admin/instructors?school=${near.id}`)).text();
    expect(filtered).toContain("Ерлан &lt;Инструктор&gt;");
    expect(await (await s.request(`/admin/instructors?school=independent&q=Ерлан`)).text()).not.toContain("Ерлан &lt;Инструктор&gt;");

    expect((await s.request(`/admin/instructors/${id}/deactivate`, { method: "POST" })).status).toBe(303);
    expect((await listInstructors(t.database.db, { cityId: city.id, transmission: "manual" }, 0)).items.map((i) => i.id)).not.toContain(id);
    expect((await audits(`instructor:${id}`)).map((a) => a.action)).toEqual(["instructor.create", "instructor.update", "instructor.deactivate"]);
    expect((await s.request(`/admin/instructors/${id}/activate`, { method: "POST" })).status).toBe(303);
  });

  test("slots: add in local time, overlap and bad input refused at the field, a free slot cancelled, a booked one kept", async () => {
    const ins = await fx.createInstructor(t.database.db, { cityId: city.id });
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const add = await s.request(`/admin/instructors/${ins.id}/slots`, { form: { startsAt: `${day}T10:00`, minutes: "90" } });
    expect(add.status).toBe(303);
    const [slot] = await t.database.db.select().from(instructorSlots).where(eq(instructorSlots.instructorId, ins.id));
    // 10:00 in Asia/Almaty (UTC+5) is 05:00 UTC.
    expect(slot!.startsAt.toISOString()).toBe(`${day}T05:00:00.000Z`);
    expect(slot!.minutes).toBe(90);
    const overlap = await s.request(`/admin/instructors/${ins.id}/slots`, { form: { startsAt: `${day}T11:00`, minutes: "60" } });
    expect(overlap.status).toBe(422);
    expect(await overlap.text()).toContain("пересекается");
    const bad = await s.request(`/admin/instructors/${ins.id}/slots`, { form: { startsAt: "завтра", minutes: "9999" } });
    expect(bad.status).toBe(422);
    const bh = await bad.text();
    expect(bh).toContain("ГГГГ-ММ-ДД");
    expect(bh).toContain("Целое число от 30 до 240");
    expect((await s.request(`/admin/instructors/${ins.id}/slots/${slot!.id}/cancel`, { method: "POST" })).status).toBe(303);
    expect((await t.database.db.select().from(instructorSlots).where(eq(instructorSlots.id, slot!.id)))[0]!.state).toBe("cancelled");

    // Booked by a live application: the admin cannot cancel it (its instructor does, with a reason).
    const [booked] = await t.database.db.insert(instructorSlots).values({ instructorId: ins.id, startsAt: new Date(Date.now() + 5 * 86_400_000) }).returning();
    await fx.createApplication(t.database.db, { instructorId: ins.id, cityId: city.id, slotId: booked!.id });
    const page = await (await s.request(`/admin/instructors/${ins.id}`)).text();
    expect(page).toContain("занято (заявка №");
    const r = await s.request(`/admin/instructors/${ins.id}/slots/${booked!.id}/cancel`, { method: "POST" });
    expect(r.headers.get("location")).toContain("notice=slot_taken");
    expect((await t.database.db.select().from(instructorSlots).where(eq(instructorSlots.id, booked!.id)))[0]!.state).toBe("free");
    const other = await fx.createInstructor(t.database.db, { cityId: city.id });
    expect((await s.request(`/admin/instructors/${other.id}/slots/${booked!.id}/cancel`, { method: "POST" })).status).toBe(404);
  });
});

describe("CRM accounts", () => {
  test("create a school login: the one-time password is shown once and works; the audit has no password", async () => {
    const school = await fx.createSchool(t.database.db, { cityId: city.id, name: "Школа для логина" });
    const res = await s.request("/admin/accounts", { form: { owner: `school:${school.id}`, login: "Zhol.Manager", displayName: "Менеджер Жол" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const html = await res.text();
    const password = html.match(/id="one-time-password">([^<]+)</)![1]!;
    expect(password.length).toBeGreaterThanOrEqual(8);
    const [acc] = await t.database.db.select().from(accounts).where(eq(accounts.login, "zhol.manager"));
    expect(acc).toMatchObject({ role: "school", schoolId: school.id, displayName: "Менеджер Жол" });
    expect(acc!.passwordHash).not.toContain(password);
    const staff = await fx.loginAs(t, "zhol.manager", "school", password);
    expect((await staff.request("/crm/schools/applications")).status).toBe(200);
    const trail = await audits(`account:${acc!.id}`);
    expect(JSON.stringify(trail)).not.toContain(password);
    expect(JSON.stringify(trail)).not.toContain("argon2");
    // It is listed with its last login, and on the school's page.
    const list = await (await s.request("/admin/accounts?q=zhol")).text();
    expect(list).toContain("zhol.manager");
    expect(list).toMatch(/<td>\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}<\/td>/);
    expect(await (await s.request(`/admin/schools/${school.id}`)).text()).toContain("последний вход");

    const again = await s.request("/admin/accounts", { form: { owner: `school:${school.id}`, login: "zhol.manager", displayName: "" } });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Этот логин уже занят.");
    const bad = await s.request("/admin/accounts", { form: { owner: "school:999999", login: "Я", displayName: "" } });
    expect(bad.status).toBe(422);
    const bh = await bad.text();
    expect(bh).toContain("3–40 символов");
    expect(bh).toContain("Такой автошколы нет.");
  });

  test("reset gives a new password and ends sessions; disable ends sessions and blocks login; enable restores", async () => {
    const ins = await fx.createInstructor(t.database.db, { cityId: city.id });
    const created = await s.request("/admin/accounts", { form: { owner: `instructor:${ins.id}`, login: `ins-${ins.id}`, displayName: "" } });
    expect(created.status).toBe(201);
    const first = (await created.text()).match(/id="one-time-password">([^<]+)</)![1]!;
    const [acc] = await t.database.db.select().from(accounts).where(eq(accounts.login, `ins-${ins.id}`));
    const staff = await fx.loginAs(t, acc!.login, "instructor", first);

    const reset = await s.request(`/admin/accounts/${acc!.id}/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    const second = (await reset.text()).match(/id="one-time-password">([^<]+)</)![1]!;
    expect(second).not.toBe(first);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, acc!.id))).toHaveLength(0);
    expect((await staff.request("/crm/instructors/applications")).status).toBe(303);
    const again = await fx.loginAs(t, acc!.login, "instructor", second);

    expect((await s.request(`/admin/accounts/${acc!.id}/disable`, { method: "POST" })).status).toBe(303);
    expect((await again.request("/crm/instructors/applications")).status).toBe(303);
    await expect(fx.loginAs(t, acc!.login, "instructor", second)).rejects.toThrow("401");
    const list = await (await s.request(`/admin/accounts?q=${acc!.login}`)).text();
    expect(list).toContain("отключён");
    expect((await s.request(`/admin/accounts/${acc!.id}/enable`, { method: "POST" })).status).toBe(303);
    await fx.loginAs(t, acc!.login, "instructor", second);
    expect((await audits(`account:${acc!.id}`)).map((a) => a.action)).toEqual(["account.create", "account.reset_password", "account.disable", "account.enable"]);
  });

  test("an admin cannot disable their own account; unknown ids are 404", async () => {
    expect((await s.request(`/admin/accounts/${adminId}/disable`, { method: "POST" })).status).toBe(400);
    expect((await t.database.db.select().from(accounts).where(and(eq(accounts.id, adminId), eq(accounts.disabled, false))))).toHaveLength(1);
    expect((await s.request("/admin/accounts/999999/reset", { method: "POST" })).status).toBe(404);
    expect((await s.request("/admin/accounts/999999/disable", { method: "POST" })).status).toBe(404);
  });
});
