// What schools and instructors write for students comes in Russian and, when they wrote it, in
// Kazakh (issue 17). One rule picks the text a reader sees: their language's, else the other one.
import type { Language } from "../db/schema.ts";

/** The reader's language version of a text, falling back to the other when that one is empty. */
export function inLanguage(language: Language, ru: string, kk: string): string {
  const own = language === "kk" ? kk : ru;
  return own.trim() ? own : language === "kk" ? ru : kk;
}
