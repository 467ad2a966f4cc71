// Routes a raw Telegram update to the flow that handles it. Works on the raw Bot API objects
// (not GramIO's context getters) so what we rely on is exactly the documented protocol.
import type { TelegramPerson } from "../domain/students.ts";
import { languageFromTelegram } from "../i18n/index.ts";
import { langData, myCancelData, stepData } from "./callback-data.ts";
import type { EngineDeps } from "./engine.ts";
import {
  onCancel,
  onContact,
  onLang,
  onLangChosen,
  onMy,
  onMyCancel,
  onStart,
  onStepButton,
  onText,
  onUnknownButton,
  onUnsupported,
  parseStartPayload,
} from "./flows/commands.ts";
import { onStaffLink, onStaffLogin } from "./flows/staff.ts";
import { t } from "../i18n/index.ts";
import type { Reply } from "./replies.ts";

interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}
interface TgMessage {
  message_id: number;
  chat: { id: number; type: string };
  from?: TgUser;
  text?: string;
  contact?: { phone_number: string };
}
interface TgCallback {
  id: string;
  from: TgUser;
  data?: string;
  message?: { message_id: number; chat: { id: number; type: string } };
}

export interface Routed {
  chatId: number;
  replies: Reply[];
}

function person(from: TgUser, chatId: number): TelegramPerson {
  return { telegramId: from.id, chatId, firstName: from.first_name, lastName: from.last_name, username: from.username, language: languageFromTelegram(from.language_code) };
}

export async function dispatchMessage(deps: EngineDeps, updateId: number, m: TgMessage): Promise<Routed | null> {
  if (!m.from || m.from.is_bot) return null;
  const chatId = m.chat.id;
  const p = person(m.from, chatId);
  const text = m.text?.trim();
  if (m.chat.type !== "private") {
    // Only answer commands in groups, so the bot never chatters there.
    return text?.startsWith("/") ? { chatId, replies: [{ kind: "send", text: t(p.language).privateOnly }] } : null;
  }
  if (m.contact) return { chatId, replies: await onContact(deps, updateId, p, m.contact.phone_number) };
  if (!text) return { chatId, replies: await onUnsupported(deps, updateId, p) };
  const command = text.match(/^\/([a-z]+)(?:@\w+)?(?:\s+(.*))?$/i);
  if (!command) return { chatId, replies: await onText(deps, updateId, p, text) };
  const [, name, arg = ""] = command;
  switch (name!.toLowerCase()) {
    case "start": {
      const target = parseStartPayload(arg.trim());
      if (target?.kind === "link") return { chatId, replies: await onStaffLink(deps, updateId, p, target.code) };
      return { chatId, replies: await onStart(deps, updateId, p, arg.trim()) };
    }
    case "cancel":
      return { chatId, replies: await onCancel(deps, updateId, p) };
    case "lang":
      return { chatId, replies: await onLang(deps, updateId, p) };
    case "my":
      return { chatId, replies: await onMy(deps, updateId, p) };
    case "login":
      return { chatId, replies: await onStaffLogin(deps, updateId, p) };
    default:
      return { chatId, replies: await onText(deps, updateId, p, text) };
  }
}

export async function dispatchCallback(deps: EngineDeps, updateId: number, q: TgCallback): Promise<Routed | null> {
  const chatId = q.message?.chat.id ?? q.from.id;
  const p = person(q.from, chatId);
  const data = q.data ?? "";
  const messageId = q.message?.message_id;
  if (!messageId) return { chatId, replies: await onUnknownButton(deps, updateId, p, q.id) };
  const via = { messageId, callbackId: q.id };
  if (stepData.filter(data)) {
    const parsed = stepData.safeUnpack(data);
    if (parsed.success) return { chatId, replies: await onStepButton(deps, updateId, p, parsed.data, via) };
  }
  if (langData.filter(data)) {
    const parsed = langData.safeUnpack(data);
    if (parsed.success) return { chatId, replies: await onLangChosen(deps, updateId, p, parsed.data.l, via) };
  }
  if (myCancelData.filter(data)) {
    const parsed = myCancelData.safeUnpack(data);
    if (parsed.success) return { chatId, replies: await onMyCancel(deps, updateId, p, parsed.data.id, via) };
  }
  return { chatId, replies: await onUnknownButton(deps, updateId, p, q.id) };
}
