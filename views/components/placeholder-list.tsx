// The placeholders a school may write in its texts, with what each means (templates, automatic
// messages), in the page's language; `extra` are ones only some texts may use, e.g. the reject
// reason (its meaning as given, or the dictionary's when it has one).
import type { Language } from "../../src/db/schema.ts";
import { componentTexts } from "../../src/i18n/crm/components.ts";
import { PLACEHOLDERS } from "../../src/model/placeholders.ts";

/** `language` is optional only while the pages move to both languages (issue 17): pass it. */
export function PlaceholderList({ extra = {}, language = "ru" }: { extra?: Record<string, string>; language?: Language }) {
  const say = componentTexts[language];
  const meaning = (key: string, given: string) => (language === "ru" ? given : (say.placeholderMeanings[key] ?? given));
  return (
    <details class="hint">
      <summary safe>{say.placeholders}</summary>
      <ul>
        {Object.entries({ ...PLACEHOLDERS, ...extra }).map(([k, v]) => (
          <li>
            <code safe>{k}</code> — <span safe>{meaning(k, String(v))}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
