// The placeholders a school or instructor writes in its texts (reply templates, automatic
// messages) and the one filler for both. Pure: the values are gathered by the domain
// (domain/templates.ts placeholderValues); what is filled is plain text, escaped by notify/ when sent.

/** The students' languages (db/schema.ts languages; the model imports nothing: a new one fails to compile at the callers). */
type Language = "ru" | "kk";

/** Placeholders every text may use, with what they mean (shown next to the forms). */
export const PLACEHOLDERS = {
  "{имя}": "имя ученика",
  "{номер}": "номер заявки",
  "{курс}": "курс или занятие, на которое подана заявка",
  "{цена}": "цена курса (у инструктора — за час)",
  "{телефон}": "ваш телефон",
  "{whatsapp}": "ваш WhatsApp",
  "{название}": "название автошколы или имя инструктора",
  "{kaspi}": "ссылка на оплату Kaspi",
  "{halyk}": "ссылка на оплату Halyk",
} as const;

/** The reject reason: only the message sent with a rejection has one. */
export const REASON_PLACEHOLDER = "{причина}";
export const REASON_MEANING = "причина отказа, которую вы укажете";

export type Placeholder = keyof typeof PLACEHOLDERS | typeof REASON_PLACEHOLDER;
export type PlaceholderValues = Record<Placeholder, string>;

/** Something in braces that looks like a placeholder (typed by a person, so bounded). */
const PLACEHOLDER_LIKE = /\{[^{}\s]{1,30}\}/g;

/** The placeholder-like words of `body` that are not in `allowed`, each once. */
export function unknownPlaceholders(body: string, allowed: readonly string[]): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER_LIKE)].map((m) => m[0]).filter((p) => !allowed.includes(p)))];
}

/** Fills a text's placeholders; anything else in braces stays as written. */
export function fillTemplate(body: string, values: PlaceholderValues): string {
  return body.replace(PLACEHOLDER_LIKE, (p) => (Object.hasOwn(values, p) ? values[p as Placeholder] : p));
}

/** A text as it will be read: what it says and the language it is written in. */
export interface Written {
  text: string;
  lang: Language;
}

/**
 * Of a text written in both languages, the one for a reader of `lang`: theirs, or the other when
 * the school wrote only that one ('' in the reader's language when neither is written). `lang` is
 * the language actually used: the placeholders (the course's name) and any line the bot adds to
 * the text must be in it, or a Kazakh reader of a Russian-only text gets two languages at once.
 */
export function inLanguage(bodies: Record<Language, string>, lang: Language): Written {
  const other: Language = lang === "kk" ? "ru" : "kk";
  if (bodies[lang].trim()) return { text: bodies[lang], lang };
  if (bodies[other].trim()) return { text: bodies[other], lang: other };
  return { text: "", lang };
}
