// The waitlist: a student whose instructor had no suitable time waits for a local day (or part of
// it); when a time of that instructor frees up, every waiting student whose wish it fits is
// offered it, in the order they joined, and the first to confirm gets it.
//
// Nothing hooks the places that free time (a cancelled lesson, a released booking, a withdrawn
// and re-offered slot, a new slot): offerFreedSlots asks, every minute (src/jobs/waitlist.ts),
// which OPEN slots (src/domain/slots.ts, the one definition of a free time) fit which waiting
// wishes and were not offered to them yet. The offer's primary key (entry, slot) makes each offer
// once, even with two instances running the job. takeOffer takes the instructor's calendar lock
// first (lockCalendar), so two confirmations of one time, even in the same millisecond, run one
// after the other and the second sees the time taken; applications_slot_live_idx and
// lessons.slot_id's index stay the last line.
import { and, asc, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import {
  applicationEvents,
  applications,
  instructors,
  instructorSlots,
  lessons,
  students,
  waitlistEntries,
  waitlistOffers,
  type WaitlistDaypart,
} from "../db/schema.ts";
import { DAYPART_HOURS } from "../model/daypart.ts";
import { FINAL_STATUSES, isFinal, sqlStatusList } from "../model/application-status.ts";
import { localDay } from "../model/time.ts";
import { waitlistGone, waitlistOffer, type OfferFacts, type WaitlistRefusal } from "../notify/waitlist.ts";
import { recordAudit } from "./audit.ts";
import { OPEN_APPLICATION } from "./inbox.ts";
import { LessonError, lessonAtSlot } from "./lessons.ts";
import { enqueueMessage } from "./outbox.ts";
import { isSlotOpen, lockCalendar, OPEN } from "./slots.ts";

export type WaitlistEntry = typeof waitlistEntries.$inferSelect;

/** A refused press on an offer; `refusal` says why, in words the bot has in both languages (notify/waitlist.ts). */
export class WaitlistError extends Error {
  constructor(readonly refusal: WaitlistRefusal) {
    super(`waitlist: ${refusal}`);
  }
}

/** Packs an offer's button press (the bot's callback data; the domain does not know its format). */
export type OfferData = (entryId: number, slotId: number, take: boolean) => string;

/** A new waiting wish for an application without a slot, in the application's transaction (bot/flows/apply.ts). */
export async function joinWaitlist(tx: Tx, wish: { applicationId: number; instructorId: number; day: string; daypart: WaitlistDaypart }): Promise<WaitlistEntry> {
  const [entry] = await tx.insert(waitlistEntries).values(wish).returning();
  return entry!;
}

/** The application's waitlist entry (the latest), or null. */
export async function waitlistEntryOf(db: Db | Tx, applicationId: number): Promise<WaitlistEntry | null> {
  const [entry] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.applicationId, applicationId)).orderBy(desc(waitlistEntries.id)).limit(1);
  return entry ?? null;
}

/** The parts of the day as a VALUES list (the model's constants, never input) to join entries with. */
const PARTS = sql.raw(
  `(values ${Object.entries(DAYPART_HOURS)
    .map(([part, h]) => `('${part}', ${h.from}, ${h.to})`)
    .join(", ")}) as parts(part, from_hour, to_hour)`,
);

/** The slot's local wall clock (timestamp without zone) in `timeZone`: its hour picks the part of the day. */
const localStart = (timeZone: string) => sql`(${instructorSlots.startsAt} at time zone ${timeZone})`;

export interface OfferRound {
  offered: number;
  left: number;
}

/**
 * One round: waiting entries whose day has passed (or whose application ended) leave; every OPEN
 * future slot that fits a waiting entry's local day and part, of the entry's instructor, whose
 * application is open, holds no slot and has no planned lesson at that time, and that the entry
 * was not offered yet, is offered to it. The offers' messages are enqueued in the order the
 * entries joined (created_at, id), in the same transaction.
 */
