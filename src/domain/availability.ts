// An instructor's weekly availability template (instructor_availability) and the bookable
// slots (instructor_slots) made from it. The template is in local wall-clock time; slots are
// instants (timestamptz), so "Monday 09:00" stays 09:00 in the configured zone whatever UTC says.
// Generation is idempotent and only ever adds free slots; a slot cancelled by its instructor stays
// cancelled. Whether a slot is taken is src/domain/slots.ts's to say; withdrawing slots (and what
// happens to a booking on one) is src/domain/slot-cancel.ts.
import { and, asc, eq, gte, lt, ne, sql } from "drizzle-orm";
import { MAX_SLOT_HORIZON_DAYS } from "../config.ts";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { applications, instructorAvailability, instructorDaysOff, instructorSlots } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { holderOf, lessonsOverSlot, overlaps } from "./slots.ts";
import { dayBounds } from "../model/time.ts";

export type AvailabilityRow = typeof instructorAvailability.$inferSelect;
export type Slot = typeof instructorSlots.$inferSelect;

export interface TemplateRowInput {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  startMinute: number;
  /** Minutes after local midnight, at most 1440 (midnight at the end of the day). */
  endMinute: number;
  lessonMinutes: number;
}

/**
 * One thing wrong with the instructor's input, as a code with its numbers: the CRM's dictionary
 * says it in the page's language (src/i18n/crm/availability.ts). `row` is a template row, 1-based
 * as the form shows it; minutes are after local midnight.
 */
export type AvailabilityProblem =
  | { code: "weekday" | "start" | "end" | "minutes"; row: number }
  | { code: "endBeforeStart"; row: number; start: number; end: number }
  | { code: "noFit"; row: number; start: number; end: number; minutes: number }
  | { code: "overlap"; row: number; weekday: number; start: number; end: number; other: number; otherStart: number; otherEnd: number }
  | { code: "days"; max: number }
  | { code: "lessonMinutes"; min: number; max: number }
  | { code: "badDay" | "badStart" | "past" | "slotOverlap" }
  | { code: "reasonMissing" }
  | { code: "reasonTooLong"; max: number };

/** Invalid input: every problem found, one per issue. */
export class AvailabilityError extends Error {
  constructor(readonly problems: AvailabilityProblem[]) {
    super(problems.map((p) => p.code).join(" "));
  }
}

export const MIN_LESSON_MINUTES = 30;
export const MAX_LESSON_MINUTES = 240;
export const MAX_GENERATE_DAYS = MAX_SLOT_HORIZON_DAYS;

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/** All problems of a template, each naming its row (1-based as the form shows it). */
export function validateTemplate(rows: readonly TemplateRowInput[]): AvailabilityProblem[] {
  const problems: AvailabilityProblem[] = [];
  rows.forEach((r, i) => {
    const row = i + 1;
    if (!isInt(r.weekday) || r.weekday < 1 || r.weekday > 7) problems.push({ code: "weekday", row });
    if (!isInt(r.startMinute) || r.startMinute < 0 || r.startMinute >= 24 * 60) problems.push({ code: "start", row });
    if (!isInt(r.endMinute) || r.endMinute <= 0 || r.endMinute > 24 * 60) problems.push({ code: "end", row });
    else if (isInt(r.startMinute) && r.endMinute <= r.startMinute) problems.push({ code: "endBeforeStart", row, start: r.startMinute, end: r.endMinute });
    if (!isInt(r.lessonMinutes) || r.lessonMinutes < MIN_LESSON_MINUTES || r.lessonMinutes > MAX_LESSON_MINUTES) problems.push({ code: "minutes", row });
    else if (r.endMinute > r.startMinute && r.endMinute - r.startMinute < r.lessonMinutes)
      problems.push({ code: "noFit", row, start: r.startMinute, end: r.endMinute, minutes: r.lessonMinutes });
  });
  // Overlaps are only meaningful between rows that are valid on their own.
  rows.forEach((a, i) => {
    rows.slice(0, i).forEach((b, j) => {
      if (a.weekday === b.weekday && a.startMinute < b.endMinute && b.startMinute < a.endMinute && a.startMinute < a.endMinute && b.startMinute < b.endMinute)
        problems.push({ code: "overlap", row: i + 1, weekday: a.weekday, start: a.startMinute, end: a.endMinute, other: j + 1, otherStart: b.startMinute, otherEnd: b.endMinute });
    });
  });
  return problems;
}

