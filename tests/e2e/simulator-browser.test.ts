// Issue 9, end to end in a real browser: the real app as a child process (development, no
// token, so the bot simulator is on), Debian's Chromium through playwright-core. A student walks
// flow 1 by clicking in /simulator/, shares the contact, confirms and gets the automatic reply with
// the WhatsApp link; the school logs into the CRM in a second page, confirms the application, and
// the notification arrives in the simulator. Saves test-results/simulator.png (docs/simulator.png, the README's, with UPDATE_SCREENSHOTS=1) and step
// screenshots under test-results/.
import { launchChromium } from "../support/browser.ts";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, rmSync } from "node:fs";
import { type Browser, type Locator, type Page } from "playwright-core";
import { runScript, spawnApp, type AppProcess } from "../support/process.ts";

setDefaultTimeout(30_000);

const dir = `/tmp/avtomat-simulator-e2e-${process.pid}`;
const DATABASE_URL = `pglite://${dir}/pglite`;
const RESULTS = "test-results";
const ASEL = 990_000_001;
const DAULET = 990_000_002;

let app: AppProcess;
let browser: Browser;
let base: string;
let logins: { role: string; login: string; password: string }[];

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const seeded = await runScript(["run", "seed:demo", "--json"], { DATABASE_URL });
  if (seeded.code !== 0) throw new Error(`seed:demo failed:\n${seeded.stderr}`);
  logins = JSON.parse(seeded.stdout.trim().split("\n").findLast((l) => l.startsWith("["))!);
  app = spawnApp({ DATABASE_URL });
  await app.healthy(20_000);
  base = `http://127.0.0.1:${app.port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (app && app.proc.exitCode === null) {
    app.proc.kill("SIGTERM");
    await app.proc.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const phone = (page: Page, chat: number) => page.locator(`.phone[data-chat="${chat}"]`);
const button = (where: Locator, name: string) => where.getByRole("button", { name, exact: true });
/** The newest bot message's text. */
const lastBotText = (where: Locator) => where.locator(".msg.bot .msg-text").last();
/** Waits until a bot message in this chat shows `text` (playwright-core has no `expect`; locators wait). */
const see = (where: Locator, text: string | RegExp) => where.locator(".msg.bot .msg-text", { hasText: text }).last().waitFor();

describe("the bot simulator in a browser", () => {
  test("says where it is, and the bot behind it polls", async () => {
    expect(app.output()).toContain(`Bot simulator: http://localhost:${app.port}/simulator/`);
    const deadline = Date.now() + 10_000;
    let health = await (await fetch(`${base}/healthz`)).json();
    while (health.bot !== "polling" && Date.now() < deadline) await Bun.sleep(100), (health = await (await fetch(`${base}/healthz`)).json());
    expect(health).toEqual({ status: "ok", database: "up", bot: "polling" });
  });

  test("flow 1 by clicking, then the school confirms in the CRM and the notification arrives", async () => {
    const context = await browser.newContext({ viewport: { width: 1240, height: 1000 }, locale: "ru-RU" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/simulator/`);
    const asel = phone(page, ASEL);
    await asel.locator(".phone-number", { hasText: "+7 701 000 00 01" }).waitFor(); // the first poll answered

    await button(asel, "Начать (/start)").click();
    await see(asel, "У вас есть водительское удостоверение?");
    await button(asel, "Нет, хочу учиться в автошколе").click();
    await see(asel, "Выберите ваш город:");
    // The greeting was edited in place: still one bot message, marked as edited.
    expect(await asel.locator(".msg.bot").count()).toBe(1);
    expect(await asel.locator(".msg.bot .meta").first().textContent()).toContain("изменено");
    await button(asel, "Алматы (2)").click();
    await see(asel, "Какая категория прав вам нужна?");
    await button(asel, "B — легковые").click();
    await button(asel, "Очно").click();
    await see(asel, "Автошкола «Жол»");
    // <b> from the bot's HTML is bold, not text.
    expect(await lastBotText(asel).locator("b").first().textContent()).toBe("Автошкола «Жол»");
    await button(asel, "1. Автошкола «Жол»").click();
    await see(asel, "ул. Толе би, 101");
    await button(asel, "Записаться: B, Очно — 180\u202f000 ₸, 10 нед.").click();
    await see(asel, "Отправьте номер телефона");
    await page.screenshot({ path: `${RESULTS}/simulator-1-contact.png` });

    await button(asel.locator(".phone-keyboard"), "📱 Отправить мой номер").click();
    await asel.locator(".msg.student", { hasText: "📱 +7 701 000 00 01" }).waitFor();
    await see(asel, "Номер +7 701 000 00 01 сохранён.");
    await see(asel, "Как к вам обращаться?");
    expect(await asel.locator(".phone-keyboard button").count()).toBe(0); // the keyboard was removed
    await button(asel, "✓ Асель Нурланова").click();
    await see(asel, "Телефон: +7 701 000 00 01");
    await button(asel, "✅ Подтвердить").click();
    await see(asel, "отправлена!");
    const reply = (await lastBotText(asel).textContent())!;
    const number = reply.match(/Заявка № (\S+) отправлена!/)![1]!;
    const wa = asel.getByRole("link", { name: "Написать в WhatsApp" });
    expect(await wa.getAttribute("href")).toStartWith("https://wa.me/77012345601?text=");
    expect(await wa.getAttribute("target")).toBe("_blank");
    await page.screenshot({ path: `${RESULTS}/simulator-2-applied.png` });

    // The school, in a second page of the same browser (so the simulator now carries a session cookie).
    const crm = await context.newPage();
    crm.setDefaultTimeout(10_000);
    const school = logins.find((l) => l.login === "school-zhol")!;
    await crm.goto(`${base}/crm/schools/login/`);
    await crm.locator('input[name="login"]').fill(school.login);
    await crm.locator('input[name="password"]').fill(school.password);
    await Promise.all([crm.waitForURL(/\/crm\/schools\//), crm.locator('form button[type="submit"], form input[type="submit"]').first().click()]);
    await crm.goto(`${base}/crm/schools/applications`);
    const row = crm.locator("tr", { hasText: `№ ${number}` });
    expect(await row.getAttribute("data-status")).toBe("new");
    await row.locator('button[data-to="confirmed"]').click();
    await crm.locator('tr[data-status="confirmed"]', { hasText: `№ ${number}` }).waitFor();
    await crm.screenshot({ path: `${RESULTS}/simulator-3-crm.png` });

    await page.bringToFront();
    await see(asel, `Заявка № ${number} (Автошкола «Жол»): статус — «подтверждена».`);

    // With the CRM's session cookie now in the browser, the simulator still posts (it fetches the CSRF token).
    await asel.locator(".phone-input").fill("/my");
    await asel.locator(".phone-send").click();
    await see(asel, "Ваши заявки:");
    expect(await lastBotText(asel).textContent()).toContain(`№ ${number} — Автошкола «Жол»`);

    // A second student side by side, whose name is markup: shown as text, never run.
    await page.locator(`#sim-picker input[value="${DAULET}"]`).check();
    const daulet = phone(page, DAULET);
    await daulet.locator(".phone-number", { hasText: "+7 701 000 00 02" }).waitFor();
    await daulet.locator(".phone-name").fill('<img src=x onerror="window.__xss=1">');
    await daulet.locator(".phone-name").press("Enter");
    await daulet.locator(".phone-status", { hasText: "<img" }).waitFor();
    await button(daulet, "Начать (/start)").click();
    await see(daulet, 'Сәлеметсіз бе, <img src=x onerror="window.__xss=1">!');
    expect(await daulet.locator(".msg-text img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Put the name back for the README screenshot, and show the Kazakh greeting.
    await daulet.locator(".phone-name").fill("Дәулет");
    await daulet.locator(".phone-name").press("Enter");
    await daulet.locator(".phone-input").fill("/start");
    await daulet.locator(".phone-send").click();
    await see(daulet, "Сәлеметсіз бе, Дәулет!");

    await asel.locator(".phone-messages").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.evaluate(() => window.scrollTo(0, 0));
    // The README's screenshot is refreshed on request only: a test run must not change tracked files.
    await page.screenshot({ path: process.env.UPDATE_SCREENSHOTS ? "docs/simulator.png" : "test-results/simulator.png", fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
