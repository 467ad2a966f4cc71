// Admin: the audit log, filterable by who, action, subject and date.
import { t } from "elysia";
import { listAudit } from "../../domain/admin-people.ts";
import { AuditPage } from "../../../views/pages/admin/audit.tsx";
import type { CrmDeps } from "../crm.tsx";
import { dateParam, pageOf, QText } from "../input.ts";
import { adminArea, adminPage, param } from "./admin-common.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";

const AuditQuery = t.Object({ who: QText(100), action: QText(100), subject: QText(100), from: QText(20), to: QText(20), page: QText(20) });

export function adminAuditRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return adminArea(deps).get("/audit", async ({ request, query, shell }) => {
    const text = (key: "who" | "action" | "subject") => param(query, key) || undefined;
    const filter = { who: text("who"), action: text("action"), subject: text("subject"), from: dateParam(query.from), to: dateParam(query.to) };
    const list = await listAudit(db, { ...filter, page: pageOf(query.page) }, config.timeZone);
    return adminPage(request, shell, { title: adminTexts[shell.language].titles.audit, active: "audit" }, <AuditPage {...list} filter={filter} zone={config.timeZone} language={shell.language} />);
  }, { query: AuditQuery });
}
