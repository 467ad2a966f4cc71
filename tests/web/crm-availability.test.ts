// The instructor's schedule through app.handle: the weekly template (rows added/removed on the
// server, validation at the rows with the input kept), slot generation for 14 days, taking a day
// off and giving it back ("Вернуть день"), a one-off slot, cancelling a slot, CSRF refusal, audit,
// and another instructor's slot → 404.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applications, auditLog, instructorAvailability, instructorDaysOff, instructorSlots } from "../../src/db/schema.ts";
import { blockDay } from "../../src/domain/slot-cancel.ts";
import { localDate, localToUtc } from "../../src/model/time.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let me: Awaited<ReturnType<typeof fx.createInstructor>>;
let other: Awaited<ReturnType<typeof fx.createInstructor>>;
let s: fx.Session;
const db = () => t.database.db;
const zone = () => t.config.timeZone;

/** The local date `days` after today, its ISO weekday, and an instant on it at h:min. */
function day(days: number) {
  const today = localDate(zone(), new Date());
  const d = new Date(Date.UTC(today.y, today.m - 1, today.d + days));
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return {
    iso: `${y}-${String(m).padStart(2, "0")}-${String(dd).padStart(2, "0")}`,
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
    at: (h: number, min = 0) => localToUtc(zone(), y, m, dd, h, min),
  };
}
const slotsOf = (instructorId: number) => db().select().from(instructorSlots).where(eq(instructorSlots.instructorId, instructorId));
const row = (i: number, r: { weekday: number | string; from: string; to: string; minutes: string }) => ({
  [`r${i}_weekday`]: String(r.weekday),
  [`r${i}_from`]: r.from,
  [`r${i}_to`]: r.to,
  [`r${i}_minutes`]: r.minutes,
});

beforeAll(async () => {
  t = await createTestApp();
  me = await fx.createInstructor(db());
  other = await fx.createInstructor(db());
  s = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: me.id })).login, "instructor");
});
afterAll(() => t.dispose());

