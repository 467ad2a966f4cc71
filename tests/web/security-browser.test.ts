// The Content-Security-Policy in a real browser (Debian's Chromium through playwright-core): the
// login page, the school CRM inbox (where htmx changes a status in place), an admin page and the
// bot simulator load without a single CSP violation (securitypolicyviolation events and console
// reports are collected on every page), and the policy really is in force. The one-tap login
// link's confirmation page works in a phone-sized browser (its form's POST passes the Origin and
// CSRF guard as a real browser sends it).
import { launchChromium, openMenu } from "../support/browser.ts";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { createAccount } from "../../src/domain/accounts.ts";
import { issueLoginToken } from "../../src/domain/staff-telegram.ts";
import { startServer, type Running } from "../../src/server.ts";
import { accounts as accountsTable } from "../../src/db/schema.ts";
import { eq } from "drizzle-orm";
import { testConfig } from "../support/app.ts";
import type { Config } from "../../src/config.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

let server: Running;
let config: Config;
let browser: Browser;
let base: string;
let staffLogin: string;
let appId: number;
const violations: string[] = [];

beforeAll(async () => {
  config = testConfig({ PORT: "0", SIMULATOR: "1" });
  server = await startServer(config);
  base = `http://localhost:${server.port}`;
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «CSP»" });
  staffLogin = (await fx.createStaff(db, { schoolId: school.id })).login;
  appId = (await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId })).id;
  await createAccount(db, { login: "csp.admin", password: fx.PASSWORD, role: "admin", displayName: "Админ" });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser context whose pages report every CSP violation (events and console lines). */
async function watchedPage(options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  await context.exposeBinding("__reportCsp", (_source, text: string) => void violations.push(text));
  // Init scripts come from the browser's debugging protocol: the page's CSP does not apply to them.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCsp(t: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  return { context, page };
}

async function login(page: Page, path: string, user: string, landing: string) {
  await page.goto(`${base}${path}`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', fx.PASSWORD);
  await Promise.all([page.waitForURL(`${base}${landing}`), page.click('button[type="submit"]')]);
}

test("login, CRM inbox with an htmx status change, admin and /simulator/: no CSP violation", async () => {
  // The school: login page, inbox, a status change through htmx (in place, no reload).
  const crm = await watchedPage();
  const first = await crm.page.goto(`${base}/crm/schools/login/`);
  expect(first!.headers()["content-security-policy"]).toContain("script-src 'self'");
  await login(crm.page, "/crm/schools/login/", staffLogin, "/crm/schools/applications");
  expect(await crm.page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe("object");
  await crm.page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await crm.page.locator(`#app-${appId} button[data-to="contacted"]`).click();
  await crm.page.waitForSelector(`#app-${appId}[data-status="contacted"]`);
  expect(await crm.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  // The policy is in force: an inline script injected now is refused (and reported).
  const before = violations.length;
  const ran = await crm.page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.appendChild(s);
    return new Promise<boolean>((r) => setTimeout(() => r((window as unknown as { __inlineRan?: boolean }).__inlineRan === true), 200));
  });
  expect(ran).toBe(false);
  await crm.page.waitForTimeout(200);
  expect(violations.length).toBeGreaterThan(before);
  violations.splice(before);
  await crm.context.close();

  // The admin: login and a list page.
  const admin = await watchedPage();
  await login(admin.page, "/admin/", "csp.admin", "/admin/");
  await admin.page.goto(`${base}/admin/schools`);
  await admin.page.waitForSelector("text=Автошкола «CSP»");
  await admin.context.close();

  // The bot simulator (development): its page script runs and draws the student picker.
  const sim = await watchedPage();
  await sim.page.goto(`${base}/simulator/`);
  await sim.page.waitForSelector("#sim-picker");
  await sim.page.waitForTimeout(300);
  await sim.context.close();

  expect(violations).toEqual([]);
});

test("the one-tap login link on a phone: the page asks, its button logs in; another school's link asks before switching", async () => {
  const db = server.database.db;
  const [csp] = await db.select().from(accountsTable).where(eq(accountsTable.login, staffLogin));
  const other = await fx.createSchool(db, { name: "Автошкола «Другая»" });
  const otherStaff = await fx.createStaff(db, { schoolId: other.id });
  const phone = await watchedPage({ viewport: { width: 360, height: 740 } });
  const sessionCookie = async () => (await phone.context.cookies()).find((c) => c.name === "avtomat_session")?.value;

  const link = (token: string) => `${base}/crm/login/token?t=${encodeURIComponent(token)}`;
  await phone.page.goto(link(await issueLoginToken(config.secretKey, csp!.id)));
  await phone.page.waitForSelector(`text=Войти как Автошкола «CSP» (${staffLogin})?`);
  expect(await sessionCookie()).toBeUndefined();
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await Promise.all([phone.page.waitForURL(`${base}/crm/schools/applications`), phone.page.click('button[type="submit"]')]);
  const first = await sessionCookie();
  expect(first).toBeDefined();

  // Logged in as «CSP», the link of «Другая» only asks; the session stays until the button is pressed.
  await phone.page.goto(link(await issueLoginToken(config.secretKey, otherStaff.id)));
  await phone.page.waitForSelector(`text=Сейчас вы вошли как Автошкола «CSP» (${staffLogin}).`);
  await phone.page.waitForSelector(`text=Выйти и войти как Автошкола «Другая» (${otherStaff.login})?`);
  expect(await sessionCookie()).toBe(first);
  await Promise.all([phone.page.waitForURL(`${base}/crm/schools/applications`), phone.page.click(`button:has-text("Выйти и войти")`)]);
  await openMenu(phone.page); // who is logged in: in the menu, folded on a phone
  await phone.page.waitForSelector(`text=Менеджер ${otherStaff.login}`);
  expect(await sessionCookie()).not.toBe(first);
  await phone.context.close();
  expect(violations).toEqual([]);
});
