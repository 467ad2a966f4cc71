// Every application, as platform staff see them: filtered by city, school, instructor, status
// and creation date (local dates in TIME_ZONE), paged; one application with its history.
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applications, cities, instructors, instructorSlots, lessons, schoolOffers, schools, students, type ApplicationStatus } from "../db/schema.ts";
import { ADMIN_PAGE_SIZE, type Paged } from "./admin-catalog.ts";
import { historyOf, type HistoryEntry } from "./inbox.ts";
import { readIndex, type StoredIndex } from "./indexes.ts";
import { dayBounds } from "../model/time.ts";

type Q = Db | Tx;

export interface ApplicationFilter {
  cityId?: number;
  schoolId?: number;
  instructorId?: number;
  studentId?: number;
  status?: ApplicationStatus;
  /** Local dates YYYY-MM-DD in the zone, both inclusive. */
  from?: string;
  to?: string;
}

/** The filter back as query parameters (for links: pager, export). */
export function filterQuery(f: ApplicationFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.cityId) out.city = String(f.cityId);
  if (f.schoolId) out.school = String(f.schoolId);
  if (f.instructorId) out.instructor = String(f.instructorId);
  if (f.studentId) out.student = String(f.studentId);
  if (f.status) out.status = f.status;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}

export function applicationWhere(f: ApplicationFilter, zone: string): SQL | undefined {
  const from = f.from ? dayBounds(zone, f.from) : null;
  const to = f.to ? dayBounds(zone, f.to) : null;
  return and(
    f.cityId ? eq(applications.cityId, f.cityId) : undefined,
    f.schoolId ? eq(applications.schoolId, f.schoolId) : undefined,
    f.instructorId ? eq(applications.instructorId, f.instructorId) : undefined,
    f.studentId ? eq(applications.studentId, f.studentId) : undefined,
    f.status ? eq(applications.status, f.status) : undefined,
    from ? gte(applications.createdAt, from.start) : undefined,
    to ? lt(applications.createdAt, to.end) : undefined,
  );
}

export interface AdminApplicationRow {
  id: number;
  publicNumber: string;
  kind: "school" | "instructor";
  status: ApplicationStatus;
  createdAt: Date;
  cityName: string;
  schoolName: string | null;
  instructorName: string | null;
  studentId: number;
  studentName: string;
  studentPhone: string;
  category: string | null;
}

/** Applications with their city, school and instructor names, as the admin lists show them. */
export function adminApplicationRows(db: Q) {
  return db
    .select({
      id: applications.id,
      publicNumber: applications.publicNumber,
      kind: applications.kind,
      status: applications.status,
      createdAt: applications.createdAt,
      cityName: cities.nameRu,
      schoolName: schools.name,
      instructorName: instructors.name,
      studentId: applications.studentId,
      studentName: applications.studentName,
      studentPhone: applications.studentPhone,
      category: applications.category,
    })
    .from(applications)
    .innerJoin(cities, eq(cities.id, applications.cityId))
    .leftJoin(schools, eq(schools.id, applications.schoolId))
    .leftJoin(instructors, eq(instructors.id, applications.instructorId));
}

export async function listApplicationsAdmin(db: Q, f: ApplicationFilter, page: number, zone: string): Promise<Paged<AdminApplicationRow>> {
  const rows = await adminApplicationRows(db)
    .where(applicationWhere(f, zone))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  return { rows: rows.slice(0, ADMIN_PAGE_SIZE), page, hasMore: rows.length > ADMIN_PAGE_SIZE };
}

export interface AdminApplicationDetails {
  app: typeof applications.$inferSelect;
  student: typeof students.$inferSelect;
  cityName: string;
  schoolName: string | null;
  instructorName: string | null;
  offer: typeof schoolOffers.$inferSelect | null;
  slotStartsAt: Date | null;
  history: HistoryEntry[];
  /** The application's lessons (the history names a lesson by id; old lesson notes take their time from here). */
  lessons: { id: number; startsAt: Date; minutes: number }[];
  discipline: StoredIndex | null;
}

export async function getApplicationAdmin(db: Q, id: number): Promise<AdminApplicationDetails | null> {
  const [row] = await db
    .select({
      app: applications,
      student: students,
      cityName: cities.nameRu,
      schoolName: schools.name,
      instructorName: instructors.name,
      offer: schoolOffers,
      slotStartsAt: instructorSlots.startsAt,
    })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .innerJoin(cities, eq(cities.id, applications.cityId))
    .leftJoin(schools, eq(schools.id, applications.schoolId))
    .leftJoin(instructors, eq(instructors.id, applications.instructorId))
    .leftJoin(schoolOffers, eq(schoolOffers.id, applications.offerId))
    .leftJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .where(eq(applications.id, id));
  if (!row) return null;
  const [history, discipline, lessonRows] = await Promise.all([
    historyOf(db, id),
    readIndex(db, "student", row.student.id),
    db.select({ id: lessons.id, startsAt: lessons.startsAt, minutes: lessons.minutes }).from(lessons).where(eq(lessons.applicationId, id)),
  ]);
  return { ...row, history, lessons: lessonRows, discipline };
}
