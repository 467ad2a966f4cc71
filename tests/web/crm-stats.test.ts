// Statistics pages of both CRM areas through app.handle: full page and fragment, the date filter
// (with its validation), numbers checked against fixtures computed by hand, the trust index with
// its parts and weekly trend, and tenant isolation (another school's applications never count).
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq } from "drizzle-orm";
import { applicationEvents, applications, lessons, type ApplicationStatus } from "../../src/db/schema.ts";
import { recomputeInstructorTrust, recomputeSchoolTrust } from "../../src/domain/indexes.ts";
import { schoolTrustTrend } from "../../src/domain/stats.ts";
import { localDate } from "../../src/model/time.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let rival: Awaited<ReturnType<typeof fx.createSchool>>;
let me: Awaited<ReturnType<typeof fx.createInstructor>>;
let s: fx.Session;
let si: fx.Session;
const db = () => t.database.db;
const now = Date.now();
const ymd = (at: number) => {
  const d = localDate(t.config.timeZone, new Date(at));
  return `${d.y}-${String(d.m).padStart(2, "0")}-${String(d.d).padStart(2, "0")}`;
};

/** An application with its timestamps set as given (ms after creation), and a status event for the history. */
async function app(
  target: { schoolId: number; cityId: number } | { instructorId: number; cityId: number },
  o: { status: ApplicationStatus; created: number; response?: number; confirmed?: number; paid?: number; source?: string },
) {
  const a = await fx.createApplication(db(), target, { status: o.status, createdAt: new Date(o.created) });
  const at = (ms?: number) => (ms === undefined ? null : new Date(o.created + ms));
  await db()
    .update(applications)
    .set({ firstResponseAt: at(o.response), confirmedAt: at(o.confirmed), paidAt: at(o.paid), source: o.source ?? "bot", updatedAt: new Date(o.created + (o.paid ?? o.confirmed ?? o.response ?? 0)) })
    .where(eq(applications.id, a.id));
  // The fixture's "created" event is stamped now(); history starts at creation.
  await db().update(applicationEvents).set({ at: new Date(o.created), toStatus: "new" }).where(eq(applicationEvents.applicationId, a.id));
  if (o.status !== "new")
    await db().insert(applicationEvents).values({ applicationId: a.id, type: "status", fromStatus: "new", toStatus: o.status, at: new Date(o.created + (o.paid ?? o.confirmed ?? o.response ?? 0)) });
  return a;
}

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db());
  rival = await fx.createSchool(db(), { cityId: school.cityId });
  const S = { schoolId: school.id, cityId: school.cityId };
  // By hand: 6 applications, one of them two years old (outside the date range and the index window).
  await app(S, { status: "new", created: now - 10 * DAY });
  await app(S, { status: "contacted", created: now - 10 * DAY, response: 30 * MIN });
  await app(S, { status: "confirmed", created: now - 9 * DAY, response: HOUR, confirmed: 2 * HOUR });
  await app(S, { status: "paid", created: now - 9 * DAY, response: 2 * HOUR, confirmed: 3 * HOUR, paid: DAY });
  await app(S, { status: "rejected", created: now - 8 * DAY, response: 4 * HOUR, source: "instagram" });
  await app(S, { status: "new", created: now - 730 * DAY });
  // The rival's applications must never show up.
  for (let i = 0; i < 3; i++) await app({ schoolId: rival.id, cityId: rival.cityId }, { status: "paid", created: now - 5 * DAY, response: MIN, confirmed: MIN, paid: MIN });
  s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");

  me = await fx.createInstructor(db());
  const I = { instructorId: me.id, cityId: me.cityId };
  const accepted = await app(I, { status: "accepted", created: now - 6 * DAY, response: 20 * MIN });
  await app(I, { status: "accepted", created: now - 5 * DAY, response: 40 * MIN });
  await app(I, { status: "rejected", created: now - 5 * DAY, response: HOUR });
  await app(I, { status: "new", created: now - 4 * DAY });
  const lesson = (state: "conducted" | "no_show" | "planned", daysAgo: number, by?: "student" | "instructor") =>
    db().insert(lessons).values({ applicationId: accepted.id, instructorId: me.id, startsAt: new Date(now - daysAgo * DAY), minutes: 90, state, noShowBy: by ?? null });
  await lesson("conducted", 3);
  await lesson("conducted", 2.9);
  await lesson("conducted", 2.8);
  await lesson("no_show", 2, "student");
  await lesson("no_show", 1, "instructor");
  await lesson("planned", -1);
  si = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: me.id })).login, "instructor");
});
afterAll(() => t.dispose());

