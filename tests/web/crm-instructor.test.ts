// The instructor CRM: inbox, accept / reject with a reason the student receives, profile,
// isolation between instructors; and the student's cancel from the bot (status.ts).
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, instructors, outbox, students } from "../../src/db/schema.ts";
import { cancelByStudent } from "../../src/domain/status.ts";
import { canTransition } from "../../src/model/application-status.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let me: Awaited<ReturnType<typeof fx.createInstructor>>;
let other: Awaited<ReturnType<typeof fx.createInstructor>>;
let s: fx.Session;
const db = () => t.database.db;
const newApp = (opts: Parameters<typeof fx.createApplication>[2] = {}) => fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, opts);
const messagesOf = async (studentId: number) => {
  const [st] = await db().select().from(students).where(eq(students.id, studentId));
  return db().select().from(outbox).where(eq(outbox.chatId, st!.chatId)).orderBy(outbox.id);
};

beforeAll(async () => {
  t = await createTestApp();
  me = await fx.createInstructor(db(), { name: "Ерлан Сапаров" });
  other = await fx.createInstructor(db(), { cityId: me.cityId });
  const staff = await fx.createStaff(db(), { instructorId: me.id });
  s = await fx.loginAs(t, staff.login, "instructor");
});
afterAll(() => t.dispose());

describe("instructor inbox", () => {
  test("full page and fragment, own applications only, names escaped", async () => {
    const mine = await newApp({ studentName: "<script>alert(1)</script>" });
    const theirs = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId });
    const full = await (await s.request("/crm/instructors/applications")).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain(`app-${mine.id}`);
    expect(full).not.toContain(`app-${theirs.id}"`);
    expect(full).not.toContain("<script>alert(1)</script>");
    expect(full).toContain('data-to="accepted"');
    const frag = await (await s.request("/crm/instructors/applications", { htmx: true })).text();
    expect(frag).toStartWith('<div id="inbox">');
    expect((await s.request(`/crm/instructors/applications/${theirs.id}`)).status).toBe(404);
    expect((await s.request(`/crm/instructors/applications/${theirs.id}/status`, { form: { from: "new", to: "accepted" }, htmx: true })).status).toBe(404);
    expect((await db().select().from(applications).where(eq(applications.id, theirs.id)))[0]!.status).toBe("new");
  });

  test("accepting tells the student", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "accepted" }, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-status="accepted"');
    const [msg] = await messagesOf(app.studentId);
    expect(msg!.payload.params.text).toBe(`Заявка № ${app.publicNumber} (Ерлан Сапаров): статус — «принята».`);
  });

  test("rejecting needs a reason, which the student receives", async () => {
    const app = await newApp();
    const none = await s.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "rejected", reason: "" }, htmx: true });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Напишите причину");
    expect((await db().select().from(applications).where(eq(applications.id, app.id)))[0]!.status).toBe("new");
    const ok = await s.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "rejected", reason: "Нет свободных окон" }, htmx: true });
    expect(ok.status).toBe(200);
    const [msg] = await messagesOf(app.studentId);
    expect(msg!.payload.params.text).toContain("«отклонена»");
    expect(msg!.payload.params.text).toContain("Причина: Нет свободных окон");
  });

  test("a Kazakh-speaking student gets the message in Kazakh", async () => {
    const student = await fx.createStudent(db(), { language: "kk" });
    const app = await newApp({ studentId: student.id });
    await s.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "accepted" }, htmx: true });
    const [msg] = await messagesOf(student.id);
    expect(msg!.payload.params.text).toContain("қабылданды");
  });

  test("school statuses are not instructor statuses", () => {
    expect(canTransition("instructor", "new", "contacted")).toBe(false);
    expect(canTransition("instructor", "new", "accepted")).toBe(true);
    expect(canTransition("school", "new", "accepted")).toBe(false);
  });
});

describe("instructor profile", () => {
  test("validates and saves", async () => {
    const page = await (await s.request("/crm/instructors/profile")).text();
    expect(page).toContain("Профиль инструктора");
    const bad = await s.request("/crm/instructors/profile", { form: { name: "Ерлан", phone: "+77010000002", car: "", transmission: "boat", pricePerHourKzt: "-5", kaspiUrl: "https://kaspi.kz.evil.com/x" }, htmx: true });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Автомобиль: обязательно.");
    expect(html).toContain("Выберите коробку передач.");
    expect(html).toContain("Целое число тенге");
    expect(html).toContain("Ссылка https:// на kaspi.kz.");
    const ok = await s.request("/crm/instructors/profile", { form: { name: "Ерлан Сапаров", phone: "+7 701 000 00 02", whatsapp: "87010000003", car: "Kia Rio", transmission: "manual", pricePerHourKzt: "9 000", kaspiUrl: "https://kaspi.kz/pay/erlan", halykUrl: "https://halykbank.kz/p/1" }, htmx: true });
    expect(ok.status).toBe(200);
    const [row] = await db().select().from(instructors).where(eq(instructors.id, me.id));
    expect(row).toMatchObject({ car: "Kia Rio", transmission: "manual", pricePerHourKzt: 9000, whatsapp: "+77010000003" });
  });

  test("a school session cannot open the instructor CRM", async () => {
    const school = await fx.createSchool(db());
    const staff = await fx.createStaff(db(), { schoolId: school.id });
    const ss = await fx.loginAs(t, staff.login, "school");
    expect((await ss.request("/crm/instructors/profile")).status).toBe(303);
  });
});

describe("cancel by the student", () => {
  test("cancels a live application of the student, refuses a final one or another student's", async () => {
    const app = await newApp();
    const stranger = await fx.createStudent(db());
    expect(await cancelByStudent(db(), app.id, stranger.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await cancelByStudent(db(), app.id, app.studentId)).toEqual({ ok: true, number: app.publicNumber });
    const [row] = await db().select().from(applications).where(eq(applications.id, app.id));
    expect(row!.status).toBe("cancelled");
    expect(row!.cancelledAt).not.toBeNull();
    expect(await cancelByStudent(db(), app.id, app.studentId)).toMatchObject({ ok: false, reason: "final" });
    // The CRM then refuses a change based on the old status.
    const res = await s.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "accepted" }, htmx: true });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Отменена учеником");
  });
});
