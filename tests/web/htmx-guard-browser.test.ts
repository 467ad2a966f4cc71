// htmx as a second line of defence, in a real browser (Debian's Chromium through playwright-core)
// on a phone-sized school inbox (390 px). Markup that slipped through escaping is simulated the
// way it would arrive: the server's HTML is rewritten on its way to the browser (the devtools
// protocol's request interception), so htmx meets it exactly as it would meet an injection.
// Proves (public/htmx-guard.js, views/components/user-text.tsx, docs/security.md):
// - an hx-post with hx-trigger="load" inside a student's name (hx-ignore) is never processed;
// - the same element outside hx-ignore (markup that closed the wrapper) is processed by htmx but
//   cancelled: a state change needs a click, key or submit on the element itself (not a click
//   anywhere, as `from:body` would take);
// - requests to another origin, to our own paths outside the area, and js: actions are cancelled;
//   hx-on never runs, and not because of the CSP (no violation is reported);
// - no request but the page's own carries the CSRF token, and nothing changes in the database;
// - an htmx response that smuggles an out-of-band swap inside a name is not swapped;
// - the CRM's own htmx still works: a status change in place, with the token; a search swaps.
import { launchChromium, logInToCrm, openFilters } from "../support/browser.ts";
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Browser, type Request as PwRequest } from "playwright-core";
import { inArray } from "drizzle-orm";
import { applications } from "../../src/db/schema.ts";
import { startServer, type Running } from "../../src/server.ts";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(90_000);

let server: Running;
let browser: Browser;
let login: string;
let victim: number;
let other: number;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db, { name: "Автошкола «Guard»" });
  login = (await fx.createStaff(db, { schoolId: school.id })).login;
  victim = (await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { studentName: "Дана Инъекция" })).id;
  other = (await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { studentName: "Арман Другой" })).id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const statuses = async () =>
  Object.fromEntries(
    (await server.database.db.select({ id: applications.id, status: applications.status }).from(applications).where(inArray(applications.id, [victim, other]))).map(
      (r) => [r.id, r.status],
    ),
  );

