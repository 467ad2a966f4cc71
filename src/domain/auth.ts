// Sessions and logins for the CRM (and later the admin panel). Everything about sessions lives
// here, behind lucia v3 with a small adapter over our Drizzle `Db`, so the session mechanics can
// change without touching routes. Passwords are argon2id (Bun.password, see accounts.ts).
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { queryStatement, statement, type Db, type Tx } from "../db/client.ts";
import { accounts, auditLog, loginAttempts, sessions, type Language, type Role } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";

/** What a request knows about the person behind the session. */
export interface AccountAttributes {
  login: string;
  role: Role;
  schoolId: number | null;
  instructorId: number | null;
  displayName: string;
  /** The CRM/admin language the person chose (null: the browser's decides). */
  language: Language | null;
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

/**
 * Every request with a session cookie runs this lookup: a raw statement built once, with only the
 * columns a request needs (not the password hash): drizzle's building and per-cell mapping cost
 * more CPU than the database's answer.
 */
const SESSION_AND_ACCOUNT = statement(sql`
  select ${sessions.id} as "id", ${sessions.userId} as "userId", ${sessions.expiresAt} as "expiresAt", ${sessions.csrfToken} as "csrfToken",
         ${accounts.login} as "login", ${accounts.role} as "role", ${accounts.schoolId} as "schoolId", ${accounts.instructorId} as "instructorId",
         ${accounts.displayName} as "displayName", ${accounts.language} as "language", ${accounts.disabled} as "disabled"
    from ${sessions} join ${accounts} on ${accounts.id} = ${sessions.userId}
   where ${sessions.id} = ${sql.placeholder("sessionId")}`);

/** A row of SESSION_AND_ACCOUNT (the expiry as the driver gives it: text, or a Date). */
type SessionRecord = { id: string; userId: number; expiresAt: string | Date; csrfToken: string; disabled: boolean } & AccountAttributes;

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
      const [row] = await queryStatement<SessionRecord>(db, SESSION_AND_ACCOUNT, { sessionId });
      if (!row) return [null, null];
      const session: DatabaseSession = { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt), attributes: { csrfToken: row.csrfToken } };
      const user: DatabaseUser | null = row.disabled
        ? null
        : {
            id: row.userId,
            attributes: { login: row.login, role: row.role, schoolId: row.schoolId, instructorId: row.instructorId, displayName: row.displayName, language: row.language },
          };
      return [session, user];
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

// ---- login with rate limits, growing delays and locks -------------------------------------
//
// Every failed login is a row in login_attempts (shared by all instances). Counted separately
// per login (whether or not it exists, so a lock tells nothing about which logins are real) and
// per client address, over the last `windowMinutes`:
// - up to `perLogin` / `perAddress` failures cost nothing;
// - past that, each further attempt must wait a growing delay after the latest failure
//   (2 s, 4 s, 8 s, … up to `maxDelaySeconds`, counted from the end of that failure); an attempt made sooner is refused (429 with
//   Retry-After) without checking the password;
// - `lockLogin` failures of one login (or `lockAddress` from one address) within `windowMinutes`
//   lock it for `lockMinutes` after the latest one, written to the audit log as "login.locked".
// Refused attempts are not counted, so a lock ends on time even while an attacker keeps trying.
// The attempt is recorded *before* the password is checked, and the gate looks only at earlier
// rows: parallel guesses therefore see each other and cannot slip through the delay together.
// A successful login ("login.succeeded" in the audit log) forgives that login's failures; the
// address count stays.

export const LOGIN_LIMITS = {
  /** Failures without delay, per login and per address. */
  perLogin: 5,
  perAddress: 20,
  /** Failures that lock, per login and per address (an office behind one NAT gets more). */
  lockLogin: 10,
  lockAddress: 50,
  windowMinutes: 15,
  lockMinutes: 15,
  maxDelaySeconds: 60,
};

export type LoginRefusal = { ok: false; reason: "invalid" } | { ok: false; reason: "rate_limited" | "locked"; retryAfterSeconds: number };
export type LoginResult = { ok: true; accountId: number } | LoginRefusal;

/** The delay owed after `failures` failures when `free` of them cost nothing (0 = none). */
export function loginDelaySeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(2 ** (failures - free + 1), LOGIN_LIMITS.maxDelaySeconds);
}

