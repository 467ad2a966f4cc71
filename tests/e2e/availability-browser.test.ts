// An instructor on a phone (390 × 844) cancels a booked slot in a real browser: the row opens a
// reason field in place, the reason is required, and the cancelled row is swapped in without a
// reload; a day off is given back ("Вернуть день") and its slots appear in the list, without a
// reload; nothing on the schedule is wider than the screen.
import { launchChromium, logInToCrm } from "../support/browser.ts";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { applications, instructorSlots } from "../../src/db/schema.ts";
import { setWeeklyTemplate } from "../../src/domain/availability.ts";
import { blockDay } from "../../src/domain/slot-cancel.ts";
import { addDays, isoDay, localDate, weekdayOf } from "../../src/model/time.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

const ZONE = testConfig().timeZone;
let server: Running;
let browser: Browser;
let login: string;
let slotId: number;
let appId: number;
/** A local day three days ahead, taken off before the page is opened. */
let dayOff: string;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const instructor = await fx.createInstructor(db, { name: "Айгерим Нурланова" });
  login = (await fx.createStaff(db, { instructorId: instructor.id })).login;
  const [slot] = await db.insert(instructorSlots).values({ instructorId: instructor.id, startsAt: new Date(Date.now() + 2 * 86_400_000), minutes: 90 }).returning();
  slotId = slot!.id;
  appId = (await fx.createApplication(db, { instructorId: instructor.id, cityId: instructor.cityId, slotId }, { studentName: "Дана Ким" })).id;
  const date = addDays(localDate(ZONE, new Date()), 3);
  dayOff = isoDay(date);
  await setWeeklyTemplate(db, instructor.id, [{ weekday: weekdayOf(date), startMinute: 9 * 60, endMinute: 12 * 60, lessonMinutes: 90 }]);
  await blockDay(db, { instructorId: instructor.id, accountId: null }, dayOff, { timeZone: ZONE });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("a booked slot is cancelled with a reason, in place, at phone width", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "instructors", login, fx.PASSWORD);
  await page.goto(`${base}/crm/instructors/availability`);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  const row = page.locator(`#slot-${slotId}`);
  await expect(row.getAttribute("data-state")).resolves.toBe("booked");
  await row.getByText("Отменить запись…").click();
  await page.waitForSelector(`#slot-${slotId} textarea[name="reason"]`);
  // The reason is required: the browser does not send the form without one.
  await page.locator(`#slot-${slotId} button[type="submit"]`).click();
  expect(await page.locator(`#slot-${slotId}`).getAttribute("data-state")).toBe("booked");
  await page.fill(`#slot-${slotId} textarea[name="reason"]`, "Машина в ремонте");
  const slots = page.locator("#slots");
  expect(await slots.evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/availability-cancel-booking.png", fullPage: true });

  await page.locator(`#slot-${slotId} button[type="submit"]`).click();
  await page.waitForSelector(`#slot-${slotId}[data-state="cancelled"]`);
  expect(await page.locator(`#slot-${slotId}`).textContent()).toContain("отменена, ученик получил причину");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const [app] = await server.database.db.select().from(applications).where(eq(applications.id, appId));
  expect(app!.slotId).toBeNull();
});

test("a day off is given back in place, at phone width", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "instructors", login, fx.PASSWORD);
  await page.goto(`${base}/crm/instructors/availability`);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  const off = page.locator(`.slot-day[data-day="${dayOff}"]`);
  expect(await off.getAttribute("data-off")).toBe("true");
  expect(await off.textContent()).toContain("выходной");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await off.getByRole("button", { name: "Вернуть день" }).click();
  await page.waitForSelector(`.slot-day[data-day="${dayOff}"]:not([data-off]) tr[data-state="open"]`);
  expect(await page.locator(`.slot-day[data-day="${dayOff}"] tr[data-state="open"]`).count()).toBe(2);
  expect(await page.locator("#slots").textContent()).toContain("День возвращён, новых окон: 2.");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/availability-day-back.png", fullPage: true });
});
