// Wall-clock time in the configured zone (TIME_ZONE, Asia/Almaty by default). Stored times are UTC.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs ~0.1 ms (a third of an inbox page's CPU): one per locale and options, reused. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** Offset of `zone` from UTC at `at`, in minutes (Asia/Almaty: +300). */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  const parts = dateFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The UTC instant of local `y-m-d h:min` in `zone`. */
export function localToUtc(zone: string, y: number, m: number, d: number, h: number, min = 0): Date {
  const guess = new Date(Date.UTC(y, m - 1, d, h, min));
  return new Date(guess.getTime() - zoneOffsetMinutes(zone, guess) * 60_000);
}

/** Local calendar date (y, m, d) of an instant in `zone`. */
export function localDate(zone: string, at: Date): { y: number; m: number; d: number } {
  const [y, m, d] = dateFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(at)
    .split("-")
    .map(Number);
  return { y: y!, m: m!, d: d! };
}
