// What schools and instructors write for students comes in Russian and, when they wrote it, in
// Kazakh (issue 17). One rule picks the text a reader sees: their language's, else the other one
// (placeholders.ts inLanguage, shared with templates and automatic messages).
import { inLanguage as writtenIn } from "./placeholders.ts";

/** The reader's language version of a text, falling back to the other when that one is empty. */
export function inLanguage(language: "ru" | "kk", ru: string, kk: string): string {
  return writtenIn({ ru, kk }, language).text;
}
