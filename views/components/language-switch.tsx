// The language switch of every staff page (issue 17): two buttons, the current language marked. A
// plain form (no htmx), so it works on the login pages too; it comes back to the same page.
import type { Language } from "../../src/db/schema.ts";
import { languages } from "../../src/db/schema.ts";
import { areaTexts, LANGUAGE_NAMES } from "../../src/i18n/crm/common.ts";
import { CsrfInput } from "./form-field.tsx";

export function LanguageSwitch({ language, here, csrfToken }: { language: Language; here: string; csrfToken?: string }) {
  return (
    <form method="post" action="/language" class="language-switch" aria-label={areaTexts[language].language}>
      {csrfToken ? <CsrfInput token={csrfToken} /> : ""}
      <input type="hidden" name="back" value={here} />
      {languages.map((l) => (
        <button type="submit" name="language" value={l} class={l === language ? "link current" : "link"} aria-pressed={l === language ? "true" : "false"} lang={l}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </form>
  );
}