type Gate = { blocked: false } | { blocked: true; reason: "rate_limited" | "locked"; retryAfterSeconds: number };

/** The state of one counter (a login or an address) from its failures' ages, newest first. */
function gateOf(ages: number[], free: number, lockAfter: number): Gate {
  const windowS = LOGIN_LIMITS.windowMinutes * 60;
  const lockS = LOGIN_LIMITS.lockMinutes * 60;
  if (ages.length >= lockAfter && ages[lockAfter - 1]! - ages[0]! <= windowS && ages[0]! < lockS)
    return { blocked: true, reason: "locked", retryAfterSeconds: Math.ceil(lockS - ages[0]!) };
  const recent = ages.filter((a) => a <= windowS).length;
  const wait = loginDelaySeconds(recent, free) - (ages[0] ?? Infinity);
  return wait > 0 ? { blocked: true, reason: "rate_limited", retryAfterSeconds: Math.ceil(wait) } : { blocked: false };
}

/** Ages in seconds (database clock) of the latest failures before attempt `beforeId`. */
async function failureAges(db: Db | Tx, column: typeof loginAttempts.login | typeof loginAttempts.address, value: string, beforeId: number, limit: number) {
  const horizon = Math.max(LOGIN_LIMITS.windowMinutes, LOGIN_LIMITS.lockMinutes) * 2;
  const rows = await db
    .select({ age: sql<number>`extract(epoch from (now() - ${loginAttempts.at}))`.mapWith(Number) })
    .from(loginAttempts)
    .where(and(eq(column, value), lt(loginAttempts.id, beforeId), gte(loginAttempts.at, sql`now() - make_interval(mins => ${horizon})`)))
    .orderBy(desc(loginAttempts.at), desc(loginAttempts.id))
    .limit(limit);
  return rows.map((r) => Math.max(0, r.age));
}

async function gateFor(db: Db | Tx, login: string, address: string, beforeId: number): Promise<Gate> {
  const [byLogin, byAddress] = await Promise.all([
    failureAges(db, loginAttempts.login, login, beforeId, LOGIN_LIMITS.lockLogin),
    failureAges(db, loginAttempts.address, address, beforeId, LOGIN_LIMITS.lockAddress),
  ]);
  const a = gateOf(byLogin, LOGIN_LIMITS.perLogin, LOGIN_LIMITS.lockLogin);
  const b = gateOf(byAddress, LOGIN_LIMITS.perAddress, LOGIN_LIMITS.lockAddress);
  if (!a.blocked) return b;
  if (!b.blocked) return a;
  return a.retryAfterSeconds >= b.retryAfterSeconds ? a : b;
}

/**
 * Records the attempt as a failure until proven otherwise (see above: parallel guesses see each
 * other) and reads the gate; a refused attempt is not kept. Attempts on one login or from one
 * address take turns on a transaction lock here: ids come from a sequence, and a lower id can
 * commit after a higher one reads, so without the lock six parallel guesses could each see only
 * four earlier failures (seen in CI). Login locks before address lock, always, so no deadlock.
 */
