// An independent instructor on a phone (390 × 844) sets their lesson rules in a real browser: the
// menu leads to the page, a bad value shows its message next to the field without a reload, a
// good one is saved in place; nothing is wider than the screen.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { instructors } from "../../src/db/schema.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { launchChromium, logInToCrm, openMenu } from "../support/browser.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

let server: Running;
let browser: Browser;
let login: string;
let instructorId: number;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const instructor = await fx.createInstructor(db, { name: "Айгерим Нурланова" });
  instructorId = instructor.id;
  login = (await fx.createStaff(db, { instructorId })).login;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("the lesson rules are set at phone width, with the message in place on a bad value", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "instructors", login, fx.PASSWORD);
  await openMenu(page); // folded on a phone
  await Promise.all([page.waitForURL(`${base}/crm/instructors/lesson-rules`), page.click('a[href="/crm/instructors/lesson-rules"]')]);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // The second reminder later than the first: refused, the message beside the field.
  await page.fill('input[name="reminderSecondHours"]', "30");
  await page.click('#lesson-rules button[type="submit"]');
  await page.waitForSelector("#lesson-rules .field.invalid");
  expect(await page.locator("#lesson-rules .field.invalid .error").textContent()).toBe("Второе напоминание должно быть ближе к занятию, чем первое.");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/lesson-rules-error.png", fullPage: true });

  await page.fill('input[name="reminderSecondHours"]', "3");
  await page.fill('input[name="meetingPoint"]', "ТЦ «Мега», парковка у входа 2");
  await page.check('input[name="answerAlerts"]');
  await page.click('#lesson-rules button[type="submit"]');
  await page.waitForSelector('#lesson-rules p.ok[role="status"]');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // no reload
  const [row] = await server.database.db.select().from(instructors).where(eq(instructors.id, instructorId));
  expect([row!.reminderFirstHours, row!.reminderSecondHours, row!.meetingPoint]).toEqual([24, 3, "ТЦ «Мега», парковка у входа 2"]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/lesson-rules-saved.png", fullPage: true });
});
