// Admin: the audit log, filterable by who, action, subject and date.
import { pageOf } from "../../domain/admin-catalog.ts";
import { auditFilterOf, listAudit } from "../../domain/admin-people.ts";
import { AuditPage } from "../../../views/pages/admin/audit.tsx";
import type { CrmDeps } from "../crm.tsx";
import { adminArea, adminPage } from "./admin-common.tsx";

export function adminAuditRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return adminArea(deps).get("/audit", async ({ request, query, shell }) => {
    const f = auditFilterOf(query, pageOf(query.page));
    const list = await listAudit(db, f, config.timeZone);
    const { page: _, ...filter } = f;
    return adminPage(request, shell, { title: "Журнал изменений", active: "audit" }, <AuditPage {...list} filter={filter} zone={config.timeZone} />);
  });
}