export function getWeeklyTemplate(db: Db | Tx, instructorId: number): Promise<AvailabilityRow[]> {
  return db
    .select()
    .from(instructorAvailability)
    .where(eq(instructorAvailability.instructorId, instructorId))
    .orderBy(asc(instructorAvailability.weekday), asc(instructorAvailability.startMinute));
}

/** Replaces the instructor's whole template (an empty list clears it). Throws AvailabilityError. */
export async function setWeeklyTemplate(db: Db | Tx, instructorId: number, rows: readonly TemplateRowInput[]): Promise<AvailabilityRow[]> {
  const problems = validateTemplate(rows);
  if (problems.length) throw new AvailabilityError(problems);
  await db.transaction(async (tx) => {
    await tx.delete(instructorAvailability).where(eq(instructorAvailability.instructorId, instructorId));
    if (rows.length)
      await tx.insert(instructorAvailability).values(
        rows.map((r) => ({ instructorId, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute, lessonMinutes: r.lessonMinutes })),
      );
  });
  return getWeeklyTemplate(db, instructorId);
}

export interface GenerateOptions {
  /** Slots starting before this instant are not made (pass "now" to skip the past of today). */
  from: Date;
  /** Local calendar days, starting with the local date of `from`. */
  days: number;
  timeZone: string;
  /**
   * A slot the template gives that exists but was cancelled is offered again ("Вернуть день");
   * by default it stays cancelled, as its instructor left it.
   */
  reopenCancelled?: boolean;
}

/**
 * Makes the free slots the weekly template gives — for one instructor, or for every active
 * instructor with a template ("all", the rolling job) — on the local days from the local date of
 * `from` for `opts.days` days; returns how many were new or reopened. The one rule, as one
 * statement, for saveTemplate, "Вернуть день" and src/jobs/slot-generation.ts:
 *  - local days and wall-clock starts are turned into instants by PostgreSQL (`at time zone`, the
 *    zone a parameter), so no offset is hard-coded; starts step by the row's lesson length and
 *    the last one still ends inside the row;
 *  - nothing before `from`, nothing on the instructor's days off (instructor_days_off);
 *  - nothing that would overlap a slot that is not cancelled (free or booked, e.g. added by hand);
 *  - `on conflict do nothing`: a slot already at that instant, cancelled ones included, is left
 *    alone. That also makes it idempotent, and safe when several instances run it at once (the
 *    unique (instructor_id, starts_at) index settles a race; the loser inserts nothing).
 * Template rows of one weekday never overlap (validateTemplate), so the new slots cannot overlap
 * one another.
 */
