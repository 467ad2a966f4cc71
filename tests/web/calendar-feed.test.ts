// The instructor's private iCalendar feed (issue 15, item 7), over real HTTP through the app:
// created from the CRM profile, fetched without a session, parsed by an independent parser
// (node-ical): exactly this instructor's lessons in the window, times in UTC, the cancelled one
// cancelled, the place or else the meeting point as location. A new link revokes the old, turning
// it off revokes it, so does locking out all the instructor's accounts; a malformed token is a
// plain 404 (never a 500), a POST without CSRF is refused, and the token itself is stored nowhere
// (only its sha-256) and never in the audit log.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createHash } from "node:crypto";
import { eq, like } from "drizzle-orm";
import ical, { type VEvent } from "node-ical";
import { accounts, auditLog, instructors, lessons, type LessonState } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let me: Awaited<ReturnType<typeof fx.createInstructor>>;
let other: Awaited<ReturnType<typeof fx.createInstructor>>;
let s: fx.Session;
const db = () => t.database.db;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Whole minutes, so the iCalendar form (seconds, no milliseconds) compares exactly.
const base = Math.floor(Date.now() / 60_000) * 60_000;
const at = (ms: number) => new Date(base + ms);

const addLesson = async (instructorId: number, applicationId: number, startsAt: Date, state: LessonState = "planned", place = "") =>
  (await db().insert(lessons).values({ applicationId, instructorId, startsAt, minutes: 90, state, place }).returning())[0]!;

/** The feed URL a create answer shows (in its read-only input). */
function urlIn(html: string): string {
  const url = html.match(/<input[^>]*data-feed="url"[^>]*>/)?.[0].match(/value="([^"]+)"/)?.[1];
  if (!url) throw new Error("no feed URL in: " + html.slice(0, 2000));
  return url;
}
const pathOf = (url: string) => new URL(url).pathname;
const createFeed = async () => urlIn(await (await s.request("/crm/instructors/profile/calendar", { form: {}, htmx: true })).text());
const eventsOf = (text: string) =>
  Object.values(ical.sync.parseICS(text))
    .filter((c): c is VEvent => c?.type === "VEVENT")
    .sort((a, b) => +a.start - +b.start);

let planned: Awaited<ReturnType<typeof addLesson>>;
let cancelled: Awaited<ReturnType<typeof addLesson>>;
let conducted: Awaited<ReturnType<typeof addLesson>>;
let theirs: Awaited<ReturnType<typeof addLesson>>;
let mine: Awaited<ReturnType<typeof fx.createApplication>>;

beforeAll(async () => {
  t = await createTestApp();
  me = await fx.createInstructor(db(), { name: "Ерлан Сапаров" });
  other = await fx.createInstructor(db(), { cityId: me.cityId });
  await db().update(instructors).set({ meetingPoint: "Абая 10, у входа" }).where(eq(instructors.id, me.id));
  mine = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted", studentName: "Айгерим" });
  const second = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { status: "accepted", studentName: "Дана, \"Ким\"; <b>" });
  const foreign = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { status: "accepted", studentName: "Чужой ученик" });
  planned = await addLesson(me.id, mine.id, at(2 * DAY + 3 * HOUR));
  cancelled = await addLesson(me.id, second.id, at(3 * DAY), "cancelled", "ТЦ Мега, парковка");
  conducted = await addLesson(me.id, mine.id, at(-5 * DAY), "conducted");
  // Outside the window (30 days back, 180 ahead): not in the feed.
  await addLesson(me.id, mine.id, at(-40 * DAY), "conducted");
  await addLesson(me.id, mine.id, at(200 * DAY));
  // Another instructor's lesson at the very same time: never in my feed.
  theirs = await addLesson(other.id, foreign.id, planned.startsAt);
  s = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: me.id })).login, "instructor");
});
afterAll(() => t.dispose());

