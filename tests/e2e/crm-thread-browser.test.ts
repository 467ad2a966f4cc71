// A real browser at phone width (390 px): the inbox marks the application a student wrote to;
// on the application page a new student message appears without a reload (the thread's poll),
// staff answer with the form and the answer appears in the thread; a failing poll (500, 401) does
// not stop the thread's polling nor replace anything; back in the inbox, a new message marks the
// row the page already shows without a reload. Nothing scrolls sideways.
// Screenshots are kept in test-results/ (gitignored).
import { launchChromium, logInToCrm } from "../support/browser.ts";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startServer, type Running } from "../../src/server.ts";
import { postStudentMessage } from "../../src/domain/thread.ts";
import { claimPayment } from "../../src/domain/payments.ts";
import { schools } from "../../src/db/schema.ts";
import { eq } from "drizzle-orm";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(120_000);

let server: Running;
let browser: Browser;
let login: string;
let app: Awaited<ReturnType<typeof fx.createApplication>>;

const write = (text: string) => server.database.db.transaction((tx) => postStudentMessage(tx, app.studentId, app.id, { text }, (id) => `reply:${id}`));
/** Whether the page is wider than the phone's screen (something would scroll sideways). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «Телефон»" });
  login = (await fx.createStaff(db, { schoolId: school.id })).login;
  app = await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { studentName: "Айгерим Ахметова-Длиннофамильная" });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("at 390 px: the unread mark, a student's message arriving without reload, and the answer in the thread", async () => {
  const base = `http://localhost:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  await logInToCrm(page, base, "schools", login, fx.PASSWORD);

  await write("Здравствуйте! Можно прийти в субботу?");
  await page.reload();
  await expect(page.locator(`#app-${app.id}`).getAttribute("data-unread")).resolves.toBe("true");
  expect(await page.locator(`#app-${app.id} .unread-mark`).isVisible()).toBe(true);
  expect(await overflows(page)).toBe(false);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/crm-inbox-390.png", fullPage: true });

  await page.goto(`${base}/crm/schools/applications/${app.id}`);
  await page.waitForSelector('#thread li[data-type="message"]');
  expect(await overflows(page)).toBe(false);
  // A marker on window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // The next two polls fail (a server error, then an expired session): the page stays as it is and keeps polling.
  let failures = 0;
  await page.route(/\/thread\?/, (route) =>
    failures < 2 ? route.fulfill({ status: ++failures === 1 ? 500 : 401, contentType: "text/html", body: "<p id=\"oops\">Ошибка</p>" }) : route.fallback(),
  );
  await page.waitForResponse((r) => r.url().includes("/thread?") && r.status() === 401);
  expect(await page.locator("#oops").count()).toBe(0);
  expect(await page.locator("#thread-poll").count()).toBe(1);
  await page.unroute(/\/thread\?/);

  await write("<b>И ещё</b>: нужна ли медсправка?");
  const arrived = page.locator('#thread li[data-type="message"]', { hasText: "нужна ли медсправка?" });
  await arrived.waitFor();
  expect(await arrived.locator("p").textContent()).toBe("<b>И ещё</b>: нужна ли медсправка?");

  await page.fill('#reply-form textarea[name="text"]', "Да, возьмите справку 083/у.");
  await page.click('#reply-form button[type="submit"]');
  const answer = page.locator('#thread li[data-type="reply"]', { hasText: "Да, возьмите справку 083/у." });
  await answer.waitFor();
  await page.waitForSelector("#reply-form .ok");
  // In order: both student messages, then the answer, each once.
  const texts = await page.locator("#thread li.entry").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-type")));
  expect(texts).toEqual(["created", "message", "message", "reply"]);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(await overflows(page)).toBe(false);
  expect(dialogs).toEqual([]);
  await page.screenshot({ path: "test-results/crm-thread-390.png", fullPage: true });

  // Back to the inbox: the row is read. The student writes again: the row gets its mark from the poll, no reload.
  await page.goto(`${base}/crm/schools/applications`);
  expect(await page.locator(`#app-${app.id}`).getAttribute("data-unread")).toBeNull();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 43));
  await write("А во сколько?");
  await page.locator(`#app-${app.id}[data-unread="true"] .unread-mark`).waitFor();
  expect(await page.locator(`#app-${app.id}`).count()).toBe(1);
  expect(await page.locator(`#app-${app.id} .waiting`).isVisible()).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(43);
  expect(await overflows(page)).toBe(false);
});

// Issue 16: the payment block at phone width. A student's claim (with a photo receipt) waits; the
// inbox shows the badge, the page the block with its confirm button; confirming swaps the block
// and the status panel (paid) in place.
test("at 390 px: a pending payment claim, its badge, and confirming it", async () => {
  const base = `http://localhost:${server.port}`;
  const db = server.database.db;
  const [school] = await db.select().from(schools).where(eq(schools.name, "Автошкола «Телефон»"));
  const claimedApp = await fx.createApplication(db, { schoolId: school!.id, cityId: school!.cityId }, { studentName: "Нурсултан Байжанов-Длиннофамильный", status: "confirmed" });
  const receipt = { kind: "photo" as const, fileId: "receipt-1", thumbFileId: "receipt-1-thumb", size: 120_000 };
  const saved = await db.transaction((tx) => claimPayment(tx, claimedApp.studentId, claimedApp.id, { amountKzt: 180_000, receipt }, { publicUrl: base }));
  expect(saved.ok).toBe(true);

  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await logInToCrm(page, base, "schools", login, fx.PASSWORD);
  await page.goto(`${base}/crm/schools/applications`);
  expect(await page.locator(`#app-${claimedApp.id} .payment-claimed`).isVisible()).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.goto(`${base}/crm/schools/applications/${claimedApp.id}`);
  await expect(page.locator("#payment-block").getAttribute("data-payment")).resolves.toBe("claimed");
  expect(await page.locator("#payment-block .confirm-payment").isVisible()).toBe(true);
  expect(await page.locator("#payment-block form.dispute textarea").isVisible()).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/crm-payment-390.png", fullPage: true });

  await page.click("#payment-block .confirm-payment");
  await page.locator('#payment-block[data-payment="agreed"]').waitFor();
  await page.locator('#status-panel[data-status="paid"]').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
