// The admin panel's catalog: cities, schools with their offers, instructors with their slots.
// Platform staff see every row (active or not); "deleting" is deactivation — nothing an
// application refers to is removed, and the bot stops listing an inactive row at once (catalog.ts
// filters on `active`). Every change writes an audit_log row in the same transaction.
import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { likePattern } from "../db/like.ts";
import { accounts, cities, instructors, instructorSlots, schoolOffers, schools, type Language, type Transmission } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { addSlot, AvailabilityError, listSlotsWithHolders, type SlotWithHolder } from "./availability.ts";
import { availabilityProblemText } from "../i18n/crm/availability.ts";
import { cancelSlot } from "./slot-cancel.ts";
import { FormCheck, type Form, type Saved } from "../model/form-check.ts";
import { DAY_MS } from "../model/time.ts";
import { instructorProfileFields, schoolProfileFields, validateOffer } from "./profile.ts";
import { LICENCE_CATEGORIES } from "./reference.ts";
import { catalogTexts } from "../i18n/admin/catalog.ts";
import { MAX_PLACE_LENGTH as MAX_MEETING_POINT } from "./lessons.ts";

type Q = Db | Tx;

export const ADMIN_PAGE_SIZE = 50;

function isUniqueViolation(err: unknown): boolean {
  for (let e: any = err; e; e = e.cause) if (e.code === "23505") return true;
  return false;
}

/** Paged result: one extra row tells whether there is a next page. */
export interface Paged<T> {
  rows: T[];
  page: number;
  hasMore: boolean;
}

function paged<T>(rows: T[], page: number, size = ADMIN_PAGE_SIZE): Paged<T> {
  return { rows: rows.slice(0, size), page, hasMore: rows.length > size };
}

// ---- cities ------------------------------------------------------------------------------

export type City = typeof cities.$inferSelect;

export function listAllCities(db: Q): Promise<City[]> {
  return db.select().from(cities).orderBy(asc(cities.sort), asc(cities.nameRu)).limit(1000);
}

export async function getCity(db: Q, id: number): Promise<City | null> {
  return (await db.select().from(cities).where(eq(cities.id, id)))[0] ?? null;
}

