// Issue 17, "Done when": every CRM (school, instructor) and admin page on a 390 × 844 phone, in a
// real browser (Debian's Chromium via playwright-core), in Russian and in Kazakh (the account's
// language). Each page must fit the screen (no sideways scroll of the page); on the inbox and the
// application page the primary actions lie within the screen's width. On the Kazakh pages no text
// may be left that only the Russian side of a bilingual() dictionary holds.
// The data is written with long names, URLs and phones, and in words that are in no dictionary, so a
// Russian dictionary string on a Kazakh page can only come from the page itself.
// Screenshots of the failing pages are kept in test-results/ (gitignored).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { accounts, instructors, schoolOffers, type Language } from "../../src/db/schema.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import { addSlot } from "../../src/domain/availability.ts";
import { planLesson } from "../../src/domain/lessons.ts";
import { claimPayment } from "../../src/domain/payments.ts";
import { saveTemplate } from "../../src/domain/templates.ts";
import { postStudentMessage } from "../../src/domain/thread.ts";
import { registeredDictionaries } from "../../src/i18n/bilingual.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { launchChromium, openMenu } from "../support/browser.ts";
import * as fx from "../support/fixtures.ts";
import { reviewOf } from "../support/reviews.ts";

// A busy 2-core machine, ~30 pages per run, six runs.
setDefaultTimeout(900_000);

const WIDTH = 390;
const HEIGHT = 844;
const LONG_NAME = "Айгерім Нұрсұлтанқызы Әбдірахманова-Жақсылықова-Төлеубайқызы";
const ONE_WORD = "Жүргізушілікке_дайындалушылардыңбіріншісіжәнеең_ұзынаты";
const LONG_URL = "https://example.kz/very/long/path/that/never/breaks/on/its/own/3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

