// Cities, schools, offers and instructors as the bot lists them. Only active rows of active
// schools are offered; every list is one indexed query with its page.
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { cities, indexValues, instructors, schoolOffers, schools, type OfferKind, type Transmission } from "../db/schema.ts";

export type City = typeof cities.$inferSelect;
export type School = typeof schools.$inferSelect;
export type Offer = typeof schoolOffers.$inferSelect;
export type Instructor = typeof instructors.$inferSelect;

type Q = Db | Tx;

export const PAGE_SIZE = 5;

export function listActiveCities(db: Q): Promise<City[]> {
  return db.select().from(cities).where(eq(cities.active, true)).orderBy(asc(cities.sort), asc(cities.nameRu));
}

export async function findActiveCity(db: Q, id: number): Promise<City | null> {
  const [city] = await db
    .select()
    .from(cities)
    .where(and(eq(cities.id, id), eq(cities.active, true)));
  return city ?? null;
}

/** What the bot's school list filters by: a full course of a category and format, or test preparation. */
export interface OfferFilter {
  cityId: number;
  kind: OfferKind;
  category?: string;
  format?: string;
}

function offerWhere(f: OfferFilter) {
  return and(
    eq(schools.cityId, f.cityId),
    eq(schools.active, true),
    eq(schoolOffers.active, true),
    eq(schoolOffers.kind, f.kind),
    f.category ? eq(schoolOffers.category, f.category) : undefined,
    f.format ? eq(schoolOffers.format, f.format) : undefined,
  );
}

/** Distinct values of one offer column (category or format) that some school in the city offers. */
export async function offeredValues(db: Q, column: "category" | "format", f: OfferFilter): Promise<string[]> {
  const col = column === "category" ? schoolOffers.category : schoolOffers.format;
  const rows = await db
    .selectDistinct({ v: col })
    .from(schoolOffers)
    .innerJoin(schools, eq(schools.id, schoolOffers.schoolId))
    .where(offerWhere(f));
  return rows.map((r) => r.v);
}

export interface SchoolListItem {
  schoolId: number;
  name: string;
  address: string;
  minPriceKzt: number;
  durationWeeks: number;
  trust: number | null;
}

/** One page of schools with a matching offer: cheapest matching offer per school, trust index attached. */
export async function listSchools(db: Q, f: OfferFilter, page: number): Promise<{ items: SchoolListItem[]; total: number }> {
  const matching = db
    .select({
      schoolId: schoolOffers.schoolId,
      minPriceKzt: sql<number>`min(${schoolOffers.priceKzt})::int`.as("min_price"),
      durationWeeks: sql<number>`min(${schoolOffers.durationWeeks})::int`.as("min_weeks"),
    })
    .from(schoolOffers)
    .innerJoin(schools, eq(schools.id, schoolOffers.schoolId))
    .where(offerWhere(f))
    .groupBy(schoolOffers.schoolId)
    .as("m");
  const rows = await db
    .select({
      schoolId: schools.id,
      name: schools.name,
      address: schools.address,
      minPriceKzt: matching.minPriceKzt,
      durationWeeks: matching.durationWeeks,
      trust: indexValues.value,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(matching)
    .innerJoin(schools, eq(schools.id, matching.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "school"), eq(indexValues.subjectId, schools.id)))
    .orderBy(sql`${indexValues.value} desc nulls last`, asc(matching.minPriceKzt), asc(schools.id))
    .limit(PAGE_SIZE)
    .offset(page * PAGE_SIZE);
  return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function findActiveSchool(db: Q, id: number): Promise<(School & { trust: number | null }) | null> {
  const [row] = await db
    .select({ school: schools, trust: indexValues.value })
    .from(schools)
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "school"), eq(indexValues.subjectId, schools.id)))
    .where(and(eq(schools.id, id), eq(schools.active, true)));
  return row ? { ...row.school, trust: row.trust } : null;
}

/** The school's active offers, narrowed by whatever the student already chose. */
export function schoolOffersFor(db: Q, schoolId: number, f: Partial<OfferFilter>): Promise<Offer[]> {
  return db
    .select()
    .from(schoolOffers)
    .where(
      and(
        eq(schoolOffers.schoolId, schoolId),
        eq(schoolOffers.active, true),
        f.kind ? eq(schoolOffers.kind, f.kind) : undefined,
        f.category ? eq(schoolOffers.category, f.category) : undefined,
        f.format ? eq(schoolOffers.format, f.format) : undefined,
      ),
    )
    .orderBy(asc(schoolOffers.priceKzt), asc(schoolOffers.id));
}

export async function findActiveOffer(db: Q, offerId: number): Promise<Offer | null> {
  const [row] = await db
    .select({ offer: schoolOffers })
    .from(schoolOffers)
    .innerJoin(schools, eq(schools.id, schoolOffers.schoolId))
    .where(and(eq(schoolOffers.id, offerId), eq(schoolOffers.active, true), eq(schools.active, true)));
  return row?.offer ?? null;
}

export interface InstructorListItem {
  id: number;
  name: string;
  car: string;
  pricePerHourKzt: number;
  schoolName: string | null;
  rating: number | null;
}

/** One page of active instructors in a city with a transmission (of active schools, or independent). */
export async function listInstructors(
  db: Q,
  f: { cityId: number; transmission: Transmission },
  page: number,
): Promise<{ items: InstructorListItem[]; total: number }> {
  const rows = await db
    .select({
      id: instructors.id,
      name: instructors.name,
      car: instructors.car,
      pricePerHourKzt: instructors.pricePerHourKzt,
      schoolName: schools.name,
      rating: indexValues.value,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "instructor"), eq(indexValues.subjectId, instructors.id)))
    .where(
      and(
        eq(instructors.cityId, f.cityId),
        eq(instructors.transmission, f.transmission),
        eq(instructors.active, true),
        or(isNull(instructors.schoolId), eq(schools.active, true)),
      ),
    )
    .orderBy(sql`${indexValues.value} desc nulls last`, asc(instructors.pricePerHourKzt), asc(instructors.id))
    .limit(PAGE_SIZE)
    .offset(page * PAGE_SIZE);
  return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function findActiveInstructor(
  db: Q,
  id: number,
): Promise<(Instructor & { schoolName: string | null; rating: number | null }) | null> {
  const [row] = await db
    .select({ instructor: instructors, schoolName: schools.name, schoolActive: schools.active, rating: indexValues.value })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "instructor"), eq(indexValues.subjectId, instructors.id)))
    .where(and(eq(instructors.id, id), eq(instructors.active, true)));
  if (!row || row.schoolActive === false) return null;
  return { ...row.instructor, schoolName: row.schoolName, rating: row.rating };
}

/** Transmissions that some active instructor in the city teaches on. */
export async function offeredTransmissions(db: Q, cityId: number): Promise<Transmission[]> {
  const rows = await db
    .selectDistinct({ t: instructors.transmission })
    .from(instructors)
    .where(and(eq(instructors.cityId, cityId), eq(instructors.active, true), inArray(instructors.transmission, ["automatic", "manual"])));
  return rows.map((r) => r.t);
}
