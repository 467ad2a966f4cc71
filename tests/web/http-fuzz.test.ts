// Hostile HTTP: thousands of malformed requests to every route the app has (taken from Elysia's
// app.routes, path parameters filled with odd values): bad methods, huge and broken bodies, wrong
// content types, odd paths and queries, bad cookies, missing and forged CSRF tokens and Origins,
// as an anonymous visitor and as logged-in school, instructor and admin sessions (whose CSRF
// token is never the right one). Nothing may answer 5xx, and no table may change (checksums of
// every table before and after; login_attempts is the only one allowed to grow).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import { SESSION_COOKIE } from "../../src/domain/auth.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import { createAdmin, loginAdmin } from "./admin-support.ts";

setDefaultTimeout(120_000);

/** How many requests the test sends (the sample is seeded, so a failure repeats). */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);

let t: TestApp;
interface Who {
  name: string;
  cookie: string | null;
  /** A token that is not this session's: another session's, or garbage. */
  forgedCsrf: string;
}
const who: Who[] = [];
let realIds: string[] = [];

// A small seeded generator (mulberry32): the same requests on every run.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20240808);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const ODD_PARAMS = [
  "0", "-1", "1.5", "1e3", "99999999999999999999", "2147483648", "abc", "%00", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..",
  "%27%20OR%201%3D1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%F0%9F%92%A9", "%FF%FE", "%", "a%2Fb", " ", "%20", "0x10", "١٢", "NaN", "null", "undefined",
];
const ODD_QUERIES = [
  "", "?", "?page=-1", "?page=abc&page=2", "?q=%00", "?q=" + "x".repeat(5000), "?status=flying", "?from=2024-13-45&to=yesterday", "?after=-5",
  "?hours=1e9", "?t=garbage", "?t=", "?__proto__[x]=1", "?constructor[prototype][x]=1", "?q=%E0%A4%A", "?sort=id;drop table accounts", "?id[]=1&id[]=2",
];
const BAD_METHODS = ["PUT", "DELETE", "PATCH", "PROPFIND", "FOO", "OPTIONS", "HEAD"];
const FORM = "application/x-www-form-urlencoded";

