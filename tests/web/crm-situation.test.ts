// The student's situation (issue 18, flow 3): createApplication stores what the student said of
// themselves, and the school sees it on the application's page and in its inbox row; the admin
// panel's application page shows it too, with the offer in its kind's words. A practice
// application reads as practice (not "B, Очно") in the inbox row, on the pages and in the staff
// alert in Telegram, which also says the student's situation.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, applications, outbox, schoolOffers } from "../../src/db/schema.ts";
import { createApplication, type NewApplication } from "../../src/domain/applications.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import { adminSession } from "./admin-support.ts";
import { offerKindName } from "../../views/format.ts";
import { t as dictionary } from "../../src/i18n/index.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let offer: typeof schoolOffers.$inferSelect;
let s: fx.Session;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db(), { name: "Драйв Академия" });
  [offer] = (await db()
    .insert(schoolOffers)
    .values({ schoolId: school.id, category: "B", format: "in_person", kind: "practice", priceKzt: 8_000, durationWeeks: 1, hours: 10, includes: "автомобиль школы, топливо" })
    .returning()) as [typeof schoolOffers.$inferSelect];
  s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
});
afterAll(() => t.dispose());

/** An application to the practice offer, made by the domain the bot calls. */
async function apply(situation: NewApplication["situation"] | string, extra: Partial<NewApplication> = {}) {
  const student = await fx.createStudent(db(), { firstName: "Асель" });
  const input: NewApplication = {
    studentId: student.id,
    idempotencyKey: `situation-${student.id}`,
    cityId: school.cityId,
    studentName: "Асель Нурланова",
    studentPhone: "+77011234567",
    situation: situation as NewApplication["situation"],
    school: { schoolId: school.id, offerId: offer.id, category: "B", format: "in_person" },
    ...extra,
  };
  const result = await db().transaction((tx) => createApplication(tx, input, t.config));
  if (result.kind !== "created") throw new Error(result.kind);
  return result.application;
}

test("a certificate holder's application: stored, and the school reads it on the page and in the inbox row", async () => {
  const app = await apply("certificate");
  expect((await db().select().from(applications).where(eq(applications.id, app.id)))[0]!.situation).toBe("certificate");

  const page = await (await s.request(`/crm/schools/applications/${app.id}`)).text();
  expect(page).toContain("<dt>Ситуация ученика</dt>");
  expect(page).toContain('data-situation="certificate">Есть свидетельство автошколы, прав ещё нет</dd>');
  // The offer as the student read it in the bot, with what its price includes.
  expect(page).toContain("<dd>Практика B, 10 ч — 8\u202f000 ₸; в цену входит: автомобиль школы, топливо</dd>");

  const inbox = await (await s.request("/crm/schools/applications", { htmx: true })).text();
  const row = inbox.slice(inbox.indexOf(`id="app-${app.id}"`));
  expect(row.slice(0, row.indexOf("</tr>"))).toContain(" · есть свидетельство</small>");

  const admin = (await adminSession(t)).session;
  const adminPage = await (await admin.request(`/admin/applications/${app.id}`)).text();
  expect(adminPage).toContain("<dt>Ситуация ученика</dt><dd>Есть свидетельство автошколы, прав ещё нет</dd>");
});

test("each situation has its own words; not said (or an unknown value) is stored as null and not shown", async () => {
  const licence = await apply("licence");
  expect(await (await s.request(`/crm/schools/applications/${licence.id}`)).text()).toContain("Есть водительское удостоверение");
  const none = await apply(undefined);
  const forged = await apply("pilot");
  for (const a of [none, forged]) {
    expect((await db().select().from(applications).where(eq(applications.id, a.id)))[0]!.situation).toBeNull();
    expect(await (await s.request(`/crm/schools/applications/${a.id}`)).text()).not.toContain("Ситуация ученика");
  }
});

