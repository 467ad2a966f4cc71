// What a school or an instructor tells students about itself (the bot lists it): profile fields,
// payment links and a school's offers. Validation lives here so every door gets the same rules;
// errors are per field, in Russian, for the CRM to show next to the inputs.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { instructors, offerKinds, schoolOffers, schools, transmissions, type OfferKind, type Transmission } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "./reference.ts";
import type { Scope } from "./scope.ts";

export type FieldErrors = Record<string, string>;
export type Form = Record<string, string>;
export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** +7XXXXXXXXXX from the ways people write Kazakh numbers (8 701…, +7 (701) …, 7701…). */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, "");
  if (digits.length === 11 && (digits[0] === "7" || digits[0] === "8")) return "+7" + digits.slice(1);
  if (digits.length === 10 && digits[0] === "7") return "+7" + digits;
  return null;
}

/** Hosts each payment link must point to (the bank's own domains). */
export const PAYMENT_HOSTS = { kaspi: ["kaspi.kz"], halyk: ["halykbank.kz", "homebank.kz"] } as const;

/** An https link on one of `hosts` (or their subdomains), or null. */
export function paymentLink(raw: string, hosts: readonly string[]): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== "https:" || u.username || u.password || u.port) return null;
    const host = u.hostname.toLowerCase();
    return hosts.some((h) => host === h || host.endsWith("." + h)) ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A whole number of tenge, written with or without spaces ("180 000"). */
export function parseAmount(raw: string, max: number): number | null {
  const s = raw.replace(/[\s\u00a0₸]/g, "");
  if (!/^\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

class Check {
  errors: FieldErrors = {};
  text(form: Form, key: string, max: number, required = false, label = "Поле"): string {
    const v = (form[key] ?? "").trim();
    if (required && !v) this.errors[key] = `${label}: обязательно.`;
    else if (v.length > max) this.errors[key] = `Не длиннее ${max} символов.`;
    return v;
  }
  phone(form: Form, key: string, required: boolean): string {
    const v = (form[key] ?? "").trim();
    if (!v) {
      if (required) this.errors[key] = "Укажите телефон.";
      return "";
    }
    const p = normalizePhone(v);
    if (!p) this.errors[key] = "Номер в формате +7 701 123 45 67.";
    return p ?? v;
  }
  link(form: Form, key: string, hosts: readonly string[]): string {
    const v = (form[key] ?? "").trim();
    if (!v) return "";
    const l = paymentLink(v, hosts);
    if (!l) this.errors[key] = `Ссылка https:// на ${hosts.join(" или ")}.`;
    return l ?? v;
  }
  amount(form: Form, key: string, max: number): number {
    const n = parseAmount(form[key] ?? "", max);
    if (n === null) this.errors[key] = `Целое число тенге от 0 до ${max.toLocaleString("ru-RU")}.`;
    return n ?? 0;
  }
  oneOf<T extends string>(form: Form, key: string, allowed: readonly T[], message: string): T {
    const v = form[key] as T;
    if (!allowed.includes(v)) this.errors[key] = message;
    return v;
  }
  get ok() {
    return Object.keys(this.errors).length === 0;
  }
}

// ---- school ------------------------------------------------------------------------------

export type School = typeof schools.$inferSelect;
export type Offer = typeof schoolOffers.$inferSelect;

export async function getSchool(db: Db, scope: Extract<Scope, { kind: "school" }>): Promise<School> {
  return (await db.select().from(schools).where(eq(schools.id, scope.schoolId)))[0]!;
}

export async function updateSchoolProfile(db: Db, scope: Extract<Scope, { kind: "school" }>, form: Form): Promise<Saved<School>> {
  const c = new Check();
  const v = {
    name: c.text(form, "name", 120, true, "Название"),
    address: c.text(form, "address", 200),
    phone: c.phone(form, "phone", true),
    whatsapp: c.phone(form, "whatsapp", false),
    description: c.text(form, "description", 2000),
    kaspiUrl: c.link(form, "kaspiUrl", PAYMENT_HOSTS.kaspi),
    halykUrl: c.link(form, "halykUrl", PAYMENT_HOSTS.halyk),
  };
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

export function validateOffer(form: Form): Saved<Omit<Offer, "id" | "schoolId" | "active">> {
  const c = new Check();
  const value = {
    category: c.oneOf(form, "category", LICENCE_CATEGORIES, "Выберите категорию."),
    format: c.oneOf(form, "format", TRAINING_FORMATS, "Выберите формат."),
    kind: c.oneOf<OfferKind>(form, "kind", offerKinds, "Выберите вид обучения."),
    priceKzt: c.amount(form, "priceKzt", 5_000_000),
    durationWeeks: 0,
  };
  const weeks = Number((form.durationWeeks ?? "").trim());
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) c.errors.durationWeeks = "Срок — от 1 до 104 недель.";
  else value.durationWeeks = weeks;
  return c.ok ? { ok: true, value } : { ok: false, errors: c.errors };
}

/** Adds (id null) or edits an offer of the school. Null when the offer is not the school's. */
export async function saveOffer(db: Db, scope: Extract<Scope, { kind: "school" }>, id: number | null, form: Form): Promise<Saved<Offer> | null> {
  const checked = validateOffer(form);
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

export async function updateInstructorProfile(db: Db, scope: Extract<Scope, { kind: "instructor" }>, form: Form): Promise<Saved<Instructor>> {
  const c = new Check();
  const v = {
    name: c.text(form, "name", 120, true, "Имя"),
    phone: c.phone(form, "phone", true),
    whatsapp: c.phone(form, "whatsapp", false),
    car: c.text(form, "car", 100, true, "Автомобиль"),
    transmission: c.oneOf<Transmission>(form, "transmission", transmissions, "Выберите коробку передач."),
    pricePerHourKzt: c.amount(form, "pricePerHourKzt", 200_000),
    kaspiUrl: c.link(form, "kaspiUrl", PAYMENT_HOSTS.kaspi),
    halykUrl: c.link(form, "halykUrl", PAYMENT_HOSTS.halyk),
  };
  if (!c.ok) return { ok: false, errors: c.errors };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(instructors).where(eq(instructors.id, scope.instructorId));
    const [row] = await tx.update(instructors).set(v).where(eq(instructors.id, scope.instructorId)).returning();
    await recordAudit(tx, { accountId: scope.accountId, action: "instructor.profile", subject: `instructor:${scope.instructorId}`, before, after: v });
    return { ok: true, value: row! } as const;
  });
}
