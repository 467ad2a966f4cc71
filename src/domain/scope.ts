// Tenant isolation in one place: the CRM reads and changes data only through a Scope, and
// every query that touches a tenant's rows takes its condition from here. A school account
// sees its school's rows; an instructor account its own. Nothing else builds these filters.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { applications, replyTemplates, type OwnerKind, type Role } from "../db/schema.ts";

export type Scope =
  | { kind: "school"; schoolId: number; accountId: number }
  | { kind: "instructor"; instructorId: number; accountId: number };

/** The scope of a logged-in account, or null when the role has none (admin). */
export function scopeOf(account: { id: number; role: Role; schoolId: number | null; instructorId: number | null }): Scope | null {
  if (account.role === "school" && account.schoolId) return { kind: "school", schoolId: account.schoolId, accountId: account.id };
  if (account.role === "instructor" && account.instructorId)
    return { kind: "instructor", instructorId: account.instructorId, accountId: account.id };
  return null;
}

/** The applications this scope may see. */
export function ownApplications(scope: Scope): SQL {
  return scope.kind === "school"
    ? and(eq(applications.kind, "school"), eq(applications.schoolId, scope.schoolId))!
    : and(eq(applications.kind, "instructor"), eq(applications.instructorId, scope.instructorId))!;
}

/**
 * ownApplications for a query built once and run for any owner of that kind (a prepared
 * statement): the owner's id is the placeholder `ownerId`, given at execution as ownerOf(scope).ownerId.
 */
export function ownApplicationsOfKind(kind: Scope["kind"]): SQL {
  const ownerId = sql.placeholder("ownerId");
  return kind === "school"
    ? and(eq(applications.kind, "school"), eq(applications.schoolId, ownerId))!
    : and(eq(applications.kind, "instructor"), eq(applications.instructorId, ownerId))!;
}

/** One application, only if this scope owns it. */
export function ownApplication(scope: Scope, id: number): SQL {
  return and(eq(applications.id, id), ownApplications(scope))!;
}

/** Owner of templates (and other per-tenant rows keyed by kind + id). */
export function ownerOf(scope: Scope): { ownerKind: OwnerKind; ownerId: number } {
  return scope.kind === "school" ? { ownerKind: "school", ownerId: scope.schoolId } : { ownerKind: "instructor", ownerId: scope.instructorId };
}

export function ownTemplates(scope: Scope): SQL {
  const o = ownerOf(scope);
  return and(eq(replyTemplates.ownerKind, o.ownerKind), eq(replyTemplates.ownerId, o.ownerId))!;
}
