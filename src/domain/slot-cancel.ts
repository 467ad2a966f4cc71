// Withdrawing an instructor's time: one slot, or a whole local day. An open slot is simply
// cancelled. A slot a student booked is never cancelled silently: the instructor gives a reason,
// the booking is released (the application stays, without a time), the student is told in their
// language, and the application's history and the audit log say so — all in one transaction.
import { and, asc, eq, gt, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { applicationEvents, applications, instructorDaysOff, instructors, instructorSlots, lessons, students } from "../db/schema.ts";
import { slotCancelledText } from "../notify/slot-cancelled.ts";
import { recordAudit } from "./audit.ts";
import { AvailabilityError, localDayBounds, type AvailabilityProblem, type SlotWithHolder } from "./availability.ts";
import { cancelLesson, cancelLessonAtSlot } from "./lessons.ts";
import { enqueueMessage } from "./outbox.ts";
import { holderOf, OPEN, overlaps, type Slot } from "./slots.ts";

/** Who withdraws the time: the instructor (from the session or the admin's URL) and the account doing it. */
export interface SlotActor {
  instructorId: number;
  accountId: number | null;
}

/** The live application on a slot, as the instructor sees it. */
export interface Booking {
  applicationId: number;
  publicNumber: string;
  studentName: string;
}

export const MAX_CANCEL_REASON = 500;

/** What is wrong with a reason for cancelling a booking (the CRM says it in the page's language). */
export type CancelReasonProblem = Extract<AvailabilityProblem, { code: "reasonMissing" | "reasonTooLong" }>;

/** The reason for cancelling a booking, trimmed; or the problem to show at the form's field. */
export function checkCancelReason(raw: string | undefined): { ok: true; reason: string } | { ok: false; problem: CancelReasonProblem } {
  const reason = (raw ?? "").trim();
  if (!reason) return { ok: false, problem: { code: "reasonMissing" } };
  if (reason.length > MAX_CANCEL_REASON) return { ok: false, problem: { code: "reasonTooLong", max: MAX_CANCEL_REASON } };
  return { ok: true, reason };
}

async function bookingOn(tx: Tx, slotId: number): Promise<(Booking & { studentId: number }) | null> {
  const [row] = await tx
    .select({ applicationId: applications.id, publicNumber: applications.publicNumber, studentName: applications.studentName, studentId: applications.studentId })
    .from(applications)
    .where(holderOf(slotId))
    .for("update");
  return row ?? null;
}

/**
 * Releases a booked slot: the application keeps its status but loses the time, its history gets
 * a 'slot' event with the time and reason, and the student gets the reason in their language.
 */
async function releaseBooking(tx: Tx, actor: SlotActor, slot: Slot, booking: Booking & { studentId: number }, reason: string, timeZone: string): Promise<void> {
  await tx.update(applications).set({ slotId: null, updatedAt: sql`now()` }).where(eq(applications.id, booking.applicationId));
  await cancelLessonAtSlot(tx, slot.id, actor.accountId, reason);
  await tx.insert(applicationEvents).values({
    applicationId: booking.applicationId,
    accountId: actor.accountId,
    type: "slot",
    payload: { action: "cancelled", slotId: slot.id, startsAt: slot.startsAt.toISOString(), minutes: slot.minutes, reason },
  });
  const [student] = await tx.select({ chatId: students.chatId, language: students.language }).from(students).where(eq(students.id, booking.studentId));
  const [instructor] = await tx.select({ name: instructors.name }).from(instructors).where(eq(instructors.id, actor.instructorId));
  if (student)
    await enqueueMessage(tx, student.chatId, {
      text: slotCancelledText(student.language, { number: booking.publicNumber, instructor: instructor?.name ?? "", startsAt: slot.startsAt, reason, timeZone }),
    });
}

/**
 * A planned lesson still ahead that holds the time without a booking on the slot (planned by
 * hand, or moved there): it is the slot's holder just the same (slots.ts lessonsOverSlot).
 */
async function lessonOver(tx: Tx, slot: Slot, now: Date): Promise<(Booking & { lessonId: number }) | null> {
  const [row] = await tx
    .select({ lessonId: lessons.id, applicationId: applications.id, publicNumber: applications.publicNumber, studentName: applications.studentName })
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .where(and(eq(lessons.instructorId, slot.instructorId), eq(lessons.state, "planned"), gt(lessons.startsAt, now), overlaps(lessons.startsAt, lessons.minutes, slot.startsAt, slot.minutes)))
    .orderBy(asc(lessons.startsAt))
    .limit(1);
  return row ?? null;
}

/** The instructor cancels a lesson with the reason: the core tells the student and writes the history. */
async function cancelLessonFor(tx: Tx, actor: SlotActor, lessonId: number, reason: string, timeZone: string): Promise<void> {
  await cancelLesson(tx, { kind: "instructor", instructorId: actor.instructorId, accountId: actor.accountId }, lessonId, { reason, timeZone });
}

export type CancelSlotResult =
  | { ok: true; slot: Slot; released: Booking | null }
  | { ok: false; reason: "not_found" }
  /** The slot is booked: cancelling it needs a reason for the student (`problem` says what is wrong with the one given). */
  | { ok: false; reason: "needs_reason"; slot: Slot; booking: Booking; problem: CancelReasonProblem | null };

/**
 * Cancels one slot of the instructor (another instructor's is "not found"). A booked slot is
 * cancelled only with a reason (`opts.reason`), which releases the booking and tells the student.
 */
export async function cancelSlot(db: Db, actor: SlotActor, slotId: number, opts: { reason?: string; timeZone: string }): Promise<CancelSlotResult> {
  return db.transaction(async (tx) => {
    const [slot] = await tx
      .select()
      .from(instructorSlots)
      .where(and(eq(instructorSlots.id, slotId), eq(instructorSlots.instructorId, actor.instructorId)))
      .for("update");
    if (!slot) return { ok: false, reason: "not_found" } as const;
    const booking = (await bookingOn(tx, slot.id)) ?? (await lessonOver(tx, slot, new Date()));
    if (booking) {
      const checked = checkCancelReason(opts.reason);
      if (!checked.ok) return { ok: false, reason: "needs_reason", slot, booking, problem: opts.reason === undefined ? null : checked.problem } as const;
      if ("lessonId" in booking) await cancelLessonFor(tx, actor, booking.lessonId as number, checked.reason, opts.timeZone);
      else await releaseBooking(tx, actor, slot, booking, checked.reason, opts.timeZone);
      const [cancelled] = await tx.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.id, slot.id)).returning();
      await recordAudit(tx, {
        accountId: actor.accountId,
        action: "slot.cancel_booked",
        subject: `slot:${slot.id}`,
        before: { state: slot.state, applicationId: booking.applicationId },
        after: { state: "cancelled", reason: checked.reason },
      });
      return { ok: true, slot: cancelled!, released: booking } as const;
    }
    if (slot.state === "cancelled") return { ok: true, slot, released: null } as const;
    const [cancelled] = await tx.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.id, slot.id)).returning();
    await recordAudit(tx, { accountId: actor.accountId, action: "slot.cancel", subject: `slot:${slot.id}`, before: { state: slot.state }, after: { state: "cancelled" } });
    return { ok: true, slot: cancelled!, released: null } as const;
  });
}

