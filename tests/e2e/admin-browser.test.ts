// A real browser (Debian's Chromium via playwright-core) against the running system (web + bot
// over the fake Bot API): an admin logs in at /admin/, creates a school with an offer and a CRM
// login; the staff member logs in with the one-time password; and a student going through the
// bot sees the new school in the list. Screenshots are kept in test-results/ (gitignored).
import { launchChromium } from "../support/browser.ts";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { type Browser } from "playwright-core";
import { seedCities } from "../../src/db/seeds/cities.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";
import { PASSWORD } from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(60_000);

const SCHOOL = "Автошкола «Новая волна»";
let server: Running;
let browser: Browser;
let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram();
  server = await startServer(testConfig({ PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }));
  // What `bun run seed:cities` and `bun run create-admin` do.
  await seedCities(server.database.db);
  await createAccount(server.database.db, { login: "platform.admin", password: PASSWORD, role: "admin", displayName: "Администратор" });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  tg?.stop();
});

test("an admin creates a school with an offer and a CRM login; the bot lists the school", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  mkdirSync("test-results", { recursive: true });

  // Log in.
  await page.goto(`${base}/admin`);
  await page.fill('input[name="login"]', "platform.admin");
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/admin/`), page.click('button[type="submit"]')]);
  expect(await page.locator("h1").textContent()).toBe("Сводка");

  // The school.
  await page.click('a[href="/admin/schools"]');
  await page.click('a[href="/admin/schools/new"]');
  await page.selectOption('#school-form select[name="cityId"]', { label: "Алматы" });
  await page.fill('#school-form input[name="name"]', SCHOOL);
  await page.fill('#school-form input[name="address"]', "пр. Абая, 10");
  await page.fill('#school-form input[name="phone"]', "8 701 222 33 44");
  await page.fill('#school-form input[name="kaspiUrl"]', "https://pay.kaspi.kz/pay/volna");
  await Promise.all([page.waitForURL(/\/admin\/schools\/\d+\?notice=created$/), page.click('#school-form button[type="submit"]')]);
  const schoolId = Number(page.url().match(/schools\/(\d+)/)![1]);
  expect(await page.locator("h1").textContent()).toBe(SCHOOL); // a name that says it is a school, as written

  // Its offer.
  await page.selectOption('#offer-form select[name="kind"]', "full_course");
  await page.selectOption('#offer-form select[name="category"]', "B");
  await page.selectOption('#offer-form select[name="format"]', "in_person");
  await page.fill('#offer-form input[name="priceKzt"]', "210 000");
  await page.fill('#offer-form input[name="durationWeeks"]', "12");
  await Promise.all([page.waitForURL(/notice=offer_saved$/), page.click('#offer-form button[type="submit"]')]);
  expect(await page.locator("#offers tbody tr").first().textContent()).toContain("210\u202f000 ₸");

  // Its CRM login: the one-time password is shown once.
  await page.fill('#account-form input[name="login"]', "volna.manager");
  await page.fill('#account-form input[name="displayName"]', "Менеджер Волны");
  await Promise.all([page.waitForURL(`${base}/admin/accounts`), page.click('#account-form button[type="submit"]')]);
  const password = (await page.locator("#one-time-password").textContent())!;
  expect(password.length).toBeGreaterThanOrEqual(8);
  await page.screenshot({ path: "test-results/admin-new-school-login.png", fullPage: true });

  await page.goto(`${base}/admin/schools/${schoolId}`);
  await page.screenshot({ path: "test-results/admin-new-school.png", fullPage: true });

  // The staff member logs in to the school CRM with it.
  const staff = await browser.newContext();
  const crm = await staff.newPage();
  await crm.goto(`${base}/crm/schools/login/`);
  await crm.fill('input[name="login"]', "volna.manager");
  await crm.fill('input[name="password"]', password);
  await Promise.all([crm.waitForURL(`${base}/crm/schools/applications`), crm.click('button[type="submit"]')]);
  await staff.close();
  expect(dialogs).toEqual([]);

  // A student in the bot sees the school.
  const s = student(tg, { id: 55501, first_name: "Асель", language_code: "ru" });
  await s.send("/start");
  await s.press("Нет, хочу учиться в автошколе");
  await s.press("Алматы");
  expect(s.buttons()).toContain("B — легковые");
  await s.press("B — легковые");
  const list = await s.press("Очно");
  expect(list.text).toContain(SCHOOL);
  expect(list.text).toContain("210");

  // Deactivated in the admin panel: the next student does not see it.
  await page.goto(`${base}/admin/schools/${schoolId}`);
  await Promise.all([page.waitForURL(/notice=deactivated$/), page.click('form[action$="/deactivate"] button')]);
  const other = student(tg, { id: 55502, first_name: "Ерлан", language_code: "ru" });
  await other.send("/start");
  const cities = await other.press("Нет, хочу учиться в автошколе");
  // It was Almaty's only school: the city is not offered any more, and the school nowhere.
  expect(other.buttons().some((b) => b.startsWith("Алматы"))).toBe(false);
  expect(cities.text + other.buttons().join(" ")).not.toContain(SCHOOL);
});
