// An instructor's weekly availability template (instructor_availability) and the bookable
// slots (instructor_slots) made from it. The template is in local wall-clock time; slots are
// instants (timestamptz), so "Monday 09:00" stays 09:00 in the configured zone whatever UTC says.
// Generation is idempotent and only ever adds free slots; a slot cancelled by its instructor stays
// cancelled. Whether a slot is taken is src/domain/slots.ts's to say; withdrawing slots (and what
// happens to a booking on one) is src/domain/slot-cancel.ts.
import { and, asc, eq, gte, lt, ne, sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { applications, instructorAvailability, instructorSlots } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { holderOf, overlaps } from "./slots.ts";
import { dayBounds, localDate, localToUtc } from "../model/time.ts";

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

/** Invalid input; `problems` are Russian sentences meant for the instructor, one per issue. */
export class AvailabilityError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
  }
}

export const MIN_LESSON_MINUTES = 30;
export const MAX_LESSON_MINUTES = 240;
export const MAX_GENERATE_DAYS = 92;

const WEEKDAYS_RU = ["", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"];

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/** All problems of a template, in Russian, each naming its row (1-based as the form shows it). */
export function validateTemplate(rows: readonly TemplateRowInput[]): string[] {
  const problems: string[] = [];
  rows.forEach((r, i) => {
    const at = `Строка ${i + 1}:`;
    if (!isInt(r.weekday) || r.weekday < 1 || r.weekday > 7) problems.push(`${at} день недели должен быть от 1 (понедельник) до 7 (воскресенье).`);
    if (!isInt(r.startMinute) || r.startMinute < 0 || r.startMinute >= 24 * 60) problems.push(`${at} неверное время начала.`);
    if (!isInt(r.endMinute) || r.endMinute <= 0 || r.endMinute > 24 * 60) problems.push(`${at} неверное время окончания.`);
    else if (isInt(r.startMinute) && r.endMinute <= r.startMinute) problems.push(`${at} время окончания (${hhmm(r.endMinute)}) должно быть позже начала (${hhmm(r.startMinute)}).`);
    if (!isInt(r.lessonMinutes) || r.lessonMinutes < MIN_LESSON_MINUTES || r.lessonMinutes > MAX_LESSON_MINUTES)
      problems.push(`${at} длительность занятия — от ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`);
    else if (r.endMinute > r.startMinute && r.endMinute - r.startMinute < r.lessonMinutes)
      problems.push(`${at} в интервал ${hhmm(r.startMinute)}–${hhmm(r.endMinute)} не помещается ни одно занятие по ${r.lessonMinutes} минут.`);
  });
  // Overlaps are only meaningful between rows that are valid on their own.
  rows.forEach((a, i) => {
    rows.slice(0, i).forEach((b, j) => {
      if (a.weekday === b.weekday && a.startMinute < b.endMinute && b.startMinute < a.endMinute && a.startMinute < a.endMinute && b.startMinute < b.endMinute)
        problems.push(
          `Строка ${i + 1}: ${WEEKDAYS_RU[a.weekday] ?? ""} ${hhmm(a.startMinute)}–${hhmm(a.endMinute)} пересекается со строкой ${j + 1} (${hhmm(b.startMinute)}–${hhmm(b.endMinute)}).`,
        );
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
}

/** ISO weekday (1 = Monday) of a calendar date. */
function isoWeekday(y: number, m: number, d: number): number {
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The slot start instants the template gives for the days, in local time. Pure. */
export function templateSlots(template: readonly TemplateRowInput[], opts: GenerateOptions): { startsAt: Date; minutes: number }[] {
  const out: { startsAt: Date; minutes: number }[] = [];
  const first = localDate(opts.timeZone, opts.from);
  for (let i = 0; i < opts.days; i++) {
    // Calendar arithmetic on a UTC date: no zone, no DST surprises.
    const day = new Date(Date.UTC(first.y, first.m - 1, first.d + i));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const weekday = isoWeekday(y, m, d);
    for (const row of template) {
      if (row.weekday !== weekday) continue;
      for (let start = row.startMinute; start + row.lessonMinutes <= row.endMinute; start += row.lessonMinutes) {
        const startsAt = localToUtc(opts.timeZone, y, m, d, Math.floor(start / 60), start % 60);
        if (startsAt.getTime() >= opts.from.getTime()) out.push({ startsAt, minutes: row.lessonMinutes });
      }
    }
  }
  return out;
}

/**
 * Creates the free slots the template gives for `days` local days from `from`; returns how many
 * were new. One insert: a slot that already exists at that instant (in any state) is left alone
 * (unique (instructor_id, starts_at)), and so is any new slot that would overlap a slot that is
 * not cancelled (free or booked) of another length, e.g. one added by hand.
 */
export async function generateSlots(db: Db | Tx, instructorId: number, opts: GenerateOptions): Promise<{ created: number }> {
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > MAX_GENERATE_DAYS)
    throw new AvailabilityError([`Количество дней — от 1 до ${MAX_GENERATE_DAYS}.`]);
  const template = await getWeeklyTemplate(db, instructorId);
  const wanted = templateSlots(template, opts);
  if (wanted.length === 0) return { created: 0 };
  const values = sql.join(
    wanted.map((s) => sql`(${s.startsAt.toISOString()}::timestamptz, ${s.minutes}::int)`),
    sql`, `,
  );
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into instructor_slots (instructor_id, starts_at, minutes, state)
        select ${instructorId}::int, v.starts_at, v.minutes, 'free'
          from (values ${values}) as v(starts_at, minutes)
         where not exists (
           select 1 from instructor_slots s
            where s.instructor_id = ${instructorId} and s.state <> 'cancelled'
              and s.starts_at < v.starts_at + make_interval(mins => v.minutes)
              and v.starts_at < s.starts_at + make_interval(mins => s.minutes::int))
        on conflict (instructor_id, starts_at) do nothing
        returning id`,
  );
  return { created: rows.length };
}

/** Bounds [start, end) of a local calendar day ("YYYY-MM-DD"), as instants; AvailabilityError when malformed. */
export function localDayBounds(day: string, timeZone: string): { start: Date; end: Date } {
  const bounds = dayBounds(timeZone, day);
  if (!bounds) throw new AvailabilityError(["Неверная дата: нужен формат ГГГГ-ММ-ДД."]);
  return bounds;
}

/** Who changes an instructor's availability, for the audit log. */
export interface AvailabilityActor {
  instructorId: number;
  accountId: number | null;
}

/**
 * Saves the weekly template and makes its slots for `days` local days from `now`, audited, in one
 * transaction; returns how many slots are new. Throws AvailabilityError (its "Строка N:" problems).
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

/**
 * Adds one free slot by hand, audited. A slot cancelled earlier at the same instant is reopened;
 * a time already past at `now` or an overlap with a slot that is not cancelled is refused
 * (AvailabilityError).
 */
export async function addSlot(db: Db, actor: AvailabilityActor, startsAt: Date, minutes: number, now: Date): Promise<Slot> {
  if (!isInt(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
    throw new AvailabilityError([`Длительность занятия — от ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`]);
  if (Number.isNaN(startsAt.getTime())) throw new AvailabilityError(["Неверное время начала."]);
  if (startsAt.getTime() <= now.getTime()) throw new AvailabilityError(["Это время уже прошло."]);
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
    if (overlap) throw new AvailabilityError(["Это время пересекается с другим окном."]);
    const [slot] = await tx
      .insert(instructorSlots)
      .values({ instructorId, startsAt, minutes, state: "free" })
      .onConflictDoUpdate({
        target: [instructorSlots.instructorId, instructorSlots.startsAt],
        set: { state: "free", minutes },
        setWhere: sql`${instructorSlots.state} = 'cancelled'`,
      })
      .returning();
    if (!slot) throw new AvailabilityError(["Это время пересекается с другим окном."]);
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
      applicationId: applications.id,
      publicNumber: applications.publicNumber,
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