export async function generateSlots(db: Db | Tx, instructorId: number | "all", opts: GenerateOptions): Promise<{ created: number }> {
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > MAX_GENERATE_DAYS)
    throw new AvailabilityError([{ code: "days", max: MAX_GENERATE_DAYS }]);
  const from = opts.from.toISOString();
  const who = instructorId === "all" ? sql`true` : sql`a.instructor_id = ${instructorId}::int`;
  const onConflict = opts.reopenCancelled
    ? sql`on conflict (instructor_id, starts_at) do update set state = 'free', minutes = excluded.minutes where instructor_slots.state = 'cancelled'`
    : sql`on conflict (instructor_id, starts_at) do nothing`;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into instructor_slots (instructor_id, starts_at, minutes, state)
        select c.instructor_id, c.starts_at, c.minutes, 'free'
          from (
            select a.instructor_id,
                   (d.day + make_interval(mins => m.minute)) at time zone ${opts.timeZone}::text as starts_at,
                   a.lesson_minutes::int as minutes
              from generate_series(0, ${opts.days}::int - 1) as g(i)
             cross join lateral (select (${from}::timestamptz at time zone ${opts.timeZone}::text)::date + g.i as day) as d
              join instructor_availability a on a.weekday = extract(isodow from d.day)
              join instructors i on i.id = a.instructor_id and i.active
             cross join lateral generate_series(a.start_minute::int, a.end_minute::int - a.lesson_minutes::int, a.lesson_minutes::int) as m(minute)
             where ${who}
               and not exists (select 1 from instructor_days_off o where o.instructor_id = a.instructor_id and o.day = d.day)
          ) as c
         where c.starts_at >= ${from}::timestamptz
           and not exists (
             select 1 from instructor_slots s
              where s.instructor_id = c.instructor_id and s.state <> 'cancelled'
                and s.starts_at < c.starts_at + make_interval(mins => c.minutes)
                and c.starts_at < s.starts_at + make_interval(mins => s.minutes::int))
        ${onConflict}
        returning id`,
  );
  return { created: rows.length };
}

/** Bounds [start, end) of a local calendar day ("YYYY-MM-DD"), as instants; AvailabilityError when malformed. */
export function localDayBounds(day: string, timeZone: string): { start: Date; end: Date } {
  const bounds = dayBounds(timeZone, day);
  if (!bounds) throw new AvailabilityError([{ code: "badDay" }]);
  return bounds;
}

/** Who changes an instructor's availability, for the audit log. */
export interface AvailabilityActor {
  instructorId: number;
  accountId: number | null;
}

/**
 * Saves the weekly template and makes its slots for `days` local days from `now`, audited, in one
 * transaction; returns how many slots are new. Throws AvailabilityError (its problems name their rows).
 */
export async function saveTemplate(db: Db, actor: AvailabilityActor, rows: readonly TemplateRowInput[], opts: { now: Date; days: number; timeZone: string }): Promise<{ created: number }> {
  return db.transaction(async (tx) => {
    const before = await getWeeklyTemplate(tx, actor.instructorId);
    const after = await setWeeklyTemplate(tx, actor.instructorId, rows);
    const { created } = await generateSlots(tx, actor.instructorId, { from: opts.now, days: opts.days, timeZone: opts.timeZone });
    const plain = (list: AvailabilityRow[]) => list.map(({ weekday, startMinute, endMinute, lessonMinutes }) => ({ weekday, startMinute, endMinute, lessonMinutes }));
    await recordAudit(tx, { accountId: actor.accountId, action: "availability.template", subject: `instructor:${actor.instructorId}`, before: plain(before), after: { rows: plain(after), slotsCreated: created } });
    return { created };
  });
}

/** The instructor's days off from local day `fromDay` ("YYYY-MM-DD") on, earliest first, as "YYYY-MM-DD". */
export async function listDaysOff(db: Db | Tx, instructorId: number, fromDay: string): Promise<string[]> {
  const rows = await db
    .select({ day: instructorDaysOff.day })
    .from(instructorDaysOff)
    .where(and(eq(instructorDaysOff.instructorId, instructorId), gte(instructorDaysOff.day, fromDay)))
    .orderBy(asc(instructorDaysOff.day));
  return rows.map((r) => r.day);
}

/**
 * Gives a day off back ("Вернуть день", "2025-03-10"): the day is no longer off, and the slots
 * the template gives for it are made at once — those blockDay cancelled are offered again (the
 * rest of the day as the template says), whatever the rolling horizon. A day that was not off
 * is left alone ({ returned: false }). Audited; AvailabilityError for a malformed day.
 */
export async function returnDay(db: Db, actor: AvailabilityActor, day: string, opts: { now: Date; timeZone: string }): Promise<{ returned: boolean; slots: number }> {
  const { start, end } = localDayBounds(day, opts.timeZone);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(instructorDaysOff)
      .where(and(eq(instructorDaysOff.instructorId, actor.instructorId), eq(instructorDaysOff.day, day)))
      .returning({ day: instructorDaysOff.day });
    if (!removed.length) return { returned: false, slots: 0 };
    // A day already over gets nothing (and `from` must stay on that day: days count from its local date).
    const { created } =
      opts.now < end ? await generateSlots(tx, actor.instructorId, { from: opts.now > start ? opts.now : start, days: 1, timeZone: opts.timeZone, reopenCancelled: true }) : { created: 0 };
    await recordAudit(tx, { accountId: actor.accountId, action: "availability.return_day", subject: `instructor:${actor.instructorId}`, after: { day, slots: created } });
    return { returned: true, slots: created };
  });
}

/**
 * Adds one free slot by hand, audited. A slot cancelled earlier at the same instant is reopened;
 * a time already past at `now` or an overlap with a slot that is not cancelled is refused
 * (AvailabilityError).
 */
export async function addSlot(db: Db, actor: AvailabilityActor, startsAt: Date, minutes: number, now: Date): Promise<Slot> {
  if (!isInt(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
    throw new AvailabilityError([{ code: "lessonMinutes", min: MIN_LESSON_MINUTES, max: MAX_LESSON_MINUTES }]);
  if (Number.isNaN(startsAt.getTime())) throw new AvailabilityError([{ code: "badStart" }]);
  if (startsAt.getTime() <= now.getTime()) throw new AvailabilityError([{ code: "past" }]);
  const instructorId = actor.instructorId;
  return db.transaction(async (tx) => {
    const [overlap] = await tx
      .select({ id: instructorSlots.id })
      .from(instructorSlots)
      .where(
        and(
          eq(instructorSlots.instructorId, instructorId),
          ne(instructorSlots.state, "cancelled"),
          overlaps(instructorSlots.startsAt, instructorSlots.minutes, startsAt, minutes),
        ),
      )
      .limit(1);
    if (overlap) throw new AvailabilityError([{ code: "slotOverlap" }]);
    const [slot] = await tx
      .insert(instructorSlots)
      .values({ instructorId, startsAt, minutes, state: "free" })
      .onConflictDoUpdate({
        target: [instructorSlots.instructorId, instructorSlots.startsAt],
        set: { state: "free", minutes },
        setWhere: sql`${instructorSlots.state} = 'cancelled'`,
      })
      .returning();
    if (!slot) throw new AvailabilityError([{ code: "slotOverlap" }]);
    await recordAudit(tx, { accountId: actor.accountId, action: "slot.create", subject: `slot:${slot.id}`, after: { startsAt: slot.startsAt.toISOString(), minutes: slot.minutes } });
    return slot;
  });
}

export interface ListSlotsOptions {
  /** Cancelled slots are left out unless asked for. */
  includeCancelled?: boolean;
}

/** The instructor's slots starting in [from, to), in time order. */
export function listSlots(db: Db | Tx, instructorId: number, from: Date, to: Date, opts: ListSlotsOptions = {}): Promise<Slot[]> {
  return db
    .select()
    .from(instructorSlots)
    .where(
      and(
        eq(instructorSlots.instructorId, instructorId),
        gte(instructorSlots.startsAt, from),
        lt(instructorSlots.startsAt, to),
        opts.includeCancelled ? undefined : ne(instructorSlots.state, "cancelled"),
      ),
    )
    .orderBy(asc(instructorSlots.startsAt));
}

export interface SlotWithHolder extends Slot {
  /** The live application that booked the slot, if any (src/domain/slots.ts decides). */
  applicationId: number | null;
  publicNumber: string | null;
}

function selectWithHolders(db: Db | Tx) {
  return db
    .select({
      id: instructorSlots.id,
      instructorId: instructorSlots.instructorId,
      startsAt: instructorSlots.startsAt,
      minutes: instructorSlots.minutes,
      state: instructorSlots.state,
      // The booking's application, or else a planned lesson's that covers the slot's time (a lesson
      // planned by hand or moved there holds the time just the same: src/domain/slots.ts OPEN).
      applicationId: sql<number | null>`coalesce(${applications.id}, (${lessonsOverSlot(sql`l.application_id`)} order by l.starts_at limit 1))`,
      publicNumber: sql<string | null>`coalesce(${applications.publicNumber}, (${lessonsOverSlot(sql`(select a.public_number from applications a where a.id = l.application_id)`)} order by l.starts_at limit 1))`,
    })
    .from(instructorSlots)
    .leftJoin(applications, holderOf(instructorSlots.id));
}
/** The instructor's slots starting in [from, to), cancelled ones included, each with the live application on it: one query, at most `limit` rows. */
export function listSlotsWithHolders(db: Db | Tx, instructorId: number, from: Date, to: Date, limit = 1000): Promise<SlotWithHolder[]> {
  return selectWithHolders(db)
    .where(and(eq(instructorSlots.instructorId, instructorId), gte(instructorSlots.startsAt, from), lt(instructorSlots.startsAt, to)))
    .orderBy(asc(instructorSlots.startsAt))
    .limit(limit);
}

/** One slot of the instructor with its live application, or null (another instructor's slot too). */
export async function getSlotWithHolder(db: Db | Tx, instructorId: number, slotId: number): Promise<SlotWithHolder | null> {
  const [row] = await selectWithHolders(db).where(and(eq(instructorSlots.id, slotId), eq(instructorSlots.instructorId, instructorId)));
  return row ?? null;
}
