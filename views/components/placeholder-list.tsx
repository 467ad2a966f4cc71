// The placeholders a school may write in its texts, with what each means (templates, automatic
// messages), in the page's language; `extra` are ones only some texts may use, e.g. the reject reason.
import type { Language } from "../../src/db/schema.ts";
import { settingsTexts } from "../../src/i18n/crm/settings.ts";

export function PlaceholderList({ extra = {}, language }: { extra?: Record<string, string>; language: Language }) {
  const T = settingsTexts[language];
  return (
    <details class="hint">
      <summary safe>{T.placeholders}</summary>
      <ul>
        {Object.entries({ ...T.placeholderMeanings, ...extra }).map(([k, v]) => (
          <li>
            <code safe>{k}</code> — <span safe>{String(v)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
