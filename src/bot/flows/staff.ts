// The bot's side of "Telegram for staff": linking a CRM account with the code from the CRM,
// and /login, a one-tap login link for linked staff.
import { processOnce } from "../../domain/updates.ts";
import { escapeHtml } from "../../domain/outbox.ts";
import { accountsByChat, issueLoginToken, linkTelegramByCode, loginLink } from "../../domain/staff-telegram.ts";
import { t } from "../../i18n/index.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import type { EngineDeps } from "../engine.ts";
import type { Reply } from "../replies.ts";

export async function onStaffLink(deps: EngineDeps, updateId: number, person: TelegramPerson, code: string): Promise<Reply[]> {
  const text = t(person.language);
  const done = await processOnce(deps.db, updateId, (tx) => linkTelegramByCode(tx, code, person.chatId));
  if (!done) return [];
  const account = done.result;
  return [{ kind: "send", text: account ? text.staffLinked(escapeHtml(account.displayName || account.login)) : text.staffLinkBad }];
}

export async function onStaffLogin(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Reply[]> {
  const text = t(person.language);
  const done = await processOnce(deps.db, updateId, (tx) => accountsByChat(tx, person.chatId));
  if (!done) return [];
  const [account] = done.result;
  if (!account) return [{ kind: "send", text: text.staffNotLinked }];
  const url = loginLink(deps.config.publicUrl, await issueLoginToken(deps.config.secretKey, account.id));
  return [{ kind: "send", text: text.staffLoginLink(escapeHtml(url)) }];
}
