// Debian's Chromium for the browser tests (never a downloaded browser). `.ci/run` installs it;
// without it these tests fail with a message saying how to install it, rather than skipping.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags Chromium keeps calling out to a closed network.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** Logs in to a CRM area through its real form and waits for the inbox (the page after login). */
export async function logInToCrm(page: Page, base: string, area: "schools" | "instructors", login: string, password: string): Promise<void> {
  await page.goto(`${base}/crm/${area}/login`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${base}/crm/${area}/applications`), page.click('button[type="submit"]')]);
}

/** Opens a staff page's menu where it is folded (a phone's width); on a wide screen it is always open. */
export async function openMenu(page: Page): Promise<void> {
  const summary = page.locator("nav.crm-nav details.nav-menu:not([open]) > summary");
  if (await summary.isVisible()) await summary.click();
}

/** Shows a page's filter form where a phone folds it (the staff bar's "Фильтры" switch). */
export async function openFilters(page: Page): Promise<void> {
  const label = page.locator("nav.crm-nav label.filters-switch-label");
  if ((await label.isVisible()) && !(await page.locator("#filters-switch").isChecked())) await label.click();
}
