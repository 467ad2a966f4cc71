import type { Language } from "../db/schema.ts";
import { kk } from "./kk.ts";
import { ru, type Dict } from "./ru.ts";

const dictionaries: Record<Language, Dict> = { ru, kk };

export function t(language: Language): Dict {
  return dictionaries[language] ?? ru;
}

/** Telegram's language_code "kk" means Kazakh; everything else gets Russian. */
export function languageFromTelegram(code: string | undefined): Language {
  return code?.toLowerCase().startsWith("kk") ? "kk" : "ru";
}