let server: Running;
let browser: Browser;
const ids = { school: 0, instructor: 0, schoolApp: 0, instructorApp: 0, acceptedApp: 0, student: 0, offer: 0, schoolInstructor: 0, city: 0 };
const logins = { school: "phone.school", instructor: "phone.instructor", admin: "phone.admin" };

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0", TELEGRAM_BOT_USERNAME: "avtomat_phone_bot" }));
  const db = server.database.db;
  const base = `http://localhost:${server.port}`;
  const city = await fx.createCity(db, "Түркістан");
  ids.city = city.id;

  // The school: a long name and description, an offer, an instructor of its own with a lesson.
  const school = await fx.createSchool(db, { cityId: city.id, name: `«Жолсерік» ${ONE_WORD}` });
  ids.school = school.id;
  await db.execute(sql`update schools set address = ${"Тәуке хан даңғылы, 1234-үй, " + ONE_WORD}, description = ${ONE_WORD + " " + LONG_URL} where id = ${school.id}`);
  const [offer] = await db.insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "in_person", kind: "full_course", priceKzt: 180_000, durationWeeks: 10 }).returning();
  ids.offer = offer!.id;
  const own = await fx.createInstructor(db, { cityId: city.id, name: `Ерлан ${ONE_WORD}` });
  await db.update(instructors).set({ schoolId: school.id }).where(eq(instructors.id, own.id));
  ids.schoolInstructor = own.id;
  const staff = await fx.createStaff(db, { schoolId: school.id }, logins.school);

  const statuses = ["new", "contacted", "confirmed", "paid", "studying", "rejected"] as const;
  for (const status of statuses) await fx.createApplication(db, { schoolId: school.id, cityId: city.id }, { studentName: `${LONG_NAME} ${status}`, status, phone: "+77015550123" });
  const main = await fx.createApplication(db, { schoolId: school.id, cityId: city.id }, { studentName: LONG_NAME + ONE_WORD, status: "confirmed" });
  ids.schoolApp = main.id;
  ids.student = main.studentId;
  await db.transaction((tx) => postStudentMessage(tx, main.studentId, main.id, { text: `${ONE_WORD} ${LONG_URL}` }, (id) => `reply:${id}`));
  await db.transaction((tx) => claimPayment(tx, main.studentId, main.id, { amountKzt: 180_000, receipt: null }, { publicUrl: base }));
  await reviewOf(db, { schoolId: school.id, cityId: city.id }, { rating: 4, comment: `${ONE_WORD} ${LONG_URL}`, showName: true, firstName: "Асылжан" });
  await saveTemplate(db, { kind: "school", schoolId: school.id, accountId: staff.id }, null, { title: ONE_WORD, body: `${ONE_WORD} ${LONG_URL}`, bodyKk: ONE_WORD });

  // The independent instructor: slots, a booked one, an accepted application with a lesson, a review.
  const instructor = await fx.createInstructor(db, { cityId: city.id, name: `Дәурен ${ONE_WORD}` });
  ids.instructor = instructor.id;
  await fx.createStaff(db, { instructorId: instructor.id }, logins.instructor);
  const now = new Date();
  const actor = { instructorId: instructor.id, accountId: null };
  const tomorrow = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000 + 24 * 3_600_000);
  const slots = [];
  for (let h = 0; h < 4; h++) slots.push(await addSlot(db, actor, new Date(tomorrow.getTime() + h * 2 * 3_600_000), 90, now));
  const booked = await fx.createApplication(db, { instructorId: instructor.id, cityId: city.id, slotId: slots[0]!.id }, { studentName: LONG_NAME + ONE_WORD, status: "new" });
  ids.instructorApp = booked.id;
  await db.transaction((tx) => postStudentMessage(tx, booked.studentId, booked.id, { text: `${ONE_WORD} ${LONG_URL}` }, (id) => `reply:${id}`));
  const accepted = await fx.createApplication(db, { instructorId: instructor.id, cityId: city.id }, { studentName: LONG_NAME + ONE_WORD, status: "accepted" });
  ids.acceptedApp = accepted.id;
  await planLesson(db, instructor.id, accepted.id, new Date(tomorrow.getTime() + 12 * 3_600_000), 90, { now, place: `${ONE_WORD} ${LONG_URL}` });
  await planLesson(db, own.id, (await fx.createApplication(db, { instructorId: own.id, cityId: city.id }, { studentName: LONG_NAME, status: "accepted" })).id, tomorrow, 60, { now });
  await db.transaction((tx) => postStudentMessage(tx, accepted.studentId, accepted.id, { text: `${ONE_WORD} ${LONG_URL}` }, (id) => `reply:${id}`));
  await reviewOf(db, { instructorId: instructor.id, cityId: city.id }, { rating: 2, comment: ONE_WORD.repeat(3), showName: false });

  await createAccount(db, { login: logins.admin, password: fx.PASSWORD, role: "admin", displayName: `Әкімші ${ONE_WORD}` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Role {
  name: "school" | "instructor" | "admin";
  login: () => string;
  /** Where the login form is and where it leads. */
  loginPath: string;
  home: string;
  pages: () => Record<string, string>;
}

/** A CRM area's pages (its menu's, the share card and its print sheet) and its application pages. */
const crmPages = (area: "schools" | "instructors", own: string[], apps: () => Record<string, number>) => () => {
  const pages: Record<string, string> = {};
  for (const p of ["applications", ...own, "templates", "auto-replies", "profile", "lesson-rules", "reviews", "telegram", "share", "share/print"]) pages[p] = `/crm/${area}/${p}`;
  for (const [name, id] of Object.entries(apps())) pages[name] = `/crm/${area}/applications/${id}`;
  return pages;
};

const ROLES: Role[] = [
  { name: "school", login: () => logins.school, loginPath: "/crm/schools/login/", home: "/crm/schools/applications", pages: crmPages("schools", ["stats", "week"], () => ({ application: ids.schoolApp })) },
  {
    name: "instructor",
    login: () => logins.instructor,
    loginPath: "/crm/instructors/login/",
    home: "/crm/instructors/applications",
    pages: crmPages("instructors", ["stats", "availability", "lessons", "week"], () => ({ application: ids.instructorApp, "accepted application": ids.acceptedApp })),
  },
  {
    name: "admin",
    login: () => logins.admin,
    loginPath: "/admin/",
    home: "/admin/",
    pages: () => ({
      dashboard: "/admin/",
      applications: "/admin/applications",
      application: `/admin/applications/${ids.schoolApp}`,
      "instructor's application": `/admin/applications/${ids.acceptedApp}`,
      students: "/admin/students",
      student: `/admin/students/${ids.student}`,
      schools: "/admin/schools",
      "new school": "/admin/schools/new",
      school: `/admin/schools/${ids.school}`,
      offer: `/admin/schools/${ids.school}/offers/${ids.offer}`,
      instructors: "/admin/instructors",
      "new instructor": "/admin/instructors/new",
      instructor: `/admin/instructors/${ids.instructor}`,
      "school's instructor": `/admin/instructors/${ids.schoolInstructor}`,
      cities: "/admin/cities",
      city: `/admin/cities/${ids.city}`,
      accounts: "/admin/accounts",
      reviews: "/admin/reviews",
      audit: "/admin/audit",
    }),
  },
];

/**
 * The Russian-only texts of every bilingual() dictionary: each string whose Russian differs from
 * the Kazakh at the same place, unless the Kazakh side uses the same words somewhere (a loan word).
 * Too short or Cyrillic-free strings ("мин", "Telegram") would match innocent text, so they are left out.
 */
function russianOnlyTexts(): string[] {
  const ru = new Set<string>();
  const kk = new Set<string>();
  const walk = (r: unknown, k: unknown) => {
    if (typeof r === "string") {
      const a = normalize(r);
      const b = typeof k === "string" ? normalize(k) : "";
      if (b) kk.add(b);
      if (a !== b) ru.add(a);
      return;
    }
    if (typeof k === "string") kk.add(normalize(k));
    if (r && typeof r === "object") for (const key of Object.keys(r)) walk((r as Record<string, unknown>)[key], k && typeof k === "object" ? (k as Record<string, unknown>)[key] : undefined);
    // Kazakh keys the Russian side lacks (records of labels) still count as Kazakh words.
    if (k && typeof k === "object") for (const key of Object.keys(k)) if (!r || typeof r !== "object" || !(key in r)) walk(undefined, (k as Record<string, unknown>)[key]);
  };
  for (const d of registeredDictionaries()) walk(d.ru, d.kk);
  return [...ru].filter((s) => !kk.has(s) && s.length >= 5 && /[а-яё]/i.test(s)).sort((a, b) => b.length - a.length);
}

/** One spelling of spaces (the pages use no-break and narrow no-break spaces in numbers and dates). */
function normalize(s: string): string {
  return s.replace(/[\s\u00a0\u202f]+/g, " ").trim();
}

async function logIn(page: Page, base: string, role: Role) {
  await page.goto(base + role.loginPath);
  await page.fill('input[name="login"]', role.login());
  await page.fill('input[name="password"]', fx.PASSWORD);
  await Promise.all([page.waitForURL(base + role.home), page.click('button[type="submit"]')]);
}

/** An element's horizontal extent, or why it is not there. */
async function horizontally(page: Page, selector: string): Promise<string | null> {
  const found = page.locator(selector);
  if ((await found.count()) === 0) return `${selector}: not on the page`;
  const box = await found.first().boundingBox();
  if (!box) return `${selector}: not on the page`;
  return box.x >= 0 && box.x + box.width <= WIDTH ? null : `${selector}: ${Math.round(box.x)}..${Math.round(box.x + box.width)}`;
}

/** The elements sticking out past the screen's edge whose children do not: where a too wide page comes from. */
function widest(page: Page): Promise<string> {
  return page.evaluate((width) => {
    const out = (e: Element) => e.getBoundingClientRect().right > width + 0.5;
    const name = (e: Element) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "") + Array.from(e.classList).map((c) => `.${c}`).join("");
    const culprits = Array.from(document.body.querySelectorAll("*")).filter((e) => out(e) && !Array.from(e.children).some(out));
    return culprits
      .slice(0, 4)
      .map((e) => `${e.parentElement ? name(e.parentElement) + " > " : ""}${name(e)} "${(e.textContent ?? "").trim().slice(0, 30)}"`)
      .join("; ");
  }, WIDTH);
}

/** The primary actions a thumb must reach without scrolling sideways (inbox and application page). */
async function primaryActions(page: Page, name: string, role: Role): Promise<string[]> {
  const checks: string[] = [];
  if (role.name !== "admin" && name === "applications") checks.push("#inbox tbody tr[id^='app-'] a", "#inbox tbody tr[id^='app-'] .actions button");
  if (role.name !== "admin" && name === "application") checks.push("#status-panel button", "#reply-form textarea", "#reply-form button[type='submit']");
  const problems: string[] = [];
  for (const selector of checks) {
    const problem = await horizontally(page, selector);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * The text a reader of the page gets to: its title, what the page shows at desktop width (where no
 * phone fold hides table headers or filters) with every <details> opened, and the texts of its
 * attributes a person sees (placeholders, tooltips, image texts) or hears (aria-label); not what is
 * marked as written in the other language (the preview of a Russian student's message). It is read
 * last: the marked parts are removed from the page.
 */
/** `text` holds `phrase` as whole words: "Автор" is not in the Kazakh "Авторы" (its author). */
function containsWhole(text: string, phrase: string): boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").test(text);
}

async function readableText(page: Page): Promise<string> {
  await page.setViewportSize({ width: 1280, height: HEIGHT });
  try {
    return await page.evaluate(() => {
      document.querySelectorAll("details").forEach((d) => (d.open = true));
      // What a student of the other language will read (a preview marked with its lang) is meant to
      // be in it; <code> holds what is typed as is, in both languages (the placeholders "{номер}").
      document.querySelectorAll("body [lang], code").forEach((e) => {
        if (e.tagName === "CODE" || (e as HTMLElement).lang !== document.documentElement.lang) e.remove();
      });
      const attributes = Array.from(document.querySelectorAll("[placeholder], [title], [aria-label], [alt]")).flatMap((e) =>
        ["placeholder", "title", "aria-label", "alt"].map((a) => e.getAttribute(a) ?? ""),
      );
      return [document.title, document.body.innerText, ...attributes].join("\n");
    });
  } finally {
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  }
}

async function visitAll(role: Role, language: Language) {
  const db = server.database.db;
  await db.update(accounts).set({ language }).where(eq(accounts.login, role.login()));
  const base = `http://localhost:${server.port}`;
  const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT } });
  const page = await context.newPage();
  const russian = language === "kk" ? russianOnlyTexts() : [];
  // Every staff screen's dictionary is loaded with the server: an empty list would pass vacuously.
  if (language === "kk") expect(russian.length).toBeGreaterThan(20);
  const tooWide: string[] = [];
  const outOfReach: string[] = [];
  const russianLeft: Record<string, string[]> = {};
  mkdirSync("test-results", { recursive: true });
  try {
    await logIn(page, base, role);
    for (const [name, path] of Object.entries(role.pages())) {
      const res = await page.goto(base + path);
      if (!res || res.status() !== 200) {
        tooWide.push(`${name} (${path}): HTTP ${res?.status()}`);
        continue;
      }
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > WIDTH) {
        tooWide.push(`${name} (${path}): ${width} px, ${await widest(page)}`);
        await page.screenshot({ path: `test-results/phone-${role.name}-${language}-${name.replace(/\W+/g, "-")}.png`, fullPage: true });
      }
      for (const p of await primaryActions(page, name, role)) outOfReach.push(`${name}: ${p}`);
      if (language === "kk") {
        const text = normalize(await readableText(page));
        const left = russian.filter((s) => containsWhole(text, s));
        if (left.length) russianLeft[`${name} (${path})`] = left;
      }
    }
    // The menu opens on a phone and leads somewhere.
    await page.goto(base + role.home);
    await page.screenshot({ path: `test-results/phone-${role.name}-${language}-home.png` });
    // The inbox's filters are folded on a phone; the bar's switch shows them.
    if (role.name !== "admin") {
      const filters = page.locator("form.filters").first();
      if (await filters.isVisible()) outOfReach.push("the inbox's filters are not folded");
      await page.click("label.filters-switch-label");
      if (!(await filters.isVisible())) outOfReach.push("the filters switch does not show the filters");
      await page.click("label.filters-switch-label");
    }
    await openMenu(page);
    await page.screenshot({ path: `test-results/phone-${role.name}-${language}-menu.png` });
    if (!(await page.locator("nav.crm-nav a").last().isVisible())) outOfReach.push("the menu's last item, with the menu open");
    const opened = await page.evaluate(() => document.documentElement.scrollWidth);
    if (opened > WIDTH) tooWide.push(`${role.home} with the menu open: ${opened} px`);
  } finally {
    await context.close();
  }
  return { tooWide, outOfReach, russianLeft };
}

for (const language of ["ru", "kk"] as const) {
  for (const role of ROLES) {
    test(`${role.name}, ${language}, 390 px: every page fits the width, the primary actions are in reach${language === "kk" ? ", no Russian-only text" : ""}`, async () => {
      const found = await visitAll(role, language);
      if (Object.keys(found.russianLeft).length) console.log(`${role.name} (kk): Russian-only dictionary texts left:\n` + JSON.stringify(found.russianLeft, null, 1));
      expect(found).toEqual({ tooWide: [], outOfReach: [], russianLeft: {} });
    });
  }
}