describe("the instructor's calendar feed", () => {
  let url: string;

  test("the profile offers to create a feed; creating shows its URL (on the public address) once", async () => {
    const before = await (await s.request("/crm/instructors/profile")).text();
    expect(before).toContain("Календарь в телефоне");
    expect(before).toContain('data-feed="create"');
    expect(before).not.toContain('data-feed="revoke"');

    const res = await s.request("/crm/instructors/profile/calendar", { form: {}, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith('<section id="calendar-feed"');
    url = urlIn(html);
    expect(url).toMatch(new RegExp(`^${t.config.publicUrl}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(html).toContain("Добавить по URL");
    expect(html).toContain("Подписной календарь");

    // Only the hash is stored; the page shown later does not have the URL any more.
    const token = pathOf(url).slice("/calendar/".length, -".ics".length);
    const [row] = await db().select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, me.id));
    expect(row!.hash).toBe(createHash("sha256").update(token).digest("hex"));
    const after = await (await s.request("/crm/instructors/profile")).text();
    expect(after).not.toContain(token);
    expect(after).toContain('data-feed="revoke"');
    expect(after).toContain("Создать новую ссылку");

    // Audited, without the token or its hash.
    const audits = await db().select().from(auditLog).where(like(auditLog.action, "instructor.ical_feed.%"));
    expect(audits.map((a) => a.action)).toEqual(["instructor.ical_feed.create"]);
    expect(audits[0]!.subject).toBe(`instructor:${me.id}`);
    expect(JSON.stringify(audits)).not.toContain(token);
    expect(JSON.stringify(audits)).not.toContain(row!.hash!);
  });

  test("the feed parses with node-ical and holds exactly this instructor's lessons in its window", async () => {
    const res = await t.request(pathOf(url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    // The security headers every answer gets.
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const text = await res.text();
    expect(text).toContain("DTSTART:"); // UTC times: no TZID parameter
    expect(text).not.toContain("TZID");
    expect(text.replace(/\r\n[ \t]/g, "")).toContain("X-WR-CALNAME:AvtoMat — Ерлан Сапаров");
    expect(text).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(text).toContain("X-WR-TIMEZONE:Asia/Almaty");

    const events = eventsOf(text);
    const host = new URL(t.config.publicUrl).hostname;
    expect(events.map((e) => e.uid)).toEqual([conducted, planned, cancelled].map((l) => `lesson-${l.id}@${host}`));
    expect(events.map((e) => e.uid)).not.toContain(`lesson-${theirs.id}@${host}`);
    expect(text).not.toContain("Чужой ученик");

    const [done, next, off] = events as [VEvent, VEvent, VEvent];
    expect(next.summary).toBe(`Занятие: Айгерим (№ ${mine.publicNumber})`);
    expect(next.start.toISOString()).toBe(planned.startsAt.toISOString());
    expect(next.end!.toISOString()).toBe(new Date(planned.startsAt.getTime() + 90 * 60_000).toISOString());
    expect(next.location).toBe("Абая 10, у входа");
    expect(next.status).toBe("CONFIRMED");
    // URL;VALUE=URI:… (node-ical keeps the parameter beside the value).
    expect(next.url as unknown).toEqual({ params: { VALUE: "URI" }, val: `${t.config.publicUrl}/crm/instructors/applications/${mine.id}` });
    expect(off.status).toBe("CANCELLED");
    expect(off.location).toBe("ТЦ Мега, парковка");
    expect(off.summary).toContain('Дана, "Ким"; <b>');
    expect(done.description).toBe("Проведено");
  });

  test("a feed is stable: the same lessons give the same UIDs on the next fetch", async () => {
    const a = eventsOf(await (await t.request(pathOf(url))).text()).map((e) => e.uid);
    const b = eventsOf(await (await t.request(pathOf(url))).text()).map((e) => e.uid);
    expect(b).toEqual(a);
  });

  test("a new link revokes the old one", async () => {
    const renewed = await createFeed();
    expect(renewed).not.toBe(url);
    const old = await t.request(pathOf(url));
    expect(old.status).toBe(404);
    expect(old.headers.get("content-type")).toStartWith("text/plain");
    expect((await t.request(pathOf(renewed))).status).toBe(200);
    url = renewed;
  });

  test("turning the feed off makes its URL a 404", async () => {
    const res = await s.request("/crm/instructors/profile/calendar/revoke", { form: {}, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Календарь отключён");
    expect(html).toContain('data-feed="create"');
    expect(html).not.toContain('data-feed="revoke"');
    expect((await t.request(pathOf(url))).status).toBe(404);
    const [row] = await db().select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, me.id));
    expect(row!.hash).toBeNull();
    const actions = (await db().select().from(auditLog).where(like(auditLog.action, "instructor.ical_feed.%"))).map((a) => a.action);
    expect(actions).toEqual(["instructor.ical_feed.create", "instructor.ical_feed.create", "instructor.ical_feed.revoke"]);
  });

  test("malformed or unknown tokens are a plain 404, never a 500", async () => {
    const unknown = "A".repeat(43);
    for (const path of [
      `/calendar/${unknown}.ics`,
      `/calendar/${unknown}`,
      "/calendar/abc.ics",
      "/calendar/.ics",
      "/calendar/%00%00.ics",
      "/calendar/%F0%9F%98%80.ics",
      `/calendar/${"x".repeat(5000)}.ics`,
      `/calendar/${unknown}.ics.ics`,
    ]) {
      const res = await t.request(path);
      expect(res.status, path.slice(0, 60)).toBe(404);
      expect(res.headers.get("content-type"), path.slice(0, 60)).toStartWith("text/plain");
    }
  });

  test("a plain form (no htmx) gets the whole profile with the new URL", async () => {
    const res = await s.request("/crm/instructors/profile/calendar", { form: { _csrf: s.csrf }, noCsrf: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('id="profile"');
    expect((await t.request(pathOf(urlIn(html)))).status).toBe(200);
  });

  test("a feed stops while the instructor has no enabled account (an admin locked them out)", async () => {
    const path = pathOf(await createFeed());
    expect((await t.request(path)).status).toBe(200);
    await db().update(accounts).set({ disabled: true }).where(eq(accounts.instructorId, me.id));
    expect((await t.request(path)).status).toBe(404);
    await db().update(accounts).set({ disabled: false }).where(eq(accounts.instructorId, me.id));
    expect((await t.request(path)).status).toBe(200);
  });

  test("a POST without the CSRF token is refused and changes nothing", async () => {
    const [before] = await db().select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, me.id));
    for (const path of ["/crm/instructors/profile/calendar", "/crm/instructors/profile/calendar/revoke"]) {
      const res = await s.request(path, { form: {}, noCsrf: true });
      expect(res.status, path).toBe(403);
      // From another site, even with the token.
      const forged = await s.request(path, { form: {}, headers: { origin: "https://evil.example" } });
      expect(forged.status, path).toBe(403);
    }
    const [after] = await db().select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, me.id));
    expect(after!.hash).toBe(before!.hash);
  });

  test("without a session the CRM actions go to the login, not to a feed", async () => {
    const res = await t.request("/crm/instructors/profile/calendar", fx.formPost({}));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/instructors/login/");
  });
});
