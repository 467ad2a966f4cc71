// Automatic messages: what the student gets when their application arrives and when staff move
// it to a status. A school or instructor may write its own text per event, in Russian and
// Kazakh; without one the built-in message is sent. Which events exist is the status model's
// (model/auto-reply.ts); the message is composed by notify/student.ts automaticMessage, for the
// CRM's preview and for the real send alike. Every message sent is queued in the outbox and
// recorded in the application's thread (an 'auto' event) in the caller's transaction.
import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, autoReplies, schoolOffers, students, type Language, languages } from "../db/schema.ts";
import type { ApplicationStatus } from "../model/application-status.ts";
import { REASON_STATUS } from "../model/application-status.ts";
import { autoEventsOf, type AutoEvent } from "../model/auto-reply.ts";
import { inLanguage, PLACEHOLDERS, REASON_PLACEHOLDER } from "../model/placeholders.ts";
import type { ChatMessage, Markup } from "../notify/message.ts";
import { automaticMessage, type AutoFacts, type AutoMessage } from "../notify/student.ts";
import { recordAudit } from "./audit.ts";
import { enqueueMessages } from "./outbox.ts";
import { ownApplications, ownerOf, type Scope } from "./scope.ts";
import { checkBody, ownerOfApplication, type TextErrors, placeholderValues, senderName, senderProfile, senderProfileOf, type ApplicationFacts, type Owner, type SenderProfile } from "./templates.ts";

export type AutoTexts = Record<Language, string>;
export type { AutoFacts };
const NONE: AutoTexts = { ru: "", kk: "" };

const ownedBy = (o: Owner) => and(eq(autoReplies.ownerKind, o.ownerKind), eq(autoReplies.ownerId, o.ownerId));

/** The scope's texts for each of its events ('' where it keeps the built-in message). */
export async function listAutoReplies(db: Db, scope: Scope): Promise<Map<AutoEvent, AutoTexts>> {
  const rows = await db.select().from(autoReplies).where(ownedBy(ownerOf(scope)));
  const texts = new Map(autoEventsOf(scope.kind).map((e) => [e, NONE]));
  for (const r of rows) if (texts.has(r.event as AutoEvent)) texts.set(r.event as AutoEvent, { ru: r.bodyRu, kk: r.bodyKk });
  return texts;
}

/** The placeholders an event's text may use: the reason only with a rejection. */
export function placeholdersOf(event: AutoEvent): string[] {
  return [...Object.keys(PLACEHOLDERS), ...(event === REASON_STATUS ? [REASON_PLACEHOLDER] : [])];
}

export function validateAutoReply(event: AutoEvent, input: AutoTexts): TextErrors {
  const errors: TextErrors = {};
  for (const lang of languages) {
    const problem = checkBody(input[lang], placeholdersOf(event));
    if (problem) errors[lang] = problem;
  }
  return errors;
}

export type AutoSaveResult = { ok: true } | { ok: false; errors: TextErrors };

/** Saves the scope's texts for `event` (both empty: back to the built-in message), audited. */
export async function saveAutoReply(db: Db, scope: Scope, event: AutoEvent, input: AutoTexts): Promise<AutoSaveResult> {
  const errors = validateAutoReply(event, input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const owner = ownerOf(scope);
  const after = { ru: input.ru.trim(), kk: input.kk.trim() };
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(autoReplies).where(and(ownedBy(owner), eq(autoReplies.event, event)));
    if (!after.ru && !after.kk) await tx.delete(autoReplies).where(and(ownedBy(owner), eq(autoReplies.event, event)));
    else
      await tx
        .insert(autoReplies)
        .values({ ...owner, event, bodyRu: after.ru, bodyKk: after.kk })
        .onConflictDoUpdate({ target: [autoReplies.ownerKind, autoReplies.ownerId, autoReplies.event], set: { bodyRu: after.ru, bodyKk: after.kk, updatedAt: new Date() } });
    await recordAudit(tx, {
      accountId: scope.accountId,
      action: "auto_reply.update",
      subject: `auto_reply:${owner.ownerKind}:${owner.ownerId}:${event}`,
      before: before ? { ru: before.bodyRu, kk: before.bodyKk } : null,
      after,
    });
  });
  return { ok: true };
}

/** An example reason for the rejection's preview, in the preview's language. */
export const SAMPLE_REASON: Record<Language, string> = { ru: "Группа на этот месяц уже набрана", kk: "Осы айға топ толып қалды" };

