// The instructor's lessons through app.handle: today's and this week's lists, marking conducted /
// no-show (by whom) with the updated row back, refusals (not started yet, CSRF, another
// instructor's lesson → 404 and no change), and planning a lesson with validation and audit.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applicationEvents, auditLog, instructors, lessons } from "../../src/db/schema.ts";
import { formatDay } from "../../src/i18n/format.ts";
import { localDate, localToUtc } from "../../src/model/time.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let me: Awaited<ReturnType<typeof fx.createInstructor>>;
let other: Awaited<ReturnType<typeof fx.createInstructor>>;
let accepted: Awaited<ReturnType<typeof fx.createApplication>>;
let s: fx.Session;
const db = () => t.database.db;
const lessonOf = async (id: number) => (await db().select().from(lessons).where(eq(lessons.id, id)))[0]!;
const addLesson = async (instructorId: number, applicationId: number, startsAt: Date) =>
  (await db().insert(lessons).values({ applicationId, instructorId, startsAt, minutes: 60, state: "planned" }).returning())[0]!;

function day(days: number) {
  const today = localDate(t.config.timeZone, new Date());
  const d = new Date(Date.UTC(today.y, today.m - 1, today.d + days));
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return { iso: `${y}-${String(m).padStart(2, "0")}-${String(dd).padStart(2, "0")}`, at: (h: number, min = 0) => localToUtc(t.config.timeZone, y, m, dd, h, min) };
}

beforeAll(async () => {
  t = await createTestApp();
  me = await fx.createInstructor(db());
  await db().update(instructors).set({ meetingPoint: "Парковка ТЦ «Мега»" }).where(eq(instructors.id, me.id));
  other = await fx.createInstructor(db());
  accepted = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted", studentName: "Дана <b>Ким</b>" });
  s = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: me.id })).login, "instructor");
});
afterAll(() => t.dispose());

/** A minute ago, but never before local midnight (a run just after it would put the lesson "yesterday"). */
const justStarted = () => new Date(Math.max(Date.now() - 60_000, day(0).at(0).getTime()));

describe("lesson lists and marks", () => {
  test("today's lessons as a full page and a fragment, escaped, without another instructor's", async () => {
    const started = await addLesson(me.id, accepted.id, justStarted());
    const theirApp = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { status: "accepted" });
    const theirs = await addLesson(other.id, theirApp.id, justStarted());
    const full = await (await s.request("/crm/instructors/lessons")).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain('href="/crm/instructors/lessons" class="active"');
    const today = full.slice(full.indexOf('id="lessons-today"'), full.indexOf('id="lessons-week"'));
    expect(today).toContain(`id="lesson-${started.id}"`);
    expect(today).toContain('data-mark="conducted"');
    expect(full).toContain("Дана &lt;b&gt;Ким&lt;/b&gt;");
    expect(full).not.toContain("<b>Ким");
    expect(full).not.toContain(`lesson-${theirs.id}"`);
    const frag = await (await s.request("/crm/instructors/lessons", { htmx: true })).text();
    expect(frag).toStartWith('<div id="lessons"');
  });

  test("marking conducted answers with the updated row, writes the history and the audit", async () => {
    const l = await addLesson(me.id, accepted.id, new Date(Date.now() - 2 * 3600_000));
    const res = await s.request(`/crm/instructors/lessons/${l.id}/mark`, { form: { state: "conducted" }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith(`<li id="lesson-${l.id}"`);
    expect(html).toContain('data-state="conducted"');
    expect(html).not.toContain("data-mark=");
    expect((await lessonOf(l.id)).state).toBe("conducted");
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.subject, `lesson:${l.id}`));
    expect(audit).toMatchObject({ action: "lesson.mark", after: { state: "conducted", noShowBy: null } });
    const events = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, accepted.id), eq(applicationEvents.type, "lesson")));
    expect(events.map((e) => e.payload).filter((p) => p.lesson === l.id)).toEqual([{ lesson: l.id, action: "conducted", startsAt: l.startsAt.toISOString() }]);
  });

  test("a no-show names who missed it", async () => {
    const a = await addLesson(me.id, accepted.id, new Date(Date.now() - 4 * 3600_000));
    const b = await addLesson(me.id, accepted.id, new Date(Date.now() - 6 * 3600_000));
    const r1 = await s.request(`/crm/instructors/lessons/${a.id}/mark`, { form: { state: "no_show", by: "student" }, htmx: true });
    expect(await r1.text()).toContain("Неявка ученика");
    await s.request(`/crm/instructors/lessons/${b.id}/mark`, { form: { state: "no_show", by: "instructor" }, htmx: true });
    expect(await lessonOf(a.id)).toMatchObject({ state: "no_show", noShowBy: "student" });
    expect(await lessonOf(b.id)).toMatchObject({ state: "no_show", noShowBy: "instructor" });
    expect((await s.request(`/crm/instructors/lessons/${a.id}/mark`, { form: { state: "no_show", by: "nobody" }, htmx: true })).status).toBe(400);
  });

  test("refusals: not started yet (409), already marked (409), no CSRF (403), another instructor's lesson (404); nothing changes", async () => {
    const future = await addLesson(me.id, accepted.id, day(2).at(10));
    const early = await s.request(`/crm/instructors/lessons/${future.id}/mark`, { form: { state: "conducted" }, htmx: true });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("Занятие ещё не началось.");
    expect((await lessonOf(future.id)).state).toBe("planned");

    const past = await addLesson(me.id, accepted.id, new Date(Date.now() - 8 * 3600_000));
    expect((await s.request(`/crm/instructors/lessons/${past.id}/mark`, { form: { state: "conducted" }, htmx: true, noCsrf: true })).status).toBe(403);
    expect((await lessonOf(past.id)).state).toBe("planned");
    await s.request(`/crm/instructors/lessons/${past.id}/mark`, { form: { state: "conducted" }, htmx: true });
    const again = await s.request(`/crm/instructors/lessons/${past.id}/mark`, { form: { state: "no_show", by: "student" }, htmx: true });
    expect(again.status).toBe(409);
    expect((await lessonOf(past.id)).state).toBe("conducted");

    const theirApp = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { status: "accepted" });
    const theirs = await addLesson(other.id, theirApp.id, new Date(Date.now() - 3600_000));
    expect((await s.request(`/crm/instructors/lessons/${theirs.id}/mark`, { form: { state: "conducted" }, htmx: true })).status).toBe(404);
    expect((await lessonOf(theirs.id)).state).toBe("planned");
  });
});

