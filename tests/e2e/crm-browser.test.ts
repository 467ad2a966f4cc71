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
