// The parts of the day cover every local hour exactly once; "day" covers them all.
import { describe, expect, test } from "bun:test";
import { DAYPART_HOURS, DAYPARTS, isWaitlistDaypart } from "../../src/model/daypart.ts";

describe("dayparts", () => {
  test("each hour of the day is in exactly one part, and in 'day'", () => {
    for (let hour = 0; hour < 24; hour++) {
      const parts = DAYPARTS.filter((p) => hour >= DAYPART_HOURS[p].from && hour < DAYPART_HOURS[p].to);
      expect(parts).toHaveLength(1);
      expect(hour >= DAYPART_HOURS.day.from && hour < DAYPART_HOURS.day.to).toBe(true);
    }
  });

  test("only the four wishes are waitlist parts", () => {
    expect(["morning", "afternoon", "evening", "day"].every(isWaitlistDaypart)).toBe(true);
    expect(["night", "", null, "Morning"].some(isWaitlistDaypart)).toBe(false);
  });
});
