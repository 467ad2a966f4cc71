// A local week, Monday to Sunday, as the CRM's week view shows it: its seven days and the instants
// that bound it in the zone (a lesson belongs to the local day it starts on, wherever it ends).
import { addDays, isoDay, localDate, localToUtc, parseDay, weekdayOf, type CalendarDate } from "./time.ts";

export interface LocalWeek {
  /** "YYYY-MM-DD", Monday first. */
  days: string[];
  /** Local Monday 00:00 and the next Monday 00:00. */
  start: Date;
  end: Date;
  prev: string;
  next: string;
}

/** The week holding local day `day` ("YYYY-MM-DD"); the week of `now` when `day` is absent or not a date. */
export function localWeek(zone: string, now: Date, day?: string): LocalWeek {
  const date: CalendarDate = (day ? parseDay(day) : null) ?? localDate(zone, now);
  const monday = addDays(date, 1 - weekdayOf(date));
  const nextMonday = addDays(monday, 7);
  return {
    days: Array.from({ length: 7 }, (_, i) => isoDay(addDays(monday, i))),
    start: localToUtc(zone, monday.y, monday.m, monday.d, 0),
    end: localToUtc(zone, nextMonday.y, nextMonday.m, nextMonday.d, 0),
    prev: isoDay(addDays(monday, -7)),
    next: isoDay(nextMonday),
  };
}
