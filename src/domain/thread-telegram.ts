// Staff answering a student from Telegram: the linked chat pressed "Ответить" under a relayed
// message (reply mode: their next text goes to that application), or replied to the relay
// itself. A chat can be linked to several accounts (a manager of two schools): the account used
// is the one whose scope owns the application, so nobody answers into another school's thread.
// Reply mode is short-lived: it lapses REPLY_MODE_MINUTES after "Ответить" (by the database's
// clock, as it was started), when the application becomes final, and on /cancel or /start from
// the chat, so a text typed much later cannot reach a student the staff member no longer has in mind.
import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { accounts, applications } from "../db/schema.ts";
import { ownApplication, scopeOf, type Scope } from "./scope.ts";
import { accountsByChat } from "./staff-telegram.ts";
import { OPEN_APPLICATION } from "./inbox.ts";
import { startTelegramReply } from "./thread.ts";

/** How long after "Ответить" the chat's next text still goes to that application. */
export const REPLY_MODE_MINUTES = 15;

interface LinkedScope {
  accountId: number;
  scope: Scope;
  replyApplicationId: number | null;
}

async function linkedScopes(db: Db | Tx, chatId: number): Promise<LinkedScope[]> {
  const out: LinkedScope[] = [];
  for (const a of await accountsByChat(db, chatId)) {
    const scope = scopeOf(a);
    if (scope) out.push({ accountId: a.id, scope, replyApplicationId: a.replyApplicationId });
  }
  return out;
}

/**
 * The chat's staff member pressed "Ответить" for `applicationId`: the owning account of the chat
 * enters reply mode for it (the chat's other accounts leave theirs, so the next text has one
 * destination). Null when no account linked to this chat owns the application.
 */
export async function beginTelegramReply(tx: Tx, chatId: number, applicationId: number): Promise<{ publicNumber: string } | null> {
  for (const linked of await linkedScopes(tx, chatId)) {
    const app = await startTelegramReply(tx, linked.accountId, linked.scope, applicationId);
    if (!app) continue;
    await tx
      .update(accounts)
      .set({ replyApplicationId: null, replyStartedAt: null })
      .where(and(eq(accounts.telegramChatId, chatId), ne(accounts.id, linked.accountId)));
    return app;
  }
  return null;
}

/** Where a staff member's message goes: an application and the account that answers, or refused. */
export type TelegramReplyTarget = { kind: "reply"; accountId: number; scope: Scope; applicationId: number } | { kind: "refused" };

/**
 * A message from `chatId` that is not a command: a staff answer when the chat replied to a relay
 * (`repliedTo`: the application of its "Ответить" button) or is in reply mode; null when the
 * chat is nobody's staff chat or has nothing to answer (the student flow handles it then).
 * Replying to a relay of an application none of the chat's accounts owns is refused.
 */
export async function telegramReplyTarget(db: Db | Tx, chatId: number, repliedTo: number | null): Promise<TelegramReplyTarget | null> {
  const linked = await linkedScopes(db, chatId);
  if (!linked.length) return null;
  if (repliedTo !== null) {
    for (const l of linked) {
      const [own] = await db.select({ id: applications.id }).from(applications).where(ownApplication(l.scope, repliedTo));
      if (own) return { kind: "reply", accountId: l.accountId, scope: l.scope, applicationId: repliedTo };
    }
    return { kind: "refused" };
  }
  for (const l of linked) {
    if (l.replyApplicationId === null) continue;
    const applicationId = l.replyApplicationId;
    // Still in reply mode: started less than REPLY_MODE_MINUTES ago, for an application still open.
    const [live] = await db
      .select({ id: applications.id })
      .from(applications)
      .innerJoin(accounts, eq(accounts.id, l.accountId))
      .where(
        and(
          ownApplication(l.scope, applicationId),
          OPEN_APPLICATION,
          eq(accounts.replyApplicationId, applicationId),
          sql`${accounts.replyStartedAt} > now() - ${sql.raw(`interval '${REPLY_MODE_MINUTES} minutes'`)}`,
        ),
      );
    if (live) return { kind: "reply", accountId: l.accountId, scope: l.scope, applicationId };
  }
  // Expired, or the application is final: as if not in reply mode.
  return null;
}

/** /cancel or /start from the chat: none of its accounts is in reply mode any more. True when one was. */
export async function cancelTelegramReply(tx: Tx, chatId: number): Promise<boolean> {
  const cleared = await tx
    .update(accounts)
    .set({ replyApplicationId: null, replyStartedAt: null })
    .where(and(eq(accounts.telegramChatId, chatId), isNotNull(accounts.replyApplicationId)))
    .returning({ id: accounts.id });
  return cleared.length > 0;
}

/** The answer went out: the account leaves reply mode (unless it has since chosen another application). */
export async function endTelegramReply(tx: Tx, accountId: number, applicationId: number): Promise<void> {
  await tx
    .update(accounts)
    .set({ replyApplicationId: null, replyStartedAt: null })
    .where(and(eq(accounts.id, accountId), eq(accounts.replyApplicationId, applicationId)));
}
