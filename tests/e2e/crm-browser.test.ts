// A real browser (Debian's Chromium via playwright-core) against the running server: a school
// logs in, changes a status with a click and sees the row update in place, without a reload.
// The screenshot is kept in test-results/ (gitignored).
import { launchChromium, logInToCrm } from "../support/browser.ts";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

let server: Running;
let browser: Browser;
let login: string;
let appId: number;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «Браузер»" });
  const staff = await fx.createStaff(db, { schoolId: school.id });
  login = staff.login;
  appId = (await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { studentName: "<script>alert(1)</script>" })).id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("a school logs in and changes a status with a click, without a reload", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  await logInToCrm(page, base, "schools", login, fx.PASSWORD);

  const row = page.locator(`#app-${appId}`);
  await expect(row.getAttribute("data-status")).resolves.toBe("new");
  // The name is shown as text, not run.
  await expect(row.locator("td").nth(2).textContent()).resolves.toBe("<script>alert(1)</script>");
  // A marker on window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await row.locator('button[data-to="contacted"]').click();
  await page.waitForSelector(`#app-${appId}[data-status="contacted"]`);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await page.locator(`#app-${appId} .badge`).textContent()).toBe("Связались");
  expect(dialogs).toEqual([]);

  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/crm-status-change.png", fullPage: true });
  const [stored] = await server.database.db.execute(
    // Both drivers: read the status back through the domain's table.
    (await import("drizzle-orm")).sql`select status from applications where id = ${appId}`,
  ).then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { status: string }[] }).rows) as { status: string }[]);
  expect(stored!.status).toBe("contacted");
});

// Issue 15, iCal part: the instructor's "Календарь в телефоне" card on a phone (390 px).
test("an instructor creates and turns off the calendar feed on the profile, at phone width", async () => {
  const base = `http://localhost:${server.port}`;
  const db = server.database.db;
  const instructor = await fx.createInstructor(db, { name: "Ерлан Сапаров" });
  const staff = await fx.createStaff(db, { instructorId: instructor.id });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.accept()));
  await logInToCrm(page, base, "instructors", staff.login, fx.PASSWORD);
  await page.goto(`${base}/crm/instructors/profile`);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.locator('#calendar-feed button[data-feed="create"]').click();
  const input = page.locator('#calendar-feed input[data-feed="url"]');
  await input.waitFor();
  const url = await input.inputValue();
  expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  expect(await input.getAttribute("readonly")).not.toBeNull();
  // Swapped in place (no reload), and nothing is wider than the phone's screen.
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await page.locator("#calendar-feed").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/crm-calendar-feed.png", fullPage: true });
  const feed = await fetch(`${base}${new URL(url).pathname}`);
  expect(feed.status).toBe(200);
  expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");

  await page.locator('#calendar-feed button[data-feed="revoke"]').click();
  await page.locator("#calendar-feed .ok").filter({ hasText: "Календарь отключён" }).waitFor();
  expect(dialogs).toEqual(["Ссылка перестанет работать. Отключить календарь?"]);
  expect((await fetch(`${base}${new URL(url).pathname}`)).status).toBe(404);
});