const stat = (html: string, key: string) => html.match(new RegExp(`data-stat="${key}">([^<]*)<`))?.[1];
/** A chart's rows as "label: value; …" (the `n`-th chart of that kind on the page). */
const chart = (html: string, kind: "chart-funnel" | "chart-bars", n = 0) => {
  const figure = [...html.matchAll(new RegExp(`<figure class="chart ${kind}">(.*?)</figure>`, "g"))][n]?.[1] ?? "";
  return [...figure.matchAll(/<span class="chart-label">([^<]*)<\/span> <strong class="chart-value">([^<]*)<\/strong>/g)].map((m) => `${m[1]}: ${m[2]}`).join("; ");
};

describe("school statistics", () => {
  test("full page with the nav link, fragment without the layout", async () => {
    const full = await (await s.request("/crm/schools/stats")).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain('href="/crm/schools/stats" class="active"');
    expect(full).toContain('<div id="stats"');
    const res = await s.request("/crm/schools/stats", { htmx: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("HX-Request");
    const frag = await res.text();
    expect(frag).toStartWith('<div id="stats"');
    expect(frag).not.toContain("<html");
  });

  test("numbers match the fixtures computed by hand (rival school not counted)", async () => {
    const html = await (await s.request("/crm/schools/stats")).text();
    expect(stat(html, "total")).toBe("6");
    // Responses 30 min, 1 h, 2 h, 4 h: median (1 h + 2 h) / 2.
    // The trust index's median first answer (365 days): lower median of 30 min, 1 h, 2 h, 4 h.
    expect(stat(html, "median-response")).toBe("1 ч");
    expect(stat(html, "confirmation-rate")).toBe("33%"); // 2 of 6
    expect(stat(html, "payment-rate")).toBe("50%"); // 1 of 2
    // Funnel new → contacted → confirmed → paid: 6, 4, 2, 1.
    expect(chart(html, "chart-funnel")).toBe("Новые: 6 · 100%; Связались: 4 · 67%; Подтверждены: 2 · 33%; Оплачены: 1 · 17%");
    // By status (school statuses only).
    expect(chart(html, "chart-bars")).toBe("Новая: 2; Связались: 1; Подтверждена: 1; Оплачена: 1; Обучается: 0; Завершена: 0; Отклонена: 1; Отменена учеником: 0");
    expect(html).toMatch(/data-source="bot">\s*<td>Без метки \(бот\)<\/td>\s*<td>5<\/td>/);
    expect(html).toMatch(/data-source="instagram">\s*<td>instagram<\/td>\s*<td>1<\/td>/);
  });

  test("the date range narrows the numbers; both days are included", async () => {
    const html = await (await s.request(`/crm/schools/stats?from=${ymd(now - 30 * DAY)}&to=${ymd(now)}`, { htmx: true })).text();
    expect(stat(html, "total")).toBe("5");
    expect(stat(html, "confirmation-rate")).toBe("40%");
    expect(html).toContain(`value="${ymd(now - 30 * DAY)}"`);
    // Only the day of the two most recent applications (8 days ago).
    const one = await (await s.request(`/crm/schools/stats?from=${ymd(now - 8 * DAY)}&to=${ymd(now - 8 * DAY)}`, { htmx: true })).text();
    expect(stat(one, "total")).toBe("1");
  });

  test("a bad date gets a message at its field, the typed value is kept", async () => {
    const res = await s.request(`/crm/schools/stats?from=2025-02-30&to=${encodeURIComponent('"><b>x')}`, { htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="2025-02-30"');
    expect(html).toContain("Неверная дата: нужен формат ГГГГ-ММ-ДД.");
    expect(html).not.toContain('"><b>');
    expect(html).toContain(`value="&#34;><b>x"`);
    const reversed = await s.request("/crm/schools/stats?from=2025-03-10&to=2025-03-01", { htmx: true });
    expect(reversed.status).toBe(422);
    expect(await reversed.text()).toContain("Конец периода раньше начала.");
  });

  test("trust index: the stored value, every part with weight, points and detail, explanation, trend", async () => {
    const stored = await recomputeSchoolTrust(db(), school.id, new Date());
    const html = await (await s.request("/crm/schools/stats")).text();
    expect(html).toContain(`data-trust-value="${stored.enoughData ? stored.value : "new"}"`);
    for (const c of stored.components) {
      expect(html).toContain(`data-component="${c.key}"`);
      expect(html).toContain(c.detail.ru);
    }
    expect(html).toContain("Скорость ответа");
    expect(html).toContain(stored.explanation.ru);
    expect(html).toContain("Индекс доверия на конец недели");
    const trend = await schoolTrustTrend(db(), school.id, { now: new Date(now), timeZone: t.config.timeZone });
    expect(trend.trend).toHaveLength(8);
    expect(trend.trend.at(-1)!.value).toBe(trend.current.value);
    // Nothing existed three weeks ago but the two-year-old application (outside the window): the starting 62.
    expect(trend.trend[0]!.value).toBe(62);
    expect(trend.trend.slice(0, 5).every((p) => p.value === 62)).toBe(true);
  });

  test("the trend sees a status as it was then, not as it is now", async () => {
    const other = await fx.createSchool(db());
    const O = { schoolId: other.id, cityId: other.cityId };
    // Created 20 days ago, answered at once, confirmed and paid only yesterday.
    await app(O, { status: "paid", created: now - 20 * DAY, response: MIN, confirmed: 19 * DAY, paid: 19 * DAY });
    const trend = await schoolTrustTrend(db(), other.id, { now: new Date(now), timeZone: t.config.timeZone });
    const current = trend.trend.at(-1)!.value;
    // Two weeks ago it was an answered application not yet decided: lower than now, paid.
    const before = trend.trend.at(-3)!.value;
    expect(before).toBeLessThan(current);
  });
});

describe("instructor statistics", () => {
  test("requests, acceptance, lessons and no-shows by side; the index with its parts", async () => {
    const stored = await recomputeInstructorTrust(db(), me.id, new Date());
    const res = await si.request("/crm/instructors/stats");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/crm/instructors/stats" class="active"');
    expect(html).toContain('href="/crm/instructors/availability"');
    expect(html).toContain('href="/crm/instructors/lessons"');
    expect(stat(html, "requests")).toBe("4");
    expect(stat(html, "acceptance-rate")).toBe("50%"); // 2 of 4
    expect(stat(html, "median-response")).toBe("40 мин"); // 20, 40, 60 min
    expect(stat(html, "conducted")).toBe("3");
    expect(stat(html, "planned")).toBe("1");
    expect(stat(html, "no-show-student")).toBe("1");
    expect(stat(html, "no-show-instructor")).toBe("1");
    expect(html).toContain(`data-trust-value="${stored.enoughData ? stored.value : "new"}"`);
    for (const key of ["speed", "kept", "accepted", "answered", "paid", "reviews"]) expect(html).toContain(`data-component="${key}"`);
    expect(html).toContain("Проведено занятий — 3, отменено школой или инструктором либо пропущено инструктором — 1");
    const frag = await (await si.request("/crm/instructors/stats", { htmx: true })).text();
    expect(frag).toStartWith('<div id="stats"');
  });

  test("a school session cannot open it; the school nav has no instructor sections", async () => {
    expect((await s.request("/crm/instructors/stats")).status).toBe(303);
    const html = await (await s.request("/crm/schools/stats")).text();
    expect(html).not.toContain("/availability");
  });
});
