// CRM and admin logins. Passwords are hashed with argon2id (Bun.password); the plain
// password exists only in the caller's hands (shown once, never stored or logged).
import { eq, inArray, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import { accounts, instructors, schools, type Language, type Role } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { passwordProblem } from "./passwords.ts";

export type Account = typeof accounts.$inferSelect;

export interface NewAccount {
  login: string;
  password: string;
  role: Role;
  schoolId?: number | null;
  instructorId?: number | null;
  displayName?: string;
}

export class AccountError extends Error {}

export function validateLogin(login: string): string | null {
  if (!/^[a-z0-9][a-z0-9._-]{2,39}$/.test(login))
    return "login: 3–40 characters, lowercase Latin letters, digits, dot, dash or underscore";
  return null;
}

/** Minimum length and the common-password list (domain/passwords.ts); the message is Russian. */
export function validatePassword(password: string, login?: string): string | null {
  return passwordProblem(password, login);
}

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id" });
}

/** A readable one-time password for new and reset accounts. */
export function generatePassword(): string {
  return randomBytes(9).toString("base64url");
}

export async function createAccount(db: Db | Tx, input: NewAccount): Promise<Account> {
  const problem = validateLogin(input.login) ?? validatePassword(input.password, input.login);
  if (problem) throw new AccountError(problem);
  const [existing] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.login, input.login));
  if (existing) throw new AccountError(`login "${input.login}" is taken`);
  const [row] = await db
    .insert(accounts)
    .values({
      login: input.login,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      schoolId: input.schoolId ?? null,
      instructorId: input.instructorId ?? null,
      displayName: input.displayName ?? "",
    })
    .returning();
  return row!;
}

/** Creates the account, or sets a new password on an existing one with the same login. */
export async function upsertAccount(db: Db | Tx, input: NewAccount): Promise<Account> {
  const [existing] = await db.select().from(accounts).where(eq(accounts.login, input.login));
  if (!existing) return createAccount(db, input);
  const problem = validatePassword(input.password, input.login);
  if (problem) throw new AccountError(problem);
  const [row] = await db
    .update(accounts)
    .set({ passwordHash: await hashPassword(input.password), disabled: false })
    .where(eq(accounts.id, existing.id))
    .returning();
  return row!;
}

/** What a page shows to name an account: its login, the staff member's name, and whose CRM it is. */
export interface AccountCard {
  id: number;
  login: string;
  role: Role;
  displayName: string;
  /** The school's or the instructor's name; null for an administrator. */
  ownerName: string | null;
}

/** The cards of the given accounts, in one query (the one-tap link's confirmation page names two). */
export function accountCards(db: Db | Tx, ids: number[]): Promise<AccountCard[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .select({
      id: accounts.id,
      login: accounts.login,
      role: accounts.role,
      displayName: accounts.displayName,
      ownerName: sql<string | null>`coalesce(${schools.name}, ${instructors.name})`,
    })
    .from(accounts)
    .leftJoin(schools, eq(schools.id, accounts.schoolId))
    .leftJoin(instructors, eq(instructors.id, accounts.instructorId))
    .where(inArray(accounts.id, ids));
}

/**
 * The language a staff member chose for the CRM/admin pages and their Telegram alerts (issue 17),
 * with its audit row (before → after). Nothing is written when it is already that language.
 */
export async function setAccountLanguage(db: Db, accountId: number, language: Language): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ language: accounts.language }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!row || row.language === language) return;
    await tx.update(accounts).set({ language }).where(eq(accounts.id, accountId));
    await recordAudit(tx, { accountId, action: "account.language", subject: `account:${accountId}`, before: { language: row.language }, after: { language } });
  });
}
