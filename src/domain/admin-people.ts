// Students and the audit log as platform staff see them: search, one student's applications and
// discipline index, blocking; the audit trail of every change in the admin panel and the CRMs.
import { and, desc, eq, gte, ilike, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { accounts, applications, auditLog, students } from "../db/schema.ts";
import { escapeLike, likePattern } from "../db/like.ts";
import { ADMIN_PAGE_SIZE, type Paged } from "./admin-catalog.ts";
import { adminApplicationRows, type AdminApplicationRow } from "./admin-applications.ts";
import { recordAudit } from "./audit.ts";
import { readIndex, type StoredIndex } from "./indexes.ts";
import { phoneSearchDigits } from "../model/phone.ts";
import { dayBounds } from "../model/time.ts";

type Q = Db | Tx;
export type Student = typeof students.$inferSelect;

/**
 * Search by name (first, last, username, or the name given in an application), phone digits or a
 * Telegram id. Digits-only text also matches phones containing those digits.
 */
export async function searchStudents(db: Q, q: string, page: number): Promise<Paged<Student>> {
  const text = q.trim().slice(0, 100);
  const digits = text.replace(/[\s()+-]/g, "");
  const isNumber = /^\d{3,15}$/.test(digits);
  const phoneDigits = phoneSearchDigits(text);
  const like = likePattern(text);
  const where = !text
    ? undefined
    : or(
        ilike(sql`${students.firstName} || ' ' || ${students.lastName}`, like),
        ilike(students.username, likePattern(text.replace(/^@/, ""))),
        phoneDigits ? ilike(students.phone, likePattern(phoneDigits)) : undefined,
        isNumber && digits.length <= 15 ? eq(students.telegramId, Number(digits)) : undefined,
        sql`exists (select 1 from ${applications} a where a.student_id = ${students.id} and a.student_name ilike ${like})`,
      );
  const rows = await db
    .select()
    .from(students)
    .where(where)
    .orderBy(desc(students.createdAt), desc(students.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}

export interface StudentDetails {
  student: Student;
  applications: AdminApplicationRow[];
  discipline: StoredIndex | null;
}

export async function getStudentAdmin(db: Q, id: number): Promise<StudentDetails | null> {
  const [student] = await db.select().from(students).where(eq(students.id, id));
  if (!student) return null;
  const [apps, discipline] = await Promise.all([
    adminApplicationRows(db)
      .where(eq(applications.studentId, id))
      .orderBy(desc(applications.createdAt))
      .limit(200),
    readIndex(db, "student", id),
  ]);
  return { student, applications: apps, discipline };
}

export async function setStudentBlocked(db: Db, actorId: number, id: number, blocked: boolean): Promise<Student | null> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(students).where(eq(students.id, id));
    if (!before) return null;
    const [row] = await tx.update(students).set({ blocked }).where(eq(students.id, id)).returning();
    await recordAudit(tx, { accountId: actorId, action: blocked ? "student.block" : "student.unblock", subject: `student:${id}`, before: { blocked: before.blocked }, after: { blocked } });
    return row!;
  });
}

// ---- audit log ---------------------------------------------------------------------------

export interface AuditFilter {
  /** Part of the login of who made the change. */
  who?: string;
  /** An action or its prefix: "school" matches school.create, school.update… */
  action?: string;
  /** Exact subject ("school:7") or its kind ("school"). */
  subject?: string;
  from?: string;
  to?: string;
  page: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  who: string | null;
  role: string | null;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
}

export async function listAudit(db: Q, f: AuditFilter, zone: string): Promise<Paged<AuditRow>> {
  const from = f.from ? dayBounds(zone, f.from) : null;
  const to = f.to ? dayBounds(zone, f.to) : null;
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      who: accounts.login,
      role: accounts.role,
      action: auditLog.action,
      subject: auditLog.subject,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.accountId))
    .where(
      and(
        f.who ? ilike(accounts.login, likePattern(f.who)) : undefined,
        f.action ? or(eq(auditLog.action, f.action), ilike(auditLog.action, escapeLike(f.action) + ".%")) : undefined,
        f.subject ? (f.subject.includes(":") ? eq(auditLog.subject, f.subject) : ilike(auditLog.subject, escapeLike(f.subject) + ":%")) : undefined,
        from ? gte(auditLog.at, from.start) : undefined,
        to ? lt(auditLog.at, to.end) : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((f.page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page: f.page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}
