// Sessions and logins for the CRM (and later the admin panel). Everything about sessions lives
// here, behind lucia v3 with a small adapter over our Drizzle `Db`, so the session mechanics can
// change without touching routes. Passwords are argon2id (Bun.password, see accounts.ts).
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import { accounts, loginAttempts, sessions, type Role } from "../db/schema.ts";

/** What a request knows about the person behind the session. */
export interface AccountAttributes {
  login: string;
  role: Role;
  schoolId: number | null;
  instructorId: number | null;
  displayName: string;
}

declare module "lucia" {
  interface Register {
    Lucia: Lucia<{ csrfToken: string }, AccountAttributes>;
    UserId: number;
    DatabaseUserAttributes: AccountAttributes;
    DatabaseSessionAttributes: { csrfToken: string };
  }
}

export type Auth = Lucia<{ csrfToken: string }, AccountAttributes>;

/** A fresh random CSRF token (one per session). */
export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Lucia's storage over our tables. A disabled account has no user, so lucia drops its sessions. */
export function drizzleAdapter(db: Db): Adapter {
  const toSession = (r: typeof sessions.$inferSelect): DatabaseSession => ({
    id: r.id,
    userId: r.userId,
    expiresAt: r.expiresAt,
    attributes: { csrfToken: r.csrfToken },
  });
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const [row] = await db
        .select({ session: sessions, account: accounts })
        .from(sessions)
        .innerJoin(accounts, eq(accounts.id, sessions.userId))
        .where(eq(sessions.id, sessionId));
      if (!row) return [null, null];
      const a = row.account;
      const user: DatabaseUser | null = a.disabled
        ? null
        : {
            id: a.id,
            attributes: { login: a.login, role: a.role, schoolId: a.schoolId, instructorId: a.instructorId, displayName: a.displayName },
          };
      return [toSession(row.session), user];
    },
    async getUserSessions(userId) {
      return (await db.select().from(sessions).where(eq(sessions.userId, userId))).map(toSession);
    },
    async setSession(s) {
      await db.insert(sessions).values({ id: s.id, userId: s.userId, expiresAt: s.expiresAt, csrfToken: s.attributes.csrfToken });
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
    },
    async deleteSession(sessionId) {
      await db.delete(sessions).where(eq(sessions.id, sessionId));
    },
    async deleteUserSessions(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async deleteExpiredSessions() {
      await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
    },
  };
}

export interface AuthOptions {
  /** Secure cookies when the public address is https. */
  secure: boolean;
  /** A session lives this long without use; lucia renews it when half of it has passed. */
  sessionDays?: number;
}

export const SESSION_COOKIE = "avtomat_session";

export function createAuth(db: Db, opts: AuthOptions): Auth {
  return new Lucia(drizzleAdapter(db), {
    sessionExpiresIn: new TimeSpan(opts.sessionDays ?? 7, "d"),
    sessionCookie: { name: SESSION_COOKIE, attributes: { secure: opts.secure, sameSite: "lax", path: "/" } },
    getSessionAttributes: (a) => ({ csrfToken: a.csrfToken }),
    getUserAttributes: (a) => a,
  });
}

/** Compares a submitted CSRF token with the session's without leaking timing. */
export function csrfTokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- login with rate limiting -------------------------------------------------------------

/** Failed logins allowed in the window, per login and per address. */
export const LOGIN_LIMITS = { perLogin: 5, perAddress: 20, windowMinutes: 15 };

export type LoginResult =
  | { ok: true; accountId: number }
  | { ok: false; reason: "invalid" | "rate_limited" };

/** Whether `login` or `address` has used up its failed attempts in the window. */
export async function isLoginRateLimited(db: Db | Tx, login: string, address: string): Promise<boolean> {
  const since = sql`now() - make_interval(mins => ${LOGIN_LIMITS.windowMinutes})`;
  const [row] = await db
    .select({
      byLogin: sql<number>`count(*) filter (where ${loginAttempts.login} = ${login})`.mapWith(Number),
      byAddress: sql<number>`count(*) filter (where ${loginAttempts.address} = ${address})`.mapWith(Number),
    })
    .from(loginAttempts)
    .where(and(gte(loginAttempts.at, since), sql`(${loginAttempts.login} = ${login} or ${loginAttempts.address} = ${address})`));
  return (row?.byLogin ?? 0) >= LOGIN_LIMITS.perLogin || (row?.byAddress ?? 0) >= LOGIN_LIMITS.perAddress;
}

// A real hash of a random password: an unknown login costs the same time as a wrong password,
// so response time does not tell which logins exist.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= Bun.password.hash(randomBytes(16).toString("hex"), { algorithm: "argon2id" }));

/**
 * Checks a login for one entrance (`role`): the account must exist, have that role, be enabled and
 * the password must match. Failures are recorded; too many per login or per address refuse even a
 * right password until the window passes.
 */
export async function checkLogin(db: Db, input: { login: string; password: string; role: Role; address: string }): Promise<LoginResult> {
  const login = input.login.trim().toLowerCase().slice(0, 100);
  const address = input.address.slice(0, 100);
  if (await isLoginRateLimited(db, login, address)) return { ok: false, reason: "rate_limited" };
  const [account] = await db.select().from(accounts).where(eq(accounts.login, login));
  const passwordOk = await Bun.password.verify(input.password.slice(0, 500), account?.passwordHash ?? (await dummy()));
  if (!account || !passwordOk || account.disabled || account.role !== input.role) {
    await db.insert(loginAttempts).values({ login, address });
    return { ok: false, reason: "invalid" };
  }
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ lastLoginAt: sql`now()` }).where(eq(accounts.id, account.id));
    // A successful login forgives this login's earlier typos (the address count stays).
    await tx.delete(loginAttempts).where(eq(loginAttempts.login, login));
  });
  return { ok: true, accountId: account.id };
}

/** Starts a session for an account that has just proven who it is. */
export function startSession(auth: Auth, accountId: number) {
  return auth.createSession(accountId, { csrfToken: newCsrfToken() });
}

/** Where each role's CRM starts. */
export function homeOf(role: Role): string {
  return role === "school" ? "/crm/schools/" : role === "instructor" ? "/crm/instructors/" : "/admin/";
}
