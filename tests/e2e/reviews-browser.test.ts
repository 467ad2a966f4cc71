// A school on a phone (390 × 844) reads its reviews in a real browser: the menu leads to the page,
// a long unbroken comment wraps, an empty answer shows its message in place, a good one replaces
// the form with the answer without a reload; nothing is wider than the screen.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { reviews } from "../../src/db/schema.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { launchChromium, logInToCrm, openMenu } from "../support/browser.ts";
import * as fx from "../support/fixtures.ts";
import { reviewOf } from "../support/reviews.ts";

setDefaultTimeout(60_000);

let server: Running;
let browser: Browser;
let login: string;
let reviewId: number;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «Жол»" });
  login = (await fx.createStaff(db, { schoolId: school.id })).login;
  reviewId = (await reviewOf(db, { schoolId: school.id, cityId: school.cityId }, { rating: 4, comment: `Отлично${"о".repeat(300)}! Рекомендую всем.`, showName: true, firstName: "Асель" })).review.id;
  await reviewOf(db, { schoolId: school.id, cityId: school.cityId }, { rating: 3, comment: "" });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("the reviews page at phone width, answering in place", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "schools", login, fx.PASSWORD);
  await openMenu(page); // folded on a phone
  await Promise.all([page.waitForURL(`${base}/crm/schools/reviews`), page.click('a[href="/crm/schools/reviews"]')]);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  expect(await page.locator(`#review-${reviewId} .author`).textContent()).toBe("Асель");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const item = `#review-${reviewId}`;
  await page.click(`${item} button[type="submit"]`);
  await page.waitForSelector(`${item} .field.invalid`);
  expect(await page.locator(`${item} .field.invalid .error`).textContent()).toBe("Напишите ответ.");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.fill(`${item} textarea[name="reply"]`, "Спасибо, Асель! Ждём вас на курсе вождения зимой.");
  await page.click(`${item} button[type="submit"]`);
  await page.waitForSelector(`${item} .reply`);
  expect(await page.locator(`${item} form`).count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // no reload
  const [row] = await server.database.db.select().from(reviews).where(eq(reviews.id, reviewId));
  expect(row!.reply).toBe("Спасибо, Асель! Ждём вас на курсе вождения зимой.");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/reviews-answered.png", fullPage: true });
});