export async function saveCity(db: Db, actorId: number, id: number | null, form: Form, language: Language): Promise<Saved<City> | null> {
  const c = new FormCheck(form, language);
  const v = { nameRu: c.text("nameRu", 80, true), nameKk: c.text("nameKk", 80, true), sort: c.int("sort", 0, 100_000), active: c.checkbox("active") };
  if (!c.ok) return { ok: false, errors: c.errors };
  try {
    return await db.transaction(async (tx) => {
      const before = id ? await getCity(tx, id) : null;
      if (id && !before) return null;
      const [row] = id ? await tx.update(cities).set(v).where(eq(cities.id, id)).returning() : await tx.insert(cities).values(v).returning();
      await recordAudit(tx, { accountId: actorId, action: id ? "city.update" : "city.create", subject: `city:${row!.id}`, before, after: row });
      return { ok: true, value: row! } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, errors: { nameRu: catalogTexts[language].cityExists } };
    throw err;
  }
}

export async function setCityActive(db: Db, actorId: number, id: number, active: boolean): Promise<City | null> {
  return db.transaction(async (tx) => {
    const before = await getCity(tx, id);
    if (!before) return null;
    const [row] = await tx.update(cities).set({ active }).where(eq(cities.id, id)).returning();
    await recordAudit(tx, { accountId: actorId, action: active ? "city.activate" : "city.deactivate", subject: `city:${id}`, before: { active: before.active }, after: { active } });
    return row!;
  });
}

// ---- schools -----------------------------------------------------------------------------

export type School = typeof schools.$inferSelect;
export type Offer = typeof schoolOffers.$inferSelect;

export interface SchoolFilter {
  q?: string;
  cityId?: number;
  /** "active" | "inactive"; anything else: both. */
  state?: string;
  /** "missing": schools lacking a Kazakh text (SCHOOL_LACKS_KAZAKH); "present": the others. */
  kazakh?: string;
  page: number;
}

export interface SchoolRow {
  id: number;
  name: string;
  cityName: string;
  phone: string;
  active: boolean;
  offers: number;
  createdAt: Date;
  /** A text students read is written in Russian but not in Kazakh (SCHOOL_LACKS_KAZAKH). */
  lacksKazakh: boolean;
}

/**
 * A school lacks Kazakh when a text it shows students is written in Russian only: its name,
 * address or description, or what an active offer's price includes. A Kazakh-speaking student then
 * reads Russian there (src/model/content.ts falls back), so the admin panel marks such schools.
 */
const SCHOOL_LACKS_KAZAKH = sql<boolean>`(
  (${schools.nameKk} = '' and ${schools.name} <> '')
  or (${schools.addressKk} = '' and ${schools.address} <> '')
  or (${schools.descriptionKk} = '' and ${schools.description} <> '')
  or exists (select 1 from ${schoolOffers} o where o.school_id = ${schools.id} and o.active and o.includes <> '' and o.includes_kk = '')
)`;

function activeWhere(col: typeof schools.active | typeof instructors.active, state?: string): SQL | undefined {
  return state === "active" ? eq(col, true) : state === "inactive" ? eq(col, false) : undefined;
}

export async function listSchoolsAdmin(db: Q, f: SchoolFilter): Promise<Paged<SchoolRow>> {
  const q = f.q?.trim();
  const rows = await db
    .select({
      id: schools.id,
      name: schools.name,
      cityName: cities.nameRu,
      phone: schools.phone,
      active: schools.active,
      createdAt: schools.createdAt,
      offers: sql<number>`(select count(*)::int from ${schoolOffers} o where o.school_id = ${schools.id} and o.active)`,
      lacksKazakh: SCHOOL_LACKS_KAZAKH,
    })
    .from(schools)
    .innerJoin(cities, eq(cities.id, schools.cityId))
    .where(
      and(
        f.cityId ? eq(schools.cityId, f.cityId) : undefined,
        activeWhere(schools.active, f.state),
        f.kazakh === "missing" ? SCHOOL_LACKS_KAZAKH : f.kazakh === "present" ? sql`not ${SCHOOL_LACKS_KAZAKH}` : undefined,
        q ? or(ilike(schools.name, likePattern(q)), ilike(schools.nameKk, likePattern(q)), ilike(schools.phone, likePattern(q)), ilike(schools.address, likePattern(q))) : undefined,
      ),
    )
    .orderBy(asc(schools.name), asc(schools.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((f.page - 1) * ADMIN_PAGE_SIZE);
  return paged(rows, f.page);
}

/** Schools for a select box (id, "name — city"), in the admin's language. */
export async function schoolChoices(db: Q, language: Language): Promise<[string, string][]> {
  const rows = await db
    .select({ id: schools.id, name: schools.name, city: language === "kk" ? cities.nameKk : cities.nameRu, active: schools.active })
    .from(schools)
    .innerJoin(cities, eq(cities.id, schools.cityId))
    .orderBy(asc(schools.name))
    .limit(2000);
  return rows.map((r) => [String(r.id), `${r.name} — ${r.city}${r.active ? "" : catalogTexts[language].inactiveShe}`]);
}

export async function getSchoolAdmin(db: Q, id: number): Promise<School | null> {
  return (await db.select().from(schools).where(eq(schools.id, id)))[0] ?? null;
}

/** What the admin form saves: the profile's fields (as the school's CRM checks them), the city, the Kazakh texts. */
function schoolValues(c: FormCheck, language: Language) {
  return {
    cityId: c.id("cityId", true, catalogTexts[language].chooseCity) ?? 0,
    ...schoolProfileFields(c),
    nameKk: c.text("nameKk", 120),
    addressKk: c.text("addressKk", 200),
    descriptionKk: c.text("descriptionKk", 2000),
  };
}

export async function saveSchool(db: Db, actorId: number, id: number | null, form: Form, language: Language): Promise<Saved<School> | null> {
  const c = new FormCheck(form, language);
  const v = schoolValues(c, language);
  if (!c.errors.cityId && !(await getCity(db, v.cityId))) c.errors.cityId = catalogTexts[language].chooseCity;
  if (!c.ok) return { ok: false, errors: c.errors };
  return db.transaction(async (tx) => {
    const before = id ? await getSchoolAdmin(tx, id) : null;
    if (id && !before) return null;
    const [row] = id ? await tx.update(schools).set(v).where(eq(schools.id, id)).returning() : await tx.insert(schools).values(v).returning();
    await recordAudit(tx, { accountId: actorId, action: id ? "school.update" : "school.create", subject: `school:${row!.id}`, before, after: row });
    return { ok: true, value: row! } as const;
  });
}

/** Deactivated: the bot stops listing the school (and its instructors) at once; history stays. */
export async function setSchoolActive(db: Db, actorId: number, id: number, active: boolean): Promise<School | null> {
  return db.transaction(async (tx) => {
    const before = await getSchoolAdmin(tx, id);
    if (!before) return null;
    const [row] = await tx.update(schools).set({ active }).where(eq(schools.id, id)).returning();
    await recordAudit(tx, { accountId: actorId, action: active ? "school.activate" : "school.deactivate", subject: `school:${id}`, before: { active: before.active }, after: { active } });
    return row!;
  });
}

/** All offers of a school, withdrawn ones too (old applications point at them). */
export function listOffersAdmin(db: Q, schoolId: number): Promise<Offer[]> {
  return db
    .select()
    .from(schoolOffers)
    .where(eq(schoolOffers.schoolId, schoolId))
    .orderBy(desc(schoolOffers.active), asc(schoolOffers.category), asc(schoolOffers.priceKzt), asc(schoolOffers.id))
    .limit(500);
}

export async function saveOfferAdmin(db: Db, actorId: number, schoolId: number, offerId: number | null, form: Form, language: Language): Promise<Saved<Offer> | null> {
  const checked = validateOffer(form, language);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    if (!(await getSchoolAdmin(tx, schoolId))) return null;
    const before = offerId ? (await tx.select().from(schoolOffers).where(and(eq(schoolOffers.id, offerId), eq(schoolOffers.schoolId, schoolId))))[0] : null;
    if (offerId && !before) return null;
    const [row] = offerId
      ? await tx.update(schoolOffers).set(checked.value).where(eq(schoolOffers.id, offerId)).returning()
      : await tx.insert(schoolOffers).values({ ...checked.value, schoolId }).returning();
    await recordAudit(tx, { accountId: actorId, action: offerId ? "offer.update" : "offer.create", subject: `offer:${row!.id}`, before: before ?? null, after: row });
    return { ok: true, value: row! } as const;
  });
}

export async function setOfferActive(db: Db, actorId: number, schoolId: number, offerId: number, active: boolean): Promise<Offer | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(schoolOffers)
      .set({ active })
      .where(and(eq(schoolOffers.id, offerId), eq(schoolOffers.schoolId, schoolId)))
      .returning();
    if (row) await recordAudit(tx, { accountId: actorId, action: active ? "offer.activate" : "offer.deactivate", subject: `offer:${offerId}`, before: { active: !active }, after: { active } });
    return row ?? null;
  });
}

