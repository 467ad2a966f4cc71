// The conversation between a student and the school or instructor of an application. Both sides'
// messages are application_events ('message' from the student, 'reply' from staff), so the CRM's
// thread is the application's history in order. Every message is stored and queued in the outbox
// in one transaction: a crash or a Telegram outage loses none, and the outbox keeps their order.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { accounts, applicationEvents, applications, instructors, schools, students } from "../db/schema.ts";
import { MAX_THREAD_TEXT, type StudentContent } from "../model/thread-message.ts";
import { studentWrote } from "../notify/staff.ts";
import { staffMessage } from "../notify/student.ts";
import { recordAudit } from "./audit.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { enqueueMessages } from "./outbox.ts";
import { OPEN_APPLICATION, UNREAD } from "./inbox.ts";
import { ownApplication, type Scope } from "./scope.ts";
import { staffChatsFor } from "./staff-telegram.ts";
import { inLanguage } from "../model/placeholders.ts";
import { fillTemplate, getTemplate, placeholderValues, senderName, senderNameColumns, senderProfile } from "./templates.ts";

/** An application a student can write to, as the bot names it. */
export interface OpenThread {
  id: number;
  publicNumber: string;
  targetName: string;
}

/** The student's open (not final) applications, newest first: where their messages can go. */
export async function openThreadsOf(db: Db | Tx, studentId: number, limit = 10): Promise<OpenThread[]> {
  const rows = await db
    .select({ id: applications.id, publicNumber: applications.publicNumber, target: senderNameColumns(), language: students.language })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .leftJoin(schools, eq(schools.id, applications.schoolId))
    .leftJoin(instructors, eq(instructors.id, applications.instructorId))
    .where(and(eq(applications.studentId, studentId), OPEN_APPLICATION))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(limit);
  // The student reads the school's name in their language.
  return rows.map((r) => ({ id: r.id, publicNumber: r.publicNumber, targetName: senderName(r.target, r.language) }));
}

/** `several`: the student has other open applications too (the bot offers to switch). */
export type ThreadTarget = { kind: "one"; thread: OpenThread; several: boolean } | { kind: "choose"; threads: OpenThread[] } | { kind: "none" };

/** Where a student's message goes: the application they chose earlier (while open), the only open one, or they choose. */
export async function threadTargetOf(db: Db | Tx, student: { id: number; threadApplicationId: number | null }): Promise<ThreadTarget> {
  const threads = await openThreadsOf(db, student.id);
  const chosen = threads.find((t) => t.id === student.threadApplicationId);
  if (chosen) return { kind: "one", thread: chosen, several: threads.length > 1 };
  if (threads.length === 1) return { kind: "one", thread: threads[0]!, several: false };
  return threads.length ? { kind: "choose", threads } : { kind: "none" };
}

export type ThreadChoice = { kind: "chosen"; thread: OpenThread } | { kind: "closed" } | { kind: "unknown" };

/** The student picked the application for their messages: chosen, their own but final ("closed"), or not theirs at all ("unknown"). */
export async function chooseThread(tx: Db | Tx, studentId: number, applicationId: number): Promise<ThreadChoice> {
  const thread = (await openThreadsOf(tx, studentId)).find((t) => t.id === applicationId);
  if (thread) {
    await tx.update(students).set({ threadApplicationId: applicationId }).where(eq(students.id, studentId));
    return { kind: "chosen", thread };
  }
  const [own] = await tx.select({ id: applications.id }).from(applications).where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)));
  return own ? { kind: "closed" } : { kind: "unknown" };
}

/**
 * Stores a student's message in the application's thread, marks the application as waiting for
 * the school's answer and relays the message to the linked staff (`replyData` packs their
 * "Ответить" button). Null, and nothing written, when the application is not the student's or
 * no longer open.
 */
export async function postStudentMessage(tx: Tx, studentId: number, applicationId: number, content: StudentContent, replyData: (applicationId: number) => string): Promise<OpenThread | null> {
  const thread = (await openThreadsOf(tx, studentId)).find((t) => t.id === applicationId);
  if (!thread) return null;
  const [app] = await tx
    .update(applications)
    .set({ lastStudentMessageAt: sql`now()`, awaitingReplySince: sql`coalesce(${applications.awaitingReplySince}, now())` })
    .where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)))
    .returning({ schoolId: applications.schoolId, instructorId: applications.instructorId, studentName: applications.studentName, kind: applications.kind });
  if (!app) return null;
  await tx.insert(applicationEvents).values({ applicationId, type: "message", payload: content as unknown as Record<string, unknown> });
  // A message after a staff reply is the student's answer: it feeds their discipline index.
  await markDirty(tx, [{ kind: "student", id: studentId }]);
  const owner = app.kind === "school" ? { schoolId: app.schoolId! } : { instructorId: app.instructorId! };
  // Each staff member reads the alert in their own language (accounts.language; none: Russian).
  for (const staff of await staffChatsFor(tx, owner))
    await enqueueMessages(tx, staff.chatId, studentWrote(staff.language, { number: thread.publicNumber, studentName: app.studentName, content }, replyData(applicationId)));
  return thread;
}

// As long as one Telegram message, so a staff member's answer from Telegram always fits; the
// header can push it past Telegram's limit, so staffMessage splits it.
export const MAX_REPLY = MAX_THREAD_TEXT;

