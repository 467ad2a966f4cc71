// CRM logins as platform staff manage them: create one for a school or an instructor (the
// one-time password is returned once, never stored in plain), reset a password, disable or
// enable. Disabling or resetting ends the account's sessions. Audit rows never hold hashes.
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { accounts, instructors, schools, sessions, type Language, type Role } from "../db/schema.ts";
import { AccountError, createAccount, generatePassword, hashPassword, validateLogin } from "./accounts.ts";
import { FormCheck, type Form } from "../model/form-check.ts";
import { likePattern } from "../db/like.ts";
import { ADMIN_PAGE_SIZE, getInstructorAdmin, getSchoolAdmin, type Paged } from "./admin-catalog.ts";
import { recordAudit } from "./audit.ts";
import { accountTexts } from "../i18n/admin/accounts.ts";

type Q = Db | Tx;

export interface AccountRow {
  id: number;
  login: string;
  role: Role;
  displayName: string;
  schoolId: number | null;
  instructorId: number | null;
  ownerName: string | null;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export interface AccountFilter {
  q?: string;
  role?: Role;
  page: number;
}

const rowColumns = {
  id: accounts.id,
  login: accounts.login,
  role: accounts.role,
  displayName: accounts.displayName,
  schoolId: accounts.schoolId,
  instructorId: accounts.instructorId,
  ownerName: sql<string | null>`coalesce(${schools.name}, ${instructors.name})`,
  disabled: accounts.disabled,
  lastLoginAt: accounts.lastLoginAt,
  createdAt: accounts.createdAt,
};

export async function listAccounts(db: Q, f: AccountFilter): Promise<Paged<AccountRow>> {
  const q = f.q?.trim();
  const rows = await db
    .select(rowColumns)
    .from(accounts)
    .leftJoin(schools, eq(schools.id, accounts.schoolId))
    .leftJoin(instructors, eq(instructors.id, accounts.instructorId))
    .where(
      and(
        f.role ? eq(accounts.role, f.role) : undefined,
        q
          ? or(ilike(accounts.login, likePattern(q)), ilike(accounts.displayName, likePattern(q)), ilike(schools.name, likePattern(q)), ilike(instructors.name, likePattern(q)))
          : undefined,
      ),
    )
    .orderBy(asc(accounts.login))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((f.page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page: f.page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}

export async function getAccountRow(db: Q, id: number): Promise<AccountRow | null> {
  const [row] = await db
    .select(rowColumns)
    .from(accounts)
    .leftJoin(schools, eq(schools.id, accounts.schoolId))
    .leftJoin(instructors, eq(instructors.id, accounts.instructorId))
    .where(eq(accounts.id, id));
  return row ?? null;
}

const visible = (a: { login: string; role: Role; schoolId: number | null; instructorId: number | null; displayName: string; disabled: boolean }) => ({
  login: a.login,
  role: a.role,
  schoolId: a.schoolId,
  instructorId: a.instructorId,
  displayName: a.displayName,
  disabled: a.disabled,
});

export type Created = { ok: true; account: AccountRow; password: string } | { ok: false; errors: Record<string, string> };

/** A login for a school (`owner` = "school:ID") or an instructor ("instructor:ID"). */
export async function createCrmAccount(db: Db, actorId: number, form: Form, language: Language): Promise<Created> {
  const c = new FormCheck(form, language);
  const say = accountTexts[language];
  const login = (form.login ?? "").trim().toLowerCase();
  if (validateLogin(login)) c.errors.login = say.loginFormat;
  const displayName = c.text("displayName", 100);
  const owner = /^(school|instructor):(\d{1,9})$/.exec((form.owner ?? "").trim());
  let who: { role: "school"; schoolId: number } | { role: "instructor"; instructorId: number } | null = null;
  if (!owner) c.errors.owner = say.chooseOwner;
  else if (owner[1] === "school") {
    if (await getSchoolAdmin(db, Number(owner[2]))) who = { role: "school", schoolId: Number(owner[2]) };
    else c.errors.owner = say.noSuchSchool;
  } else if (await getInstructorAdmin(db, Number(owner[2]))) who = { role: "instructor", instructorId: Number(owner[2]) };
  else c.errors.owner = say.noSuchInstructor;
  if (!c.ok || !who) return { ok: false, errors: c.errors };
  const password = generatePassword();
  try {
    const id = await db.transaction(async (tx) => {
      const a = await createAccount(tx, { login, password, displayName, ...who });
      await recordAudit(tx, { accountId: actorId, action: "account.create", subject: `account:${a.id}`, after: visible(a) });
      return a.id;
    });
    return { ok: true, account: (await getAccountRow(db, id))!, password };
  } catch (err) {
    if (err instanceof AccountError || (err as { code?: string }).code === "23505") return { ok: false, errors: { login: say.loginTaken } };
    throw err;
  }
}

/** A new one-time password; the old one and every open session stop working. */
export async function resetPassword(db: Db, actorId: number, id: number): Promise<{ account: AccountRow; password: string } | null> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  const done = await db.transaction(async (tx) => {
    const [row] = await tx.update(accounts).set({ passwordHash: hash }).where(eq(accounts.id, id)).returning({ id: accounts.id });
    if (!row) return false;
    await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, { accountId: actorId, action: "account.reset_password", subject: `account:${id}` });
    return true;
  });
  return done ? { account: (await getAccountRow(db, id))!, password } : null;
}

export type DisableResult = { ok: true; account: AccountRow } | { ok: false; reason: "not_found" | "self" };

export async function setAccountDisabled(db: Db, actorId: number, id: number, disabled: boolean): Promise<DisableResult> {
  if (id === actorId && disabled) return { ok: false, reason: "self" };
  const found = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(accounts).where(eq(accounts.id, id));
    if (!before) return false;
    await tx.update(accounts).set({ disabled }).where(eq(accounts.id, id));
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, { accountId: actorId, action: disabled ? "account.disable" : "account.enable", subject: `account:${id}`, before: { disabled: before.disabled }, after: { disabled } });
    return true;
  });
  return found ? { ok: true, account: (await getAccountRow(db, id))! } : { ok: false, reason: "not_found" };
}
