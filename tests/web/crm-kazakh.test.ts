// The CRM's core pages in Kazakh (issue 17): the inbox, an application's page (status buttons,
// reply, payment block, thread) and the statistics, asked for with Accept-Language: kk or chosen
// on the account. Each shows its Kazakh words and none of the Russian-only ones of its
// dictionaries; the application's source is a human label (never the raw "bot"), phones are
// written "+7 701 234 56 01". The Russian pages' own tests (crm-school, crm-stats, …) pin the Russian.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, applicationEvents, applications, payments } from "../../src/db/schema.ts";
import { applicationTexts } from "../../src/i18n/crm/application.ts";
import { inboxTexts } from "../../src/i18n/crm/inbox.ts";
import { paymentTexts } from "../../src/i18n/crm/payment.ts";
import { reviewTexts } from "../../src/i18n/crm/reviews.ts";
import { statsTexts } from "../../src/i18n/crm/stats.ts";
import { threadTexts } from "../../src/i18n/crm/thread.ts";
import { statusNames } from "../../views/format.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let s: fx.Session;
let si: fx.Session;
let appId: number;
const db = () => t.database.db;
const KK = { "accept-language": "kk-KZ,kk;q=0.9" };
const get = async (session: fx.Session, path: string, headers: Record<string, string> = KK) => {
  const res = await session.request(path, { headers });
  return { status: res.status, html: await res.text() };
};

/** Every plain string of a dictionary's Russian half that its Kazakh half says differently (the texts that must not show on a Kazakh page). */
function russianOnly(dict: { ru: object; kk: object }): string[] {
  const out: string[] = [];
  const walk = (ru: unknown, kk: unknown) => {
    if (typeof ru === "string") {
      if (ru !== kk && /[А-Яа-яЁё]/.test(ru)) out.push(ru);
    } else if (ru && typeof ru === "object") for (const [k, v] of Object.entries(ru)) walk(v, (kk as Record<string, unknown>)?.[k]);
  };
  walk(dict.ru, dict.kk);
  return out;
}
const statusRu = () => Object.values(statusNames("ru")).filter((ru) => !Object.values(statusNames("kk")).includes(ru));

/** No Russian-only text of these dictionaries (nor a Russian status name) is on the page. */
function expectNoRussian(html: string, ...dicts: { ru: object; kk: object }[]) {
  const text = html.replace(/<[^>]+>/g, "\n");
  const left = [...dicts.flatMap(russianOnly), ...statusRu()].filter((ru) => text.includes(ru) || html.includes(`"${ru}"`));
  expect(left).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db());
  s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
  const app = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentName: "Aruzhan Sadykova", phone: "+77012345601" });
  appId = app.id;
  // The student said they paid: the inbox badge and the payment block's confirm / dispute.
  await db().update(applications).set({ status: "confirmed" }).where(eq(applications.id, appId));
  await db().insert(payments).values({ applicationId: appId, amountKzt: 150_000, studentAt: new Date() });
  await db().insert(applicationEvents).values({ applicationId: appId, type: "payment", payload: { action: "claimed", amountKzt: 150_000 } });
  const tagged = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentName: "Dana Kim" });
  await db().update(applications).set({ source: "instagram" }).where(eq(applications.id, tagged.id));

  const instructor = await fx.createInstructor(db());
  const lesson = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { studentName: "Erlan Ospanov" });
  // Stored as the part of the day's key; the CRM says it in words.
  await db().update(applications).set({ preferredTime: "morning" }).where(eq(applications.id, lesson.id));
  const staff = await fx.createStaff(db(), { instructorId: instructor.id });
  // The instructor chose Kazakh on the account: no header needed.
  await db().update(accounts).set({ language: "kk" }).where(eq(accounts.login, staff.login));
  si = await fx.loginAs(t, staff.login, "instructor");
});
afterAll(() => t.dispose());

