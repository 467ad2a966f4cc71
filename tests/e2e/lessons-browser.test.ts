// The lesson from booking to the week view, in a real browser at phone width (390 × 844): a
// student books a slot through the bot (the fake Bot API), the instructor accepts the application
// in the CRM with a click, and finds the lesson in the week view at the booked time without typing
// it; nothing on the page is wider than the screen. The screenshot is kept in test-results/.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { applications, lessons, students } from "../../src/db/schema.ts";
import { formatTime } from "../../src/i18n/format.ts";
import { capitalized, dayLong } from "../../views/format.ts";
import { localDay } from "../../src/model/time.ts";
import { localWeek } from "../../src/model/week.ts";
import { appOver, type TestApp } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { launchChromium, logInToCrm, openMenu } from "../support/browser.ts";
import * as fx from "../support/fixtures.ts";
import { bookFirstFreeTime, student } from "../support/student.ts";

setDefaultTimeout(90_000);

let h: BotHarness;
let web: TestApp;
let server: ReturnType<typeof Bun.serve>;
let browser: Browser;

beforeAll(async () => {
  h = await startBotHarness();
  web = appOver(h.database);
  // The CRM over the bot's database, on a real port for the browser.
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request, srv) => web.app.handle(request) ?? srv });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.stop(true);
  await h?.dispose();
});

const db = () => h.database.db;

/** The first free time of the demo instructor, booked in Russian. */
async function bookThroughTheBot(id: number) {
  const s = student(h.tg, { id, first_name: "Айжан", language_code: "ru" });
  await bookFirstFreeTime(s);
  const [me] = await db().select().from(students).where(eq(students.telegramId, id));
  const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
  expect(app?.slotId).not.toBeNull();
  return app!;
}

test("a booked slot, accepted in the CRM, is in the week view at its time, at phone width", async () => {
  const app = await bookThroughTheBot(5201);
  const staff = await fx.createStaff(db(), { instructorId: app.instructorId! });
  const base = `http://127.0.0.1:${server.port}`;
  const zone = web.config.timeZone;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "instructors", staff.login, fx.PASSWORD);

  await page.goto(`${base}/crm/instructors/applications/${app.id}`);
  await page.locator('#status-panel button[data-to="accepted"]').click();
  await page.waitForSelector('#status-panel[data-status="accepted"]');
  const [lesson] = await db().select().from(lessons).where(eq(lessons.applicationId, app.id));
  expect(lesson).toMatchObject({ state: "planned", slotId: app.slotId });

  // The menu leads to the week; the booked day may be next week (a booking on a Sunday).
  await openMenu(page); // folded on a phone
  await page.click('nav a[href="/crm/instructors/week"]');
  await page.waitForSelector("#week");
  // The new menu item does not make the menu wrap onto another line at this width.
  const navHeight = () => page.evaluate(() => document.querySelector("nav.crm-nav")!.getBoundingClientRect().height);
  const withWeek = await navHeight();
  await page.evaluate(() => ((document.querySelector('nav.crm-nav a[href$="/week"]') as HTMLElement).style.display = "none"));
  // (A line is ~40 px; the active item's underline alone is 2 px.)
  expect(Math.abs((await navHeight()) - withWeek)).toBeLessThan(10);
  await page.reload();
  if (!localWeek(zone, new Date()).days.includes(localDay(zone, lesson!.startsAt))) {
    await page.click('.week-nav a[rel="next"]');
    await page.waitForSelector(`#week[data-start="${localWeek(zone, lesson!.startsAt).days[0]}"]`);
  }
  const card = page.locator(`#lesson-${lesson!.id}`);
  await card.waitFor();
  const end = new Date(lesson!.startsAt.getTime() + lesson!.minutes * 60_000);
  expect(await card.locator(".when").textContent()).toBe(`${formatTime(lesson!.startsAt, zone)}–${formatTime(end, zone)}`);
  const text = (await card.textContent()) ?? "";
  expect(text).toContain("Запланировано");
  expect(text).toContain(`№ ${app.publicNumber}`);
  // Under the right day's heading.
  const dayItem = page.locator(`li.week-day[data-day="${localDay(zone, lesson!.startsAt)}"]`);
  expect(await dayItem.locator("h2").textContent()).toContain(capitalized(dayLong(lesson!.startsAt, zone, "ru")));
  expect(await dayItem.locator(`#lesson-${lesson!.id}`).count()).toBe(1);

  // The move form opens in place and fits the screen.
  await card.locator("details.move summary").click();
  await card.locator('input[name="time"]').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/lessons-week.png", fullPage: true });

  // The application's link from the card leads back to it, where the lesson is listed.
  await card.locator("a.app-link").click();
  await page.waitForSelector(`#app-lesson-${lesson!.id}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // Its history says the lesson was planned from the booking, as a system line.
  expect(await page.locator('#thread li[data-type="lesson"]').first().textContent()).toContain("(время из записи)");
  await page.screenshot({ path: "test-results/lessons-application.png", fullPage: true });
});
