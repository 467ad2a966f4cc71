// Shared by the admin route tests: an admin account and a logged-in admin session.
import { createAccount } from "../../src/domain/accounts.ts";
import type { TestApp } from "../support/app.ts";
import { formPost, PASSWORD, sessionOf, type Session } from "../support/fixtures.ts";

let n = 0;

export async function createAdmin(t: TestApp, login = `admin-${process.pid}-${++n}`) {
  return createAccount(t.database.db, { login, password: PASSWORD, role: "admin", displayName: `Админ ${login}` });
}

export async function loginAdmin(t: TestApp, login: string, password = PASSWORD): Promise<Session> {
  const res = await t.request("/admin/login", formPost({ login, password }));
  if (res.status !== 303) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await t.request("/admin/", { headers: { cookie } })).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error("no CSRF token on the admin page: " + page.slice(0, 1000));
  return sessionOf(t, cookie, csrf);
}

/** Logs in as admin in one call. */
export async function adminSession(t: TestApp): Promise<{ session: Session; id: number; login: string }> {
  const a = await createAdmin(t);
  return { session: await loginAdmin(t, a.login), id: a.id, login: a.login };
}