describe("planning a lesson", () => {
  test("the application can be preselected from its page", async () => {
    const html = await (await s.request(`/crm/instructors/lessons?application=${accepted.id}`)).text();
    expect(html).toMatch(new RegExp(`<option value="${accepted.id}" selected>`));
  });

  test("field checks, a not-accepted application, another instructor's (404), then planned, listed and audited", async () => {
    const bad = await s.request("/crm/instructors/lessons", { form: { application: "", day: "2025-02-30", time: "9", minutes: "500" }, htmx: true });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Выберите заявку.");
    expect(html).toContain("Неверная дата");
    expect(html).toContain("Время в формате ЧЧ:ММ.");
    expect(html).toContain("От 30 до 240 минут.");
    expect(html).toContain('value="2025-02-30"');

    const fresh = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId });
    const notAccepted = await s.request("/crm/instructors/lessons", { form: { application: String(fresh.id), day: day(3).iso, time: "10:00", minutes: "60" }, htmx: true });
    expect(notAccepted.status).toBe(422);
    expect(await notAccepted.text()).toContain("только по принятой заявке");

    const theirApp = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { status: "accepted" });
    expect((await s.request("/crm/instructors/lessons", { form: { application: String(theirApp.id), day: day(3).iso, time: "10:00", minutes: "60" }, htmx: true })).status).toBe(404);
    expect(await db().select().from(lessons).where(eq(lessons.applicationId, theirApp.id))).toHaveLength(0);

    const noCsrf = await s.request("/crm/instructors/lessons", { form: { application: String(accepted.id), day: day(3).iso, time: "10:00", minutes: "60" }, htmx: true, noCsrf: true });
    expect(noCsrf.status).toBe(403);

    const ok = await s.request("/crm/instructors/lessons", { form: { application: String(accepted.id), day: day(3).iso, time: "10:00", minutes: "60" }, htmx: true });
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    // The product's date format, as the bot writes it ("пн, 7 дек. 10:00"), not 2026-12-07 10:00.
    expect(okHtml).toContain(`Занятие назначено: ${formatDay(day(3).at(10), "ru", t.config.timeZone)} 10:00.`);
    expect(okHtml).toContain('<hx-partial hx-target="#lesson-lists"');
    const planned = (await db().select().from(lessons).where(eq(lessons.applicationId, accepted.id))).find((l) => l.startsAt.getTime() === day(3).at(10).getTime());
    // No place typed: the instructor's meeting point.
    expect(planned).toMatchObject({ instructorId: me.id, minutes: 60, state: "planned", place: "Парковка ТЦ «Мега»" });
    // Listed this week or later (three days ahead may be next week).
    const page = await (await s.request("/crm/instructors/lessons")).text();
    expect(page).toContain(`id="lesson-${planned!.id}"`);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "lesson.plan"), eq(auditLog.subject, `lesson:${planned!.id}`)))).toHaveLength(1);

    const clash = await s.request("/crm/instructors/lessons", { form: { application: String(accepted.id), day: day(3).iso, time: "10:30", minutes: "60" }, htmx: true });
    expect(clash.status).toBe(422);
    expect(await clash.text()).toContain("В это время уже есть другое занятие или запись.");
  });
});
