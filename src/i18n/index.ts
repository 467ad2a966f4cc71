// t(language) gives every text of the product in Russian or Kazakh: the shared texts (ru.ts,
// kk.ts: notifications, course names) and the student bot's (bot-ru.ts, bot-kk.ts).
import type { Language } from "../db/schema.ts";
import { botKk } from "./bot-kk.ts";
import { botRu, type BotDict } from "./bot-ru.ts";
import { kk } from "./kk.ts";
import { paymentKk } from "./payment-kk.ts";
import { paymentRu, type PaymentDict } from "./payment-ru.ts";
import { ru, type Dict } from "./ru.ts";

export type Texts = Dict & BotDict & PaymentDict;

const dictionaries: Record<Language, Texts> = { ru: { ...ru, ...botRu, ...paymentRu }, kk: { ...kk, ...botKk, ...paymentKk } };

export function t(language: Language): Texts {
  return dictionaries[language] ?? dictionaries.ru;
}

/**
 * A name from one of the dictionaries' lists (formats, transmissions, parts of the day) for a
 * value read from the database or a button, which the type cannot promise is on the list.
 */
export function nameOf<K extends string>(names: Record<K, string>, key: string | null | undefined): string | undefined {
  return key != null && Object.hasOwn(names, key) ? names[key as K] : undefined;
}

/** Telegram's language_code "kk" means Kazakh; everything else gets Russian. */
export function languageFromTelegram(code: string | undefined): Language {
  return code?.toLowerCase().startsWith("kk") ? "kk" : "ru";
}
