// Reply templates (per school or instructor) and how one is filled for an application. Sending a
// reply is the conversation's business (thread.ts).
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { instructors, replyTemplates, schoolOffers, schools, applications, type Language, type OfferKind } from "../db/schema.ts";
import { formatKzt } from "../model/money.ts";
import { formatPhone } from "../model/phone.ts";
import { inLanguage } from "../model/content.ts";
import { courseOf, lessonTime } from "../notify/catalog.ts";
import { recordAudit } from "./audit.ts";
import { ownerOf, ownTemplates, type Scope } from "./scope.ts";
import { PLACEHOLDERS, REASON_PLACEHOLDER, unknownPlaceholders, type PlaceholderValues } from "../model/placeholders.ts";

export type Template = typeof replyTemplates.$inferSelect;

export { fillTemplate, PLACEHOLDERS } from "../model/placeholders.ts";

export const MAX_TITLE = 100;
export const MAX_BODY = 3000;

export interface TemplateInput {
  title: string;
  body: string;
  /** The Kazakh text; '' when the school writes only Russian. */
  bodyKk: string;
}

/** What is wrong with a field of a text a school writes, as a code (src/i18n/crm/settings.ts says it in the page's language). */
export type TextProblem = { code: "tooLong"; max: number } | { code: "unknownPlaceholders"; placeholders: string[] } | { code: "titleMissing" | "bodyMissing" };
/** Each field's problem. */
export type TextErrors = Partial<Record<string, TextProblem>>;

/** A text a school writes for students (a template, an automatic message): not too long, only known placeholders. */
export function checkBody(body: string, allowed: readonly string[]): TextProblem | undefined {
  if (body.length > MAX_BODY) return { code: "tooLong", max: MAX_BODY };
  const unknown = unknownPlaceholders(body, allowed);
  return unknown.length ? { code: "unknownPlaceholders", placeholders: unknown } : undefined;
}

const TEMPLATE_PLACEHOLDERS = Object.keys(PLACEHOLDERS);

export function validateTemplate(input: TemplateInput): TextErrors {
  const errors: TextErrors = {};
  if (!input.title.trim()) errors.title = { code: "titleMissing" };
  else if (input.title.length > MAX_TITLE) errors.title = { code: "tooLong", max: MAX_TITLE };
  const body = input.body.trim() ? checkBody(input.body, TEMPLATE_PLACEHOLDERS) : ({ code: "bodyMissing" } as const);
  if (body) errors.body = body;
  const bodyKk = checkBody(input.bodyKk, TEMPLATE_PLACEHOLDERS);
  if (bodyKk) errors.bodyKk = bodyKk;
  return errors;
}

export function listTemplates(db: Db, scope: Scope): Promise<Template[]> {
  return db.select().from(replyTemplates).where(ownTemplates(scope)).orderBy(asc(replyTemplates.title), asc(replyTemplates.id)).limit(200);
}

export async function getTemplate(db: Db, scope: Scope, id: number): Promise<Template | null> {
  const [row] = await db.select().from(replyTemplates).where(and(eq(replyTemplates.id, id), ownTemplates(scope)));
  return row ?? null;
}

export type SaveResult = { ok: true; template: Template } | { ok: false; errors: TextErrors } | { ok: false; notFound: true };

/** Creates (id null) or edits a template of the scope. */
export async function saveTemplate(db: Db, scope: Scope, id: number | null, input: TemplateInput): Promise<SaveResult> {
  const errors = validateTemplate(input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const values = { title: input.title.trim(), body: input.body.trim(), bodyKk: input.bodyKk.trim() };
  return db.transaction(async (tx) => {
    const [row] = id
      ? await tx.update(replyTemplates).set(values).where(and(eq(replyTemplates.id, id), ownTemplates(scope))).returning()
      : await tx.insert(replyTemplates).values({ ...ownerOf(scope), ...values }).returning();
    if (!row) return { ok: false, notFound: true } as const;
    await recordAudit(tx, { accountId: scope.accountId, action: id ? "template.update" : "template.create", subject: `template:${row.id}`, after: values });
    return { ok: true, template: row } as const;
  });
}

export async function deleteTemplate(db: Db, scope: Scope, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(replyTemplates).where(and(eq(replyTemplates.id, id), ownTemplates(scope))).returning();
    if (row) await recordAudit(tx, { accountId: scope.accountId, action: "template.delete", subject: `template:${id}`, before: { title: row.title, body: row.body, bodyKk: row.bodyKk } });
    return !!row;
  });
}

