// /healthz in both states, the three entrances through the shared layout, static files, error pages.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";

// This file starts databases, servers or processes: more than the 5 s default.
setDefaultTimeout(30_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ botState: () => "polling" });
});
afterAll(() => t.dispose());

describe("healthz", () => {
  test("200 with the database and bot state when the database answers", async () => {
    const res = await t.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "up", bot: "polling" });
  });

  test("503 when the database does not answer", async () => {
    const other = await createTestApp();
    await other.database.close();
    const res = await other.request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable", database: "down" });
  });
});

describe("entrances", () => {
  for (const [path, title] of [
    ["/crm/schools/login/", "Вход для автошколы"],
    ["/crm/instructors/login/", "Вход для инструктора"],
    ["/admin/", "Администрирование"],
  ] as const) {
    test(`${path} renders through the layout with htmx from public/`, async () => {
      const res = await t.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await res.text();
      expect(html).toStartWith("<!doctype html>");
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).toContain('<script src="/public/htmx.min.js"');
      expect(html).not.toContain("unpkg.com");
    });

    test(`${path.slice(0, -1)} redirects to the trailing slash`, async () => {
      const res = await t.request(path.slice(0, -1));
      expect(res.status).toBe(308);
      expect(res.headers.get("location")).toBe(path);
    });
  }

  test("htmx is served by the app", async () => {
    const res = await t.request("/public/htmx.min.js");
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });

  test("every page names the favicon, and /favicon.ico answers with it for those that do not", async () => {
    const html = await (await t.request("/crm/schools/login/")).text();
    expect(html).toContain('<link rel="icon" href="/public/favicon.svg" type="image/svg+xml"');
    for (const path of ["/public/favicon.svg", "/favicon.ico"]) {
      const res = await t.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith("image/svg+xml");
      expect(await res.text()).toStartWith("<svg");
    }
  });

  test("static files cannot escape public/", async () => {
    expect((await t.request("/public/..%2Fpackage.json")).status).toBe(404);
    expect((await t.request("/public/missing.js")).status).toBe(404);
  });
});

describe("home page", () => {
  test("links the three entrances, and the simulator when it is on", async () => {
    const html = await (await t.request("/")).text();
    for (const href of ["/crm/schools/login/", "/crm/instructors/login/", "/admin/"]) expect(html).toContain(`href="${href}"`);
    expect(html).not.toContain('href="/simulator/"'); // tests run with NODE_ENV=test: simulator off
    const withSimulator = await createTestApp({ env: { SIMULATOR: "1" } });
    expect(await (await withSimulator.request("/")).text()).toContain('href="/simulator/"');
    await withSimulator.dispose();
  });
});

describe("error pages", () => {
  test("an unknown page is a clean 404 page", async () => {
    const res = await t.request("/no/such/page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Страница не найдена.");
    expect(html).not.toContain("at ");
  });

  test("htmx requests get a fragment, not a page", async () => {
    const res = await t.request("/no/such/page", { headers: { "hx-request": "true" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('<p class="error" role="alert">Страница не найдена.</p>');
  });
});