// ---- instructors -------------------------------------------------------------------------

export type Instructor = typeof instructors.$inferSelect;

export interface InstructorFilter {
  q?: string;
  cityId?: number;
  /** A school id, or "independent". */
  school?: number | "independent";
  state?: string;
  page: number;
}

export interface InstructorRow {
  id: number;
  name: string;
  cityName: string;
  schoolName: string | null;
  transmission: Transmission;
  pricePerHourKzt: number;
  phone: string;
  active: boolean;
}

export async function listInstructorsAdmin(db: Q, f: InstructorFilter): Promise<Paged<InstructorRow>> {
  const q = f.q?.trim();
  const rows = await db
    .select({
      id: instructors.id,
      name: instructors.name,
      cityName: cities.nameRu,
      schoolName: schools.name,
      transmission: instructors.transmission,
      pricePerHourKzt: instructors.pricePerHourKzt,
      phone: instructors.phone,
      active: instructors.active,
    })
    .from(instructors)
    .innerJoin(cities, eq(cities.id, instructors.cityId))
    .leftJoin(schools, eq(schools.id, instructors.schoolId))
    .where(
      and(
        f.cityId ? eq(instructors.cityId, f.cityId) : undefined,
        f.school === "independent" ? isNull(instructors.schoolId) : f.school ? eq(instructors.schoolId, f.school) : undefined,
        activeWhere(instructors.active, f.state),
        q ? or(ilike(instructors.name, likePattern(q)), ilike(instructors.phone, likePattern(q)), ilike(instructors.car, likePattern(q))) : undefined,
      ),
    )
    .orderBy(asc(instructors.name), asc(instructors.id))
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((f.page - 1) * ADMIN_PAGE_SIZE);
  return paged(rows, f.page);
}

