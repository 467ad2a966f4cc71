// A school manager on a phone (390 × 844) writes an automatic message in a real browser: the page
// has no horizontal scroll, the preview follows the typing in both languages (htmx, nothing
// saved until "Сохранить"), a bad placeholder is shown next to the field, and saving keeps it.
import { launchChromium, openMenu } from "../support/browser.ts";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { and, eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { autoReplies } from "../../src/db/schema.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

let server: Running;
let browser: Browser;
let login: string;
let schoolId: number;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «Телефон»" });
  schoolId = school.id;
  login = (await fx.createStaff(db, { schoolId: school.id })).login;
  const student = await fx.createStudent(db, { firstName: "Асель" });
  await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { studentId: student.id });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const noHorizontalScroll = () => document.documentElement.scrollWidth <= window.innerWidth;

test("on a 390 px phone: no horizontal scroll, the preview follows the typing in both languages, saving keeps the text", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/crm/schools/login`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', fx.PASSWORD);
  await Promise.all([page.waitForURL(`${base}/crm/schools/applications`), page.click('button[type="submit"]')]);
  await openMenu(page); // folded on a phone
  await page.click('nav a[href="/crm/schools/auto-replies"]');
  await page.waitForURL(`${base}/crm/schools/auto-replies`);
  expect(await page.evaluate(noHorizontalScroll)).toBe(true);

  const form = page.locator("#auto-confirmed");
  // Before typing: the built-in message in both languages.
  await expect(form.locator('[data-lang="ru"] .bubble').textContent()).resolves.toContain("статус — «подтверждена»");
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  await form.locator('textarea[name="ru"]').fill("{имя}, ждём вас в <b>{название}</b>! Очень длинноеслово".repeat(3));
  await page.waitForFunction(() => document.querySelector('#auto-confirmed [data-lang="ru"] .bubble')?.textContent?.startsWith("Асель, ждём вас в <b>Автошкола «Телефон»</b>!"));
  // Only Russian written: the Kazakh-speaking student gets it too, and the preview says so.
  await expect(form.locator('[data-lang="kk"] .bubble').textContent()).resolves.toStartWith("Асель, ждём вас");
  await expect(form.locator('[data-lang="kk"] small').textContent()).resolves.toContain("Текста на этом языке нет");
  await form.locator('textarea[name="kk"]').fill("{имя}, {название} сізді күтеді!");
  await page.waitForFunction(() => document.querySelector('#auto-confirmed [data-lang="kk"] .bubble')?.textContent === "Асель, Автошкола «Телефон» сізді күтеді!");
  expect(await page.evaluate(noHorizontalScroll)).toBe(true);
  // Previewing saved nothing.
  const saved = () => server.database.db.select().from(autoReplies).where(and(eq(autoReplies.ownerId, schoolId), eq(autoReplies.event, "confirmed")));
  expect(await saved()).toEqual([]);

  await form.locator('textarea[name="kk"]').fill("{имя}, {кім}?");
  await form.locator('button[type="submit"]').click();
  await page.waitForSelector("#auto-confirmed .error");
  await expect(page.locator("#auto-confirmed .error").textContent()).resolves.toBe("Неизвестные подстановки: {кім}.");
  expect(await saved()).toEqual([]);

  await page.locator('#auto-confirmed textarea[name="kk"]').fill("{имя}, {название} сізді күтеді!");
  await page.locator('#auto-confirmed button[type="submit"]').click();
  await page.waitForSelector('#auto-confirmed p.ok[role="status"]');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  const [row] = await saved();
  expect(row).toMatchObject({ bodyKk: "{имя}, {название} сізді күтеді!" });
  expect(row!.bodyRu).toStartWith("{имя}, ждём вас в <b>{название}</b>!");
  expect(await page.evaluate(noHorizontalScroll)).toBe(true);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/auto-replies-390.png", fullPage: true });
});
