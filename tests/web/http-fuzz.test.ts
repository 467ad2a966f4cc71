// Hostile HTTP: thousands of malformed requests to every route the app has (taken from Elysia's
// app.routes, path parameters filled with odd values): bad methods, huge and broken bodies, wrong
// content types, odd paths and queries, bad cookies, missing and forged CSRF tokens and Origins,
// as an anonymous visitor and as logged-in school, instructor and admin sessions (whose CSRF
// token is never the right one). Nothing may answer 5xx, and no table may change (checksums of
// every table before and after; login_attempts is the only one allowed to grow).
//
// Then the door itself: with real sessions and valid CSRF tokens, every route gets a valid
// request with one value poisoned at a time (NUL, 2^31, 1e308, year 9999, lone surrogates, 5 kB)
// in each body field, query parameter and path parameter. No 5xx, no ERROR log line, and a
// refused request (400/404/409/413/422) changes nothing.
import { reviewOf } from "../support/reviews.ts";
import { afterAll, beforeAll, expect, setDefaultTimeout, spyOn, test } from "bun:test";
import { sql } from "drizzle-orm";
import { instructorSlots, lessons, schoolOffers } from "../../src/db/schema.ts";
import { SESSION_COOKIE } from "../../src/domain/auth.ts";
import { log } from "../../src/log.ts";
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
/** Logged-in sessions with their real CSRF tokens, and real ids per path parameter (poison test). */
const sessions: Partial<Record<"school" | "instructor" | "admin", fx.Session>> = {};
const ids: Record<string, string> = {};

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
  t = await createTestApp({ env: { SIMULATOR: "1", TELEGRAM_BOT_USERNAME: "avtomat_fuzz_bot" } });
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
  const [offer] = await db.insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "in_person", priceKzt: 150_000, durationWeeks: 8 }).returning();
  const [slot] = await db.insert(instructorSlots).values({ instructorId: instructor.id, startsAt: new Date(Date.now() + 5 * 86_400_000) }).returning();
  const [lesson] = await db.insert(lessons).values({ applicationId: apps[1]!.id, instructorId: instructor.id, startsAt: new Date(Date.now() - 3_600_000) }).returning();
  // Reviews to answer and hide (issue 16).
  const schoolReview = await reviewOf(db, { schoolId: school.id, cityId: school.cityId }, { rating: 4, comment: "Хорошо" });
  const instructorReview = await reviewOf(db, { instructorId: instructor.id, cityId: school.cityId }, { rating: 5, comment: "Отлично" });
  const template = (await db.execute(sql`select id from reply_templates order by id limit 1`)) as unknown as { rows: { id: number }[] } | { id: number }[];
  Object.assign(ids, {
    city: String(school.cityId), school: String(school.id), instructor: String(instructor.id), offer: String(offer!.id), slot: String(slot!.id), lesson: String(lesson!.id),
    schoolApp: String(apps[0]!.id), instructorApp: String(apps[1]!.id), template: String((Array.isArray(template) ? template : template.rows)[0]!.id),
    account: String(schoolStaff.id), student: String(apps[0]!.studentId), chat: "990000001",
    schoolReview: String(schoolReview.review.id), instructorReview: String(instructorReview.review.id),
  });
  Object.assign(sessions, { school: s, instructor: i, admin: a });
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

// ---- the door: one poisoned value at a time, in otherwise valid requests ----------------------

/** Form-encoded poisons (raw, already %-encoded where needed): NUL, 2^31, 1e308, year 9999, a lone surrogate, 5 kB. */
const POISON_RAW = ["a%00b", "%00", "2147483648", "1e308", "9999", "9999-12-31", "%ED%A0%80", "x".repeat(5000)];
/** The same in JSON bodies, where a lone surrogate and NUL arrive as real characters, numbers as numbers. */
const POISON_JSON: unknown[] = ["a\u0000b", "\uD800", "x\uDFFFy", 2147483648, 1e308, "9999-12-31", "x".repeat(5000)];
/** Path parameters. */
const POISON_PATH = ["%00", "2147483648", "1e308", "9999-12-31", "%ED%A0%80", "x".repeat(5000)];

interface Door {
  /** Who sends it: a session of that area, or nobody (login pages, public). */
  as: "school" | "instructor" | "admin" | null;
  /** A valid body (form fields), poisoned one field at a time. */
  body?: Record<string, string>;
  /** The body is JSON (the simulator's endpoints). */
  json?: boolean;
  /** Query parameters the route reads, poisoned one at a time. */
  query?: Record<string, string>;
  /** Nothing to poison and a valid request would end the session: not sent. */
  skip?: true;
}