interface Body {
  name: string;
  contentType?: string;
  body?: string | Blob;
  headers?: Record<string, string>;
}
const bodies = (forged: string): Body[] => [
  { name: "none" },
  { name: "empty form", contentType: FORM, body: "" },
  { name: "form with forged _csrf", contentType: FORM, body: `_csrf=${encodeURIComponent(forged)}&to=confirmed&from=new&title=x&body=y&name=z&login=abc&password=correct-horse-1` },
  { name: "broken urlencoding", contentType: FORM, body: "%%%&&==&a=%E0%A4%A&=&to[=1&to]=2" },
  { name: "repeated fields", contentType: FORM, body: "to=confirmed&to=paid&to[]=x&__proto__=1&constructor=2" },
  { name: "huge declared", contentType: FORM, body: "a=" + "x".repeat(70_000) },
  { name: "huge undeclared", contentType: FORM, body: "a=" + "y".repeat(70_000), headers: { "transfer-encoding": "chunked" } },
  { name: "lying length", contentType: FORM, body: "a=1", headers: { "content-length": "100000000" } },
  { name: "bad json", contentType: "application/json", body: "{not json" },
  { name: "json array", contentType: "application/json", body: '[1,2,{"to":"confirmed"}]' },
  { name: "json prototype", contentType: "application/json", body: `{"__proto__":{"admin":true},"_csrf":"${forged}","to":"confirmed","text":"hi","messageId":"x"}` },
  { name: "json deep", contentType: "application/json", body: "[".repeat(5000) + "]".repeat(5000) },
  { name: "json string", contentType: "application/json", body: '"just a string"' },
  { name: "broken multipart", contentType: "multipart/form-data; boundary=xyz", body: "--xyz\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\nconfirmed\r\n--xy" },
  { name: "multipart without boundary", contentType: "multipart/form-data", body: "garbage" },
  { name: "xml", contentType: "text/xml", body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  { name: "binary", contentType: "application/octet-stream", body: new Blob([new Uint8Array(Array.from({ length: 2048 }, (_, i) => (i * 31 + 7) & 255))]) },
  { name: "wrong charset", contentType: "application/x-www-form-urlencoded; charset=utf-7", body: "to=+ADw-script+AD4-" },
  { name: "unknown type", contentType: "application/x-made-up", body: "to=confirmed" },
];

function cookieVariants(w: Who): (string | null)[] {
  const real = w.cookie;
  const variants: (string | null)[] = [
    null,
    `${SESSION_COOKIE}=`,
    `${SESSION_COOKIE}=%`,
    `${SESSION_COOKIE}=${"a".repeat(4000)}`,
    `${SESSION_COOKIE}="quoted"; ${SESSION_COOKIE}=second`,
    `=; ; ;;${SESSION_COOKIE}`,
    "\u00ff\u00fe=\u00ff",
  ];
  if (real) variants.push(real, real, real, `${real}; ${SESSION_COOKIE}=forged`, `${SESSION_COOKIE}=forged; ${real}`, `${real}x`);
  return variants;
}

const ORIGINS = [undefined, "http://localhost", "http://localhost", "https://evil.example", "null", "http://localhost.evil.example", "http://localhost:1"];

function fillPath(path: string): string {
  return path.replace(/:[A-Za-z]+/g, () => (random() < 0.3 ? pick(realIds) : pick(ODD_PARAMS))).replace(/\*/g, () => pick(ODD_PARAMS));
}

const ODD_PATHS = [
  "//crm//schools//applications", "/crm/schools/applications/", "/CRM/SCHOOLS/", "/crm/schools/../admin/", "/crm/%2e%2e/admin/", "/public/..%2Fpackage.json",
  "/public/%2e%2e%2fsrc%2fconfig.ts", "/public/", "/public/.env", "/admin/%00", "/" + "a/".repeat(500), "/healthz/", "/healthz?x=" + "%".repeat(100), "/simulator/chats/",
  "/crm/schools/applications/1/status/extra", "/%F0%9F%92%A9", "/admin/schools/1/offers/", "/.git/config", "/crm/login/token?t=" + "A".repeat(3000),
];

/** A checksum of every table but login_attempts (which a refused login may add to). */
async function checksums(): Promise<Record<string, string>> {
  const db = t.database.db;
  const tables = (await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)) as unknown as
    | { rows: { table_name: string }[] }
    | { table_name: string }[];
  // login_attempts records the fuzz's failed logins; trust_trend_points memoises past weeks'
  // trust values that a statistics view computes (derived from the rows, the same on every view).
  const names = (Array.isArray(tables) ? tables : tables.rows)
    .map((r) => r.table_name)
    .filter((n) => n !== "login_attempts" && n !== "trust_trend_points" && !n.startsWith("__drizzle"));
  const out: Record<string, string> = {};
  for (const name of names) {
    const res = (await db.execute(sql.raw(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum from "${name}" t`))) as unknown as
      | { rows: { sum: string }[] }
      | { sum: string }[];
    out[name] = (Array.isArray(res) ? res : res.rows)[0]!.sum;
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ env: { SIMULATOR: "1" } });
  const db = t.database.db;
  const school = await fx.createSchool(db);
  const instructor = await fx.createInstructor(db, { cityId: school.cityId });
  const schoolStaff = await fx.createStaff(db, { schoolId: school.id });
  const instructorStaff = await fx.createStaff(db, { instructorId: instructor.id });
  const apps = [
    await fx.createApplication(db, { schoolId: school.id, cityId: school.cityId }),
    await fx.createApplication(db, { instructorId: instructor.id, cityId: school.cityId }),
  ];
  const s = await fx.loginAs(t, schoolStaff.login, "school");
  const i = await fx.loginAs(t, instructorStaff.login, "instructor");
  const a = await loginAdmin(t, (await createAdmin(t)).login);
  // A template to aim at.
  expect((await s.request("/crm/schools/templates", { form: { title: "Шаблон", body: "{имя}, заявка № {номер}." }, htmx: true })).status).toBe(200);
  realIds = [String(school.id), String(instructor.id), String(school.cityId), ...apps.map((x) => String(x.id)), String(schoolStaff.id), "1", "2"];
  who.push(
    { name: "anonymous", cookie: null, forgedCsrf: "forged-token" },
    { name: "school", cookie: s.cookie, forgedCsrf: i.csrf },
    { name: "instructor", cookie: i.cookie, forgedCsrf: a.csrf },
    { name: "admin", cookie: a.cookie, forgedCsrf: s.csrf.slice(0, -1) + (s.csrf.endsWith("A") ? "B" : "A") },
  );
});
afterAll(() => t.dispose());

interface Sent {
  method: string;
  url: string;
  who: string;
  body: string;
  status: number | string;
}

async function send(method: string, path: string, w: Who, b: Body, opts: { cookie?: string | null; origin?: string; csrf?: string | null; htmx?: boolean }): Promise<Sent> {
  const headers = new Headers();
  try {
    if (opts.cookie) headers.set("cookie", opts.cookie);
    if (opts.origin) headers.set("origin", opts.origin);
    if (opts.csrf) headers.set("x-csrf-token", opts.csrf);
    if (opts.htmx) headers.set("hx-request", "true");
    if (b.contentType) headers.set("content-type", b.contentType);
    for (const [k, v] of Object.entries(b.headers ?? {})) headers.set(k, v);
  } catch {
    // A header value the Headers class refuses cannot be sent by a client either.
  }
  const withBody = b.body !== undefined && method !== "GET" && method !== "HEAD";
  const url = `http://localhost${path}`;
  let request: Request;
  try {
    request = new Request(url, { method, headers, body: withBody ? b.body : undefined });
  } catch {
    return { method, url, who: w.name, body: b.name, status: "unsendable" };
  }
  let status: number | string;
  try {
    const res = await t.app.handle(request);
    status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    status = `threw: ${(err as Error).message}`;
  }
  return { method, url: path.slice(0, 200), who: w.name, body: b.name, status };
}

test(`${REQUESTS} malformed requests to every route: no 5xx, no data changed`, async () => {
  const routes = t.app.routes.map((r) => ({ method: r.method.toUpperCase(), path: r.path }));
  expect(routes.length).toBeGreaterThan(80);
  const before = await checksums();
  expect(Object.keys(before).length).toBeGreaterThan(15);
  const failures: Sent[] = [];
  const statuses = new Map<string, number>();
  let sent = 0;
  const record = (s: Sent) => {
    sent++;
    statuses.set(String(s.status), (statuses.get(String(s.status)) ?? 0) + 1);
    if (typeof s.status !== "number" ? s.status !== "unsendable" : s.status >= 500) failures.push(s);
  };
  const choose = (w: Who, method: string) => {
    const unsafe = method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
    // Logged in: the CSRF token is always missing or forged; Origin varies (often ours, so the token check is reached).
    const csrf = w.cookie ? pick([null, w.forgedCsrf, "", "x".repeat(200), w.forgedCsrf]) : pick([null, "forged"]);
    return { cookie: pick(cookieVariants(w)), origin: unsafe ? pick(ORIGINS) : pick([undefined, "https://evil.example"]), csrf, htmx: random() < 0.4 };
  };

  // 1. Every route, as every kind of visitor, with every body at least once over the run.
  for (const r of routes)
    for (const w of who) {
      const list = bodies(w.forgedCsrf);
      const tries = r.method === "GET" ? 2 : 4;
      for (let k = 0; k < tries; k++) {
        const b = r.method === "GET" ? list[0]! : pick(list);
        record(await send(r.method, fillPath(r.path) + (r.method === "GET" ? pick(ODD_QUERIES) : ""), w, b, choose(w, r.method)));
      }
    }
  // 2. Odd paths and wrong methods.
  for (const p of ODD_PATHS) for (const w of who) record(await send(pick(["GET", "POST"]), p, w, pick(bodies(w.forgedCsrf)), choose(w, "POST")));
  for (const r of routes) {
    const w = pick(who);
    record(await send(pick(BAD_METHODS), fillPath(r.path), w, pick(bodies(w.forgedCsrf)), choose(w, "POST")));
  }
  // 3. The rest: random combinations.
  while (sent < REQUESTS) {
    const r = pick(routes);
    const w = pick(who);
    const method = random() < 0.1 ? pick(BAD_METHODS) : r.method;
    const path = fillPath(r.path) + (random() < 0.3 ? pick(ODD_QUERIES) : "");
    record(await send(method, path, w, pick(bodies(w.forgedCsrf)), choose(w, method)));
  }

  const after = await checksums();
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
  expect({ sent: sent >= REQUESTS, failures: failures.slice(0, 20), changed }).toEqual({ sent: true, failures: [], changed: [] });
  // Every session is still alive: forged requests did not log anyone out.
  for (const w of who.filter((x) => x.cookie))
    expect((await t.request(w.name === "admin" ? "/admin/schools" : `/crm/${w.name === "school" ? "schools" : "instructors"}/applications`, { headers: { cookie: w.cookie! } })).status).toBe(200);
  // The mix really covered refusals of every kind (a sanity check that requests reached the guards).
  for (const code of ["400", "403", "404", "413"]) expect(statuses.get(code) ?? 0).toBeGreaterThan(0);
});
