// Test data for the CRM: cities, schools, instructors, students, applications, staff logins,
// and a logged-in browser-like session (cookie + CSRF token) for route tests.
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { applicationEvents, applications, cities, instructors, schools, students, type ApplicationStatus } from "../../src/db/schema.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import type { TestApp } from "./app.ts";

let seq = 0;
const next = () => `${process.pid}${++seq}${Math.random().toString(36).slice(2, 6)}`;

export async function createCity(db: Db, name = `Город ${next()}`) {
  const [c] = await db.insert(cities).values({ nameRu: name, nameKk: name }).returning();
  return c!;
}

export async function createSchool(db: Db, opts: { cityId?: number; name?: string } = {}) {
  const cityId = opts.cityId ?? (await createCity(db)).id;
  const [s] = await db
    .insert(schools)
    .values({ cityId, name: opts.name ?? `Автошкола ${next()}`, phone: "+77010000001", kaspiUrl: "https://pay.kaspi.kz/pay/x" })
    .returning();
  return s!;
}

export async function createInstructor(db: Db, opts: { cityId?: number; name?: string } = {}) {
  const cityId = opts.cityId ?? (await createCity(db)).id;
  const [i] = await db
    .insert(instructors)
    .values({ cityId, name: opts.name ?? `Инструктор ${next()}`, transmission: "automatic", pricePerHourKzt: 8000, phone: "+77010000002" })
    .returning();
  return i!;
}

export async function createStudent(db: Db, opts: { firstName?: string; language?: "ru" | "kk" } = {}) {
  const id = 100_000 + Math.floor(Math.random() * 1e9);
  const [s] = await db
    .insert(students)
    .values({ telegramId: id, chatId: id, firstName: opts.firstName ?? "Айдана", language: opts.language ?? "ru", phone: "+77015550000" })
    .returning();
  return s!;
}

export async function createApplication(
  db: Db,
  target: { schoolId: number; cityId: number } | { instructorId: number; cityId: number; slotId?: number },
  opts: { studentId?: number; studentName?: string; phone?: string; status?: ApplicationStatus; createdAt?: Date } = {},
) {
  const studentId = opts.studentId ?? (await createStudent(db, { firstName: opts.studentName })).id;
  const key = next();
  const [a] = await db
    .insert(applications)
    .values({
      publicNumber: key.slice(-8),
      studentId,
      kind: "schoolId" in target ? "school" : "instructor",
      cityId: target.cityId,
      schoolId: "schoolId" in target ? target.schoolId : null,
      instructorId: "instructorId" in target ? target.instructorId : null,
      slotId: "instructorId" in target ? (target.slotId ?? null) : null,
      category: "B",
      format: "schoolId" in target ? "in_person" : null,
      transmission: "instructorId" in target ? "automatic" : null,
      studentName: opts.studentName ?? "Айдана Серикова",
      studentPhone: opts.phone ?? "+77015550000",
      status: opts.status ?? "new",
      idempotencyKey: key,
      createdAt: opts.createdAt ?? sql`now()` as unknown as Date,
    })
    .returning();
  await db.insert(applicationEvents).values({ applicationId: a!.id, type: "created", toStatus: a!.status });
  return a!;
}

export const PASSWORD = "correct-horse-1";

export async function createStaff(db: Db, who: { schoolId: number } | { instructorId: number }, login = `staff-${next()}`) {
  const role = "schoolId" in who ? "school" : "instructor";
  return createAccount(db, { login, password: PASSWORD, role, ...who, displayName: `Менеджер ${login}` });
}

export interface Session {
  cookie: string;
  csrf: string;
  /** A request with the session cookie, the CSRF header and a same-origin Origin. */
  request(path: string, init?: RequestInit & { form?: Record<string, string>; htmx?: boolean; noCsrf?: boolean }): Promise<Response>;
}

export function formBody(form: Record<string, string>): string {
  return new URLSearchParams(form).toString();
}

/** A plain form POST as a browser without a session sends it (a login, a forged request with another `origin`). */
export function formPost(form: Record<string, string>, origin = "http://localhost"): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: formBody(form) };
}

/** A logged-in session: its requests carry the cookie, the Origin and (unless noCsrf) the CSRF token. */
export function sessionOf(t: TestApp, cookie: string, csrf: string): Session {
  return {
    cookie,
    csrf,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      if (!headers.has("origin")) headers.set("origin", "http://localhost");
      if (!init.noCsrf) headers.set("x-csrf-token", csrf);
      if (init.htmx) headers.set("hx-request", "true");
      let body = init.body;
      if (init.form) {
        headers.set("content-type", "application/x-www-form-urlencoded");
        body = formBody(init.form);
      }
      return t.request(path, { ...init, method: init.method ?? (init.form ? "POST" : "GET"), headers, body });
    },
  };
}

/** Logs in through the real login form and reads the CSRF token off the first page. */
export async function loginAs(t: TestApp, login: string, role: "school" | "instructor", password = PASSWORD): Promise<Session> {
  const area = role === "school" ? "schools" : "instructors";
  const res = await t.request(`/crm/${area}/login/`, formPost({ login, password }));
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await t.request(`/crm/${area}/applications`, { headers: { cookie } })).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error("no CSRF token on the page: " + page.slice(0, 2000));
  return sessionOf(t, cookie, csrf);
}
