// The audit trail: who changed what, with the state before and after. Written in the same
// transaction as the change it describes.
import type { Db, Tx } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";

export interface AuditEntry {
  accountId: number | null;
  action: string;
  /** What was changed, e.g. "application:42" or "school:7". */
  subject: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: Db | Tx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({ accountId: e.accountId, action: e.action, subject: e.subject, before: e.before ?? null, after: e.after ?? null });
}
