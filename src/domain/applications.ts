// Applications as the student makes them in the bot: create exactly once (idempotency key),
// hold an instructor's slot (a unique index decides races), alert the linked staff, compose the
// owner's automatic message for the student (auto-replies.ts), and list
// a student's applications for /my.
import { isSlotOpen, lockCalendar } from "./slots.ts";
import { and, desc, eq, isNotNull, notInArray, or, sql } from "drizzle-orm";
import { alertLanguage } from "./staff-telegram.ts";
import { FINAL_STATUSES } from "../model/application-status.ts";
import type { Db, Tx } from "../db/client.ts";
import { accounts, applicationEvents, applications, payments, schoolOffers, schools, instructors, students, type OfferKind, type Transmission } from "../db/schema.ts";
import { sqlPaymentState, type PaymentState } from "../model/payment.ts";
import { markDirty, subjectsOf } from "./index-refresh.ts";
import { newApplication } from "../notify/staff.ts";
import { enqueueMessage } from "./outbox.ts";
import { UNTAGGED_SOURCE } from "../model/share-link.ts";
import { newApplicationMessages } from "./auto-replies.ts";
import type { ChatMessage } from "../notify/message.ts";
import { isSituation, type Situation } from "../model/situation.ts";
import { senderName, senderNameColumns } from "./templates.ts";

export type Application = typeof applications.$inferSelect;

export interface NewApplication {
  studentId: number;
  idempotencyKey: string;
  cityId: number;
  studentName: string;
  studentPhone: string;
  /** The phone came from the student's own shared contact (Telegram vouches for it). */
  phoneConfirmed?: boolean;
  source?: string | null;
  /** What the student said of themselves (no licence, licence, school certificate); the school sees it. */
  situation?: Situation | null;
  school?: { schoolId: number; offerId: number; category: string; format: string };
  /** `category`: the licence category the student chose practice for (instructors teach several). */
  instructor?: { instructorId: number; slotId?: number | null; transmission: Transmission; category?: string | null; preferredTime?: string | null };
}

export type CreateResult =
  /** `messages`: the owner's automatic message for a new application, for the bot to send after its confirmation. */
  | { kind: "created"; application: Application; messages: ChatMessage[] }
  | { kind: "existing"; application: Application } // the same confirm pressed again
  | { kind: "slot_taken" };

function uniqueViolation(err: unknown, constraint: string): boolean {
  for (let e = err as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505" && (e.constraint_name === constraint || e.constraint === constraint || e.message?.includes(constraint))) return true;
  }
  return false;
}

/** Creates the application once per idempotency key; a slot already held by someone else is refused. */
export async function createApplication(tx: Tx, input: NewApplication, links: { publicUrl: string }): Promise<CreateResult> {
  const [existing] = await tx.select().from(applications).where(eq(applications.idempotencyKey, input.idempotencyKey));
  if (existing) return { kind: "existing", application: existing };
  const [{ id }] = (await tx.execute(sql`select nextval(pg_get_serial_sequence('applications', 'id'))::int as id`).then((r) =>
    Array.isArray(r) ? r : (r as unknown as { rows: unknown[] }).rows,
  )) as [{ id: number }];
  const values = {
    id,
    publicNumber: String(id),
    studentId: input.studentId,
    kind: input.school ? ("school" as const) : ("instructor" as const),
    cityId: input.cityId,
    schoolId: input.school?.schoolId ?? null,
    offerId: input.school?.offerId ?? null,
    category: input.school?.category ?? input.instructor?.category ?? null,
    format: input.school?.format ?? null,
    instructorId: input.instructor?.instructorId ?? null,
    slotId: input.instructor?.slotId ?? null,
    transmission: input.instructor?.transmission ?? null,
    preferredTime: input.instructor?.preferredTime ?? null,
    // The bot's choices are stored JSON: anything but a known situation is "not said", never a failed check.
    situation: isSituation(input.situation) ? input.situation : null,
    studentName: input.studentName,
    studentPhone: input.studentPhone,
    phoneConfirmed: input.phoneConfirmed ?? false,
    source: input.source || UNTAGGED_SOURCE,
    idempotencyKey: input.idempotencyKey,
  };
  // A slot is booked under its instructor's calendar lock, so a lesson planned meanwhile is seen.
  if (values.slotId && values.instructorId) {
    await lockCalendar(tx, values.instructorId);
    if (!(await isSlotOpen(tx, values.slotId))) return { kind: "slot_taken" };
  }
  let application: Application;
  try {
    // A savepoint: losing the race for a slot must not abort the update's whole transaction.
    [application] = (await tx.transaction((sp) => sp.insert(applications).values(values).returning())) as [Application];
  } catch (err) {
    if (uniqueViolation(err, "applications_slot_live_idx")) return { kind: "slot_taken" };
    throw err;
  }
  await tx.insert(applicationEvents).values({ applicationId: application.id, type: "created", toStatus: "new", payload: { source: values.source } });
  await alertStaff(tx, application, links.publicUrl);
  const messages = await newApplicationMessages(tx, application);
  await markDirty(tx, subjectsOf(application));
  return { kind: "created", application, messages };
}

