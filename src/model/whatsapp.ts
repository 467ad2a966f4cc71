// The WhatsApp deep link (https://wa.me/<digits with the country code>?text=<url-encoded text>).
import { normalizePhone } from "./phone.ts";

/**
 * The chat link for a Kazakh number (mobile or landline: WhatsApp Business runs on either), with
 * an optional prefilled message; null when the number is not one we could dial.
 */
export function whatsappLink(phone: string, text?: string): string | null {
  const normalized = normalizePhone(phone, { landline: true });
  if (!normalized) return null;
  const link = `https://wa.me/${normalized.slice(1)}`;
  return text ? `${link}?text=${encodeURIComponent(text)}` : link;
}