export async function offerFreedSlots(db: Db, now: Date, opts: { timeZone: string; offerData: OfferData }): Promise<OfferRound> {
  const today = localDay(opts.timeZone, now);
  return db.transaction(async (tx) => {
    const left = await tx
      .update(waitlistEntries)
      .set({ state: "left" })
      .where(
        and(
          eq(waitlistEntries.state, "waiting"),
          or(
            sql`${waitlistEntries.day} < ${today}::date`,
            inArray(waitlistEntries.applicationId, sql`(select ${applications.id} from ${applications} where ${applications.status} in ${sql.raw(sqlStatusList(FINAL_STATUSES))})`),
          ),
        ),
      )
      .returning({ id: waitlistEntries.id });
    // The entry's local day is a range of instants, so the slots' (instructor, starts_at) index finds them.
    const inserted = await queryRows<{ entry_id: number; slot_id: number }>(
      tx,
      sql`
        insert into ${waitlistOffers} (entry_id, slot_id)
        select ${waitlistEntries.id}, ${instructorSlots.id}
        from ${waitlistEntries}
        join ${applications} on ${applications.id} = ${waitlistEntries.applicationId}
        join ${PARTS} on parts.part = ${waitlistEntries.daypart}
        join ${instructorSlots} on ${instructorSlots.instructorId} = ${waitlistEntries.instructorId}
        where ${waitlistEntries.state} = 'waiting'
          and ${OPEN_APPLICATION}
          and ${applications.slotId} is null
          and ${OPEN}
          and ${instructorSlots.startsAt} > ${now.toISOString()}::timestamptz
          and ${instructorSlots.startsAt} >= (${waitlistEntries.day}::timestamp at time zone ${opts.timeZone})
          and ${instructorSlots.startsAt} < ((${waitlistEntries.day} + 1)::timestamp at time zone ${opts.timeZone})
          and extract(hour from ${localStart(opts.timeZone)}) >= parts.from_hour
          and extract(hour from ${localStart(opts.timeZone)}) < parts.to_hour
          and not exists (select 1 from ${lessons} own where own.application_id = ${applications.id} and own.state = 'planned'
            and own.starts_at < ${instructorSlots.startsAt} + make_interval(mins => ${instructorSlots.minutes}::int)
            and ${instructorSlots.startsAt} < own.starts_at + make_interval(mins => own.minutes::int))
          and not exists (select 1 from ${waitlistOffers} o where o.entry_id = ${waitlistEntries.id} and o.slot_id = ${instructorSlots.id})
        on conflict do nothing
        returning entry_id, slot_id`,
    );
    if (inserted.length) await sendOffers(tx, inserted, opts);
    return { offered: inserted.length, left: left.length };
  });
}

/** The new offers' messages, entry by entry in join order (and a student's earlier time first). */
async function sendOffers(tx: Tx, pairs: { entry_id: number; slot_id: number }[], opts: { timeZone: string; offerData: OfferData }): Promise<void> {
  const rows = await tx
    .select({
      entryId: waitlistEntries.id,
      slotId: instructorSlots.id,
      chatId: students.chatId,
      language: students.language,
      instructor: instructors.name,
      startsAt: instructorSlots.startsAt,
      minutes: instructorSlots.minutes,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(applications, eq(applications.id, waitlistEntries.applicationId))
    .innerJoin(students, eq(students.id, applications.studentId))
    .innerJoin(instructorSlots, eq(instructorSlots.id, waitlistOffers.slotId))
    .innerJoin(instructors, eq(instructors.id, instructorSlots.instructorId))
    .where(sql`(${waitlistOffers.entryId}, ${waitlistOffers.slotId}) in (${sql.join(
      pairs.map((p) => sql`(${Number(p.entry_id)}::int, ${Number(p.slot_id)}::int)`),
      sql`, `,
    )})`)
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id), asc(instructorSlots.startsAt));
  for (const r of rows) {
    const facts: OfferFacts = { instructor: r.instructor, startsAt: r.startsAt, minutes: r.minutes, timeZone: opts.timeZone };
    await enqueueMessage(tx, r.chatId, waitlistOffer(r.language, facts, (take) => opts.offerData(r.entryId, r.slotId, take)));
  }
}

export interface TakeResult {
  /** "booked": the new application now holds the slot; "lesson": the accepted one has a lesson at it. */
  kind: "booked" | "lesson";
  applicationId: number;
  facts: OfferFacts;
}

/** The entry, if it is this student's (the application's student), with what a confirmation needs. */
async function entryOf(tx: Tx, studentId: number, entryId: number) {
  const [row] = await tx
    .select({ entry: waitlistEntries, app: applications })
    .from(waitlistEntries)
    .innerJoin(applications, eq(applications.id, waitlistEntries.applicationId))
    .where(and(eq(waitlistEntries.id, entryId), eq(applications.studentId, studentId)));
  return row ?? null;
}

const refuse = (refusal: WaitlistRefusal): never => {
  throw new WaitlistError(refusal);
};

/**
 * The student confirms an offer. Under the instructor's calendar lock: the entry is theirs and
 * waiting, the offer is still 'offered', the slot is open and ahead. A new application then holds
 * the slot; an accepted one gets a lesson at it. The entry is booked, the offer taken, and every
 * other student offered the same time is told it is gone (they keep waiting). Refusals throw
 * WaitlistError. `db` may be the bot update's transaction (this runs in a savepoint of it).
 */
