// Parts of a day, pure: the one place that says which local hours "morning", "afternoon",
// "evening" and "any time" cover. The bot's "no free slots" question (DAYPARTS) and the waitlist
// (WAITLIST_DAYPARTS, matched in SQL by src/domain/waitlist.ts) both read these.

/** What the bot asks when an instructor has no free slot: a part of the day, never "any time". */
export const DAYPARTS = ["morning", "afternoon", "evening"] as const;
export type Daypart = (typeof DAYPARTS)[number];

/** What a waitlist entry may wish for: a part of the day or the whole day (waitlist_entries.daypart). */
export const waitlistDayparts = ["morning", "afternoon", "evening", "day"] as const;
export type WaitlistDaypart = (typeof waitlistDayparts)[number];
export const WAITLIST_DAYPARTS = waitlistDayparts;

/**
 * Local hours [from, to) of each part: morning until noon, the working day until five, the evening
 * after it; "day" is the whole calendar day. The parts cover the day with no gap, so every slot
 * has exactly one part.
 */
export const DAYPART_HOURS: Readonly<Record<WaitlistDaypart, { from: number; to: number }>> = {
  morning: { from: 0, to: 12 },
  afternoon: { from: 12, to: 17 },
  evening: { from: 17, to: 24 },
  day: { from: 0, to: 24 },
};

export function isDaypart(value: unknown): value is Daypart {
  return typeof value === "string" && (DAYPARTS as readonly string[]).includes(value);
}

export function isWaitlistDaypart(value: unknown): value is WaitlistDaypart {
  return typeof value === "string" && (WAITLIST_DAYPARTS as readonly string[]).includes(value);
}