describe("the inbox in Kazakh", () => {
  test("headings, filters, the row's status buttons and badges in Kazakh; no Russian of its own left", async () => {
    const { status, html } = await get(s, "/crm/schools/applications");
    expect(status).toBe(200);
    expect(html).toContain('<html lang="kk"');
    expect(html).toContain("<h1>Өтінімдер</h1>");
    expect(html).toContain("<th>Қайдан келді</th>");
    expect(html).toContain("Жауабымызды күтіп тұрғандар");
    expect(html).toContain('placeholder="Аты немесе телефоны"');
    // The application is confirmed: its next step's button, and the student's payment claim.
    expect(html).toMatch(/data-to="paid">Төленді<\/button>/);
    expect(html).toContain("төлем тексеруді күтуде");
    expect(html).toContain("Расталды");
    expectNoRussian(html, inboxTexts, paymentTexts);
    expect(html).not.toContain("ожидает проверки оплаты");
  });

  test("the source is a human label, never the raw value; a tag shows as written; phones are formatted", async () => {
    const { html } = await get(s, "/crm/schools/applications");
    expect(html).toContain("<td>Белгісіз (бот)</td>");
    expect(html).toContain("<td>instagram</td>");
    expect(html).not.toContain("<td>bot</td>");
    expect(html).toContain("+7 701 234 56 01");
    expect(html).not.toContain(">+77012345601<");
    // The same in Russian.
    const ru = (await get(s, "/crm/schools/applications", {})).html;
    expect(ru).toContain("<td>Без метки (бот)</td>");
    expect(ru).not.toContain("<td>bot</td>");
    expect(ru).toContain("+7 701 234 56 01");
  });

  test("a stale status change answers in Kazakh", async () => {
    const res = await s.request(`/crm/schools/applications/${appId}/status`, { form: { from: "new", to: "contacted", view: "row" }, htmx: true, headers: KK });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("Мәртебесі өзгеріп қойған: қазір «Расталды»");
    expectNoRussian(html, inboxTexts);
  });
});

describe("an application's page in Kazakh", () => {
  test("facts, status buttons, reply and note forms, payment block and thread in Kazakh", async () => {
    const { status, html } = await get(s, `/crm/schools/applications/${appId}`);
    expect(status).toBe(200);
    expect(html).toContain("<h1>№ ");
    expect(html).toContain("Барлық өтінімдер");
    expect(html).toContain("<dt>Қайдан келді</dt><dd>Белгісіз (бот)</dd>");
    expect(html).toContain(">+7 701 234 56 01</a>");
    expect(html).toContain('href="tel:+77012345601"');
    // The status panel and its buttons.
    expect(html).toContain("<span>Мәртебесі:</span>");
    expect(html).toMatch(/data-to="paid">Төленді<\/button>/);
    expect(html).toContain(">Қабылдамау</button>");
    // Reply and note.
    expect(html).toContain("<h2>Оқушыға жауап беру</h2>");
    expect(html).toContain("— үлгісіз —");
    expect(html).toContain(">Жіберу</button>");
    expect(html).toContain("<h2>Ескертпе</h2>");
    // The payment block: the claim, its amount, confirm and dispute.
    expect(html).toContain("<h2>Төлем</h2>");
    expect(html).toContain("Төлем тексеруді күтуде");
    expect(html).toContain(">Төлемді растау</button>");
    expect(html).toContain(">Дау айту</button>");
    expect(html).toContain("чексіз");
    // The thread.
    expect(html).toContain("Өтінім құрылды");
    expect(html).toContain("Оқушы 150\u202f000 ₸ төлегенін хабарлады (чексіз)");
    expectNoRussian(html, applicationTexts, paymentTexts, threadTexts, inboxTexts);
  });

  test("a refused reply, a refused note and a refused dispute say why in Kazakh", async () => {
    const reply = await s.request(`/crm/schools/applications/${appId}/reply`, { form: { text: "  " }, htmx: true, headers: KK });
    expect(reply.status).toBe(422);
    expect(await reply.text()).toContain("Хабарлама жазыңыз немесе үлгі таңдаңыз.");
    const note = await s.request(`/crm/schools/applications/${appId}/notes`, { form: { text: "" }, htmx: true, headers: KK });
    expect(note.status).toBe(422);
    expect(await note.text()).toContain("Ескертпе мәтінін жазыңыз.");
    const dispute = await s.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: " " }, htmx: true, headers: KK });
    expect(dispute.status).toBe(422);
    const html = await dispute.text();
    expect(html).toContain("Себебін жазыңыз: оқушы оны ботта алады.");
    expectNoRussian(html, paymentTexts);
  });

  test("a reply sent says so in Kazakh; another school's application is not found, in Kazakh", async () => {
    const sent = await s.request(`/crm/schools/applications/${appId}/reply`, { form: { text: "Сәлеметсіз бе!" }, htmx: true, headers: KK });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("Хабарлама ботқа жіберілді.");
    const missing = await s.request("/crm/schools/applications/999999/row", { htmx: true, headers: KK });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Өтінім табылмады.");
  });
});

