// The platform's support contact (SUPPORT_CONTACT, shown by the bot's /help): what it may be and
// how people write it. Pure.
import { formatPhone, normalizePhone } from "./phone.ts";

export type SupportContact = { kind: "telegram"; username: string } | { kind: "phone"; phone: string };

/**
 * "@avtomat_help", "https://t.me/avtomat_help" or a Kazakh number (mobile or landline: an office
 * may answer, normalized by the phone rule); a string naming what is wrong else.
 */
export function parseSupportContact(raw: string): SupportContact | string {
  const username = raw.match(/^(?:@|(?:https?:\/\/)?t\.me\/)([A-Za-z][A-Za-z0-9_]{4,31})\/?$/);
  if (username) return { kind: "telegram", username: username[1]! };
  const phone = normalizePhone(raw, { landline: true });
  return phone ? { kind: "phone", phone } : `expected a Telegram @username or a Kazakh phone number such as +7 701 234 56 78 (got "${raw}")`;
}

/** As a chat shows it: the @username (Telegram links it) or the grouped number. */
export function showSupportContact(c: SupportContact): string {
  return c.kind === "telegram" ? `@${c.username}` : formatPhone(c.phone);
}
