// The waitlist: a student whose instructor had no suitable time waits for a local day (or part of
// it); when a time of that instructor frees up, every waiting student whose wish it fits is
// offered it, in the order they joined, and the first to confirm gets it.
//
// Nothing hooks the places that free or take time (a cancelled lesson, a released booking, a
// withdrawn and re-offered slot, a new slot, a direct booking, a lesson planned in the CRM):
// offerFreedSlots asks, every minute (src/jobs/waitlist.ts), which offers lost their time (they
// are 'gone', the students told) and which BOOKABLE slots (src/domain/slots.ts, the one
// definition of a free time: OPEN, and the instructor active) fit which waiting wishes and are
// not offered to them now. The offer's primary key (entry, slot) and its state make each offer
// once per freeing, even with two instances running the job: the state change is the claim.
// takeOffer takes the instructor's calendar lock first (lockCalendar), then the application's
// row, so two confirmations of one time, even in the same millisecond, run one after the other
// and the second sees the time taken, and an acceptance or a cancellation of the application
// waits for the confirmation (or the confirmation sees it); applications_slot_live_idx and
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
import { BOOKABLE, isSlotOpen, lockCalendar } from "./slots.ts";

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
  /** Waiting entries whose application got its time another way (a slot, a lesson planned by hand). */
  booked: number;
  /** Offers whose time was taken or withdrawn meanwhile (the students told) or has started. */
  gone: number;
}

type Pair = { entry_id: number; slot_id: number };

/**
 * One round, in one transaction:
 * 1. waiting entries whose day has passed (or whose application ended) leave;
 * 2. waiting entries whose application holds a slot or has a lesson (planned by hand, any day) are
 *    booked: entries are made only with a new application's first booking (bot/flows/apply.ts),
 *    so any lesson of the application answers the wish, and an offer would let the student take
 *    a second lesson nobody planned;
 * 3. the open offers of the entries that just left or were booked are gone (nobody is told);
 * 4. open offers whose slot is no longer BOOKABLE (a direct booking, a lesson, a withdrawal, the
 *    instructor deactivated) are gone and their waiting students told, as when another student
 *    confirmed; those whose time has started are gone silently ("taken" would be untrue; a press
 *    says "past");
 * 5. every BOOKABLE future slot that fits a waiting entry's local day and part, of the entry's
 *    instructor, whose application is open, holds no slot and has no planned lesson at that time,
 *    is offered to it unless offered or taken already: a 'gone' offer whose time is open again is
 *    offered again. The offers' messages are enqueued in the order the entries joined.
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
    const booked = await tx
      .update(waitlistEntries)
      .set({ state: "booked" })
      .where(
        and(
          eq(waitlistEntries.state, "waiting"),
          or(
            sql`exists (select 1 from ${applications} where ${applications.id} = ${waitlistEntries.applicationId} and ${applications.slotId} is not null)`,
            sql`exists (select 1 from ${lessons} where ${lessons.applicationId} = ${waitlistEntries.applicationId} and ${lessons.state} <> 'cancelled')`,
          ),
        ),
      )
      .returning({ id: waitlistEntries.id });
    const ended = [...left, ...booked].map((e) => e.id);
    if (ended.length) await tx.update(waitlistOffers).set({ state: "gone" }).where(and(inArray(waitlistOffers.entryId, ended), eq(waitlistOffers.state, "offered")));
    const gone = await goneOffers(tx, now, opts.timeZone);
    const offered = await newOffers(tx, now, opts.timeZone);
    if (offered.length) await sendOffers(tx, offered, opts);
    return { offered: offered.length, left: left.length, booked: booked.length, gone };
  });
}

/**
 * Open offers whose time is no longer BOOKABLE or has started become 'gone' (the update is the claim:
 * a second instance's round finds them gone already); the waiting students of the ones not yet
 * started are told, in join order. Returns how many offers went.
 */
async function goneOffers(tx: Tx, now: Date, timeZone: string): Promise<number> {
  const went = await queryRows<Pair & { started: boolean }>(
    tx,
    sql`
      update ${waitlistOffers} set state = 'gone'
      from ${instructorSlots}
      where ${instructorSlots.id} = ${waitlistOffers.slotId}
        and ${waitlistOffers.state} = 'offered'
        and (${instructorSlots.startsAt} <= ${now.toISOString()}::timestamptz or not (${BOOKABLE}))
      returning ${waitlistOffers.entryId} as entry_id, ${waitlistOffers.slotId} as slot_id,
        ${instructorSlots.startsAt} <= ${now.toISOString()}::timestamptz as started`,
  );
  const toTell = went.filter((w) => !w.started);
  if (toTell.length) {
    const rows = await offerRows(tx, toTell);
    for (const r of rows) if (r.entryState === "waiting") await enqueueMessage(tx, r.chatId, waitlistGone(r.language, factsOf(r, timeZone)));
  }
  return went.length;
}