const SCHOOL_PROFILE = { name: "Автошкола", address: "ул. Абая, 1", phone: "+7 701 123 45 67", whatsapp: "", description: "Описание", kaspiUrl: "", halykUrl: "" };
const OFFER = { category: "B", format: "in_person", kind: "full_course", priceKzt: "150000", durationWeeks: "8", hours: "10", includes: "топливо" };
const INSTRUCTOR = { name: "Инструктор", phone: "+7 701 123 45 68", whatsapp: "", car: "Toyota", transmission: "automatic", pricePerHourKzt: "5000", kaspiUrl: "", halykUrl: "" };
const INBOX_QUERY = { status: "new", from: "2025-01-01", to: "2025-12-31", q: "Айдана", waiting: "1", page: "1" };
const ADMIN_APPS_QUERY = { city: "1", school: "1", instructor: "1", student: "1", status: "new", from: "2025-01-01", to: "2025-12-31", page: "1" };
const LOGIN = { login: "nobody", password: "wrong-password" };

/** Every route the app has, with what it reads. A route missing here fails the test. */
function doorOf(method: string, path: string): Door | undefined {
  const area = path.startsWith("/crm/schools") ? "school" : path.startsWith("/crm/instructors") ? "instructor" : path.startsWith("/admin") ? "admin" : null;
  const rest = area === "school" ? path.slice("/crm/schools".length) : area === "instructor" ? path.slice("/crm/instructors".length) : path;
  const key = `${method} ${area && area !== "admin" ? "/crm/*" + rest : path}`;
  const login = area && rest === "/login/" && method === "POST";
  if (login || key === "POST /admin/login") return { as: null, body: LOGIN };
  const doors: Record<string, Omit<Door, "as"> & { as?: Door["as"] }> = {
    "GET /": {}, "GET /healthz": {}, "GET /public/:file": {}, "GET /favicon.ico": {}, "GET /admin": {}, "GET /crm/*/login": { as: null }, "GET /crm/*/login/": { as: null },
    "POST /crm/logout": { skip: true }, "POST /admin/logout": { skip: true }, "POST /language": { as: null, body: { language: "kk", back: "/crm/schools/login/" } }, "GET /crm/login/token": { as: null, query: { t: "token" } }, "POST /crm/login/token": { as: null, body: { t: "token" } },
    "GET /crm/*/": {}, "GET /crm/*/applications": { query: INBOX_QUERY }, "GET /crm/*/applications/poll": { query: { ...INBOX_QUERY, after: "0" } },
    "GET /crm/*/applications/:id": {}, "GET /crm/*/applications/:id/row": {}, "GET /crm/*/applications/:id/panel": {},
    "GET /crm/*/applications/export.csv": { query: { status: "new", from: "2025-01-01", to: "2025-12-31" } },
    "GET /crm/*/applications/:id/thread": { query: { after: "0" } }, "GET /crm/*/applications/:id/media/:eventId": {},
    "GET /crm/*/applications/:id/reject": { query: { view: "panel" } },
    // reason first: its poisons run while the application is still "new" (a valid move makes it final).
    "POST /crm/*/applications/:id/status": { body: { reason: "Нет мест", from: "new", to: "rejected", view: "row" } },
    "POST /crm/*/applications/:id/reply": { body: { text: "Здравствуйте", templateId: "" } },
    "POST /crm/*/applications/:id/notes": { body: { text: "Заметка" } },
    // payments (issue 16): nothing is claimed on the fuzzed application, so every valid answer is refused too.
    "POST /crm/*/applications/:id/payment/confirm": {}, "POST /crm/*/applications/:id/payment/mark": {},
    "POST /crm/*/applications/:id/payment/dispute": { body: { reason: "Платёж не найден" } },
    "GET /crm/*/templates": {}, "POST /crm/*/templates": { body: { title: "Шаблон", body: "Текст", bodyKk: "Мәтін" } }, "POST /crm/*/templates/:id": { body: { title: "Шаблон", body: "Текст", bodyKk: "Мәтін" } },
    "GET /crm/*/auto-replies": {}, "POST /crm/*/auto-replies/:event": { body: { ru: "{имя}: {причина}", kk: "{имя}: {причина}" } },
    "POST /crm/*/auto-replies/:event/preview": { body: { ru: "{имя}", kk: "{имя}" } },
    "POST /crm/*/templates/:id/delete": {}, "GET /crm/*/telegram": {}, "POST /crm/*/telegram/code": { skip: true }, "POST /crm/*/telegram/unlink": { skip: true },
    "GET /crm/*/stats": { query: { from: "2025-01-01", to: "2025-12-31" } },
    "GET /crm/*/profile": { query: { tag: "instagram" } }, "POST /crm/*/profile": { body: area === "school" ? SCHOOL_PROFILE : INSTRUCTOR },
    "POST /crm/*/offers": { body: OFFER }, "POST /crm/*/offers/:id": { body: OFFER }, "POST /crm/*/offers/:id/delete": {},
    "GET /crm/*/share": { query: { tag: "instagram" } }, "GET /crm/*/share/qr.svg": { query: { tag: "instagram" } }, "GET /crm/*/share/print": { query: { tag: "instagram" } },
    "GET /crm/*/availability": {},
    "POST /crm/*/availability/template": { body: { op: "save", r0_weekday: "1", r0_from: "09:00", r0_to: "12:00", r0_minutes: "60" } },
    "POST /crm/*/availability/block": { body: { day: "2030-01-07", reason: "Болею", bookings: "cancel" } },
    "POST /crm/*/availability/return-day": { body: { day: "2030-01-07" } }, // rolling availability (issue 15)
    "POST /crm/*/availability/slots": { body: { day: "2030-01-08", time: "10:00", minutes: "60" } },
    "POST /crm/*/availability/slots/:id/cancel": { body: { reason: "Машина в ремонте" } },
    "GET /crm/*/availability/slots/:id/row": {}, "GET /crm/*/availability/slots/:id/cancel": {},
    "GET /crm/*/lessons": { query: { application: "1" } },
    "POST /crm/*/lessons/:id/mark": { body: { state: "no_show", by: "student" } },
    "POST /crm/*/lessons": { body: { application: "1", day: "2030-01-09", time: "10:00", minutes: "60", place: "Парковка" } },
    // Issue 15, CRM lessons: the week and moving / cancelling a lesson (both areas).
    "GET /crm/*/week": { query: { start: "2030-01-07" } },
    "POST /crm/*/lessons/:id/move": { body: { day: "2030-01-09", time: "12:00", minutes: "60", place: "Парковка" } },
    "POST /crm/*/lessons/:id/cancel": { body: { reason: "Болею" } },
    // reminders (issue 15): the lesson rules
    "GET /crm/*/lesson-rules": {},
    "POST /crm/*/lesson-rules": { body: { reminderFirstHours: "24", reminderSecondHours: "2", cancelCutoffHours: "24", meetingPoint: "Абая 1", answerAlerts: "on" } },
    // reviews (issue 16): the CRM page and its answer, the admin's list and Hide / Show
    "GET /crm/*/reviews": {}, "POST /crm/*/reviews/:id/answer": { body: { reply: "Спасибо за отзыв" } },
    "GET /admin/reviews": { query: { schoolId: "1", instructorId: "1", page: "1", notice: "review_hidden" } },
    "POST /admin/reviews/:id/hide": { query: { back: "/admin/reviews" } }, "POST /admin/reviews/:id/show": { query: { back: "/admin/reviews" } },
    "GET /admin/": { query: { hours: "24" } },
    "GET /admin/cities": { query: { notice: "saved" } }, "POST /admin/cities": { body: { nameRu: "Город", nameKk: "Қала", sort: "1", active: "on" } },
    "GET /admin/cities/:id": {}, "POST /admin/cities/:id": { body: { nameRu: "Город 2", nameKk: "Қала 2", sort: "2", active: "on" } },
    "POST /admin/cities/:id/deactivate": {}, "POST /admin/cities/:id/activate": {},
    "GET /admin/schools": { query: { q: "Авто", city: "1", state: "active", kazakh: "missing", page: "1" } }, "GET /admin/schools/new": {},
    "POST /admin/schools": { body: { ...SCHOOL_PROFILE, cityId: "1" } }, "GET /admin/schools/:id": { query: { notice: "saved" } },
    "POST /admin/schools/:id": { body: { ...SCHOOL_PROFILE, cityId: "1" } }, "POST /admin/schools/:id/deactivate": {}, "POST /admin/schools/:id/activate": {},
    "POST /admin/schools/:id/offers": { body: OFFER }, "GET /admin/schools/:id/offers/:offerId": {}, "POST /admin/schools/:id/offers/:offerId": { body: OFFER },
    "POST /admin/schools/:id/offers/:offerId/deactivate": {}, "POST /admin/schools/:id/offers/:offerId/activate": {},
    "GET /admin/instructors": { query: { q: "Инст", city: "1", school: "independent", state: "active", page: "1" } }, "GET /admin/instructors/new": {},
    "POST /admin/instructors": { body: { ...INSTRUCTOR, cityId: "1", schoolId: "", categories: "B" } }, "GET /admin/instructors/:id": { query: { notice: "saved" } },
    "POST /admin/instructors/:id": { body: { ...INSTRUCTOR, cityId: "1", schoolId: "", categories: "B" } },
    "POST /admin/instructors/:id/deactivate": {}, "POST /admin/instructors/:id/activate": {},
    "POST /admin/instructors/:id/slots": { body: { startsAt: "2030-01-10T10:00", minutes: "60" } }, "POST /admin/instructors/:id/slots/:slotId/cancel": {},
    "GET /admin/accounts": { query: { q: "staff", role: "school", page: "1", notice: "enabled" } },
    "POST /admin/accounts": { body: { login: "new-login", displayName: "Менеджер", owner: "school:1" } },
    "POST /admin/accounts/:id/reset": {}, "POST /admin/accounts/:id/disable": { skip: true }, "POST /admin/accounts/:id/enable": {},
    "GET /admin/applications": { query: ADMIN_APPS_QUERY }, "GET /admin/applications/export.csv": { query: ADMIN_APPS_QUERY }, "GET /admin/applications/:id": {},
    "GET /admin/students": { query: { q: "Айдана", page: "1" } }, "GET /admin/students/:id": { query: { notice: "blocked" } },
    "POST /admin/students/:id/block": {}, "POST /admin/students/:id/unblock": {},
    "GET /admin/audit": { query: { who: "admin", action: "city.create", subject: "city:1", from: "2025-01-01", to: "2025-12-31", page: "1" } },
    "GET /simulator": {}, "GET /simulator/": {}, "GET /simulator/csrf": {}, "GET /simulator/chats/:id": { query: { after: "0" } },
    "POST /simulator/chats/:id/send": { json: true, body: { text: "Привет" } }, "POST /simulator/chats/:id/press": { json: true, body: { messageId: "1", data: "city:1" } },
    "POST /simulator/chats/:id/contact": {}, "POST /simulator/chats/:id/profile": { json: true, body: { firstName: "Айдана", language: "ru" } },
    // Issue 15, iCal part: the public feed (the token is the credential) and the profile's feed card.
    "GET /calendar/:file": { as: null }, "POST /crm/*/profile/calendar": {}, "POST /crm/*/profile/calendar/revoke": {},
  };
  const door = doors[key];
  return door ? { as: door.as === undefined ? area : door.as, ...door } : undefined;
}