test("injected htmx in a phone-sized inbox sends nothing and changes nothing; the inbox's own htmx still works", async () => {
  const base = `http://localhost:${server.port}`;
  const foreign = `http://127.0.0.1:${server.port}`; // another origin (host differs), same server
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const violations: string[] = [];
  await context.exposeBinding("__reportCsp", (_s, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __reportCsp(t: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const guardLog: string[] = [];
  page.on("console", (m) => {
    if (m.text().startsWith("htmx-guard:")) guardLog.push(m.text());
  });
  const sent: { method: string; url: string; token: string | undefined }[] = [];
  page.on("request", (r: PwRequest) => void sent.push({ method: r.method(), url: r.url(), token: r.headers()["x-csrf-token"] }));
  await logInToCrm(page, base, "schools", login, fx.PASSWORD);
  const token = await page.locator('meta[name="csrf-token"]').getAttribute("content");
  expect(token).toBeTruthy();

  // The inbox page again, with markup planted where a student's name is rendered.
  const statusUrl = `/crm/schools/applications/${victim}/status`;
  const post = `hx-post="${statusUrl}" hx-vals='{"from":"new","to":"contacted","view":"row"}' hx-target="closest tr" hx-swap="outerHTML"`;
  const inside = `<button id="inj-inside" ${post} hx-trigger="load">в имени</button>`;
  const outside = [
    `<button id="inj-load" ${post} hx-trigger="load">снаружи</button>`,
    `<span id="inj-revealed" ${post} hx-trigger="revealed">снаружи</span>`,
    // Fired by a person's click anywhere on the page (the clicks below): trusted, but not on it.
    `<span id="inj-body" ${post} hx-trigger="click from:body">снаружи</span>`,
    `<button id="inj-foreign" hx-get="${foreign}/crm/schools/applications" hx-trigger="load">чужой адрес</button>`,
    `<button id="inj-area" hx-get="/healthz" hx-trigger="load">не CRM</button>`,
    `<button id="inj-js" hx-post="js:document.title='js'">js</button>`,
    `<button id="inj-on" hx-on:click="document.title='hx-on'">hx-on</button>`,
    `<button id="inj-data" data-hx-post="${statusUrl}" data-hx-trigger="load">data-hx</button>`,
  ].join("");
  await page.route(`${base}/crm/schools/applications`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      "<span hx-ignore>Дана Инъекция</span>",
      // The first button stays inside the name's element; the rest closes it, as broken escaping could.
      `<span hx-ignore>Дана Инъекция ${inside}</span>${outside}`,
    );
    expect(html).toContain('id="inj-inside"');
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${base}/crm/schools/applications`);
  await page.waitForSelector("#inj-on");
  await page.unroute(`${base}/crm/schools/applications`);
  expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe("object");
  const marker = Date.now();
  await page.evaluate((m) => ((window as unknown as { marker: number }).marker = m), marker);
  const title = await page.title();
  // Clicks are real (trusted) input: the js: action and the hx-on handler get their chance.
  await page.locator("#inj-js").click();
  await page.locator("#inj-on").click();
  await page.locator("#inj-revealed").scrollIntoViewIfNeeded();
  // load/revealed fire at once; a second and a half covers htmx's init and any request they would make.
  await page.waitForTimeout(1500);

  expect(await page.title()).toBe(title);
  // Nothing left the page but its own load: no POST, no foreign or out-of-area request, no token.
  const afterLoad = sent.filter((r) => !r.url.startsWith(`${base}/public/`) && !r.url.startsWith(`${base}/crm/schools/login`));
  expect(afterLoad.filter((r) => r.method !== "GET")).toEqual([]);
  expect(sent.filter((r) => r.url.startsWith(foreign) || r.url.includes("/healthz"))).toEqual([]);
  expect(sent.filter((r) => r.token !== undefined)).toEqual([]);
  expect(await statuses()).toEqual({ [victim]: "new", [other]: "new" });
  // htmx processed what was outside hx-ignore (so the guard, not hx-ignore, stopped it); what was inside it never.
  expect(await page.locator("#inj-load").getAttribute("data-htmx-powered")).toBe("true");
  expect(await page.locator("#inj-inside").getAttribute("data-htmx-powered")).toBeNull();
  // data-hx-* is no alias here (htmx-config prefix ""): not even processed.
  expect(await page.locator("#inj-data").getAttribute("data-htmx-powered")).toBeNull();
  expect(guardLog.some((l) => l.includes("a change without a click, key or submit on it was cancelled"))).toBe(true);
  expect(guardLog.some((l) => l.includes("outside this page's area was cancelled: /healthz"))).toBe(true);
  expect(guardLog.some((l) => l.includes(`outside this page's area was cancelled: ${foreign}`))).toBe(true);
  expect(guardLog.some((l) => l.includes("outside this page's area was cancelled: js:"))).toBe(true);
  expect(guardLog.some((l) => l.includes("hx-on is not used here"))).toBe(true);
  // hx-on was never compiled: the CSP had nothing to refuse.
  expect(violations).toEqual([]);

  // The inbox's own htmx: a click changes the other row's status in place, with the session's token.
  sent.length = 0;
  await page.locator(`#app-${other} button[data-to="contacted"]`).click();
  await page.waitForSelector(`#app-${other}[data-status="contacted"]`);
  const change = sent.find((r) => r.method === "POST");
  expect(change?.url).toBe(`${base}/crm/schools/applications/${other}/status`);
  expect(change?.token).toBe(token!);
  expect(await statuses()).toEqual({ [victim]: "new", [other]: "contacted" });
  // Its GETs (here the search below) carry no token.

  // A response smuggling an out-of-band swap inside a name is not swapped; the next, clean one is.
  const smuggled = `<div hx-swap-oob="beforeend:body"><button id="smuggled" hx-get="/crm/schools/applications" hx-trigger="load">x</button></div>`;
  const searches = (url: URL) => url.pathname === "/crm/schools/applications" && url.searchParams.has("q");
  await page.route(searches, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("<span hx-ignore>Дана Инъекция</span>", `<span hx-ignore>Дана Инъекция ${smuggled}</span>`);
    await route.fulfill({ response, body: html });
  });
  sent.length = 0;
  await openFilters(page); // folded on a phone
  await page.fill('form.filters input[name="q"]', "Дана");
  await page.press('form.filters input[name="q"]', "Enter");
  await page.waitForTimeout(1500);
  expect(sent.some((r) => r.url.includes("q=%D0%94%D0%B0%D0%BD%D0%B0"))).toBe(true);
  expect(sent.filter((r) => r.token !== undefined)).toEqual([]);
  expect(await page.locator("#smuggled").count()).toBe(0);
  expect(await page.locator(`#app-${other}`).count()).toBe(1); // the table was not replaced
  expect(guardLog.some((l) => l.includes("out-of-band swap inside user content was not swapped"))).toBe(true);
  await page.unroute(searches);
  await page.fill('form.filters input[name="q"]', "Арман");
  await page.press('form.filters input[name="q"]', "Enter");
  await page.waitForFunction((id) => !document.querySelector(`#app-${id}`), victim);
  expect(await page.locator(`#app-${other}`).count()).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
  expect(violations).toEqual([]);
  await context.close();
});