export interface SenderProfile {
  name: string;
  /** A school's Kazakh name ('' when not written; an instructor's name is one). */
  nameKk: string;
  phone: string;
  whatsapp: string;
  kaspiUrl: string;
  halykUrl: string;
}

/** The sender's name as a student of `language` reads it: a school's Kazakh name when written (model/content.ts); an instructor's is one. */
export const senderName = (sender: Pick<SenderProfile, "name" | "nameKk">, language: Language): string => inLanguage(language, sender.name, sender.nameKk);

/**
 * An application's school or instructor name in both languages, for a select joined to schools and
 * instructors; senderName picks the student's.
 */
export const senderNameColumns = () => ({
  name: sql<string>`coalesce(${schools.name}, ${instructors.name}, '')`,
  nameKk: sql<string>`coalesce(${schools.nameKk}, '')`,
});

export function senderProfile(db: Db | Tx, scope: Scope): Promise<SenderProfile> {
  return senderProfileOf(db, ownerOf(scope));
}

/** The school's or instructor's details a text may name (its placeholders). */
export async function senderProfileOf(db: Db | Tx, owner: Owner): Promise<SenderProfile> {
  const cols = { name: schools.name, nameKk: schools.nameKk, phone: schools.phone, whatsapp: schools.whatsapp, kaspiUrl: schools.kaspiUrl, halykUrl: schools.halykUrl };
  if (owner.ownerKind === "school") return (await db.select(cols).from(schools).where(eq(schools.id, owner.ownerId)))[0]!;
  const [i] = await db
    .select({ name: instructors.name, phone: instructors.phone, whatsapp: instructors.whatsapp, kaspiUrl: instructors.kaspiUrl, halykUrl: instructors.halykUrl })
    .from(instructors)
    .where(eq(instructors.id, owner.ownerId));
  return { ...i!, nameKk: "" };
}

export type Owner = ReturnType<typeof ownerOf>;

/** The owner of an application's texts: its school, or its instructor. */
export const ownerOfApplication = (a: { kind: "school" | "instructor"; schoolId: number | null; instructorId: number | null }): Owner =>
  a.kind === "school" ? { ownerKind: "school", ownerId: a.schoolId! } : { ownerKind: "instructor", ownerId: a.instructorId! };

/** What an application's placeholders are filled from. */
export type ApplicationFacts = Pick<typeof applications.$inferSelect, "kind" | "publicNumber" | "studentName" | "offerId" | "instructorId" | "category" | "format" | "transmission" | "preferredTime">;

/**
 * The placeholders' values for one application, per language (the course's name is the reader's):
 * the student's first name, the number, the course and its price, the sender's contacts.
 */
export async function placeholderValues(db: Db | Tx, a: ApplicationFacts, studentFirstName: string | null, sender: SenderProfile): Promise<(lang: Language) => PlaceholderValues> {
  const { price, offerKind } = await priceOf(db, a);
  return (lang) => ({
    "{имя}": studentFirstName || a.studentName.split(" ")[0] || "",
    "{номер}": a.publicNumber,
    "{курс}": courseOf(lang, { ...a, offerKind }, a.preferredTime ? lessonTime(lang, { daypart: a.preferredTime }) : ""),
    "{цена}": price === null ? "" : formatKzt(price),
    // Numbers as people write them (+7 701 234 56 01); the name in the reader's language when written.
    "{телефон}": formatPhone(sender.phone),
    "{whatsapp}": formatPhone(sender.whatsapp),
    "{название}": senderName(sender, lang),
    "{kaspi}": sender.kaspiUrl,
    "{halyk}": sender.halykUrl,
    [REASON_PLACEHOLDER]: "",
  });
}

/** The offer's price and kind (school; the kind names the course) or the instructor's price per hour. */
async function priceOf(db: Db | Tx, a: ApplicationFacts): Promise<{ price: number | null; offerKind: OfferKind | null }> {
  if (a.kind === "school") {
    if (!a.offerId) return { price: null, offerKind: null };
    const [o] = await db.select({ price: schoolOffers.priceKzt, kind: schoolOffers.kind }).from(schoolOffers).where(eq(schoolOffers.id, a.offerId));
    return { price: o?.price ?? null, offerKind: o?.kind ?? null };
  }
  const [i] = await db.select({ price: instructors.pricePerHourKzt }).from(instructors).where(eq(instructors.id, a.instructorId!));
  return { price: i?.price ?? null, offerKind: null };
}