export async function takeOffer(db: Db | Tx, studentId: number, entryId: number, slotId: number, now: Date, opts: { timeZone: string }): Promise<TakeResult> {
  try {
    return await db.transaction((tx) => take(tx, studentId, entryId, slotId, now, opts));
  } catch (err) {
    if (err instanceof LessonError) throw new WaitlistError(err.refusal === "past" ? "past" : "taken");
    if (isUniqueViolation(err)) throw new WaitlistError("taken"); // the indexes' last line
    throw err;
  }
}

async function take(tx: Tx, studentId: number, entryId: number, slotId: number, now: Date, opts: { timeZone: string }): Promise<TakeResult> {
  const found = (await entryOf(tx, studentId, entryId)) ?? refuse("not_yours");
  await lockCalendar(tx, found.entry.instructorId);
  // Read again under the lock: what a confirmation just before this one committed is seen now.
  const { entry, app } = (await entryOf(tx, studentId, entryId))!;
  if (entry.state !== "waiting" || isFinal(app.status) || app.slotId) refuse("left");
  const [offer] = await tx
    .select()
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.slotId, slotId)));
  if (!offer) refuse("not_yours");
  if (offer!.state !== "offered") refuse("taken");
  const [slot] = await tx.select().from(instructorSlots).where(and(eq(instructorSlots.id, slotId), eq(instructorSlots.instructorId, entry.instructorId)));
  if (!slot) refuse("not_yours");
  if (slot!.startsAt.getTime() <= now.getTime()) refuse("past");
  if (!(await isSlotOpen(tx, slotId))) refuse("taken");

  let kind: TakeResult["kind"];
  if (app.status === "new") {
    await tx.update(applications).set({ slotId, updatedAt: sql`now()` }).where(eq(applications.id, app.id));
    kind = "booked";
  } else if (app.status === "accepted") {
    await lessonAtSlot(tx, app.id, slotId, { now, timeZone: opts.timeZone });
    kind = "lesson";
  } else return refuse("left");

  await tx.update(waitlistEntries).set({ state: "booked" }).where(eq(waitlistEntries.id, entryId));
  await tx.update(waitlistOffers).set({ state: "taken" }).where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.slotId, slotId)));
  // The entry is booked: its offers of other times are no longer open to it.
  await tx.update(waitlistOffers).set({ state: "gone" }).where(and(eq(waitlistOffers.entryId, entryId), ne(waitlistOffers.slotId, slotId), eq(waitlistOffers.state, "offered")));
  const [instructor] = await tx.select({ name: instructors.name }).from(instructors).where(eq(instructors.id, entry.instructorId));
  const facts: OfferFacts = { instructor: instructor!.name, startsAt: slot!.startsAt, minutes: slot!.minutes, timeZone: opts.timeZone };
  await tellOthersGone(tx, slotId, facts);
  await tx.insert(applicationEvents).values({ applicationId: app.id, type: "slot", payload: { action: "waitlist", slotId, startsAt: slot!.startsAt.toISOString() }, at: now });
  await recordAudit(tx, { accountId: null, action: "waitlist.take", subject: `application:${app.id}`, before: { slotId: null }, after: { entryId, slotId, kind } });
  return { kind, applicationId: app.id, facts };
}

/** Every other student still offered this time: the offer is gone, they keep waiting. */
async function tellOthersGone(tx: Tx, slotId: number, facts: OfferFacts): Promise<void> {
  const gone = await tx
    .update(waitlistOffers)
    .set({ state: "gone" })
    .where(and(eq(waitlistOffers.slotId, slotId), eq(waitlistOffers.state, "offered")))
    .returning({ entryId: waitlistOffers.entryId });
  if (!gone.length) return;
  const readers = await tx
    .select({ chatId: students.chatId, language: students.language })
    .from(waitlistEntries)
    .innerJoin(applications, eq(applications.id, waitlistEntries.applicationId))
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(and(inArray(waitlistEntries.id, gone.map((g) => g.entryId)), eq(waitlistEntries.state, "waiting")))
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
  for (const r of readers) await enqueueMessage(tx, r.chatId, waitlistGone(r.language, facts));
}

/** The student leaves the waitlist from an offer ("Выйти из листа ожидания"): the entry is 'left', its open offers gone. */
export async function leaveWaitlist(db: Db | Tx, studentId: number, entryId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const found = (await entryOf(tx, studentId, entryId)) ?? refuse("not_yours");
    if (found.entry.state !== "waiting") refuse("left");
    await tx.update(waitlistEntries).set({ state: "left" }).where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.state, "waiting")));
    await tx.update(waitlistOffers).set({ state: "gone" }).where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.state, "offered")));
    await recordAudit(tx, { accountId: null, action: "waitlist.leave", subject: `application:${found.app.id}`, after: { entryId } });
  });
}

function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === "23505") return true;
  return false;
}