/** Linked staff of the school or instructor get an instant message with a link to the application. */
async function alertStaff(tx: Tx, a: Application, publicUrl: string): Promise<void> {
  const staff = await tx
    .select({ chatId: accounts.telegramChatId, role: accounts.role, language: accounts.language })
    .from(accounts)
    .where(
      and(
        isNotNull(accounts.telegramChatId),
        eq(accounts.disabled, false),
        or(a.schoolId ? eq(accounts.schoolId, a.schoolId) : undefined, a.instructorId ? eq(accounts.instructorId, a.instructorId) : undefined),
      ),
    );
  // Read once for all staff (and only when someone is to be alerted): the alert says practice as practice.
  const offerKind = staff.length ? await offerKindOf(tx, a.offerId) : null;
  for (const s of staff) {
    const area = s.role === "instructor" ? "instructors" : "schools";
    const url = `${publicUrl}/crm/${area}/applications/${a.id}`;
    await enqueueMessage(tx, s.chatId!, newApplication(alertLanguage(s.language), { ...a, number: a.publicNumber, offerKind }, url));
  }
}

/** The kind of an application's offer (full course, practice, test prep) by its key; null without an offer. */
export async function offerKindOf(db: Db | Tx, offerId: number | null): Promise<OfferKind | null> {
  if (!offerId) return null;
  const [o] = await db.select({ kind: schoolOffers.kind }).from(schoolOffers).where(eq(schoolOffers.id, offerId));
  return o?.kind ?? null;
}

export interface StudentApplicationRow {
  id: number;
  publicNumber: string;
  status: Application["status"];
  createdAt: Date;
  targetName: string;
  kind: Application["kind"];
  paymentState: PaymentState;
}

/** The student's latest applications with the school's or instructor's name, for /my. */
export async function listStudentApplications(db: Db | Tx, studentId: number, limit = 10): Promise<StudentApplicationRow[]> {
  const rows = await db
    .select({
      id: applications.id,
      publicNumber: applications.publicNumber,
      status: applications.status,
      createdAt: applications.createdAt,
      kind: applications.kind,
      target: senderNameColumns(),
      language: students.language,
      // What the payment's sides make (model/payment.ts): /my offers "Я оплатил(а)" while it applies.
      paymentState: sql<PaymentState>`${sql.raw(sqlPaymentState('"payments"'))}`,
    })
    .from(applications)
    .leftJoin(schools, eq(schools.id, applications.schoolId))
    .leftJoin(instructors, eq(instructors.id, applications.instructorId))
    .leftJoin(payments, eq(payments.applicationId, applications.id))
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(eq(applications.studentId, studentId))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(limit);
  // The school's name in the student's language.
  return rows.map(({ target, language, ...r }) => ({ ...r, targetName: senderName(target, language) }));
}

/**
 * The student's newest open (not final) application to this school or instructor: applying
 * again asks about it first. A student has few applications (applications_student_idx).
 */
export async function openApplicationTo(
  db: Db | Tx,
  studentId: number,
  to: { schoolId: number } | { instructorId: number },
): Promise<{ id: number; publicNumber: string; status: Application["status"] } | null> {
  const [row] = await db
    .select({ id: applications.id, publicNumber: applications.publicNumber, status: applications.status })
    .from(applications)
    .where(
      and(
        eq(applications.studentId, studentId),
        "schoolId" in to ? eq(applications.schoolId, to.schoolId) : eq(applications.instructorId, to.instructorId),
        notInArray(applications.status, [...FINAL_STATUSES]),
      ),
    )
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(1);
  return row ?? null;
}
