// Text a person typed, matched with LIKE/ILIKE: `%`, `_` and `\` are taken literally, never as
// wildcards (a search for "100%" finds "100%", not everything starting with "100").

/** The text with LIKE's special characters escaped (PostgreSQL's default escape is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => "\\" + c);
}

/** `%text%`: contains the text, literally. */
export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