/** Why a reply was refused, by the field it concerns: a code the CRM's form (and the staff's Telegram) words in the reader's language (src/i18n/crm/application.ts). */
export type ReplyProblem = "template_not_found" | "template_empty" | "text_required" | "too_long";
export type ReplyErrors = Partial<Record<"template" | "text", ReplyProblem>>;

export type ReplyResult = { ok: true; text: string; publicNumber: string; studentName: string } | { ok: false; errors: ReplyErrors } | { ok: false; notFound: true };

/** Where a staff reply was written: the CRM's form or the staff member's Telegram. */
export type ReplyVia = "crm" | "telegram";

/**
 * Sends a reply to the student of an application: free text, or a template filled for this
 * application. Delivered by the bot (outbox, split as Telegram requires), recorded in the thread
 * and the audit log; the application stops waiting for an answer and counts as read.
 */
export async function sendReply(db: Db, scope: Scope, applicationId: number, input: { text?: string; templateId?: number | null }, via: ReplyVia = "crm"): Promise<ReplyResult> {
  const [row] = await db
    .select({ app: applications, student: students })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(ownApplication(scope, applicationId));
  if (!row) return { ok: false, notFound: true };
  const sender = await senderProfile(db, scope);
  let text = (input.text ?? "").trim();
  let templateId: number | null = null;
  if (!text && input.templateId) {
    const template = await getTemplate(db, scope, input.templateId);
    if (!template) return { ok: false, errors: { template: "template_not_found" } };
    templateId = template.id;
    // The student's language, or the only one the template is written in: its placeholders in that language too.
    const written = inLanguage({ ru: template.body, kk: template.bodyKk }, row.student.language);
    const values = await placeholderValues(db, row.app, row.student.firstName, sender);
    text = fillTemplate(written.text, values(written.lang)).trim();
    // Only placeholders with nothing behind them (a {kaspi} without a Kaspi link): Telegram refuses an empty message.
    if (!text) return { ok: false, errors: { template: "template_empty" } };
  }
  if (!text) return { ok: false, errors: { text: "text_required" } };
  if (text.length > MAX_REPLY) return { ok: false, errors: { text: "too_long" } };
  const messages = staffMessage(row.student.language, { sender: senderName(sender, row.student.language), number: row.app.publicNumber, body: text });
  await db.transaction(async (tx) => {
    await enqueueMessages(tx, row.student.chatId, messages);
    await tx.insert(applicationEvents).values({ applicationId, accountId: scope.accountId, type: "reply", payload: { text, via, ...(templateId ? { templateId } : {}) } });
    // A reply is a response: the first one stops the "waiting for an answer" clock. It answers
    // what staff could see when they wrote (`seen`): a student message committed meanwhile keeps
    // the application waiting and unread.
    const seen = sql`coalesce(${row.app.lastStudentMessageAt?.toISOString() ?? null}::timestamptz, '-infinity'::timestamptz)`;
    // (`seen` came through a JS Date: milliseconds, so the column is compared at that precision.)
    const newer = sql`coalesce(date_trunc('milliseconds', ${applications.lastStudentMessageAt}), '-infinity'::timestamptz) > ${seen}`;
    await tx
      .update(applications)
      .set({
        firstResponseAt: sql`coalesce(${applications.firstResponseAt}, now())`,
        awaitingReplySince: sql`case when ${newer} then ${applications.awaitingReplySince} end`,
        staffReadAt: sql`case when ${newer} then ${applications.staffReadAt} else greatest(${applications.staffReadAt}, ${applications.lastStudentMessageAt}) end`,
        updatedAt: sql`now()`,
      })
      .where(eq(applications.id, applicationId));
    // The first answer is the trust index's response time (speed, answered): the school or
    // instructor is recomputed. Later replies change no index (a student's reply marks the student).
    if (!row.app.firstResponseAt) await markDirty(tx, subjectsOf(row.app).slice(0, 1));
    await recordAudit(tx, { accountId: scope.accountId, action: "application.reply", subject: `application:${applicationId}`, after: { templateId, via } });
  });
  return { ok: true, text, publicNumber: row.app.publicNumber, studentName: row.app.studentName || row.student.firstName || "" };
}

/**
 * Staff saw the thread up to the student's message `eventId` (the newest one the page rendered):
 * the student's messages up to that one's time count as read. Not now(): a message still being
 * committed, or not yet shown, stays unread. Never moves the mark back.
 */
export async function markThreadRead(db: Db, scope: Scope, applicationId: number, eventId: number): Promise<void> {
  const seenAt = sql`(select ${applicationEvents.at} from ${applicationEvents} where ${applicationEvents.id} = ${eventId} and ${applicationEvents.applicationId} = ${applicationId} and ${applicationEvents.type} = 'message')`;
  await db
    .update(applications)
    .set({ staffReadAt: sql`greatest(${applications.staffReadAt}, ${seenAt})` })
    .where(and(ownApplication(scope, applicationId), UNREAD));
}

/** A staff member pressed "Ответить" in Telegram: their next text goes to this application (if their scope owns it). */
export async function startTelegramReply(db: Db | Tx, accountId: number, scope: Scope, applicationId: number): Promise<{ publicNumber: string } | null> {
  const [app] = await db.select({ publicNumber: applications.publicNumber }).from(applications).where(ownApplication(scope, applicationId));
  if (!app) return null;
  await db.update(accounts).set({ replyApplicationId: applicationId, replyStartedAt: sql`now()` }).where(eq(accounts.id, accountId));
  return app;
}
