// The bot's side of "Telegram for staff": linking a CRM account with the code from the CRM,
// and /login, a one-tap login link for linked staff.
import { accountsByChat, issueLoginToken, linkTelegramByCode, loginLink } from "../../domain/staff-telegram.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import * as staff from "../../notify/staff.ts";
import type { EngineDeps } from "../engine.ts";
import { runOnce, send, type Outgoing } from "../replies.ts";

export function onStaffLink(deps: EngineDeps, updateId: number, person: TelegramPerson, code: string): Promise<Outgoing | null> {
  const lang = person.language;
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const account = await linkTelegramByCode(tx, code, person.chatId);
    return [send(account ? staff.telegramLinked(lang, account.displayName || account.login) : staff.telegramLinkRefused(lang))];
  });
}

export function onStaffLogin(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  const lang = person.language;
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const [account] = await accountsByChat(tx, person.chatId);
    if (!account) return [send(staff.notLinked(lang))];
    const url = loginLink(deps.config.publicUrl, await issueLoginToken(deps.config.secretKey, account.id));
    return [send(staff.loginLink(lang, url))];
  });
}
