// The instructor's lessons through app.handle: today's and this week's lists, marking conducted /
// no-show (by whom) with the updated row back, refusals (not started yet, CSRF, another
// instructor's lesson → 404 and no change), and planning a lesson with validation and audit.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applicationEvents, auditLog, instructors, lessons, outbox } from "../../src/db/schema.ts";
import { dateOnly } from "../../views/format.ts";
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
    expect(okHtml).toContain(`Занятие назначено: ${dateOnly(day(3).at(10), t.config.timeZone)} 10:00.`);
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

/** The student's pending messages, newest last. */
const outboxTo = async (chatId: number) => (await db().select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(outbox.id)).map((r) => String(r.payload.params.text));

describe("moving and cancelling from the CRM", () => {
  test("an instructor moves a lesson in place: the card comes back moved, the student is told in Kazakh, the history says so", async () => {
    const kk = await fx.createStudent(db(), { language: "kk" });
    const app = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted", studentId: kk.id, studentName: "Әсел" });
    const l = await addLesson(me.id, app.id, day(4).at(10));
    const res = await s.request(`/crm/instructors/lessons/${l.id}/move`, { form: { day: day(5).iso, time: "15:30", minutes: "90", place: "Абай <даңғылы> 10" }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith(`<li id="lesson-${l.id}"`);
    expect(html).toContain(`Занятие перенесено: ${dateOnly(day(5).at(15, 30), t.config.timeZone)} 15:30.`);
    expect(html).toContain("📍 Абай &lt;даңғылы&gt; 10");
    expect(await lessonOf(l.id)).toMatchObject({ startsAt: day(5).at(15, 30), minutes: 90, place: "Абай <даңғылы> 10", state: "planned" });
    const [told] = await outboxTo(kk.chatId);
    expect(told).toContain("сабақ");
    expect(told).toContain("ауыстырылды");
    expect(told).toContain("Орны: Абай &lt;даңғылы&gt; 10");
    const page = await (await s.request(`/crm/instructors/applications/${app.id}`)).text();
    expect(page).toContain("Занятие перенесено (инструктор)");
    expect(page).toContain(`id="app-lesson-${l.id}"`);
    expect(page).toContain(`href="/crm/instructors/week?start=${day(5).iso}#lesson-${l.id}"`);
  });

  test("move refusals stay at the form: malformed fields (422), a past time and a clash (409), another's lesson (404), no CSRF (403), bad bytes (400); nothing moves", async () => {
    const l = await addLesson(me.id, accepted.id, day(6).at(9));
    const move = (form: Record<string, string>, opts: { noCsrf?: boolean } = {}) => s.request(`/crm/instructors/lessons/${l.id}/move`, { form, htmx: true, ...opts });
    const bad = await move({ day: "2026-02-30", time: "25:00", minutes: "10", place: "" });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('<details class="lesson-form move" open');
    expect(badHtml).toContain("Неверная дата");
    expect(badHtml).toContain("Время в формате ЧЧ:ММ.");
    expect(badHtml).toContain("От 30 до 240 минут.");
    const longPlace = await move({ day: day(6).iso, time: "16:00", minutes: "60", place: "п".repeat(201) });
    expect(longPlace.status).toBe(422);
    expect(await longPlace.text()).toContain("Не длиннее 200 символов.");
    const past = await move({ day: day(-1).iso, time: "10:00", minutes: "60", place: "" });
    expect(past.status).toBe(409);
    const pastHtml = await past.text();
    expect(pastHtml).toContain('<details class="lesson-form move" open');
    expect(pastHtml).toMatch(/data-field="time"><span>Начало<\/span><input [^>]*\/><small class="error" role="alert">Это время уже прошло\.<\/small>/);
    const busy = await addLesson(me.id, accepted.id, day(6).at(12));
    const clash = await move({ day: day(6).iso, time: "12:30", minutes: "60", place: "" });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toMatch(/data-field="time"><span>Начало<\/span><input [^>]*\/><small class="error" role="alert">В это время уже есть другое занятие или запись\.<\/small>/);
    expect((await move({ day: day(6).iso, time: "16:00", minutes: "60", place: "" }, { noCsrf: true })).status).toBe(403);
    expect((await move({ day: day(6).iso, time: "16:00\u0000", minutes: "60", place: "" })).status).toBe(400);
    const theirApp = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { status: "accepted" });
    const theirs = await addLesson(other.id, theirApp.id, day(6).at(9));
    expect((await s.request(`/crm/instructors/lessons/${theirs.id}/move`, { form: { day: day(6).iso, time: "16:00", minutes: "60", place: "" }, htmx: true })).status).toBe(404);
    expect((await s.request(`/crm/instructors/lessons/99999999999/move`, { form: { day: day(6).iso, time: "16:00", minutes: "60", place: "" }, htmx: true })).status).toBe(404);
    expect((await lessonOf(l.id)).startsAt).toEqual(day(6).at(9));
    expect((await lessonOf(theirs.id)).startsAt).toEqual(day(6).at(9));
    expect((await lessonOf(busy.id)).state).toBe("planned");
  });

  test("cancelling with a reason: the card shows who cancelled, the student is told in Russian with the reason; twice is refused", async () => {
    const ru = await fx.createStudent(db(), { language: "ru" });
    const app = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted", studentId: ru.id });
    const l = await addLesson(me.id, app.id, day(7).at(11));
    const long = await s.request(`/crm/instructors/lessons/${l.id}/cancel`, { form: { reason: "x".repeat(600) }, htmx: true });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain("Причина — не длиннее 500 символов.");
    const res = await s.request(`/crm/instructors/lessons/${l.id}/cancel`, { form: { reason: "Машина <в ремонте>" }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-state="cancelled"');
    expect(html).toContain("отменено инструктором");
    expect(html).not.toContain("поздняя отмена");
    expect(html).not.toContain("lesson-form");
    expect(await lessonOf(l.id)).toMatchObject({ state: "cancelled", cancelledBy: "instructor", cancelledLate: false });
    const [told] = await outboxTo(ru.chatId);
    expect(told).toMatch(/занятие .* отменено/);
    expect(told).toContain("Причина: Машина &lt;в ремонте&gt;");
    const again = await s.request(`/crm/instructors/lessons/${l.id}/cancel`, { form: { reason: "" }, htmx: true });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Занятие уже не запланировано.");
    expect(await outboxTo(ru.chatId)).toHaveLength(1);
    const page = await (await s.request(`/crm/instructors/applications/${app.id}`)).text();
    expect(page).toContain("отменено (инструктор): Машина &lt;в ремонте&gt;");
  });

  test("a card shows the student's answer to the reminders, and a late cancellation by the student", async () => {
    const coming = await addLesson(me.id, accepted.id, day(8).at(8));
    const notComing = await addLesson(me.id, accepted.id, day(8).at(10));
    const late = await addLesson(me.id, accepted.id, day(8).at(12));
    await db().update(lessons).set({ studentAnswer: "coming" }).where(eq(lessons.id, coming.id));
    await db().update(lessons).set({ studentAnswer: "not_coming" }).where(eq(lessons.id, notComing.id));
    await db().update(lessons).set({ state: "cancelled", cancelledBy: "student", cancelledLate: true }).where(eq(lessons.id, late.id));
    const html = await (await s.request(`/crm/instructors/week?start=${day(8).iso}`)).text();
    const card = (id: number) => html.slice(html.indexOf(`id="lesson-${id}"`), html.indexOf("</li>", html.indexOf(`id="lesson-${id}"`)));
    expect(card(coming.id)).toContain("✓ придёт");
    expect(card(notComing.id)).toContain("✗ не сможет");
    expect(card(late.id)).toContain("отменено учеником");
    expect(card(late.id)).toContain("поздняя отмена");
  });
});

describe("the week view", () => {
  test("an instructor's week: Monday to Sunday, today marked, links to the weeks around it and to the application", async () => {
    const l = await addLesson(me.id, accepted.id, day(1).at(18));
    const html = await (await s.request("/crm/instructors/week")).text();
    expect(html).toContain('href="/crm/instructors/week" class="active"');
    const days = [...html.matchAll(/<li class="week-day[^"]*" data-day="([\d-]+)"/g)].map((m) => m[1]);
    expect(days).toHaveLength(7);
    expect(new Date(`${days[0]}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(html).toMatch(new RegExp(`<li class="week-day card today" data-day="${day(0).iso}" aria-current="date">`));
    expect(html).toContain('rel="prev"');
    expect(html).toContain('rel="next"');
    const tomorrow = await (await s.request(`/crm/instructors/week?start=${day(1).iso}`)).text();
    const card = tomorrow.slice(tomorrow.indexOf(`id="lesson-${l.id}"`));
    expect(card).toContain(`href="/crm/instructors/applications/${accepted.id}" class="app-link">№ ${accepted.publicNumber}</a>`);
    // Any day picks its week; a malformed one is this week, not an error.
    const next = await (await s.request(`/crm/instructors/week?start=${day(7).iso}`)).text();
    expect(next).not.toContain(`data-day="${day(0).iso}"`);
    expect(next).toContain(`data-day="${day(7).iso}"`);
    for (const start of ["9999-99-99", "abc", "1999-01-01"]) expect((await s.request(`/crm/instructors/week?start=${start}`)).status).toBe(200);
  });

  test("a lesson across midnight is listed on the local day it starts, and one just after midnight on the next", async () => {
    const late = await addLesson(me.id, accepted.id, day(9).at(23, 30)); // ends 00:30 the next day
    const early = await addLesson(me.id, accepted.id, day(10).at(0, 30)); // the previous UTC day (19:30Z)
    // Stored in UTC on the day before: 00:30 in Almaty (UTC+5) is 19:30Z.
    expect(early.startsAt.toISOString().slice(0, 10)).toBe(day(9).iso);
    const html = await (await s.request(`/crm/instructors/week?start=${day(9).iso}`)).text();
    const section = (iso: string) => {
      const at = html.indexOf(`data-day="${iso}"`);
      return at < 0 ? "" : html.slice(at, html.indexOf('<li class="week-day', at + 1) > 0 ? html.indexOf('<li class="week-day', at + 1) : undefined);
    };
    expect(section(day(9).iso)).toContain(`id="lesson-${late.id}"`);
    expect(section(day(9).iso)).toContain("23:30–00:30");
    expect(section(day(9).iso)).not.toContain(`id="lesson-${early.id}"`);
    const nextWeek = (await (await s.request(`/crm/instructors/week?start=${day(10).iso}`)).text());
    const at = nextWeek.indexOf(`data-day="${day(10).iso}"`);
    expect(nextWeek.slice(at, nextWeek.indexOf("</ul>", at))).toContain(`id="lesson-${early.id}"`);
  });

  test("a school sees its instructors' lessons, labelled, and not another school's; it moves and cancels them as the school", async () => {
    const mine = await fx.createSchool(db(), { name: "Автошкола «Жол»" });
    const theirsSchool = await fx.createSchool(db(), { name: "Автошкола «Другая»" });
    const a = await fx.createInstructor(db(), { name: "Ержан <Сейтов>" });
    const b = await fx.createInstructor(db(), { name: "Чужой инструктор" });
    await db().update(instructors).set({ schoolId: mine.id }).where(eq(instructors.id, a.id));
    await db().update(instructors).set({ schoolId: theirsSchool.id }).where(eq(instructors.id, b.id));
    const student = await fx.createStudent(db(), { language: "kk" });
    const appA = await fx.createApplication(db(), { instructorId: a.id, cityId: a.cityId }, { status: "accepted", studentId: student.id });
    const appB = await fx.createApplication(db(), { instructorId: b.id, cityId: b.cityId }, { status: "accepted" });
    const la = await addLesson(a.id, appA.id, day(2).at(10));
    const lb = await addLesson(b.id, appB.id, day(2).at(10));
    const school = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: mine.id })).login, "school");

    const html = await (await school.request(`/crm/schools/week?start=${day(2).iso}`)).text();
    expect(html).toContain('href="/crm/schools/week" class="active"');
    expect(html).toContain(`id="lesson-${la.id}"`);
    expect(html).toContain("Инструктор: Ержан &lt;Сейтов&gt;");
    expect(html).not.toContain(`id="lesson-${lb.id}"`);
    expect(html).not.toContain("Чужой инструктор");
    // The school's scope does not hold instructor applications: the number is shown, not linked.
    expect(html).toContain(`<span class="app-number">№ ${appA.publicNumber}</span>`);
    expect(html).not.toContain("data-mark=");

    expect((await school.request(`/crm/schools/lessons/${lb.id}/move`, { form: { day: day(3).iso, time: "10:00", minutes: "60", place: "" }, htmx: true })).status).toBe(404);
    expect((await school.request(`/crm/schools/lessons/${lb.id}/cancel`, { form: { reason: "" }, htmx: true })).status).toBe(404);
    expect((await lessonOf(lb.id)).state).toBe("planned");
    const moved = await school.request(`/crm/schools/lessons/${la.id}/move`, { form: { day: day(3).iso, time: "11:00", minutes: "60", place: "" }, htmx: true });
    expect(moved.status).toBe(200);
    expect(await moved.text()).toContain("Инструктор: Ержан &lt;Сейтов&gt;");
    expect((await lessonOf(la.id)).startsAt).toEqual(day(3).at(11));
    const cancelled = await school.request(`/crm/schools/lessons/${la.id}/cancel`, { form: { reason: "" }, htmx: true });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toContain("отменено автошколой");
    expect(await lessonOf(la.id)).toMatchObject({ state: "cancelled", cancelledBy: "school" });
    expect(await outboxTo(student.chatId)).toHaveLength(2);
    const events = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, appA.id), eq(applicationEvents.type, "lesson")));
    expect(events.map((e) => [e.payload.action, e.payload.by])).toEqual([
      ["moved", "school"],
      ["cancelled", "school"],
    ]);
    // An instructor's session cannot open the school's week, nor a school the instructor's.
    expect((await s.request("/crm/schools/week")).status).not.toBe(200);
    expect((await school.request("/crm/instructors/week")).status).not.toBe(200);
  });
});

describe("lesson lines in the history", () => {
  test("lesson events read as system lines in the product's date format; notes from before issue 15 too, not as empty notes", async () => {
    const app = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted" });
    const ok = await s.request("/crm/instructors/lessons", { form: { application: String(app.id), day: day(11).iso, time: "09:00", minutes: "90", place: "" }, htmx: true });
    expect(ok.status).toBe(200);
    const [planned] = await db().select().from(lessons).where(eq(lessons.applicationId, app.id));
    const old = await addLesson(me.id, app.id, day(-3).at(10));
    await db().insert(applicationEvents).values([
      { applicationId: app.id, type: "note", payload: { lesson: old.id, state: "conducted" } },
      { applicationId: app.id, type: "note", payload: { lesson: old.id, state: "no_show", noShowBy: "student" } },
      { applicationId: app.id, type: "note", payload: { text: "Обычная заметка" } },
    ]);
    const html = await (await s.request(`/crm/instructors/applications/${app.id}`)).text();
    const thread = html.slice(html.indexOf('id="thread"'));
    expect(thread).toContain(`Занятие назначено: ${dateOnly(planned!.startsAt, t.config.timeZone)} 09:00, 90 мин`);
    expect(thread).toContain(`Занятие ${dateOnly(old.startsAt, t.config.timeZone)} 10:00 проведено`);
    expect(thread).toContain(`Занятие ${dateOnly(old.startsAt, t.config.timeZone)} 10:00: ученик не пришёл`);
    expect(thread).toContain("Обычная заметка");
    expect(thread.match(/Заметка · /g)).toHaveLength(1);
    expect(thread.match(/data-type="lesson"/g)).toHaveLength(1);
    expect(thread.match(/class="entry from-system" data-type="note"/g)).toHaveLength(2);
  });
});

describe("without htmx", () => {
  test("a plain form post moves the lesson and goes to its week; a refusal is a page with the message", async () => {
    const l = await addLesson(me.id, accepted.id, day(12).at(9));
    const res = await s.request(`/crm/instructors/lessons/${l.id}/move`, { form: { day: day(13).iso, time: "09:00", minutes: "60", place: "" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/crm/instructors/week?start=${day(13).iso}`);
    expect((await lessonOf(l.id)).startsAt).toEqual(day(13).at(9));
    const refused = await s.request(`/crm/instructors/lessons/${l.id}/move`, { form: { day: day(-2).iso, time: "09:00", minutes: "60", place: "" } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Это время уже прошло.");
  });
});
