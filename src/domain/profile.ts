// What a school or an instructor tells students about itself (the bot lists it): profile fields,
// payment links and a school's offers. Validation lives here (fields checked by the one
// FormCheck the admin panel uses too) so every door gets the same rules; errors are per field,
// in the reader's language (FormCheck's), for the form to show next to the inputs. What a school
// writes for students comes in Russian and, optionally, Kazakh (issue 17).
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { instructors, offerKinds, schoolOffers, schools, transmissions, type OfferKind, type Language, type Transmission } from "../db/schema.ts";
import { FormCheck, type Form, type Saved } from "../model/form-check.ts";
import { profileTexts } from "../i18n/crm/profile.ts";
import { PAYMENT_HOSTS } from "../model/payment-link.ts";
import { recordAudit } from "./audit.ts";
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "./reference.ts";
import type { Scope } from "./scope.ts";

// ---- school ------------------------------------------------------------------------------

export type School = typeof schools.$inferSelect;
export type Offer = typeof schoolOffers.$inferSelect;

export async function getSchool(db: Db, scope: Extract<Scope, { kind: "school" }>): Promise<School> {
  return (await db.select().from(schools).where(eq(schools.id, scope.schoolId)))[0]!;
}

/** What a school tells students (the bot lists it), checked alike in the school's CRM and the admin panel. */
export function schoolProfileFields(c: FormCheck) {
  return {
    name: c.text("name", 120, true, profileTexts[c.language].name),
    address: c.text("address", 200),
    phone: c.phone("phone", true),
    whatsapp: c.phone("whatsapp", false),
    description: c.text("description", 2000),
    kaspiUrl: c.link("kaspiUrl", PAYMENT_HOSTS.kaspi),
    halykUrl: c.link("halykUrl", PAYMENT_HOSTS.halyk),
  };
}

/**
 * The Kazakh versions of the name, address and description, with the Russian ones' limits; each
 * may stay empty (the bot shows the Russian then). Apart from schoolProfileFields so that a form
 * without them (the admin panel's, for now) does not erase them.
 */
export function schoolKazakhFields(c: FormCheck) {
  return {
    nameKk: c.text("nameKk", 120),
    addressKk: c.text("addressKk", 200),
    descriptionKk: c.text("descriptionKk", 2000),
  };
}

export async function updateSchoolProfile(db: Db, scope: Extract<Scope, { kind: "school" }>, form: Form, language: Language): Promise<Saved<School>> {
  const c = new FormCheck(form, language);
  const v = { ...schoolProfileFields(c), ...schoolKazakhFields(c) };
  if (!c.ok) return { ok: false, errors: c.errors };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(schools).where(eq(schools.id, scope.schoolId));
    const [row] = await tx.update(schools).set(v).where(eq(schools.id, scope.schoolId)).returning();
    await recordAudit(tx, { accountId: scope.accountId, action: "school.profile", subject: `school:${scope.schoolId}`, before, after: v });
    return { ok: true, value: row! } as const;
  });
}

/** The school's offers the bot lists (withdrawn ones are kept for old applications). */
export function listOffers(db: Db, scope: Extract<Scope, { kind: "school" }>): Promise<Offer[]> {
  return db
    .select()
    .from(schoolOffers)
    .where(and(eq(schoolOffers.schoolId, scope.schoolId), eq(schoolOffers.active, true)))
    .orderBy(asc(schoolOffers.category), asc(schoolOffers.priceKzt), asc(schoolOffers.id))
    .limit(200);
}

export function validateOffer(form: Form, language: Language): Saved<Omit<Offer, "id" | "schoolId" | "active">> {
  const c = new FormCheck(form, language);
  const say = profileTexts[language];
  const value = {
    category: c.oneOf("category", LICENCE_CATEGORIES, say.chooseCategory),
    format: c.oneOf("format", TRAINING_FORMATS, say.chooseFormat),
    kind: c.oneOf<OfferKind>("kind", offerKinds, say.chooseKind),
    priceKzt: c.amount("priceKzt", 5_000_000),
    durationWeeks: 0,
    hours: offerHours(c, form),
    includes: c.text("includes", MAX_INCLUDES),
    includesKk: c.text("includesKk", MAX_INCLUDES),
  };
  const weeks = Number((form.durationWeeks ?? "").trim());
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) c.errors.durationWeeks = say.weeksRange;
  else value.durationWeeks = weeks;
  return c.ok ? { ok: true, value } : { ok: false, errors: c.errors };
}

