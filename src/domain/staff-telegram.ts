// Telegram for school and instructor staff. An account links its Telegram chat with a one-time
// code (the CRM shows it, the staff member sends `/start link_<code>` to the bot); linked staff
// get new-application alerts and can ask the bot for a one-tap login link: a JWT signed with the
// secret key (@elysiajs/jwt), valid for a few minutes and usable once (used_tokens).
import { jwt } from "@elysiajs/jwt";
import { and, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import { randomBytes, randomInt } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import { accounts, usedTokens, type Language } from "../db/schema.ts";
import type { Account } from "./accounts.ts";
import { recordAudit } from "./audit.ts";

export const LINK_CODE_MINUTES = 15;
export const LOGIN_TOKEN_SECONDS = 5 * 60;
const AUDIENCE = "staff-login";
// No 0/O, 1/I/L: the code is read off a screen and typed.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function newCode(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A fresh link code for the account (replaces any earlier one), valid for 15 minutes. */
export async function createLinkCode(db: Db | Tx, accountId: number): Promise<{ code: string; expiresAt: Date }> {
  const code = newCode();
  const expiresAt = new Date(Date.now() + LINK_CODE_MINUTES * 60_000);
  await db.update(accounts).set({ telegramLinkCode: code, telegramLinkExpiresAt: expiresAt }).where(eq(accounts.id, accountId));
  return { code, expiresAt };
}

/** The bot received `code` from `chatId`: links that chat to the code's account. Null when the code is unknown or expired. */
export async function linkTelegramByCode(tx: Db | Tx, code: string, chatId: number): Promise<Account | null> {
  const clean = code.trim().toUpperCase();
  if (!/^[A-Z0-9]{4,16}$/.test(clean)) return null;
  const [row] = await tx
    .update(accounts)
    .set({ telegramChatId: chatId, telegramLinkCode: null, telegramLinkExpiresAt: null })
    .where(and(eq(accounts.telegramLinkCode, clean), gt(accounts.telegramLinkExpiresAt, sql`now()`), eq(accounts.disabled, false)))
    .returning();
  if (row) await recordAudit(tx, { accountId: row.id, action: "account.telegram_link", subject: `account:${row.id}`, after: { chatId } });
  return row ?? null;
}

/** Unlinks the account's chat, with its audit row, in one transaction. */
export async function unlinkTelegram(db: Db | Tx, accountId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ telegramChatId: null, telegramLinkCode: null, telegramLinkExpiresAt: null }).where(eq(accounts.id, accountId));
    await recordAudit(tx, { accountId, action: "account.telegram_unlink", subject: `account:${accountId}` });
  });
}

/** Whether the account has a Telegram chat linked (the CRM's Telegram page). */
export async function isTelegramLinked(db: Db | Tx, accountId: number): Promise<boolean> {
  const [row] = await db.select({ chat: accounts.telegramChatId }).from(accounts).where(eq(accounts.id, accountId));
  return !!row?.chat;
}

/** Enabled staff accounts linked to this chat (for the bot's /login). */
export function accountsByChat(db: Db | Tx, chatId: number): Promise<Account[]> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.telegramChatId, chatId), eq(accounts.disabled, false)));
}

/** A linked staff chat and the language its alerts are written in. */
export interface StaffChat {
  chatId: number;
  language: Language;
}

/** The language of a staff member's Telegram alerts: the one they chose (the CRM's switch), else Russian. */
export const alertLanguage = (chosen: Language | null): Language => chosen ?? "ru";

/**
 * Chats of the enabled, linked staff matching `who`, once each, with their alerts' language. Two
 * accounts sharing a chat (rare) get one alert, in the language of the older account.
 */
export async function staffChatsWhere(db: Db | Tx, who: SQL | undefined): Promise<StaffChat[]> {
  const rows = await db
    .selectDistinctOn([accounts.telegramChatId], { chatId: accounts.telegramChatId, language: accounts.language })
    .from(accounts)
    .where(and(who, isNotNull(accounts.telegramChatId), eq(accounts.disabled, false)))
    .orderBy(accounts.telegramChatId, accounts.id);
  return rows.map((r) => ({ chatId: r.chatId!, language: alertLanguage(r.language) }));
}

/** Chats of the enabled, linked staff of a school or an instructor (their alerts), with each one's language. */
export function staffChatsFor(db: Db | Tx, owner: { schoolId: number } | { instructorId: number }): Promise<StaffChat[]> {
  return staffChatsWhere(db, "schoolId" in owner ? eq(accounts.schoolId, owner.schoolId) : eq(accounts.instructorId, owner.instructorId));
}

function signer(secretKey: string) {
  return jwt({ name: "jwt", secret: secretKey, exp: `${LOGIN_TOKEN_SECONDS}s` }).decorator.jwt;
}

/** A signed, single-use login token for an account (the bot puts it in a link). */
export function issueLoginToken(secretKey: string, accountId: number): Promise<string> {
  return signer(secretKey).sign({ sub: String(accountId), aud: AUDIENCE, jti: randomBytes(16).toString("base64url") });
}

/** The link the bot sends: PUBLIC_URL + /crm/login/token?t=… */
export function loginLink(publicUrl: string, token: string): string {
  return `${publicUrl}/crm/login/token?t=${encodeURIComponent(token)}`;
}

/** The token's account id and single-use id when its signature, audience and expiry hold; else null. */
async function verifiedClaims(secretKey: string, token: string): Promise<{ jti: string; accountId: number } | null> {
  if (!token || token.length > 2000) return null;
  const claims = await signer(secretKey).verify(token);
  if (!claims || claims.aud !== AUDIENCE || !claims.jti || !claims.sub) return null;
  const accountId = Number(claims.sub);
  if (!Number.isInteger(accountId) || accountId < 1) return null;
  return { jti: claims.jti, accountId };
}

function enabledAccount(db: Db | Tx, accountId: number): Promise<Account | undefined> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.disabled, false)))
    .then((rows) => rows[0]);
}

/**
 * Checks a login token without burning it (the confirmation page a GET of the link shows): the
 * account when consumeLoginToken would accept the token now; null otherwise.
 */
export async function peekLoginToken(db: Db, secretKey: string, token: string): Promise<Account | null> {
  const claims = await verifiedClaims(secretKey, token);
  if (!claims) return null;
  const [used] = await db.select({ jti: usedTokens.jti }).from(usedTokens).where(eq(usedTokens.jti, claims.jti));
  if (used) return null;
  return (await enabledAccount(db, claims.accountId)) ?? null;
}

/**
 * Checks a login token and burns it: the account when the signature, audience and expiry hold,
 * the token was never used and the account is enabled; null otherwise.
 */
export async function consumeLoginToken(db: Db, secretKey: string, token: string): Promise<Account | null> {
  const claims = await verifiedClaims(secretKey, token);
  if (!claims) return null;
  return db.transaction(async (tx) => {
    const burnt = await tx.insert(usedTokens).values({ jti: claims.jti }).onConflictDoNothing().returning();
    if (!burnt.length) return null;
    return (await enabledAccount(tx, claims.accountId)) ?? null;
  });
}