describe("weekly template", () => {
  test("full page and fragment", async () => {
    const full = await (await s.request("/crm/instructors/availability")).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain('href="/crm/instructors/availability" class="active"');
    expect(full).toContain('id="template-form"');
    expect(full).toContain('name="_csrf"');
    const frag = await (await s.request("/crm/instructors/availability", { htmx: true })).text();
    expect(frag).toStartWith('<div id="availability"');
    expect(frag).not.toContain("<html");
  });

  test("rows are added and removed on the server without saving", async () => {
    const base = { ...row(0, { weekday: 2, from: "10:00", to: "14:00", minutes: "60" }), ...row(1, { weekday: 3, from: "15:00", to: "19:00", minutes: "120" }) };
    const added = await (await s.request("/crm/instructors/availability/template", { form: { ...base, op: "add" }, htmx: true })).text();
    expect(added).toContain('name="r2_weekday"');
    const removed = await (await s.request("/crm/instructors/availability/template", { form: { ...base, op: "remove:0" }, htmx: true })).text();
    expect(removed).not.toContain('name="r1_weekday"');
    expect(removed).toContain('value="15:00"');
    expect(await db().select().from(instructorAvailability).where(eq(instructorAvailability.instructorId, me.id))).toHaveLength(0);
  });

  test("validation messages sit at their rows, the input is kept, nothing is saved", async () => {
    const res = await s.request("/crm/instructors/availability/template", {
      form: { ...row(0, { weekday: 1, from: "09:00", to: "12:00", minutes: "90" }), ...row(1, { weekday: 1, from: "18:00", to: "09:00", minutes: "90" }), op: "save" },
      htmx: true,
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Время окончания (09:00) должно быть позже начала (18:00).");
    // The message follows row 2 (index 1), not row 1.
    expect(html.indexOf('data-row="1"')).toBeLessThan(html.indexOf("Время окончания (09:00)"));
    expect(html).toContain('name="r1_from" value="18:00"');
    const bad = await (await s.request("/crm/instructors/availability/template", { form: { ...row(0, { weekday: 9, from: "9", to: "12:00", minutes: "10" }), op: "save" }, htmx: true })).text();
    expect(bad).toContain("Выберите день недели.");
    expect(bad).toContain("Время начала в формате ЧЧ:ММ.");
    expect(bad).toContain("Длительность занятия — от 30 до 240 минут.");
    expect(await db().select().from(instructorAvailability).where(eq(instructorAvailability.instructorId, me.id))).toHaveLength(0);
    expect(await slotsOf(me.id)).toHaveLength(0);
  });

  test("without the CSRF token nothing is saved", async () => {
    const res = await s.request("/crm/instructors/availability/template", { form: { ...row(0, { weekday: 1, from: "09:00", to: "12:00", minutes: "90" }), op: "save" }, htmx: true, noCsrf: true });
    expect(res.status).toBe(403);
    expect(await db().select().from(instructorAvailability).where(eq(instructorAvailability.instructorId, me.id))).toHaveLength(0);
  });

  test("saving replaces the template, makes the slots of the next 14 days and is audited", async () => {
    const tomorrow = day(1);
    const res = await s.request("/crm/instructors/availability/template", {
      form: { ...row(0, { weekday: tomorrow.weekday, from: "09:00", to: "12:00", minutes: "90" }), op: "save" },
      htmx: true,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    // Tomorrow and a week later, 09:00 and 10:30 each (the day two weeks ahead is day 15).
    expect(html).toContain("Шаблон сохранён. Новых окон: 4.");
    expect(html).toContain('<hx-partial hx-target="#slots"');
    expect(html).toContain(`data-day="${tomorrow.iso}"`);
    expect(html).toContain("09:00–10:30");
    const slots = (await slotsOf(me.id)).map((x) => x.startsAt.getTime()).sort();
    expect(slots).toEqual([tomorrow.at(9), tomorrow.at(10, 30), day(8).at(9), day(8).at(10, 30)].map((d) => d.getTime()));
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, "availability.template"), eq(auditLog.subject, `instructor:${me.id}`)));
    expect(audit!.after).toMatchObject({ rows: [{ weekday: tomorrow.weekday, startMinute: 540, endMinute: 720, lessonMinutes: 90 }], slotsCreated: 4 });
    // Saving again makes nothing new; a plain form (no htmx) with _csrf in the body is redirected.
    const plain = await s.request("/crm/instructors/availability/template", {
      form: { ...row(0, { weekday: tomorrow.weekday, from: "09:00", to: "12:00", minutes: "90" }), op: "save", _csrf: s.csrf },
      noCsrf: true,
    });
    expect(plain.status).toBe(303);
    expect(await slotsOf(me.id)).toHaveLength(4);
  });
});

describe("slots", () => {
  test("a slot booked by an application shows its number; blocking the day keeps it and cancels the open ones", async () => {
    const d = day(1);
    const [booked] = await db().select().from(instructorSlots).where(and(eq(instructorSlots.instructorId, me.id), eq(instructorSlots.startsAt, d.at(9))));
    const app = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId });
    await db().update(applications).set({ slotId: booked!.id }).where(eq(applications.id, app.id));
    const page = await (await s.request("/crm/instructors/availability")).text();
    expect(page).toContain(`заявкой № ${app.publicNumber}`);
    expect(page).toContain('data-state="booked"');

    const bad = await s.request("/crm/instructors/availability/block", { form: { day: "2025-13-01" }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Неверная дата");

    const res = await s.request("/crm/instructors/availability/block", { form: { day: d.iso }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("отменено свободных окон — 1");
    expect(html).toContain(`Записи учеников остались: 09:00 (№ ${app.publicNumber})`);
    const states = Object.fromEntries((await slotsOf(me.id)).filter((x) => x.startsAt < day(2).at(0)).map((x) => [x.startsAt.getTime(), x.state]));
    expect(states).toEqual({ [d.at(9).getTime()]: "free", [d.at(10, 30).getTime()]: "cancelled" });
    expect((await db().select().from(applications).where(eq(applications.id, app.id)))[0]!.slotId).toBe(booked!.id);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "availability.block_day"))).toHaveLength(1);
  });

  test("a one-off slot: field checks, overlap refused, then added and audited", async () => {
    const d = day(3);
    const bad = await s.request("/crm/instructors/availability/slots", { form: { day: "вчера", time: "25:00", minutes: "5" }, htmx: true });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Неверная дата");
    expect(html).toContain("Время в формате ЧЧ:ММ.");
    expect(html).toContain("От 30 до 240 минут.");
    expect(html).toContain('value="вчера"');
    const past = await (await s.request("/crm/instructors/availability/slots", { form: { day: day(-1).iso, time: "10:00", minutes: "60" }, htmx: true })).text();
    expect(past).toContain("Это время уже прошло.");
    const ok = await s.request("/crm/instructors/availability/slots", { form: { day: d.iso, time: "15:00", minutes: "60" }, htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Окно добавлено");
    const overlap = await s.request("/crm/instructors/availability/slots", { form: { day: d.iso, time: "15:30", minutes: "60" }, htmx: true });
    expect(overlap.status).toBe(422);
    expect(await overlap.text()).toContain("пересекается с другим окном");
    const added = (await slotsOf(me.id)).filter((x) => x.startsAt.getTime() === d.at(15).getTime());
    expect(added).toHaveLength(1);
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, `slot:${added[0]!.id}`))).toHaveLength(1);
  });

  test("cancelling a slot returns its row; a booked one asks for a reason; another instructor's is a 404 and unchanged", async () => {
    const bookedIds = new Set((await db().select({ slotId: applications.slotId }).from(applications)).map((a) => a.slotId));
    const mine = (await slotsOf(me.id)).find((x) => x.state === "free" && !bookedIds.has(x.id))!;
    const res = await s.request(`/crm/instructors/availability/slots/${mine.id}/cancel`, { method: "POST", htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith(`<tr id="slot-${mine.id}"`);
    expect(html).toContain('data-state="cancelled"');
    const booked = (await slotsOf(me.id)).find((x) => bookedIds.has(x.id))!;
    const refused = await s.request(`/crm/instructors/availability/slots/${booked.id}/cancel`, { method: "POST", htmx: true });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Причина для ученика");
    expect((await slotsOf(me.id)).find((x) => x.id === booked.id)!.state).toBe("free");
    const [theirs] = await db().insert(instructorSlots).values({ instructorId: other.id, startsAt: day(2).at(9), minutes: 60, state: "free" }).returning();
    expect((await s.request(`/crm/instructors/availability/slots/${theirs!.id}/cancel`, { method: "POST", htmx: true })).status).toBe(404);
    expect((await slotsOf(other.id))[0]!.state).toBe("free");
    const page = await (await s.request("/crm/instructors/availability")).text();
    expect(page).not.toContain(`slot-${theirs!.id}"`);
  });
});

describe("days off", () => {
  const daysOff = (instructorId: number) => db().select({ day: instructorDaysOff.day }).from(instructorDaysOff).where(eq(instructorDaysOff.instructorId, instructorId)).orderBy(instructorDaysOff.day);
  const freeOn = async (instructorId: number, d: ReturnType<typeof day>) =>
    (await slotsOf(instructorId)).filter((x) => x.state === "free" && x.startsAt >= d.at(0) && x.startsAt < d.at(23, 59)).map((x) => x.startsAt.getTime()).sort();

  test("a blocked day is listed with \"Вернуть день\", one beyond the listed days too", async () => {
    const week = day(8); // the template's weekday: 09:00 and 10:30
    const far = day(40);
    for (const d of [week, far]) expect((await s.request("/crm/instructors/availability/block", { form: { day: d.iso }, htmx: true })).status).toBe(200);
    expect(await freeOn(me.id, week)).toEqual([]);
    const page = await (await s.request("/crm/instructors/availability", { htmx: true })).text();
    for (const d of [week, far]) expect(page).toContain(`data-day="${d.iso}" data-off="true"`);
    expect(page).toContain("выходной");
    expect(page).toContain('action="/crm/instructors/availability/return-day"');
    expect(page).toContain(`name="day" value="${far.iso}"`);
  });

  test("\"Вернуть день\" refills the day at once, for this instructor only; CSRF, a malformed day, a day not off", async () => {
    const week = day(8);
    await blockDay(db(), { instructorId: other.id, accountId: null }, week.iso, { timeZone: zone() });
    const refused = await s.request("/crm/instructors/availability/return-day", { form: { day: week.iso }, htmx: true, noCsrf: true });
    expect(refused.status).toBe(403);
    const bad = await s.request("/crm/instructors/availability/return-day", { form: { day: "2025-02-30" }, htmx: true });
    expect(bad.status).toBe(400);
    expect((await daysOff(me.id)).map((r) => r.day)).toContain(week.iso);

    const res = await s.request("/crm/instructors/availability/return-day", { form: { day: week.iso }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith('<section id="slots"');
    expect(html).toContain("День возвращён, новых окон: 2.");
    expect(html).not.toContain(`data-day="${week.iso}" data-off`);
    expect(html).toContain(`data-day="${week.iso}"`);
    expect(await freeOn(me.id, week)).toEqual([week.at(9).getTime(), week.at(10, 30).getTime()]);
    expect((await daysOff(me.id)).map((r) => r.day)).not.toContain(week.iso);
    // The other instructor's day off on the same date is theirs to give back.
    expect((await daysOff(other.id)).map((r) => r.day)).toEqual([week.iso]);
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, "availability.return_day"), eq(auditLog.subject, `instructor:${me.id}`)));
    expect(audit!.after).toEqual({ day: week.iso, slots: 2 });

    const again = await (await s.request("/crm/instructors/availability/return-day", { form: { day: week.iso }, htmx: true })).text();
    expect(again).toContain("Этот день уже не выходной.");
    const plain = await s.request("/crm/instructors/availability/return-day", { form: { day: day(40).iso, _csrf: s.csrf }, noCsrf: true });
    expect(plain.status).toBe(303);
    expect((await daysOff(me.id)).map((r) => r.day)).not.toContain(day(40).iso);
  });
});