describe("reviews in Kazakh", () => {
  test("the page and its empty state in Kazakh", async () => {
    const { status, html } = await get(s, "/crm/schools/reviews");
    expect(status).toBe(200);
    expect(html).toContain("<h1>Пікірлер</h1>");
    expect(html).toContain("Әзірге пікір жоқ.");
    expectNoRussian(html, reviewTexts);
  });
});

describe("statistics in Kazakh", () => {
  test("the school's page: figures, charts (status labels included) and the trust index in Kazakh", async () => {
    const { status, html } = await get(s, "/crm/schools/stats");
    expect(status).toBe(200);
    expect(html).toContain("<h2>Мәртебелер бойынша</h2>");
    expect(html).toContain('<span class="chart-label">Расталды</span>');
    expect(html).toContain('<span class="chart-label">Оқушы бас тартты</span>');
    expect(html).toContain("<h2>Воронка</h2>");
    expect(html).toContain("Сенім индексі:");
    expect(html).toContain("<td>Белгісіз (бот)</td>");
    expectNoRussian(html, statsTexts);
  });

  test("a bad date is refused in Kazakh", async () => {
    const { status, html } = await get(s, "/crm/schools/stats?from=2025-13-40");
    expect(status).toBe(422);
    expect(html).toContain("Күні қате: ЖЖЖЖ-АА-КК пішімінде жазыңыз.");
  });

  test("an instructor who chose Kazakh on the account gets it without asking the browser", async () => {
    const stats = await get(si, "/crm/instructors/stats", {});
    expect(stats.status).toBe(200);
    expect(stats.html).toContain("Өткізілген сабақтар");
    expect(stats.html).toContain('<span class="chart-label">Нұсқаушы келмеді</span>');
    expectNoRussian(stats.html, statsTexts);
    const inbox = await get(si, "/crm/instructors/applications", {});
    expect(inbox.html).toMatch(/data-to="accepted">Қабылдау<\/button>/);
    expect(inbox.html).toContain("Таңертең");
    expect(inbox.html).not.toContain("morning");
    expectNoRussian(inbox.html, inboxTexts);
  });
});

describe("a refusal speaks the request's language", () => {
  // The CRM throws the one error dictionary's pair (errors.ts said()), not a copy fixed to one language.
  test("a missing application: 404 in Kazakh for a Kazakh reader, in Russian otherwise", async () => {
    const kk = await get(s, "/crm/schools/applications/999999");
    expect(kk.status).toBe(404);
    expect(kk.html).toContain("Өтінім табылмады.");
    expect(kk.html).not.toContain("Заявка не найдена.");
    const ru = await get(s, "/crm/schools/applications/999999", {});
    expect(ru.status).toBe(404);
    expect(ru.html).toContain("Заявка не найдена.");
  });
});
