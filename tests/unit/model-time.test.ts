// Time rules: dates and times of day as typed, and local days in a zone (Asia/Almaty is UTC+5
// all year since March 2024; Europe/Berlin has DST, so its days are 23 or 25 hours twice a year).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { addDays, DAY_MS, dayBounds, isoDay, localDay, localInstant, parseDay, parseTime, weekdayOf } from "../../src/model/time.ts";

const ALMATY = "Asia/Almaty";

describe("parseDay", () => {
  test("a real calendar day", () => {
    expect(parseDay("2025-03-10")).toEqual({ y: 2025, m: 3, d: 10 });
    expect(parseDay("2024-02-29")).toEqual({ y: 2024, m: 2, d: 29 });
    expect(parseDay("2000-01-01")).toEqual({ y: 2000, m: 1, d: 1 });
    expect(parseDay("2100-12-31")).toEqual({ y: 2100, m: 12, d: 31 });
  });

  test.each([
    "2025-02-29", // not a leap year
    "2100-02-29", // nor is 2100
    "2025-04-31",
    "2025-13-01",
    "2025-00-10",
    "2025-01-00",
    "1999-12-31", // out of range: nothing outside 2000–2100 reaches the database
    "2101-01-01",
    "9999-12-31",
    "2025-3-10",
    "10.03.2025",
    " 2025-03-10",
    "2025-03-10T00:00",
    "",
  ])("%p is refused", (text) => {
    expect(parseDay(text)).toBeNull();
  });

  test("every day of 2000–2100 round-trips through isoDay, and nothing else parses", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-12-31T23:59:59Z"), noInvalidDate: true }), (at) => {
        const text = at.toISOString().slice(0, 10);
        return isoDay(parseDay(text)!) === text;
      }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
      const text = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const probe = new Date(Date.UTC(y, m - 1, d));
      const real = y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
      return (parseDay(text) !== null) === real;
    }));
  });
});

describe("parseTime", () => {
  test.each([
    ["00:00", 0],
    ["09:30", 570],
    ["9:30", 570],
    ["23:59", 1439],
  ])("%p → %p", (text, minute) => {
    expect(parseTime(text)).toBe(minute);
  });

  test.each(["24:00", "12:60", "12:5", "123:00", "12:00:00", "", "noon", " 9:30"])("%p is refused", (text) => {
    expect(parseTime(text)).toBeNull();
  });
});

describe("calendar arithmetic", () => {
  test("addDays crosses months, years and leap days", () => {
    expect(addDays({ y: 2024, m: 2, d: 28 }, 1)).toEqual({ y: 2024, m: 2, d: 29 });
    expect(addDays({ y: 2025, m: 2, d: 28 }, 1)).toEqual({ y: 2025, m: 3, d: 1 });
    expect(addDays({ y: 2025, m: 12, d: 31 }, 1)).toEqual({ y: 2026, m: 1, d: 1 });
    expect(addDays({ y: 2025, m: 3, d: 1 }, -1)).toEqual({ y: 2025, m: 2, d: 28 });
  });

  test("weekdayOf: 1 = Monday … 7 = Sunday", () => {
    expect(weekdayOf({ y: 2025, m: 3, d: 10 })).toBe(1);
    expect(weekdayOf({ y: 2025, m: 3, d: 16 })).toBe(7);
    fc.assert(fc.property(fc.integer({ min: -40_000, max: 40_000 }), (n) => {
      const day = addDays({ y: 2025, m: 3, d: 10 }, n);
      return weekdayOf(day) === (((n % 7) + 7) % 7) + 1;
    }));
  });

  test("isoDay pads month and day", () => {
    expect(isoDay({ y: 2025, m: 3, d: 5 })).toBe("2025-03-05");
  });
});

describe("local days in a zone", () => {
  test("an Almaty day starts at 19:00 UTC the day before", () => {
    expect(dayBounds(ALMATY, "2025-03-10")).toEqual({ start: new Date("2025-03-09T19:00:00Z"), end: new Date("2025-03-10T19:00:00Z") });
    expect(dayBounds(ALMATY, "2025-02-30")).toBeNull();
    expect(dayBounds(ALMATY, "9999-12-31")).toBeNull();
  });

  test("a DST day is 23 hours long, not DAY_MS", () => {
    const b = dayBounds("Europe/Berlin", "2025-03-30")!;
    expect(b.end.getTime() - b.start.getTime()).toBe(DAY_MS - 3_600_000);
  });

  test("localInstant: a day and a time of day in the zone", () => {
    expect(localInstant(ALMATY, "2025-03-10", "09:30")).toEqual(new Date("2025-03-10T04:30:00Z"));
    expect(localInstant(ALMATY, "2025-03-10", "24:00")).toBeNull();
    expect(localInstant(ALMATY, "2025-02-29", "09:30")).toBeNull();
  });

  test("localDay: the day an instant falls on in the zone", () => {
    expect(localDay(ALMATY, new Date("2025-03-09T18:59:59Z"))).toBe("2025-03-09");
    expect(localDay(ALMATY, new Date("2025-03-09T19:00:00Z"))).toBe("2025-03-10");
  });

  test("every instant lies inside the bounds of its own local day", () => {
    fc.assert(
      fc.property(fc.constantFrom(ALMATY, "Europe/Berlin", "America/New_York", "UTC"), fc.date({ min: new Date("2000-01-02T00:00:00Z"), max: new Date("2100-12-30T00:00:00Z"), noInvalidDate: true }), (zone, at) => {
        const b = dayBounds(zone, localDay(zone, at))!;
        return b.start.getTime() <= at.getTime() && at.getTime() < b.end.getTime();
      }),
    );
  });
});
