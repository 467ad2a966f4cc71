// Telegram's HTML parse mode: every message the bot sends is HTML, so anything a person typed
// (names, addresses, replies, reasons) is escaped here, by the module that composes the
// message, and nowhere else.

/** Escapes text for Telegram's HTML parse mode (it knows only &amp; &lt; &gt; &quot;). */
export function escapeHtml(text: string): string {
  // Most texts (names, addresses) hold none of the three: one scan instead of three replaces.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const NEEDS_ESCAPE = /[&<>]/;

/**
 * `text` escaped, at most `max` characters long once escaped: a longer text is cut (never inside
 * an escape or between the halves of a surrogate pair) and ends with "…". Telegram counts the
 * text after parsing, so the escaped length is a safe upper bound of what it counts.
 */
export function escapedWithin(text: string, max: number): string {
  const whole = escapeHtml(text);
  if (whole.length <= max) return whole;
  let out = "";
  for (const ch of text) {
    // for…of walks code points: a surrogate pair stays whole.
    const piece = escapeHtml(ch);
    if (out.length + piece.length + 1 > max) break;
    out += piece;
  }
  return max < 1 ? "" : `${out.trimEnd()}…`;
}
