// Security controls of the web side (docs/security.md): headers and CSP on every answer, no
// inline script or style in pages, session ids that change at login and end at logout, the
// password rules, growing delays and locks against password guessing (audited), the client
// address behind a trusted proxy, and the bot token kept out of error pages, /healthz and logs.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, spyOn, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { accounts, auditLog, loginAttempts, sessions } from "../../src/db/schema.ts";
import { AccountError, createAccount, upsertAccount } from "../../src/domain/accounts.ts";
import { LOGIN_LIMITS, loginDelaySeconds } from "../../src/domain/auth.ts";
import { isCommonPassword, PASSWORD_MIN_LENGTH, passwordProblem } from "../../src/domain/passwords.ts";
import { clientAddressOf, CONTENT_SECURITY_POLICY } from "../../src/web/plugins/security.tsx";
import { SESSION_COOKIE } from "../../src/domain/auth.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import postgres from "postgres";
import { serverUrl } from "../support/db.ts";
import { createAdmin, loginAdmin } from "./admin-support.ts";

setDefaultTimeout(30_000);

const TOKEN = "123456789:AAH-secret_token-ABCDEFGHIJKLMNOPQRSTU";

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let staff: Awaited<ReturnType<typeof fx.createStaff>>;
let xff = 0;
/** A login form post; every call gets its own client address unless one is given (TRUST_PROXY=1). */
const post = (path: string, f: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", "x-forwarded-for": `10.9.${(xff >> 8) & 255}.${xff++ & 255}`, ...headers },
    body: fx.formBody(f),
  });
const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