async function recordAttempt(db: Db, login: string, address: string): Promise<{ attemptId: number; gate: Gate }> {
  // A flood is mostly refused here, without the lock, so it cannot queue on it holding connections.
  const early = await gateFor(db, login, address, Number.MAX_SAFE_INTEGER);
  if (early.blocked) return { attemptId: 0, gate: early };
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('lock_timeout', ${LOCK_WAIT}, true), pg_advisory_xact_lock(1, hashtext(${login})), pg_advisory_xact_lock(2, hashtext(${address}))`,
      );
      const [attempt] = await tx.insert(loginAttempts).values({ login, address }).returning({ id: loginAttempts.id });
      const attemptId = attempt!.id;
      const gate = await gateFor(tx, login, address, attemptId);
      if (gate.blocked) await tx.delete(loginAttempts).where(eq(loginAttempts.id, attemptId));
      return { attemptId, gate };
    });
  } catch (err) {
    // Still queued after LOCK_WAIT: too many attempts on this login or address at once.
    if (isLockTimeout(err)) return { attemptId: 0, gate: { blocked: true, reason: "rate_limited", retryAfterSeconds: 2 } };
    throw err;
  }
}

/** How long an attempt waits for the ones before it on the same login or address. */
const LOCK_WAIT = "3s";

const isLockTimeout = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: unknown } | null;
  return e?.code === "55P03" || (e?.cause !== undefined && isLockTimeout(e.cause)); // lock_not_available
};

// A real hash of a random password: an unknown login costs the same time as a wrong password,
// so response time does not tell which logins exist.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= Bun.password.hash(randomBytes(16).toString("hex"), { algorithm: "argon2id" }));

/**
 * Checks a login for one entrance (`role`): the account must exist, have that role, be enabled and
 * the password must match. See the rules above for delays and locks; `address` is the client's
 * address as the web layer determined it (plugins/security.tsx, TRUST_PROXY).
 */
export async function checkLogin(db: Db, input: { login: string; password: string; role: Role; address: string }): Promise<LoginResult> {
  const login = input.login.trim().toLowerCase().slice(0, 100);
  const address = input.address.slice(0, 100);
  const { attemptId, gate } = await recordAttempt(db, login, address);
  if (gate.blocked) return { ok: false, reason: gate.reason, retryAfterSeconds: gate.retryAfterSeconds };
  const [account] = await db.select().from(accounts).where(eq(accounts.login, login));
  const passwordOk = await Bun.password.verify(input.password.slice(0, 500), account?.passwordHash ?? (await dummy()));
  if (!account || !passwordOk || account.disabled || account.role !== input.role) {
    // The delay counts from the answer, not from the start of this (slow, argon2) check.
    await db.update(loginAttempts).set({ at: sql`now()` }).where(eq(loginAttempts.id, attemptId));
    await recordLockIfReached(db, login, address, attemptId, account?.id ?? null);
    return { ok: false, reason: "invalid" };
  }
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ lastLoginAt: sql`now()` }).where(eq(accounts.id, account.id));
    // A successful login forgives this login's earlier typos (the address count stays).
    await tx.delete(loginAttempts).where(eq(loginAttempts.login, login));
    await recordAudit(tx, { accountId: account.id, action: "login.succeeded", subject: `login:${login}`, after: { role: account.role, address } });
  });
  return { ok: true, accountId: account.id };
}

/** After failure `attemptId`: when it locked the login or the address, says so in the audit log. */
async function recordLockIfReached(db: Db, login: string, address: string, attemptId: number, accountId: number | null) {
  const next = attemptId + 1; // the state as the next attempt will see it
  const [byLogin, byAddress] = await Promise.all([
    failureAges(db, loginAttempts.login, login, next, LOGIN_LIMITS.lockLogin),
    failureAges(db, loginAttempts.address, address, next, LOGIN_LIMITS.lockAddress),
  ]);
  const locks: { subject: string; failures: number; accountId: number | null; gate: Gate }[] = [
    { subject: `login:${login}`, failures: LOGIN_LIMITS.lockLogin, accountId, gate: gateOf(byLogin, LOGIN_LIMITS.perLogin, LOGIN_LIMITS.lockLogin) },
    { subject: `address:${address}`, failures: LOGIN_LIMITS.lockAddress, accountId: null, gate: gateOf(byAddress, LOGIN_LIMITS.perAddress, LOGIN_LIMITS.lockAddress) },
  ];
  for (const l of locks) {
    if (!l.gate.blocked || l.gate.reason !== "locked") continue;
    // Only the failure that made the lock writes it: the same lock is not logged twice.
    const [prev] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, "login.locked"), eq(auditLog.subject, l.subject), gte(auditLog.at, sql`now() - make_interval(mins => ${LOGIN_LIMITS.lockMinutes})`)))
      .limit(1);
    if (prev) continue;
    await recordAudit(db, {
      accountId: l.accountId,
      action: "login.locked",
      subject: l.subject,
      after: { failures: l.failures, minutes: LOGIN_LIMITS.lockMinutes, lockedUntil: new Date(Date.now() + l.gate.retryAfterSeconds * 1000).toISOString() },
    });
  }
}

/** Starts a session for an account that has just proven who it is. */
export function startSession(auth: Auth, accountId: number) {
  return auth.createSession(accountId, { csrfToken: newCsrfToken() });
}

/** Where each role's CRM starts. */
export function homeOf(role: Role): string {
  return role === "school" ? "/crm/schools/" : role === "instructor" ? "/crm/instructors/" : "/admin/";
}
