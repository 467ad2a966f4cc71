// Wall-clock time in the configured zone (TIME_ZONE, Asia/Almaty by default). Stored times are UTC.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs ~0.1 ms (a third of an inbox page's CPU): one per locale and options, reused. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const HOUR_MS = 3_600_000;
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
  return Math.round(zoneOffsetMs(zone, at) / 60_000);
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
  return new Date(guess.getTime() - zoneOffsetMinutes(zone, guess) * 60_000);
}

/** Local calendar date (y, m, d) of an instant in `zone`. */
export function localDate(zone: string, at: Date): { y: number; m: number; d: number } {
  const w = wallClock(zone, at);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}
