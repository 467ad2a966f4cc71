// The bot's side of "Telegram for staff": linking a CRM account with the code from the CRM,
// and /login, a one-tap login link for linked staff.
import { accountsByChat, issueLoginToken, linkTelegramByCode, loginLink } from "../../domain/staff-telegram.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import * as staff from "../../notify/staff.ts";
import type { EngineDeps } from "../engine.ts";
import { runOnce, send, type Outgoing } from "../replies.ts";

// The account's own language once it is known (chosen in the CRM), else the Telegram app's.
export function onStaffLink(deps: EngineDeps, updateId: number, person: TelegramPerson, code: string): Promise<Outgoing | null> {
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const account = await linkTelegramByCode(tx, code, person.chatId);
    const lang = account?.language ?? person.language;
    return [send(account ? staff.telegramLinked(lang, account.displayName || account.login) : staff.telegramLinkRefused(lang))];
  });
}

export function onStaffLogin(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  return runOnce(deps, updateId, person.chatId, async (tx) => {
    const [account] = await accountsByChat(tx, person.chatId);
    const lang = account?.language ?? person.language;
    if (!account) return [send(staff.notLinked(lang))];
    const url = loginLink(deps.config.publicUrl, await issueLoginToken(deps.config.secretKey, account.id));
    return [send(staff.loginLink(lang, url))];
  });
}
