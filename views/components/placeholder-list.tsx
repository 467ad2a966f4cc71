// The placeholders a school may write in its texts, with what each means (templates, automatic
// messages); `extra` are ones only some texts may use, e.g. the reject reason.
import { PLACEHOLDERS } from "../../src/model/placeholders.ts";

export function PlaceholderList({ extra = {} }: { extra?: Record<string, string> }) {
  return (
    <details class="hint">
      <summary>Подстановки</summary>
      <ul>
        {Object.entries({ ...PLACEHOLDERS, ...extra }).map(([k, v]) => (
          <li>
            <code safe>{k}</code> — <span safe>{String(v)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