/** The real id a path parameter names on this route. */
function realParam(path: string, name: string): string {
  if (path.startsWith("/simulator")) return ids.chat!;
  if (name === "offerId") return ids.offer!;
  if (name === "slotId") return ids.slot!;
  if (name === "event") return "rejected"; // an automatic message both kinds have
  const noun = /\/([a-z]+)\/:id/.exec(path)?.[1];
  const kind = path.startsWith("/crm/instructors") ? "instructor" : "school";
  const byNoun: Record<string, string> = {
    cities: ids.city!, schools: ids.school!, instructors: ids.instructor!, accounts: ids.account!, students: ids.student!, templates: ids.template!,
    offers: ids.offer!, slots: ids.slot!, lessons: ids.lesson!, reviews: kind === "instructor" && !path.startsWith("/admin") ? ids.instructorReview! : ids.schoolReview!, applications: kind === "instructor" && !path.startsWith("/admin") ? ids.instructorApp! : ids.schoolApp!,
  };
  return byNoun[noun ?? ""] ?? "1";
}

const encodeForm = (fields: Record<string, string>, raw: { key: string; value: string } | null) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${raw && raw.key === k ? raw.value : encodeURIComponent(v)}`)
    .join("&");

/** One statement: a checksum per table (as in checksums(), in one round trip). */
let checksumSql = "";
async function fingerprint(): Promise<string> {
  if (!checksumSql) {
    const names = Object.keys(await checksums());
    checksumSql = "select " + names.map((n) => `(select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "${n}" t) as "${n}"`).join(", ");
  }
  const res = (await t.database.db.execute(sql.raw(checksumSql))) as unknown as { rows: Record<string, string>[] } | Record<string, string>[];
  return JSON.stringify((Array.isArray(res) ? res : res.rows)[0]);
}

test("every route, one poisoned value at a time (NUL, 2^31, 1e308, 9999, lone surrogates, 5 kB): no 5xx, no ERROR line, nothing changed when refused", async () => {
  const routes = t.app.routes.map((r) => ({ method: r.method.toUpperCase(), path: r.path }));
  const missing = routes.filter((r) => !doorOf(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
  expect(missing).toEqual([]);

  interface Case { method: string; url: string; as: Door["as"]; contentType?: string; body?: string; what: string }
  const cases: Case[] = [];
  for (const r of routes) {
    const door = doorOf(r.method, r.path)!;
    if (door.skip) continue;
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const pathWith = (poison?: { name: string; value: string }) => r.path.replace(/:([A-Za-z]+)/g, (_, n: string) => (poison?.name === n ? poison.value : realParam(r.path, n)));
    const queryOf = (poison?: { key: string; value: string }) => {
      const q = door.query ?? {};
      const s = encodeForm(q, poison ?? null);
      return s ? "?" + s : "";
    };
    const body = door.body ?? {};
    const contentType = door.json ? "application/json" : "application/x-www-form-urlencoded";
    const validBody = door.json ? JSON.stringify(body) : encodeForm(body, null);
    const send = (url: string, b: string | undefined, what: string) => cases.push({ method: r.method, url, as: door.as, contentType: b === undefined ? undefined : contentType, body: b, what });
    const bodyOrNone = r.method === "GET" ? undefined : door.body ? validBody : undefined;
    for (const name of params) for (const value of POISON_PATH) send(pathWith({ name, value }) + queryOf(), bodyOrNone, `param ${name}=${value.slice(0, 12)}`);
    for (const key of Object.keys(door.query ?? {})) for (const value of POISON_RAW) send(pathWith() + queryOf({ key, value }), bodyOrNone, `query ${key}=${value.slice(0, 12)}`);
    if (r.method !== "GET")
      for (const key of Object.keys(body)) {
        if (!door.json) for (const value of POISON_RAW) send(pathWith() + queryOf(), encodeForm(body, { key, value }), `form ${key}=${value.slice(0, 12)}`);
        for (const value of POISON_JSON) {
          const json = JSON.stringify({ ...body, [key]: value });
          cases.push({ method: r.method, url: pathWith() + queryOf(), as: door.as, contentType: "application/json", body: json, what: `json ${key}=${String(value).slice(0, 12)}` });
        }
      }
  }
  expect(cases.length).toBeGreaterThan(1000);

  const errors = spyOn(log, "error");
  const failures: string[] = [];
  let before = await fingerprint();
  for (const c of cases) {
    const headers: Record<string, string> = { origin: "http://localhost" };
    if (c.contentType) headers["content-type"] = c.contentType;
    const session = c.as ? sessions[c.as]! : null;
    const init = { method: c.method, headers, body: c.body };
    let status: number;
    try {
      const res = session ? await session.request(c.url, init) : await t.request(c.url, init);
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      failures.push(`${c.method} ${c.url.slice(0, 120)} ${c.what}: threw ${(err as Error).message}`);
      continue;
    }
    const after = await fingerprint();
    if (status >= 500) failures.push(`${c.method} ${c.url.slice(0, 120)} ${c.what}: ${status}`);
    else if ([400, 404, 409, 413, 422].includes(status) && after !== before) failures.push(`${c.method} ${c.url.slice(0, 120)} ${c.what}: refused (${status}) but data changed`);
    before = after;
  }
  const logged = errors.mock.calls.length;
  errors.mockRestore();
  if (failures.length) console.log(`${failures.length} of ${cases.length} poisoned requests failed:\n` + failures.join("\n"));
  // A lone surrogate that got through would be stored as U+FFFD (the drivers' replacement): none is.
  const names = Object.keys(await checksums());
  const mangled: string[] = [];
  for (const n of names) {
    const res = (await t.database.db.execute(sql.raw(`select count(*)::int as n from "${n}" t where t::text like '%' || chr(65533) || '%'`))) as unknown as { rows: { n: number }[] } | { n: number }[];
    if ((Array.isArray(res) ? res : res.rows)[0]!.n > 0) mangled.push(n);
  }
  expect({ failures: failures.length, logged, mangled }).toEqual({ failures: 0, logged: 0, mangled: [] });
});