export async function instructorChoices(db: Q, language: Language): Promise<[string, string][]> {
  const rows = await db
    .select({ id: instructors.id, name: instructors.name, city: language === "kk" ? cities.nameKk : cities.nameRu, active: instructors.active })
    .from(instructors)
    .innerJoin(cities, eq(cities.id, instructors.cityId))
    .orderBy(asc(instructors.name))
    .limit(2000);
  return rows.map((r) => [String(r.id), `${r.name} — ${r.city}${r.active ? "" : catalogTexts[language].inactiveHe}`]);
}

export async function getInstructorAdmin(db: Q, id: number): Promise<Instructor | null> {
  return (await db.select().from(instructors).where(eq(instructors.id, id)))[0] ?? null;
}

/** "B, BE" or "B BE" → ["B", "BE"]; unknown categories are an error. */
export function parseCategories(raw: string): string[] | null {
  const parts = [...new Set(raw.split(/[\s,;]+/).filter(Boolean))];
  if (!parts.length) return null;
  const known = new Map(LICENCE_CATEGORIES.map((c) => [c.toLowerCase(), c] as const));
  const out: string[] = [];
  for (const p of parts) {
    const c = known.get(p.toLowerCase());
    if (!c) return null;
    out.push(c);
  }
  return out;
}

export async function saveInstructor(db: Db, actorId: number, id: number | null, form: Form, language: Language): Promise<Saved<Instructor> | null> {
  const c = new FormCheck(form, language);
  const say = catalogTexts[language];
  const v = {
    cityId: c.id("cityId", true, say.chooseCity) ?? 0,
    schoolId: c.id("schoolId", false, say.chooseSchool),
    ...instructorProfileFields(c),
    categories: parseCategories(form.categories ?? "") ?? [],
    // Where lessons start, in both languages (the CRM's lesson rules edit the same columns).
    meetingPoint: c.text("meetingPoint", MAX_MEETING_POINT),
    meetingPointKk: c.text("meetingPointKk", MAX_MEETING_POINT),
  };
  if (!v.categories.length) c.errors.categories = say.categoriesList(LICENCE_CATEGORIES.join(", "));
  if (!c.errors.cityId && !(await getCity(db, v.cityId))) c.errors.cityId = say.chooseCity;
  if (v.schoolId && !c.errors.schoolId) {
    const school = await getSchoolAdmin(db, v.schoolId);
    if (!school) c.errors.schoolId = say.noSuchSchool;
    else if (!c.errors.cityId && school.cityId !== v.cityId) c.errors.schoolId = say.otherCity;
  }
  if (!c.ok) return { ok: false, errors: c.errors };
  return db.transaction(async (tx) => {
    const before = id ? await getInstructorAdmin(tx, id) : null;
    if (id && !before) return null;
    const [row] = id ? await tx.update(instructors).set(v).where(eq(instructors.id, id)).returning() : await tx.insert(instructors).values(v).returning();
    await recordAudit(tx, { accountId: actorId, action: id ? "instructor.update" : "instructor.create", subject: `instructor:${row!.id}`, before, after: row });
    return { ok: true, value: row! } as const;
  });
}

