// The staff pages' texts (CRM, admin, login: issue 17) are kept per screen, Russian and Kazakh side
// by side, so a translator reads both at once and a missing Kazakh text fails to compile:
//   export const inboxTexts = bilingual({ ru: { title: "Заявки" }, kk: { title: "Өтінімдер" } });
//   inboxTexts[language].title
// It lives in the model so the model's own messages (form-check.ts) can use it; src/i18n/bilingual.ts
// re-exports it for everyone else. Every dictionary made here is also listed (registeredDictionaries) for the test that finds Russian
// left on Kazakh pages.

/** db/schema.ts languages (the model imports nothing: a new language fails to compile at the callers). */
type Language = "ru" | "kk";

export type Bilingual<T> = Readonly<Record<Language, T>>;

const registry: Bilingual<object>[] = [];

/** One screen's texts in both languages: `kk` must have exactly what `ru` has. */
export function bilingual<T extends object>(texts: { ru: T; kk: NoInfer<T> }): Bilingual<T> {
  registry.push(texts);
  return texts;
}

/** Every dictionary made with bilingual() so far (the modules imported by then). */
export function registeredDictionaries(): readonly Bilingual<object>[] {
  return registry;
}