beforeAll(async () => {
  t = await createTestApp({ env: { TRUST_PROXY: "1", TELEGRAM_BOT_TOKEN: TOKEN } });
  // A route that fails with the token in its message, as a Bot API URL in an error would.
  t.app.get("/__boom", () => {
    throw new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed`);
  });
  school = await fx.createSchool(t.database.db);
  staff = await fx.createStaff(t.database.db, { schoolId: school.id });
});
afterAll(() => t.dispose());

describe("headers", () => {
  const expectSecurityHeaders = (res: Response, where: string) => {
    const h: Record<string, string | null> = Object.fromEntries(["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"].map((k) => [k, res.headers.get(k)]));
    expect({ where, ...h } as Record<string, string | null>).toEqual({
      where,
      "content-security-policy": CONTENT_SECURITY_POLICY,
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
    });
  };

  test("every answer carries CSP, frame, sniffing and referrer headers, errors included", async () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
    const s = await fx.loginAs(t, staff.login, "school");
    const answers: [string, Response][] = [
      ["/", await t.request("/")],
      ["login", await t.request("/crm/schools/login/")],
      ["admin login", await t.request("/admin/")],
      ["healthz", await t.request("/healthz")],
      ["css", await t.request("/public/app.css")],
      ["404", await t.request("/no/such/page")],
      ["404 htmx", await t.request("/no/such/page", { headers: { "hx-request": "true" } })],
      ["redirect", await t.request("/crm/schools/applications")],
      ["inbox", await s.request("/crm/schools/applications")],
      ["403", await s.request("/crm/schools/templates", { form: { title: "x" }, noCsrf: true })],
      ["413", await t.request("/crm/schools/login/", { method: "POST", headers: { "content-length": "999999" }, body: "x" })],
      ["400", await s.request("/crm/schools/templates", { method: "POST", headers: { "content-type": "application/json" }, body: "{" })],
      ["401", await post("/crm/schools/login/", { login: "nobody-here", password: "wrong-password" })],
    ];
    for (const [where, res] of answers) expectSecurityHeaders(res, `${where} (${res.status})`);
    expect(answers.find(([w]) => w === "healthz")![1].headers.get("strict-transport-security")).toBeNull();
  });

  test("HSTS when PUBLIC_URL is https", async () => {
    const other = await createTestApp({ env: { PUBLIC_URL: "https://crm.avtomat.kz" } });
    for (const path of ["/", "/crm/schools/login/", "/missing"])
      expect((await other.request(path)).headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    await other.dispose();
  });

  test("pages have no inline script, style or event handler attribute (the CSP would block them)", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    await fx.createApplication(t.database.db, { schoolId: school.id, cityId: school.cityId });
    const admin = await loginAdmin(t, (await createAdmin(t)).login);
    const pages = [
      await (await t.request("/")).text(),
      await (await t.request("/crm/schools/login/")).text(),
      await (await s.request("/crm/schools/applications")).text(),
      await (await s.request("/crm/schools/templates")).text(),
      await (await s.request("/crm/schools/profile")).text(),
      await (await admin.request("/admin/")).text(),
      await (await admin.request("/admin/schools")).text(),
      await (await admin.request("/admin/accounts")).text(),
    ];
    for (const html of pages) {
      expect(html).toContain("<!doctype html>");
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
      expect(html.match(/<style\b/g)).toBeNull();
      expect(html.match(/\sstyle=/g)).toBeNull();
      expect(html.match(/\son[a-z]+=/g)).toBeNull();
      expect(html.match(/hx-on|javascript:|["']js:/g)).toBeNull();
    }
  });
});

describe("sessions", () => {
  test("the session id changes at login: a planted cookie is not adopted, a previous session ends", async () => {
    const planted = `${SESSION_COOKIE}=attackerchosenid0000000000000000`;
    const first = await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD }, { cookie: planted });
    expect(first.status).toBe(303);
    const c1 = cookieOf(first);
    expect(c1.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(c1).not.toBe(planted);
    expect((await t.request("/crm/schools/applications", { headers: { cookie: planted } })).status).toBe(303);
    // Logging in again from a browser that has a session (no CSRF token on a login form): new id, old one gone.
    const second = await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD }, { cookie: c1 });
    expect(second.status).toBe(303);
    const c2 = cookieOf(second);
    expect(c2).not.toBe(c1);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, c1.split("=")[1]!))).toHaveLength(0);
    expect((await t.request("/crm/schools/applications", { headers: { cookie: c1 } })).status).toBe(303);
    expect((await t.request("/crm/schools/applications", { headers: { cookie: c2 } })).status).toBe(200);
  });

  test("logout deletes the session row; the old cookie no longer works (CRM and admin)", async () => {
    const s = await fx.loginAs(t, staff.login, "school");
    const id = s.cookie.split("=")[1]!;
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(1);
    expect((await s.request("/crm/logout", { method: "POST" })).status).toBe(303);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
    expect((await s.request("/crm/schools/applications")).status).toBe(303);
    // The stale cookie cannot post either: it is no session, and without one a CRM route wants a login.
    expect((await s.request("/crm/schools/templates", { form: { title: "x", body: "y" } })).status).toBe(303);

    const admin = await loginAdmin(t, (await createAdmin(t)).login);
    const adminId = admin.cookie.split("=")[1]!;
    expect((await admin.request("/admin/logout", { method: "POST" })).status).toBe(303);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, adminId))).toHaveLength(0);
    expect((await admin.request("/admin/schools")).status).toBe(303);
  });
});

describe("passwords", () => {
  test("a minimum length, the common-password list and the login are checked, in Russian", () => {
    expect(passwordProblem("short1")).toContain(`не меньше ${PASSWORD_MIN_LENGTH} символов`);
    for (const common of ["1q2w3e4r5t", "qwertyuiop", "Password123", "1234567890", "йцукенгшщз"]) {
      expect(isCommonPassword(common)).toBe(true);
      expect(passwordProblem(common)).toBe("Этот пароль слишком распространён и легко подбирается. Выберите другой.");
    }
    expect(passwordProblem("aaaaaaaaaaaa")).toContain("слишком простой");
    expect(passwordProblem("zhol-manager-2024", "zhol-manager")).toBe("Пароль не должен содержать логин.");
    expect(passwordProblem(fx.PASSWORD)).toBeNull();
    expect(passwordProblem("x".repeat(5) + "yz".repeat(200))).toContain("слишком длинный");
  });

  test("creating or resetting an account refuses a weak password", async () => {
    const db = t.database.db;
    await expect(createAccount(db, { login: "weak-one", password: "qwertyuiop", role: "school", schoolId: school.id })).rejects.toThrow(AccountError);
    await expect(createAccount(db, { login: "weak-two", password: "short", role: "school", schoolId: school.id })).rejects.toThrow("Пароль слишком короткий");
    expect(await db.select().from(accounts).where(sql`${accounts.login} in ('weak-one', 'weak-two')`)).toHaveLength(0);
    await expect(upsertAccount(db, { login: staff.login, password: "1234567890", role: "school", schoolId: school.id })).rejects.toThrow("распространён");
    // The old password still works.
    expect((await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD })).status).toBe(303);
  });
});

describe("password guessing", () => {
  const backdate = (login: string, seconds: number) =>
    t.database.db.update(loginAttempts).set({ at: sql`${loginAttempts.at} - make_interval(secs => ${seconds})` }).where(eq(loginAttempts.login, login));
  const audits = (subject: string, action: string) =>
    t.database.db.select().from(auditLog).where(and(eq(auditLog.subject, subject), eq(auditLog.action, action)));

  test("the delay grows: none for the first failures, then 2 s, 4 s, … capped", () => {
    const d = Array.from({ length: 12 }, (_, n) => loginDelaySeconds(n, LOGIN_LIMITS.perLogin));
    expect(d.slice(0, LOGIN_LIMITS.perLogin)).toEqual(Array(LOGIN_LIMITS.perLogin).fill(0));
    for (let n = LOGIN_LIMITS.perLogin + 1; n < d.length; n++) expect(d[n]!).toBeGreaterThanOrEqual(d[n - 1]!);
    expect(d[LOGIN_LIMITS.perLogin]).toBe(2);
    expect(Math.max(...d)).toBeLessThanOrEqual(LOGIN_LIMITS.maxDelaySeconds);
  });

  test(`one account: delays after ${LOGIN_LIMITS.perLogin} failures, a ${LOGIN_LIMITS.lockMinutes}-minute lock after ${LOGIN_LIMITS.lockLogin} (audited once), then a login works and is audited`, async () => {
    const victim = await fx.createStaff(t.database.db, { schoolId: school.id });
    const wrong = { login: victim.login, password: "wrong-password" };
    for (let i = 0; i < LOGIN_LIMITS.perLogin; i++) expect((await post("/crm/schools/login/", wrong)).status).toBe(401);
    // The delay is owed even with the right password, from any address.
    const early = await post("/crm/schools/login/", { login: victim.login, password: fx.PASSWORD });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await early.text()).toContain("Слишком много неудачных попыток входа. Подождите");
    // Each wait is honoured (the clock is moved instead of sleeping), until the lock.
    for (let i = LOGIN_LIMITS.perLogin; i < LOGIN_LIMITS.lockLogin; i++) {
      await backdate(victim.login, 61);
      expect((await post("/crm/schools/login/", wrong)).status).toBe(401);
    }
    const locked = await post("/crm/schools/login/", { login: victim.login, password: fx.PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("вход временно заблокирован");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(LOGIN_LIMITS.lockMinutes * 60 - 60);
    // Still locked after 14 minutes; attempts during the lock do not extend it.
    await backdate(victim.login, 14 * 60);
    expect((await post("/crm/schools/login/", { login: victim.login, password: fx.PASSWORD })).status).toBe(429);
    const [lock, ...more] = await audits(`login:${victim.login}`, "login.locked");
    expect(more).toHaveLength(0);
    expect(lock!.accountId).toBe(victim.id);
    expect(lock!.after).toMatchObject({ failures: LOGIN_LIMITS.lockLogin, minutes: LOGIN_LIMITS.lockMinutes });
    await backdate(victim.login, 2 * 60);
    expect((await post("/crm/schools/login/", { login: victim.login, password: fx.PASSWORD })).status).toBe(303);
    const [ok] = await audits(`login:${victim.login}`, "login.succeeded");
    expect(ok!.accountId).toBe(victim.id);
    expect(await t.database.db.select().from(loginAttempts).where(eq(loginAttempts.login, victim.login))).toHaveLength(0);
  });

  test("an unknown login is limited and locked the same way (a lock does not tell which logins exist)", async () => {
    const ghost = "no-such-login-here";
    for (let i = 0; i < LOGIN_LIMITS.perLogin; i++) expect((await post("/admin/login", { login: ghost, password: "x" })).status).toBe(401);
    expect((await post("/admin/login", { login: ghost, password: "x" })).status).toBe(429);
  });

  test("parallel guesses cannot slip through the delay together", async () => {
    const victim = await fx.createStaff(t.database.db, { schoolId: school.id });
    const answers = await Promise.all(Array.from({ length: 24 }, () => post("/crm/schools/login/", { login: victim.login, password: "wrong-password" })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_LIMITS.perLogin);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });

  // On a server only: PGlite has one connection, so nothing else can hold the lock there.
  test.skipIf(!serverUrl)("an attempt that waits too long behind others on its login is refused, not queued", async () => {
    const other = postgres(t.database.url!, { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(1, hashtext(${"queued-login"}))`; // an attempt in progress
        const res = await post("/crm/schools/login/", { login: "queued-login", password: "wrong-password" });
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("2");
      });
      expect(await t.database.db.select().from(loginAttempts).where(eq(loginAttempts.login, "queued-login"))).toEqual([]);
    } finally {
      await other.end();
    }
  });

  test("one address: delayed past its allowance and locked after many failures (audited), other addresses unaffected", async () => {
    const ip = "203.0.113.77";
    const address = { "x-forwarded-for": `${ip}, 10.0.0.1` };
    // Earlier failures from that address, with many logins (written directly: 50 argon2 checks are slow).
    const failures = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ login: `guess-${from + i}`, address: ip }));
    await t.database.db.insert(loginAttempts).values(failures(LOGIN_LIMITS.perAddress - 1, 0));
    expect((await post("/crm/instructors/login/", { login: "guess-x", password: "nope-nope-1" }, address)).status).toBe(401);
    expect((await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD }, address)).status).toBe(429);
    expect((await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD }, { "x-forwarded-for": "203.0.113.78" })).status).toBe(303);
    await t.database.db.insert(loginAttempts).values(failures(LOGIN_LIMITS.lockAddress - LOGIN_LIMITS.perAddress - 1, 100));
    await t.database.db.update(loginAttempts).set({ at: sql`now() - make_interval(secs => ${LOGIN_LIMITS.maxDelaySeconds + 1})` }).where(eq(loginAttempts.address, ip));
    expect((await post("/crm/instructors/login/", { login: "guess-y", password: "nope-nope-1" }, address)).status).toBe(401);
    const locked = await post("/crm/schools/login/", { login: staff.login, password: fx.PASSWORD }, address);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("заблокирован");
    expect(await audits(`address:${ip}`, "login.locked")).toHaveLength(1);
  });

  test("the client address: the socket's, or the first X-Forwarded-For one only behind a trusted proxy", () => {
    const req = new Request("http://localhost/", { headers: { "x-forwarded-for": "198.51.100.7, 10.0.0.2" } });
    expect(clientAddressOf(req, "10.0.0.2", true)).toBe("198.51.100.7");
    expect(clientAddressOf(req, "10.0.0.2", false)).toBe("10.0.0.2");
    expect(clientAddressOf(new Request("http://localhost/", { headers: { "x-forwarded-for": "<script>" } }), "10.0.0.2", true)).toBe("10.0.0.2");
    expect(clientAddressOf(new Request("http://localhost/"), undefined, false)).toBe("unknown");
  });

  test("TRUST_PROXY is validated", async () => {
    const { loadConfig, ConfigError } = await import("../../src/config.ts");
    expect(loadConfig({ NODE_ENV: "test", TRUST_PROXY: "1" }).trustProxy).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).trustProxy).toBe(false);
    expect(() => loadConfig({ NODE_ENV: "test", TRUST_PROXY: "maybe" })).toThrow(ConfigError);
  });
});

describe("the bot token", () => {
  test("never appears in error pages, /healthz or the error log", async () => {
    expect(t.config.telegramToken).toBe(TOKEN);
    const secret = TOKEN.split(":")[1]!;
    const logged: string[] = [];
    const spy = spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write);
    try {
      const answers = [
        await t.request("/__boom"),
        await t.request("/__boom", { headers: { "hx-request": "true" } }),
        await t.request("/healthz"),
        await t.request("/no/such/page"),
        await t.request("/crm/schools/login/", { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost" }, body: "{" }),
      ];
      expect(answers[0]!.status).toBe(500);
      for (const res of answers) {
        const body = await res.text();
        expect(body).not.toContain(secret);
        expect(JSON.stringify(res.headers.toJSON())).not.toContain(secret);
      }
    } finally {
      spy.mockRestore();
    }
    expect(logged.join("")).toContain("request failed");
    expect(logged.join("")).not.toContain(secret);
  });
});