export async function setInstructorActive(db: Db, actorId: number, id: number, active: boolean): Promise<Instructor | null> {
  return db.transaction(async (tx) => {
    const before = await getInstructorAdmin(tx, id);
    if (!before) return null;
    const [row] = await tx.update(instructors).set({ active }).where(eq(instructors.id, id)).returning();
    await recordAudit(tx, { accountId: actorId, action: active ? "instructor.activate" : "instructor.deactivate", subject: `instructor:${id}`, before: { active: before.active }, after: { active } });
    return row!;
  });
}

// ---- slots -------------------------------------------------------------------------------

export type Slot = typeof instructorSlots.$inferSelect;

/** The instructor's slots from a day ago on (cancelled too), with their bookings, soonest first, bounded. */
export function listSlotsAdmin(db: Q, instructorId: number, now: Date): Promise<SlotWithHolder[]> {
  return listSlotsWithHolders(db, instructorId, new Date(now.getTime() - DAY_MS), new Date("9999-01-01T00:00:00Z"), 200);
}

/** Adds a slot (local "YYYY-MM-DDTHH:MM" in the zone). */
export async function addSlotAdmin(db: Db, actorId: number, instructorId: number, form: Form, toUtc: (local: string) => Date | null, language: Language): Promise<Saved<Slot> | null> {
  if (!(await getInstructorAdmin(db, instructorId))) return null;
  const c = new FormCheck(form, language);
  const startsAt = toUtc((form.startsAt ?? "").trim());
  if (!startsAt) c.errors.startsAt = catalogTexts[language].slotFormat;
  const minutes = c.int("minutes", 30, 240);
  if (!c.ok) return { ok: false, errors: c.errors };
  try {
    return { ok: true, value: await addSlot(db, { instructorId, accountId: actorId }, startsAt!, minutes, new Date()) };
  } catch (err) {
    if (err instanceof AvailabilityError) return { ok: false, errors: { startsAt: err.problems.map((p) => availabilityProblemText(p, language)).join(" ") } };
    throw err;
  }
}

/**
 * Cancels an open slot. A booked one is refused: its instructor cancels it in the CRM with a
 * reason the student receives (src/domain/slot-cancel.ts), which an admin cannot give for them.
 */
export async function cancelSlotAdmin(db: Db, actorId: number, instructorId: number, slotId: number, timeZone: string): Promise<"ok" | "not_found" | "taken"> {
  const r = await cancelSlot(db, { instructorId, accountId: actorId }, slotId, { timeZone });
  return r.ok ? "ok" : r.reason === "not_found" ? "not_found" : "taken";
}

/** Logins attached to a school or an instructor (for its page). */
export function accountsOf(db: Q, who: { schoolId: number } | { instructorId: number }) {
  return db
    .select({ id: accounts.id, login: accounts.login, displayName: accounts.displayName, disabled: accounts.disabled, lastLoginAt: accounts.lastLoginAt })
    .from(accounts)
    .where("schoolId" in who ? eq(accounts.schoolId, who.schoolId) : eq(accounts.instructorId, who.instructorId))
    .orderBy(asc(accounts.login))
    .limit(100);
}
