// An application's status as a badge, in the page's language.
import type { Language } from "../../src/db/schema.ts";
import { statusName } from "../format.ts";

export function StatusBadge({ status, language }: { status: string; language: Language }) {
  return (
    <span class={`badge status-${status}`} safe>
      {statusName(status, language)}
    </span>
  );
}
