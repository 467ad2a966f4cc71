// An application's status as a badge, in the page's language.
import type { Language } from "../../src/db/schema.ts";
import { statusName } from "../format.ts";

/** `language` is optional only while the pages move to both languages (issue 17): pass it. */
export function StatusBadge({ status, language = "ru" }: { status: string; language?: Language }) {
  return (
    <span class={`badge status-${status}`} safe>
      {statusName(status, language)}
    </span>
  );
}
