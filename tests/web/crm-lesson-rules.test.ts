// "Правила занятий" over HTTP (app.handle): an independent instructor saves their reminder hours,
// cut-off, meeting point and Telegram alerts (audited); bad input is the form again with its
// messages and nothing saved; malformed input is a 400 and a missing CSRF token a 403, never a 500;
// a school saves its rules without touching another school's; the school's instructor sees them
// read-only and cannot change them, but keeps their own meeting point and alerts.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { accounts, auditLog, instructors, schools } from "../../src/db/schema.ts";
import { lessonPolicyOf } from "../../src/domain/lesson-policy.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
const db = () => t.database.db;
const instructorRow = async (id: number) => (await db().select().from(instructors).where(eq(instructors.id, id)))[0]!;
const schoolRow = async (id: number) => (await db().select().from(schools).where(eq(schools.id, id)))[0]!;
const alertsOf = async (accountId: number) => (await db().select().from(accounts).where(eq(accounts.id, accountId)))[0]!.lessonAnswerAlerts;
const rules = (first: string, second: string, cutoff: string, extra: Record<string, string> = {}) => ({ reminderFirstHours: first, reminderSecondHours: second, cancelCutoffHours: cutoff, ...extra });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.dispose());

describe("an independent instructor", () => {
  let me: Awaited<ReturnType<typeof fx.createInstructor>>;
  let account: Awaited<ReturnType<typeof fx.createStaff>>;
  let s: fx.Session;
  beforeAll(async () => {
    me = await fx.createInstructor(db());
    account = await fx.createStaff(db(), { instructorId: me.id });
    s = await fx.loginAs(t, account.login, "instructor");
  });

  test("the page: the defaults, the meeting point, the alerts box and the hint to link Telegram; linked from the menu", async () => {
    const res = await s.request("/crm/instructors/lesson-rules");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('href="/crm/instructors/lesson-rules" class="active"');
    expect(html).toContain('name="reminderFirstHours" type="number" value="24"');
    expect(html).toContain('name="reminderSecondHours" type="number" value="2"');
    expect(html).toContain('name="cancelCutoffHours" type="number" value="24"');
    expect(html).toContain('name="meetingPoint"');
    expect(html).toContain('name="answerAlerts" value="on"');
    expect(html).not.toMatch(/name="answerAlerts" value="on" checked/);
    expect(html).toContain('id="link-telegram-hint"');
    expect(html).toContain('href="/crm/instructors/telegram"');
  });

  test("saving: the rules, the meeting point (escaped when shown) and the alerts, audited", async () => {
    const res = await s.request("/crm/instructors/lesson-rules", { form: rules("48", "6", "12", { meetingPoint: ' ТЦ "Мега" <b> ', answerAlerts: "on" }), htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith('<form id="lesson-rules"');
    expect(html).toContain("Сохранено.");
    // The quote cannot end the attribute (kitajs escapes attribute values).
    expect(html).toMatch(/value="ТЦ &(quot|#34);Мега&(quot|#34); <b>"/);
    expect(html).toMatch(/name="answerAlerts" value="on" checked/);
    const row = await instructorRow(me.id);
    expect([row.reminderFirstHours, row.reminderSecondHours, row.cancelCutoffHours, row.meetingPoint]).toEqual([48, 6, 12, 'ТЦ "Мега" <b>']);
    expect(await alertsOf(account.id)).toBe(true);
    expect(await lessonPolicyOf(db(), me.id)).toEqual({ reminderFirstHours: 48, reminderSecondHours: 6, cancelCutoffHours: 12 });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, "lesson_rules.save"), eq(auditLog.subject, `instructor:${me.id}`)));
    expect(audit).toMatchObject({ accountId: account.id, before: { reminderFirstHours: 24, answerAlerts: false }, after: { reminderFirstHours: 48, meetingPoint: 'ТЦ "Мега" <b>', answerAlerts: true } });

    // A plain form post (no htmx) is redirected back; the unchecked box turns the alerts off.
    const plain = await s.request("/crm/instructors/lesson-rules", { form: rules("48", "6", "12", { meetingPoint: "ТЦ Мега", _csrf: s.csrf }) });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/crm/instructors/lesson-rules");
    expect(await alertsOf(account.id)).toBe(false);
  });

  test("bad input: the form again with each field's message, what was typed kept, nothing saved", async () => {
    const before = await instructorRow(me.id);
    const res = await s.request("/crm/instructors/lesson-rules", { form: rules("abc", "1", "-3", { meetingPoint: "x".repeat(201) }), htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="abc"');
    expect(html.match(/От 1 до 168 часов\./g)).toHaveLength(1);
    expect(html).toContain("От 0 до 168 часов.");
    expect(html).toContain("Не длиннее 200 символов.");
    const second = await s.request("/crm/instructors/lesson-rules", { form: rules("2", "5", "24"), htmx: true });
    expect(second.status).toBe(422);
    expect(await second.text()).toContain("Второе напоминание должно быть ближе к занятию, чем первое.");
    const week = await s.request("/crm/instructors/lesson-rules", { form: rules("169", "2", "24") });
    expect(week.status).toBe(422);
    expect(await week.text()).toStartWith("<!doctype html>");
    expect(await instructorRow(me.id)).toEqual(before);
  });

  test("malformed input is a 400 and a forged request a 403, never a 500; nothing changes", async () => {
    const before = await instructorRow(me.id);
    expect((await s.request("/crm/instructors/lesson-rules", { form: rules("24\u0000", "2", "24"), htmx: true })).status).toBe(400);
    expect((await s.request("/crm/instructors/lesson-rules", { form: rules("2".repeat(5000), "2", "24"), htmx: true })).status).toBe(400);
    expect((await s.request("/crm/instructors/lesson-rules", { form: rules("24", "2", "24", { meetingPoint: "x".repeat(1001) }), htmx: true })).status).toBe(400);
    expect((await s.request("/crm/instructors/lesson-rules", { form: rules("30", "2", "24"), htmx: true, noCsrf: true })).status).toBe(403);
    expect(await instructorRow(me.id)).toEqual(before);
  });
});

describe("a school and its instructors", () => {
  test("the school saves its rules; another school's stay; its instructor sees them read-only and keeps their own meeting point and alerts", async () => {
    const school = await fx.createSchool(db());
    const other = await fx.createSchool(db());
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId });
    await db().update(instructors).set({ schoolId: school.id }).where(eq(instructors.id, instructor.id));
    const schoolStaff = await fx.createStaff(db(), { schoolId: school.id });
    await db().update(accounts).set({ telegramChatId: 5551 }).where(eq(accounts.id, schoolStaff.id));
    const ss = await fx.loginAs(t, schoolStaff.login, "school");

    const page = await (await ss.request("/crm/schools/lesson-rules")).text();
    expect(page).toContain('href="/crm/schools/lesson-rules" class="active"');
    expect(page).not.toContain('name="meetingPoint"');
    expect(page).not.toContain('id="link-telegram-hint"'); // Telegram is linked

    const res = await ss.request("/crm/schools/lesson-rules", { form: rules("12", "1", "6", { answerAlerts: "on", meetingPoint: "ignored" }), htmx: true });
    expect(res.status).toBe(200);
    const saved = await schoolRow(school.id);
    expect([saved.reminderFirstHours, saved.reminderSecondHours, saved.cancelCutoffHours]).toEqual([12, 1, 6]);
    expect(await alertsOf(schoolStaff.id)).toBe(true);
    const untouched = await schoolRow(other.id);
    expect([untouched.reminderFirstHours, untouched.reminderSecondHours, untouched.cancelCutoffHours]).toEqual([24, 2, 24]);
    expect(await lessonPolicyOf(db(), instructor.id)).toEqual({ reminderFirstHours: 12, reminderSecondHours: 1, cancelCutoffHours: 6 });

    // The school's instructor: the school's rules, read-only.
    const iAccount = await fx.createStaff(db(), { instructorId: instructor.id });
    const is = await fx.loginAs(t, iAccount.login, "instructor");
    const theirs = await (await is.request("/crm/instructors/lesson-rules")).text();
    expect(theirs).toContain(`Правила занятий задаёт автошкола «${school.name}»`);
    expect(theirs).toContain("за 12 ч");
    expect(theirs).not.toContain('name="reminderFirstHours"');
    expect(theirs).toContain('name="meetingPoint"');
    const post = await is.request("/crm/instructors/lesson-rules", { form: rules("100", "50", "0", { meetingPoint: "Автодром", answerAlerts: "on" }), htmx: true });
    expect(post.status).toBe(200);
    const row = await instructorRow(instructor.id);
    expect([row.reminderFirstHours, row.meetingPoint]).toEqual([24, "Автодром"]);
    expect(await alertsOf(iAccount.id)).toBe(true);
    expect(await alertsOf(schoolStaff.id)).toBe(true);
    expect((await schoolRow(school.id)).reminderFirstHours).toBe(12);
  });
});
