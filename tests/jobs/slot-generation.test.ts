// Rolling availability (src/jobs/slot-generation.ts) on an injected clock: each round keeps the
// weekly templates' slots generated SLOT_HORIZON_DAYS local days ahead (Asia/Almaty), adds
// nothing the second time, leaves cancelled slots and days off alone, and skips instructors that
// are inactive or have no template.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, ne } from "drizzle-orm";
import { cities, instructors, instructorSlots } from "../../src/db/schema.ts";
import { setWeeklyTemplate } from "../../src/domain/availability.ts";
import { blockDay, cancelSlot } from "../../src/domain/slot-cancel.ts";
import { generateAhead, slotGenerator } from "../../src/jobs/slot-generation.ts";
import type { Sleep } from "../../src/jobs/loop.ts";
import { localDay } from "../../src/model/time.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const TZ = "Asia/Almaty";
const config = { timeZone: TZ, slotHorizonDays: 14 };
/** Local day `n` after Monday 2025-03-10 (day 0), at 08:00 Almaty. */
const dayAt8 = (n: number) => new Date(Date.parse("2025-03-10T08:00:00+05:00") + n * 86_400_000);
const dayName = (n: number) => localDay(TZ, dayAt8(n));

let d: TestDatabase;
let inst: number;
let idle: number; // active, no template
let retired: number; // inactive, with a template

/** Every weekday 09:00–12:00 by 90 minutes: 09:00 and 10:30, two slots a day. */
const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 12 * 60, lessonMinutes: 90 }));

const slotsOf = (id: number) => d.db.select().from(instructorSlots).where(eq(instructorSlots.instructorId, id)).orderBy(instructorSlots.startsAt);
const openSlotsOf = (id: number) => d.db.select().from(instructorSlots).where(and(eq(instructorSlots.instructorId, id), ne(instructorSlots.state, "cancelled")));
/** The local days that have slots not cancelled, in order, without repeats. */
const daysWithSlots = async (id: number) => [...new Set((await slotsOf(id)).filter((s) => s.state === "free").map((s) => localDay(TZ, s.startsAt)))];

beforeAll(async () => {
  d = await createTestDatabase();
  const [city] = await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning();
  const base = { cityId: city!.id, transmission: "manual" as const, pricePerHourKzt: 5000 };
  [{ id: inst }, { id: idle }, { id: retired }] = (await d.db
    .insert(instructors)
    .values([
      { ...base, name: "С шаблоном" },
      { ...base, name: "Без шаблона" },
      { ...base, name: "Не работает", active: false },
    ])
    .returning({ id: instructors.id })) as [{ id: number }, { id: number }, { id: number }];
  await setWeeklyTemplate(d.db, inst, everyDay);
  await setWeeklyTemplate(d.db, retired, everyDay);
});

afterAll(async () => {
  await d?.dispose();
});

describe("rolling slot generation", () => {
  test("a round at day 0 makes the next 14 local days, from 09:00 Almaty (04:00Z)", async () => {
    expect(await generateAhead(d.db, config, dayAt8(0))).toBe(28);
    expect(await daysWithSlots(inst)).toEqual(Array.from({ length: 14 }, (_, i) => dayName(i)));
    const [first] = await slotsOf(inst);
    expect([first!.startsAt.toISOString(), first!.minutes, first!.state]).toEqual(["2025-03-10T04:00:00.000Z", 90, "free"]);
  });

  test("a second round adds nothing (idempotent)", async () => {
    expect(await generateAhead(d.db, config, dayAt8(0))).toBe(0);
    expect(await slotsOf(inst)).toHaveLength(28);
  });

  test("an instructor without a template, or inactive, gets nothing", async () => {
    expect(await slotsOf(idle)).toEqual([]);
    expect(await slotsOf(retired)).toEqual([]);
  });

  test("a cancelled slot stays cancelled", async () => {
    const [, second] = await slotsOf(inst);
    expect((await cancelSlot(d.db, { instructorId: inst, accountId: null }, second!.id, { timeZone: TZ })).ok).toBe(true);
    expect(await generateAhead(d.db, config, dayAt8(1))).toBe(2); // only day 14 is new
    const again = (await slotsOf(inst)).find((s) => s.id === second!.id);
    expect(again!.state).toBe("cancelled");
  });

  test("a day blocked beyond the horizon stays empty when the horizon reaches it; a round 20 days later runs the slots through day 33 (up to day 34)", async () => {
    const blocked = dayName(30);
    const result = await blockDay(d.db, { instructorId: inst, accountId: null }, blocked, { timeZone: TZ });
    expect(result).toMatchObject({ cancelled: 0, kept: [], released: [] });
    // Day 20: days 20..33 (day 34 excluded), minus day 30.
    expect(await generateAhead(d.db, config, dayAt8(20))).toBe(2 * 13);
    const days = await daysWithSlots(inst);
    expect(days.at(-1)).toBe(dayName(33));
    expect(days).not.toContain(blocked);
    expect(days.filter((day) => day >= dayName(20))).toEqual(Array.from({ length: 14 }, (_, i) => dayName(20 + i)).filter((day) => day !== blocked));
    // Days 15..19 were never in a round's horizon (no round ran then): the job does not go back.
    expect(days).not.toContain(dayName(15));
    expect(await generateAhead(d.db, config, dayAt8(20))).toBe(0);
  });

  test("the job runs a round on its clock, then pauses an hour", async () => {
    const pauses: number[] = [];
    let paused: () => void = () => {};
    const roundDone = new Promise<void>((resolve) => (paused = resolve));
    // The first pause (before the first round) ends at once; the next one, after the round, waits for stop().
    const sleep: Sleep = (ms, signal) =>
      new Promise<void>((resolve) => {
        pauses.push(ms);
        if (pauses.length === 1 || signal.aborted) return resolve();
        paused();
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    const job = slotGenerator(d.db, config, { now: () => dayAt8(21), sleep });
    job.start();
    await roundDone;
    await job.stop();
    expect(pauses).toEqual([30_000, 3_600_000]);
    expect((await daysWithSlots(inst)).at(-1)).toBe(dayName(34));
    expect(await openSlotsOf(retired)).toEqual([]);
  });
});
