// Cities, schools, offers and instructors as the bot lists them. Only active rows of active
// schools are offered; every list is one indexed query with its page.
import { and, asc, eq, getTableColumns, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import type { IndexResult } from "../analytics/explain.ts";
import { sqlShownTrust, storedIndex } from "./indexes.ts";
import { cities, indexValues, instructors, schoolOffers, schools, transmissions, type OfferKind, type Transmission } from "../db/schema.ts";
import { inLicenceOrder } from "../model/licence.ts";

export type City = typeof cities.$inferSelect;
export type School = typeof schools.$inferSelect;
export type Offer = typeof schoolOffers.$inferSelect;
export type Instructor = typeof instructors.$inferSelect;

type Q = Db | Tx;

export const PAGE_SIZE = 5;

/** The order the bot lists cities in. */
const cityOrder = () => [asc(cities.sort), asc(cities.nameRu)];

export function listActiveCities(db: Q): Promise<City[]> {
  return db.select().from(cities).where(eq(cities.active, true)).orderBy(...cityOrder());
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

/** An offer the bot may show (active, of an active school) matching the filter, in any city. Needs `schools` joined. */
function offerAnywhere(f: Omit<OfferFilter, "cityId">) {
  return and(
    eq(schools.active, true),
    eq(schoolOffers.active, true),
    eq(schoolOffers.kind, f.kind),
    f.category ? eq(schoolOffers.category, f.category) : undefined,
    f.format ? eq(schoolOffers.format, f.format) : undefined,
  );
}

function offerWhere(f: OfferFilter) {
  return and(eq(schools.cityId, f.cityId), offerAnywhere(f));
}

/** An active city with how many schools offer the kind there and how many instructors teach there. */
export interface CityWithCounts extends City {
  schools: number;
  instructors: number;
}

/**
 * Every active city (ordered like listActiveCities) with what the bot could list in it: schools
 * with an offer of `kind`, and instructors. One query: each count is a subquery grouped by city
 * over the whole catalog (~14 ms on PostgreSQL for 1000 schools, 5000 offers, 10000 instructors),
 * and catalog-cache.ts keeps the answer until the catalog changes, so no index is added for it.
 */
export async function listCitiesWithCounts(db: Q, kind: OfferKind): Promise<CityWithCounts[]> {
  const s = db
    .select({ cityId: schools.cityId, n: sql<number>`count(distinct ${schools.id})::int`.as("schools_n") })
    .from(schoolOffers)
    .innerJoin(schools, eq(schools.id, schoolOffers.schoolId))
    .where(offerAnywhere({ kind }))
    .groupBy(schools.cityId)
    .as("s");
  const i = db
    .select({ cityId: instructors.cityId, n: sql<number>`count(*)::int`.as("instructors_n") })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(instructorAnywhere({}))
    .groupBy(instructors.cityId)
    .as("i");
  return db
    .select({
      ...getTableColumns(cities),
      schools: sql<number>`coalesce(${s.n}, 0)::int`,
      instructors: sql<number>`coalesce(${i.n}, 0)::int`,
    })
    .from(cities)
    .leftJoin(s, eq(s.cityId, cities.id))
    .leftJoin(i, eq(i.cityId, cities.id))
    .where(eq(cities.active, true))
    .orderBy(...cityOrder());
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
  /** The Kazakh versions ('' = written only in Russian): the bot picks by the student's language (model/content.ts). */
  nameKk: string;
  addressKk: string;
  minPriceKzt: number;
  durationWeeks: number;
  /** The fewest hours of driving among the matching offers (practice is sold by the hour); null when none says. */
  hours: number | null;
  /** What the list is of (the filter's kind): the bot words each kind its own way. */
  kind: OfferKind;
  trust: number | null;
}

/** One page of schools with a matching offer: cheapest matching offer per school, trust index attached. */
export async function listSchools(db: Q, f: OfferFilter, page: number): Promise<{ items: SchoolListItem[]; total: number }> {
  const matching = db
    .select({
      schoolId: schoolOffers.schoolId,
      minPriceKzt: sql<number>`min(${schoolOffers.priceKzt})::int`.as("min_price"),
      durationWeeks: sql<number>`min(${schoolOffers.durationWeeks})::int`.as("min_weeks"),
      hours: sql<number | null>`min(${schoolOffers.hours})::int`.as("min_hours"),
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
      nameKk: schools.nameKk,
      addressKk: schools.addressKk,
      minPriceKzt: matching.minPriceKzt,
      durationWeeks: matching.durationWeeks,
      hours: matching.hours,
      trust: sqlShownTrust,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(matching)
    .innerJoin(schools, eq(schools.id, matching.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "school"), eq(indexValues.subjectId, schools.id)))
    .orderBy(sql`${indexValues.value} desc nulls last`, asc(matching.minPriceKzt), asc(schools.id))
    .limit(PAGE_SIZE)
    .offset(page * PAGE_SIZE);
  return { items: rows.map(({ total: _, ...r }) => ({ ...r, kind: f.kind })), total: rows[0]?.total ?? 0 };
}

/** Whether the school is one the list for `f` could show: a choice from a forged callback is not. */
export async function schoolMatches(db: Q, f: OfferFilter, schoolId: number): Promise<boolean> {
  const rows = await db
    .select({ id: schoolOffers.id })
    .from(schoolOffers)
    .innerJoin(schools, eq(schools.id, schoolOffers.schoolId))
    .where(and(eq(schoolOffers.schoolId, schoolId), offerWhere(f)))
    .limit(1);
  return rows.length > 0;
}

export async function findActiveSchool(db: Q, id: number): Promise<(School & { trust: number | null; trustIndex: IndexResult | null }) | null> {
  const [row] = await db
    .select({ school: schools, trust: sqlShownTrust, index: indexValues })
    .from(schools)
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "school"), eq(indexValues.subjectId, schools.id)))
    .where(and(eq(schools.id, id), eq(schools.active, true)));
  return row ? { ...row.school, trust: row.trust, trustIndex: storedIndex(row.index) } : null;
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

/** What the bot's instructor list filters by. */
export interface InstructorFilter {
  cityId: number;
  transmission?: Transmission;
  category?: string;
}

/**
 * An instructor the bot may show (active, of an active school or independent) matching the
 * filter, in any city. Needs `schools` left-joined. The category test reads the array in rows
 * already found by city through instructors_city_idx (hundreds per city at national scale, a
 * page of them in ~4 ms), so a GIN index on `categories` would cost every write and save little.
 */
function instructorAnywhere(f: Omit<InstructorFilter, "cityId">) {
  return and(
    eq(instructors.active, true),
    or(isNull(instructors.schoolId), eq(schools.active, true)),
    f.transmission ? eq(instructors.transmission, f.transmission) : undefined,
    f.category ? sql`${f.category} = any(${instructors.categories})` : undefined,
  );
}

function instructorWhere(f: InstructorFilter) {
  return and(eq(instructors.cityId, f.cityId), instructorAnywhere(f));
}

export interface InstructorListItem {
  id: number;
  name: string;
  car: string;
  pricePerHourKzt: number;
  transmission: Transmission;
  categories: string[];
  schoolName: string | null;
  /** The school's Kazakh name ('' = none; null: an independent instructor). */
  schoolNameKk: string | null;
  rating: number | null;
}

/** One page of the instructors the bot may show in a city, by transmission and category when given. */
export async function listInstructors(db: Q, f: InstructorFilter, page: number): Promise<{ items: InstructorListItem[]; total: number }> {
  const rows = await db
    .select({
      id: instructors.id,
      name: instructors.name,
      car: instructors.car,
      pricePerHourKzt: instructors.pricePerHourKzt,
      transmission: instructors.transmission,
      categories: instructors.categories,
      schoolName: schools.name,
      schoolNameKk: schools.nameKk,
      rating: sqlShownTrust,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "instructor"), eq(indexValues.subjectId, instructors.id)))
    .where(instructorWhere(f))
    .orderBy(sql`${indexValues.value} desc nulls last`, asc(instructors.pricePerHourKzt), asc(instructors.id))
    .limit(PAGE_SIZE)
    .offset(page * PAGE_SIZE);
  return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function findActiveInstructor(
  db: Q,
  id: number,
): Promise<(Instructor & { schoolName: string | null; schoolNameKk: string | null; rating: number | null; trustIndex: IndexResult | null }) | null> {
  const [row] = await db
    .select({ instructor: instructors, schoolName: schools.name, schoolNameKk: schools.nameKk, rating: sqlShownTrust, index: indexValues })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .leftJoin(indexValues, and(eq(indexValues.subjectKind, "instructor"), eq(indexValues.subjectId, instructors.id)))
    .where(and(eq(instructors.id, id), instructorAnywhere({})));
  return row ? { ...row.instructor, schoolName: row.schoolName, schoolNameKk: row.schoolNameKk, rating: row.rating, trustIndex: storedIndex(row.index) } : null;
}

/** Whether the instructor is one the list for `f` could show: a choice from a forged callback is not. */
export async function instructorMatches(db: Q, f: InstructorFilter, instructorId: number): Promise<boolean> {
  const rows = await db
    .select({ id: instructors.id })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(and(eq(instructors.id, instructorId), instructorWhere(f)))
    .limit(1);
  return rows.length > 0;
}

/** Transmissions that some instructor the bot may show in the city teaches on (of `category` when given), in `transmissions` order. */
export async function offeredTransmissions(db: Q, cityId: number, category?: string): Promise<Transmission[]> {
  const rows = await db
    .selectDistinct({ t: instructors.transmission })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(and(instructorWhere({ cityId, category }), inArray(instructors.transmission, [...transmissions])));
  const offered = new Set(rows.map((r) => r.t));
  return transmissions.filter((t) => offered.has(t));
}

/** Licence categories that some instructor the bot may show in the city teaches, in the law's order. */
export async function offeredInstructorCategories(db: Q, cityId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ c: sql<string>`unnest(${instructors.categories})` })
    .from(instructors)
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(instructorWhere({ cityId }));
  return inLicenceOrder(rows.map((r) => r.c));
}