/** Longest "what the price includes" text: it follows the offer in a chat message. */
export const MAX_INCLUDES = 300;
export const MAX_OFFER_HOURS = 200;

/** Hours of driving: empty or 1..MAX_OFFER_HOURS; a practice offer is sold by the hour, so it must say how many. */
function offerHours(c: FormCheck, form: Form): number | null {
  const raw = (form.hours ?? "").trim();
  if (!raw) {
    if (form.kind === "practice") c.errors.hours = profileTexts[c.language].hoursForPractice;
    return null;
  }
  const hours = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(hours >= 1 && hours <= MAX_OFFER_HOURS)) {
    c.errors.hours = profileTexts[c.language].hoursRange(MAX_OFFER_HOURS);
    return null;
  }
  return hours;
}

/** Adds (id null) or edits an offer of the school. Null when the offer is not the school's. */
export async function saveOffer(db: Db, scope: Extract<Scope, { kind: "school" }>, id: number | null, form: Form, language: Language): Promise<Saved<Offer> | null> {
  const checked = validateOffer(form, language);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    const [row] = id
      ? await tx
          .update(schoolOffers)
          .set(checked.value)
          .where(and(eq(schoolOffers.id, id), eq(schoolOffers.schoolId, scope.schoolId), eq(schoolOffers.active, true)))
          .returning()
      : await tx.insert(schoolOffers).values({ ...checked.value, schoolId: scope.schoolId }).returning();
    if (!row) return null;
    await recordAudit(tx, { accountId: scope.accountId, action: id ? "offer.update" : "offer.create", subject: `offer:${row.id}`, after: checked.value });
    return { ok: true, value: row } as const;
  });
}

/** Withdraws an offer: applications keep pointing at it, the bot stops listing it. */
export async function withdrawOffer(db: Db, scope: Extract<Scope, { kind: "school" }>, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(schoolOffers)
      .set({ active: false })
      .where(and(eq(schoolOffers.id, id), eq(schoolOffers.schoolId, scope.schoolId)))
      .returning();
    if (row) await recordAudit(tx, { accountId: scope.accountId, action: "offer.withdraw", subject: `offer:${id}` });
    return !!row;
  });
}

// ---- instructor --------------------------------------------------------------------------

export type Instructor = typeof instructors.$inferSelect;

export async function getInstructor(db: Db, scope: Extract<Scope, { kind: "instructor" }>): Promise<Instructor> {
  return (await db.select().from(instructors).where(eq(instructors.id, scope.instructorId)))[0]!;
}

/**
 * What an instructor tells students (the bot lists name, car, gearbox and price), checked alike in
 * the instructor's CRM and the admin panel.
 */
export function instructorProfileFields(c: FormCheck) {
  return {
    name: c.text("name", 120, true, profileTexts[c.language].personName),
    phone: c.phone("phone", true),
    whatsapp: c.phone("whatsapp", false),
    car: c.text("car", 100, true, profileTexts[c.language].car),
    transmission: c.oneOf<Transmission>("transmission", transmissions, profileTexts[c.language].chooseTransmission),
    pricePerHourKzt: c.amount("pricePerHourKzt", 200_000),
    kaspiUrl: c.link("kaspiUrl", PAYMENT_HOSTS.kaspi),
    halykUrl: c.link("halykUrl", PAYMENT_HOSTS.halyk),
  };
}

export async function updateInstructorProfile(db: Db, scope: Extract<Scope, { kind: "instructor" }>, form: Form, language: Language): Promise<Saved<Instructor>> {
  const c = new FormCheck(form, language);
  const v = instructorProfileFields(c);
  if (!c.ok) return { ok: false, errors: c.errors };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(instructors).where(eq(instructors.id, scope.instructorId));
    const [row] = await tx.update(instructors).set(v).where(eq(instructors.id, scope.instructorId)).returning();
    await recordAudit(tx, { accountId: scope.accountId, action: "instructor.profile", subject: `instructor:${scope.instructorId}`, before, after: v });
    return { ok: true, value: row! } as const;
  });
}
