// Reply templates (per school or instructor) and how one is filled for an application. Sending a
// reply is the conversation's business (thread.ts).
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { instructors, replyTemplates, schools } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { ownerOf, ownTemplates, type Scope } from "./scope.ts";
import type { FieldErrors } from "../model/form-check.ts";

export type Template = typeof replyTemplates.$inferSelect;

/** Placeholders a template may use, with what they mean (shown next to the form). */
export const PLACEHOLDERS = {
  "{имя}": "имя студента",
  "{номер}": "номер заявки",
  "{телефон}": "ваш телефон",
  "{whatsapp}": "ваш WhatsApp",
  "{название}": "название автошколы или имя инструктора",
  "{kaspi}": "ссылка на оплату Kaspi",
  "{halyk}": "ссылка на оплату Halyk",
} as const;
type Placeholder = keyof typeof PLACEHOLDERS;

export const MAX_TITLE = 100;
export const MAX_BODY = 3000;

export function validateTemplate(input: { title: string; body: string }): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.title.trim()) errors.title = "Укажите название шаблона.";
  else if (input.title.length > MAX_TITLE) errors.title = `Не длиннее ${MAX_TITLE} символов.`;
  if (!input.body.trim()) errors.body = "Напишите текст шаблона.";
  else if (input.body.length > MAX_BODY) errors.body = `Не длиннее ${MAX_BODY} символов.`;
  else {
    const unknown = [...input.body.matchAll(/\{[^{}\s]{1,30}\}/g)].map((m) => m[0]).filter((p) => !(p in PLACEHOLDERS));
    if (unknown.length) errors.body = `Неизвестные подстановки: ${[...new Set(unknown)].join(", ")}.`;
  }
  return errors;
}

export function listTemplates(db: Db, scope: Scope): Promise<Template[]> {
  return db.select().from(replyTemplates).where(ownTemplates(scope)).orderBy(asc(replyTemplates.title), asc(replyTemplates.id)).limit(200);
}

export async function getTemplate(db: Db, scope: Scope, id: number): Promise<Template | null> {
  const [row] = await db.select().from(replyTemplates).where(and(eq(replyTemplates.id, id), ownTemplates(scope)));
  return row ?? null;
}

export type SaveResult = { ok: true; template: Template } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

/** Creates (id null) or edits a template of the scope. */
export async function saveTemplate(db: Db, scope: Scope, id: number | null, input: { title: string; body: string }): Promise<SaveResult> {
  const errors = validateTemplate(input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const values = { title: input.title.trim(), body: input.body.trim() };
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
    if (row) await recordAudit(tx, { accountId: scope.accountId, action: "template.delete", subject: `template:${id}`, before: { title: row.title, body: row.body } });
    return !!row;
  });
}

export interface SenderProfile {
  name: string;
  phone: string;
  whatsapp: string;
  kaspiUrl: string;
  halykUrl: string;
}

export async function senderProfile(db: Db, scope: Scope): Promise<SenderProfile> {
  const cols = { name: schools.name, phone: schools.phone, whatsapp: schools.whatsapp, kaspiUrl: schools.kaspiUrl, halykUrl: schools.halykUrl };
  if (scope.kind === "school") return (await db.select(cols).from(schools).where(eq(schools.id, scope.schoolId)))[0]!;
  const [i] = await db
    .select({ name: instructors.name, phone: instructors.phone, whatsapp: instructors.whatsapp, kaspiUrl: instructors.kaspiUrl, halykUrl: instructors.halykUrl })
    .from(instructors)
    .where(eq(instructors.id, scope.instructorId));
  return i!;
}

/** Fills a template's placeholders for one application. */
export function fillTemplate(body: string, v: { studentName: string; number: string; sender: SenderProfile }): string {
  const values: Record<Placeholder, string> = {
    "{имя}": v.studentName,
    "{номер}": v.number,
    "{телефон}": v.sender.phone,
    "{whatsapp}": v.sender.whatsapp,
    "{название}": v.sender.name,
    "{kaspi}": v.sender.kaspiUrl,
    "{halyk}": v.sender.halykUrl,
  };
  return body.replace(/\{[^{}\s]{1,30}\}/g, (p) => (p in values ? values[p as Placeholder] : p));
}