/**
 * What every preview of the scope is filled from: its latest application (its student's name, its
 * course and price), or a made-up one when there is none yet, and the scope's own details. Loaded
 * once per page, however many events it previews.
 */
export async function previewFacts(db: Db, scope: Scope): Promise<AutoFacts> {
  const [latest] = await db
    .select({ app: applications, firstName: students.firstName })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(ownApplications(scope))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(1);
  const facts = latest?.app ?? (await sampleApplication(db, scope));
  const sender = await senderProfile(db, scope);
  const values = await placeholderValues(db, facts, latest ? latest.firstName : "Айдана", sender);
  return { values, counterpart: (lang) => senderName(sender, lang) };
}

/** The message for `event` as a student of each language would get it, from texts not yet saved. */
export function previewAutoReply(facts: AutoFacts, event: AutoEvent, input: AutoTexts): Record<Language, AutoMessage | null> {
  const reason = (lang: Language) => (event === REASON_STATUS ? SAMPLE_REASON[lang] : undefined);
  const preview = (lang: Language) => automaticMessage(lang, event, inLanguage(input, lang), { ...facts, reason: reason(lang) });
  return Object.fromEntries(languages.map((lang) => [lang, preview(lang)])) as Record<Language, AutoMessage | null>;
}

/** A made-up application to the scope (its first offer, for a school), for the preview. */
async function sampleApplication(db: Db, scope: Scope): Promise<ApplicationFacts> {
  const base = { publicNumber: "123", studentName: "Айдана Серикова", preferredTime: null, category: "B", format: "in_person", transmission: "automatic" as const };
  if (scope.kind === "instructor") return { ...base, kind: "instructor", offerId: null, instructorId: scope.instructorId };
  const [offer] = await db.select().from(schoolOffers).where(eq(schoolOffers.schoolId, scope.schoolId)).orderBy(schoolOffers.id).limit(1);
  return { ...base, kind: "school", offerId: offer?.id ?? null, instructorId: null, category: offer?.category ?? "B", format: offer?.format ?? "in_person" };
}

type Application = typeof applications.$inferSelect;

/** Buttons under a status message, in the student's language, from the sender's details (its payment links). */
export type StatusButtons = (lang: Language, sender: SenderProfile) => Markup | undefined;

/**
 * Composes the automatic message for `event` of an application in its student's language (the
 * owner's text or the built-in one) and records it in the thread. Null when there is nothing to
 * send (an application's arrival without the owner's text) or the student is gone.
 */
async function compose(tx: Tx, app: Application, event: AutoEvent, reason?: string, buttons?: StatusButtons): Promise<{ chatId: number; message: AutoMessage } | null> {
  const [student] = await tx.select().from(students).where(eq(students.id, app.studentId));
  if (!student) return null;
  const owner = ownerOfApplication(app);
  const [own] = await tx.select().from(autoReplies).where(and(ownedBy(owner), eq(autoReplies.event, event)));
  const lang = student.language;
  const written = own ? inLanguage({ ru: own.bodyRu, kk: own.bodyKk }, lang) : { text: "", lang };
  const sender = await senderProfileOf(tx, owner);
  const values = await placeholderValues(tx, app, student.firstName, sender);
  const message = automaticMessage(lang, event, written, { values, counterpart: (l) => senderName(sender, l), reason: reason || undefined });
  if (!message) return null;
  // The buttons go under the last piece (a long custom text is split): they follow what it says.
  const markup = buttons?.(lang, sender);
  if (markup) message.messages = message.messages.map((m, i, all) => (i === all.length - 1 ? { ...m, markup } : m));
  await tx.insert(applicationEvents).values({ applicationId: app.id, type: "auto", payload: { event, text: message.text, custom: message.custom } });
  return { chatId: student.chatId, message };
}

/** Staff moved the application to `to`: the student's message is queued and recorded (in `tx`). */
export async function sendStatusMessage(tx: Tx, app: Application, to: ApplicationStatus, reason: string, buttons?: StatusButtons): Promise<void> {
  const composed = await compose(tx, app, to, reason, buttons);
  if (composed) await enqueueMessages(tx, composed.chatId, composed.message.messages);
}

/**
 * The owner's message for a new application, recorded in the thread; the bot sends it right
 * after its own confirmation (in the same update's transaction), so it is returned, not queued.
 */
export async function newApplicationMessages(tx: Tx, app: Application): Promise<ChatMessage[]> {
  return (await compose(tx, app, "new"))?.message.messages ?? [];
}
