// The statistics charts in a real browser (Debian's Chromium), on a 390 × 844 phone and on a
// desktop, in Russian and Kazakh (issue 17): no chart is wider than its card, every label is
// readable (at least 12 px) and no two labels overlap (the status chart's used to run into each
// other even on a desktop). Screenshots go to test-results/ (gitignored).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { eq } from "drizzle-orm";
import { type Browser } from "playwright-core";
import { accounts, applications } from "../../src/db/schema.ts";
import { startServer, type Running } from "../../src/server.ts";
import { launchChromium, logInToCrm } from "../support/browser.ts";
import { testConfig } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

let server: Running;
let browser: Browser;
let login: string;

beforeAll(async () => {
  server = await startServer(testConfig({ PORT: "0" }));
  const db = server.database.db;
  const school = await fx.createSchool(db);
  const staff = await fx.createStaff(db, { schoolId: school.id });
  login = staff.login;
  // Every status present, so every label has a bar.
  for (const status of ["new", "contacted", "confirmed", "paid", "studying", "completed", "rejected", "cancelled"] as const) {
    const a = await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }, { status });
    await db.update(applications).set({ source: "instagram_stories_spring" }).where(eq(applications.id, a.id));
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface LabelBox {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
  px: number;
}

const overlaps = (a: LabelBox, b: LabelBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

for (const language of ["ru", "kk"] as const) {
  describe(`statistics charts (${language})`, () => {
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 900 },
    ]) {
      test(`at ${viewport.width} px every label is readable, inside its card and clear of the others`, async () => {
        const base = `http://localhost:${server.port}`;
        await server.database.db.update(accounts).set({ language }).where(eq(accounts.login, login));
        const page = await browser.newPage({ viewport });
        await logInToCrm(page, base, "schools", login, fx.PASSWORD);
        await page.goto(`${base}/crm/schools/stats`);
        const charts = await page.locator("figure.chart").evaluateAll((figures) =>
          figures.map((f) => {
            const card = f.closest(".card")!.getBoundingClientRect();
            const box = f.getBoundingClientRect();
            const labels = Array.from(f.querySelectorAll(".chart-label, .chart-value")).map((el) => {
              const r = el.getBoundingClientRect();
              return { text: el.textContent ?? "", x: r.x, y: r.y, w: r.width, h: r.height, px: parseFloat(getComputedStyle(el).fontSize) };
            });
            return { inside: box.left >= card.left - 0.5 && box.right <= card.right + 0.5, labels };
          }),
        );
        expect(charts.length).toBe(4);
        for (const chart of charts) {
          expect(chart.inside).toBe(true);
          for (const label of chart.labels) expect(label.px).toBeGreaterThanOrEqual(12);
          const clashes = chart.labels.flatMap((a, i) => chart.labels.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `${a.text} × ${b.text}`));
          expect(clashes).toEqual([]);
        }
        const statusLabels = await page.locator("figure.chart-bars").first().locator(".chart-label").allTextContents();
        expect(statusLabels).toContain(language === "kk" ? "Оқушы бас тартты" : "Отменена учеником");
        mkdirSync("test-results", { recursive: true });
        await page.screenshot({ path: `test-results/stats-${language}-${viewport.width}.png`, fullPage: true });
        await page.close();
      });
    }
  });
}
