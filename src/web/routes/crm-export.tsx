// GET <area>/applications/export.csv: a school's or an instructor's own applications as CSV (issue
// 17), the admin export's columns and labels in the account's language, scoped to the account (the
// scope's condition, never a school id from the query). A GET that changes nothing: no CSRF token;
// the session cookie (SameSite) and the area's login check guard it like every CRM page.
import { t } from "elysia";
import { csvResponse, exportApplicationsCsv } from "../../domain/export.ts";
import { isApplicationStatus } from "../../model/application-status.ts";
import { type AreaKind, type CrmDeps, crmArea } from "../crm.tsx";
import { dateParam, QText } from "../input.ts";

const ExportQuery = t.Object({ status: QText(20), from: QText(20), to: QText(20) });

export function exportRoutes(deps: CrmDeps, kind: AreaKind) {
  const zone = deps.config.timeZone;
  return crmArea(deps, kind).get(
    "/applications/export.csv",
    ({ query, scope, shell }) => {
      // A malformed filter value is simply not applied, as on the inbox.
      const filter = { scope, status: isApplicationStatus(query.status) ? query.status : undefined, from: dateParam(query.from), to: dateParam(query.to) };
      return csvResponse(exportApplicationsCsv(deps.db, filter, zone, shell.language), "applications");
    },
    { query: ExportQuery },
  );
}