export interface BlockDayResult {
  /** Open slots of that day now cancelled. */
  cancelled: number;
  /** Booked slots of that day left as they are (no reason was given to cancel them). */
  kept: SlotWithHolder[];
  /** Planned lessons of that day without a booked slot, left as they are (no reason given). */
  keptLessons: { lessonId: number; startsAt: Date; publicNumber: string }[];
  /** Bookings cancelled with the reason given (their students were told). */
  released: Booking[];
}

/**
 * Takes a local day off ("2025-03-10"): records it (instructor_days_off, so the rolling slot
 * generation never fills it, even if it is beyond today's horizon) and cancels its open slots. Booked slots stay, and are
 * reported, unless `cancelBookings` carries a reason: then they are cancelled and their students
 * told. Throws AvailabilityError for a malformed day or a missing/over-long reason.
 */
export async function blockDay(db: Db, actor: SlotActor, day: string, opts: { timeZone: string; cancelBookings?: { reason: string } }): Promise<BlockDayResult> {
  const { start, end } = localDayBounds(day, opts.timeZone);
  const reason = opts.cancelBookings ? checkCancelReason(opts.cancelBookings.reason) : null;
  if (reason && !reason.ok) throw new AvailabilityError([reason.problem]);
  const inDay = and(eq(instructorSlots.instructorId, actor.instructorId), gte(instructorSlots.startsAt, start), lt(instructorSlots.startsAt, end));
  return db.transaction(async (tx) => {
    await tx.insert(instructorDaysOff).values({ instructorId: actor.instructorId, day }).onConflictDoNothing();
    const booked = await tx
      .select({ slot: instructorSlots, applicationId: applications.id, publicNumber: applications.publicNumber, studentName: applications.studentName, studentId: applications.studentId })
      .from(instructorSlots)
      .innerJoin(applications, holderOf(instructorSlots.id))
      .where(inDay)
      .orderBy(asc(instructorSlots.startsAt))
      .for("update");
    const released: Booking[] = [];
    if (reason?.ok)
      for (const b of booked) {
        await releaseBooking(tx, actor, b.slot, b, reason.reason, opts.timeZone);
        await tx.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.id, b.slot.id));
        released.push({ applicationId: b.applicationId, publicNumber: b.publicNumber, studentName: b.studentName });
      }
    // Lessons of the day that no booked slot carries (planned by hand, or moved here).
    const onBooked = new Set(booked.map((b) => b.slot.id));
    const lessonsOfDay = (await tx
      .select({ lessonId: lessons.id, slotId: lessons.slotId, startsAt: lessons.startsAt, applicationId: applications.id, publicNumber: applications.publicNumber, studentName: applications.studentName })
      .from(lessons)
      .innerJoin(applications, eq(applications.id, lessons.applicationId))
      .where(and(eq(lessons.instructorId, actor.instructorId), eq(lessons.state, "planned"), gte(lessons.startsAt, start), lt(lessons.startsAt, end), gt(lessons.startsAt, new Date())))
      .orderBy(asc(lessons.startsAt))).filter((l) => l.slotId === null || !onBooked.has(l.slotId));
    if (reason?.ok)
      for (const l of lessonsOfDay) {
        await cancelLessonFor(tx, actor, l.lessonId, reason.reason, opts.timeZone);
        released.push({ applicationId: l.applicationId, publicNumber: l.publicNumber, studentName: l.studentName });
      }
    // Last, so that slots freed by the cancellations above are cancelled too.
    const cancelled = await tx.update(instructorSlots).set({ state: "cancelled" }).where(and(inDay, OPEN)).returning({ id: instructorSlots.id });
    const kept = reason?.ok ? [] : booked.map((b) => ({ ...b.slot, applicationId: b.applicationId, publicNumber: b.publicNumber }));
    const keptLessons = reason?.ok ? [] : lessonsOfDay.map(({ lessonId, startsAt, publicNumber }) => ({ lessonId, startsAt, publicNumber }));
    await recordAudit(tx, {
      accountId: actor.accountId,
      action: "availability.block_day",
      subject: `instructor:${actor.instructorId}`,
      after: { day, cancelled: cancelled.length, kept: kept.map((s) => s.id), keptLessons: keptLessons.map((l) => l.lessonId), released: released.map((b) => b.applicationId), ...(reason?.ok ? { reason: reason.reason } : {}) },
    });
    return { cancelled: cancelled.length, kept, keptLessons, released };
  });
}
