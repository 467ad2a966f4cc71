// Time rules, pure: calendar dates and times of day as people type them, and wall-clock time in
// the configured zone (TIME_ZONE, Asia/Almaty by default). Stored times are UTC instants.

/** Kazakhstan's zone since March 2024 (UTC+5): the default of config TIME_ZONE. */
export const DEFAULT_TIME_ZONE = "Asia/Almaty";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** A calendar day's length in UTC (a local day in a zone with DST may differ: use dayBounds for those). */
export const DAY_MS = 86_400_000;

/** A calendar date: y, m (1–12), d (1–31). */
export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

/**
 * The years a date typed into a form or a query may have. Far enough both ways for anything the
 * product plans or reports; narrow enough that no date reaching PostgreSQL is out of its range
 * (a year 9999 day plus one overflows timestamptz arithmetic and used to be a 500).
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** "2025-03-10" (an <input type="date"> value) → the date; null unless it is a real day of MIN_YEAR–MAX_YEAR. */
export function parseDay(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return null;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate() ? { y, m, d } : null;
}

/** "09:30" or "9:30" (an <input type="time"> value) → minutes since midnight (570); null otherwise. */
export function parseTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [h, min] = [Number(match[1]), Number(match[2])];
  return h < 24 && min < 60 ? h * 60 + min : null;
}

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/** The date as "YYYY-MM-DD". */
export function isoDay({ y, m, d }: CalendarDate): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** The date `days` later (earlier when negative), across months and years. */
export function addDays({ y, m, d }: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf({ y, m, d }: CalendarDate): number {
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs ~0.1 ms (a third of an inbox page's CPU): one per locale and options, reused. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** Per zone: UTC hour (ms since epoch / 1 h) → the zone's offset during that whole hour, ms. */
const offsets = new Map<string, Map<number, number>>();

/** The offset by Intl (~2–20 µs): the wall clock read back as if it were UTC, minus the instant (whole seconds). */
function measureOffsetMs(zone: string, t: number): number {
  const parts = dateFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * Offset of `zone` from UTC at `at`, in ms (historical local mean times have seconds). Offsets change
 * a few times a year at most, so the answer is kept per zone and UTC hour: formatting dates was
 * most of an inbox page's CPU even with a cached formatter (formatToParts ~15 µs per cell). An hour
 * with a transition inside it (its first and last second disagree) is measured per call, never cached.
 */
export function zoneOffsetMs(zone: string, at: Date | number): number {
  const t = typeof at === "number" ? at : at.getTime();
  const hour = Math.floor(t / HOUR_MS);
  let byHour = offsets.get(zone);
  if (!byHour) offsets.set(zone, (byHour = new Map()));
  const known = byHour.get(hour);
  if (known !== undefined) return known;
  const first = measureOffsetMs(zone, hour * HOUR_MS);
  if (first !== measureOffsetMs(zone, hour * HOUR_MS + HOUR_MS - 1000)) return measureOffsetMs(zone, t);
  if (byHour.size >= 100_000) byHour.clear(); // bounded: ~11 years of distinct hours per zone
  byHour.set(hour, first);
  return first;
}

/** Offset of `zone` from UTC at `at`, in minutes (Asia/Almaty: +300). */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  return Math.round(zoneOffsetMs(zone, at) / MINUTE_MS);
}

/**
 * The wall clock of `at` in `zone` as a Date whose UTC fields (getUTCFullYear…getUTCMinutes) are
 * the local ones. Only for reading those fields: it is not the instant.
 */
export function wallClock(zone: string, at: Date): Date {
  return new Date(at.getTime() + zoneOffsetMs(zone, at));
}

/** The UTC instant of local `y-m-d h:min` in `zone`. */
export function localToUtc(zone: string, y: number, m: number, d: number, h: number, min = 0): Date {
  const guess = new Date(Date.UTC(y, m - 1, d, h, min));
  return new Date(guess.getTime() - zoneOffsetMinutes(zone, guess) * MINUTE_MS);
}

/** Local calendar date (y, m, d) of an instant in `zone`. */
export function localDate(zone: string, at: Date): { y: number; m: number; d: number } {
  const w = wallClock(zone, at);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

/** "YYYY-MM-DD" of an instant in `zone`. */
export function localDay(zone: string, at: Date): string {
  return isoDay(localDate(zone, at));
}

/** The instants [start, end) of local day "YYYY-MM-DD" in `zone`; null when the day is not a valid one (see parseDay). */
export function dayBounds(zone: string, day: string): { start: Date; end: Date } | null {
  const date = parseDay(day);
  if (!date) return null;
  const next = addDays(date, 1);
  return { start: localToUtc(zone, date.y, date.m, date.d, 0), end: localToUtc(zone, next.y, next.m, next.d, 0) };
}

/** Local "2025-03-10" + "09:30" in `zone` → the instant; null when either is malformed. */
export function localInstant(zone: string, day: string, time: string): Date | null {
  const date = parseDay(day);
  const minute = parseTime(time);
  if (!date || minute === null) return null;
  return localToUtc(zone, date.y, date.m, date.d, Math.floor(minute / 60), minute % 60);
}
