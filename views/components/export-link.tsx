// The CRM inbox's link to the account's own CSV export (routes/crm-export.tsx), keeping the inbox's
// status and dates (the export has no name search: it is for bookkeeping, not for finding one).
import type { Language } from "../../src/db/schema.ts";
import { exportTexts } from "../../src/i18n/admin/export.ts";

export function CsvExportLink({ ctx, filter }: { ctx: { base: string; language: Language }; filter: { status?: string; from?: string; to?: string } }) {
  const say = exportTexts[ctx.language];
  const q = new URLSearchParams();
  for (const key of ["status", "from", "to"] as const) if (filter[key]) q.set(key, filter[key]!);
  const query = q.toString();
  return (
    <p class="export-link">
      <a href={`${ctx.base}/applications/export.csv${query ? `?${query}` : ""}`} download="" title={say.crmLinkHint} safe>
        {say.crmLink}
      </a>
    </p>
  );
}