/** Inserts the round's new offers and re-opens 'gone' ones whose time is open again; returns them. */
function newOffers(tx: Tx, now: Date, timeZone: string): Promise<Pair[]> {
  // The entry's local day is a range of instants, so the slots' (instructor, starts_at) index finds
  // them. A 'gone' offer whose time is open again is offered again, once per freeing: a second
  // instance's round waits for the row and then finds it 'offered', so it returns nothing.
  return queryRows<Pair>(
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
        and ${BOOKABLE}
        and ${instructorSlots.startsAt} > ${now.toISOString()}::timestamptz
        and ${instructorSlots.startsAt} >= (${waitlistEntries.day}::timestamp at time zone ${timeZone})
        and ${instructorSlots.startsAt} < ((${waitlistEntries.day} + 1)::timestamp at time zone ${timeZone})
        and extract(hour from ${localStart(timeZone)}) >= parts.from_hour
        and extract(hour from ${localStart(timeZone)}) < parts.to_hour
        and not exists (select 1 from ${lessons} own where own.application_id = ${applications.id} and own.state = 'planned'
          and own.starts_at < ${instructorSlots.startsAt} + make_interval(mins => ${instructorSlots.minutes}::int)
          and ${instructorSlots.startsAt} < own.starts_at + make_interval(mins => own.minutes::int))
        and not exists (select 1 from ${waitlistOffers} o where o.entry_id = ${waitlistEntries.id} and o.slot_id = ${instructorSlots.id} and o.state <> 'gone')
      on conflict (entry_id, slot_id) do update set state = 'offered', offered_at = now()
        where ${waitlistOffers.state} = 'gone'
      returning entry_id, slot_id`,
  );
}

/** The offers' students, slots and entries' states, entry by entry in join order (and a student's earlier time first). */
function offerRows(tx: Tx, pairs: Pair[]) {
  return tx
    .select({
      entryId: waitlistEntries.id,
      entryState: waitlistEntries.state,
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
}

const factsOf = (r: { instructor: string; startsAt: Date; minutes: number }, timeZone: string): OfferFacts => ({
  instructor: r.instructor,
  startsAt: r.startsAt,
  minutes: r.minutes,
  timeZone,
});

/** The new offers' messages, entry by entry in join order (and a student's earlier time first). */
async function sendOffers(tx: Tx, pairs: Pair[], opts: { timeZone: string; offerData: OfferData }): Promise<void> {
  for (const r of await offerRows(tx, pairs))
    await enqueueMessage(tx, r.chatId, waitlistOffer(r.language, factsOf(r, opts.timeZone), (take) => opts.offerData(r.entryId, r.slotId, take)));
}

export interface TakeResult {
  /** "booked": the new application now holds the slot; "lesson": the accepted one has a lesson at it. */
  kind: "booked" | "lesson";
  applicationId: number;
  facts: OfferFacts;
}

/** The entry, if it is this student's (the application's student), with what a confirmation needs. */
async function entryOf(tx: Tx, studentId: number, entryId: number, lockApplication = false) {
  const query = tx
    .select({ entry: waitlistEntries, app: applications })
    .from(waitlistEntries)
    .innerJoin(applications, eq(applications.id, waitlistEntries.applicationId))
    .where(and(eq(waitlistEntries.id, entryId), eq(applications.studentId, studentId)));
  const [row] = lockApplication ? await query.for("update", { of: applications }) : await query;
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
  // Read again under the lock: what a confirmation just before this one committed is seen now. The
  // application's row is locked too: an acceptance or a cancellation of it (which take no calendar
  // lock while it holds no slot) waits for this confirmation, or this one sees its result, so the
  // branch below (a booking for "new", a lesson for "accepted") holds until the commit. An
  // acceptance after it finds the slot held and makes the lesson (status.ts → lessonFromBooking).
  const { entry, app } = (await entryOf(tx, studentId, entryId, true))!;
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
