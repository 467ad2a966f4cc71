// The bot's side of "Telegram for staff": linking a CRM account with the code from the CRM,
// and /login, a one-tap login link for linked staff.
import { escapeHtml } from "../../domain/outbox.ts";
import { accountsByChat, issueLoginToken, linkTelegramByCode, loginLink } from "../../domain/staff-telegram.ts";
import { t } from "../../i18n/index.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import type { EngineDeps } from "../engine.ts";
import { runOnce, type Outgoing } from "../replies.ts";

export function onStaffLink(deps: EngineDeps, updateId: number, person: TelegramPerson, code: string): Promise<Outgoing | null> {
  const text = t(person.language);
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const account = await linkTelegramByCode(tx, code, person.chatId);
    return [{ kind: "send", text: account ? text.staffLinked(escapeHtml(account.displayName || account.login)) : text.staffLinkBad }];
  });
}

export function onStaffLogin(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  const text = t(person.language);
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const [account] = await accountsByChat(tx, person.chatId);
    if (!account) return [{ kind: "send", text: text.staffNotLinked }];
    const url = loginLink(deps.config.publicUrl, await issueLoginToken(deps.config.secretKey, account.id));
    return [{ kind: "send", text: text.staffLoginLink(escapeHtml(url)) }];
  });
}
