// Telegram's HTML parse mode: every message the bot sends is HTML, so anything a person typed
// (names, addresses, replies, reasons) is escaped here, by the module that composes the
// message, and nowhere else.

/** Escapes text for Telegram's HTML parse mode (it knows only &amp; &lt; &gt; &quot;). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