test("a practice application reads as practice in the inbox row, on both pages and in the staff's Telegram alert, with the situation", async () => {
  const staff = await fx.createStaff(db(), { schoolId: school.id });
  await db().update(accounts).set({ telegramChatId: 7_001 }).where(eq(accounts.id, staff.id));
  const app = await apply("certificate");

  const inbox = await (await s.request("/crm/schools/applications", { htmx: true })).text();
  const row = inbox.slice(inbox.indexOf(`id="app-${app.id}"`));
  const cells = row.slice(0, row.indexOf("</tr>"));
  // The offer's format ("Очно") says nothing of practice: the row names the kind instead.
  expect(cells).toContain("<span>Практика вождения, B</span>");
  expect(cells).not.toContain("Очно");
  expect(await (await s.request(`/crm/schools/applications/${app.id}`)).text()).toContain("<dt>Курс</dt><dd>Практика вождения, B</dd>");
  const admin = (await adminSession(t)).session;
  const adminPage = await (await admin.request(`/admin/applications/${app.id}`)).text();
  expect(adminPage).toContain("<dt>Курс</dt><dd>Практика вождения, B</dd>");
  expect(adminPage).not.toContain("<dt>Формат</dt>");

  const [alert] = await db().select().from(outbox).where(eq(outbox.chatId, 7_001)).orderBy(outbox.id);
  expect(alert!.payload.params.text).toBe(
    `🆕 Новая заявка № ${app.publicNumber}\nАсель Нурланова, +7 701 123 45 67\nПрактика вождения, B\nЕсть свидетельство автошколы, прав ещё нет\nhttp://localhost:3000/crm/schools/applications/${app.id}`,
  );
});

test("a full course keeps its short line in the row; the CSV export names each application's offer kind and situation", async () => {
  const [course] = await db()
    .insert(schoolOffers)
    .values({ schoolId: school.id, category: "B", format: "in_person", kind: "full_course", priceKzt: 180_000, durationWeeks: 10 })
    .returning();
  const student = await fx.createStudent(db(), { firstName: "Дәулет" });
  const result = await db().transaction((tx) =>
    createApplication(
      tx,
      { studentId: student.id, idempotencyKey: `course-${student.id}`, cityId: school.cityId, studentName: "Дәулет", studentPhone: "+77017654321", school: { schoolId: school.id, offerId: course!.id, category: "B", format: "in_person" } },
      t.config,
    ),
  );
  if (result.kind !== "created") throw new Error(result.kind);
  const inbox = await (await s.request("/crm/schools/applications", { htmx: true })).text();
  const row = inbox.slice(inbox.indexOf(`id="app-${result.application.id}"`));
  expect(row.slice(0, row.indexOf("</tr>"))).toContain("<span>B, Очно</span>");

  const admin = (await adminSession(t)).session;
  const csv = await (await admin.request(`/admin/applications/export.csv?school=${school.id}`)).text();
  const lines = csv.trimEnd().split("\r\n");
  const header = lines[0]!.replace("\uFEFF", "").split(",");
  const kindAt = header.indexOf("вид_предложения");
  const situationAt = header.indexOf("ситуация");
  expect(kindAt).toBeGreaterThan(0);
  // Labels may hold commas (then the field is quoted): split fields outside quotes.
  const fields = (l: string) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"')).slice(0, header.length);
  const byNumber = new Map(lines.slice(1).map((l) => [fields(l)[0], fields(l)]));
  // Labels, as the CRM words them (issue 17), not the codes full_course / practice / certificate.
  expect(byNumber.get(result.application.publicNumber)![kindAt]).toBe(offerKindName("full_course", "ru"));
  const practiceRows = [...byNumber.values()].filter((r) => r[kindAt] === offerKindName("practice", "ru"));
  expect(practiceRows.some((r) => r[situationAt] === dictionary("ru").situationNames.certificate)).toBe(true);
});

test("the phone says whether Telegram vouched for it (the student's own contact) or it was typed (issue 19)", async () => {
  const make = (phoneConfirmed: boolean, studentPhone: string) => apply(null, { phoneConfirmed, studentPhone });
  const confirmed = await make(true, "+77015550101");
  const typed = await make(false, "+77015550102");
  expect(await (await s.request(`/crm/schools/applications/${confirmed.id}`)).text()).toContain('data-phone-confirmed="true"> · подтверждён в Telegram</small>');
  expect(await (await s.request(`/crm/schools/applications/${typed.id}`)).text()).toContain('data-phone-confirmed="false"> · введён вручную</small>');
  const inbox = await (await s.request("/crm/schools/applications", { htmx: true })).text();
  const rowOf = (id: number) => inbox.slice(inbox.indexOf(`id="app-${id}"`), inbox.indexOf("</tr>", inbox.indexOf(`id="app-${id}"`)));
  expect(rowOf(confirmed.id)).toContain("+7 701 555 01 01");
  expect(rowOf(confirmed.id)).toContain('data-phone-confirmed="true"');
  expect(rowOf(typed.id)).not.toContain("data-phone-confirmed");
});
