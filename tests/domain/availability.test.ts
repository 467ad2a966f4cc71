// Weekly template → slots in local time (Asia/Almaty, UTC+5), idempotent; a day off; slots by hand.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cities, instructors } from "../../src/db/schema.ts";
import {
  addSlot as addSlotAs,
  AvailabilityError,
  generateSlots,
  getWeeklyTemplate,
  listDaysOff,
  listSlots,
  returnDay,
  setWeeklyTemplate,
  validateTemplate,
} from "../../src/domain/availability.ts";
import { blockDay } from "../../src/domain/slot-cancel.ts";
import { availabilityProblemText } from "../../src/i18n/crm/availability.ts";
import type { Language } from "../../src/db/schema.ts";
import type { AvailabilityProblem } from "../../src/domain/availability.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const TZ = "Asia/Almaty";

/** The problems as the schedule page says them, each after its row. */
const said = (problems: AvailabilityProblem[], language: Language = "ru") =>
  problems.map((p) => `${"row" in p ? `${p.row}: ` : ""}${availabilityProblemText(p, language)}`);
const almaty = (s: string) => new Date(`${s}+05:00`);
const iso = (slots: { startsAt: Date }[]) => slots.map((s) => s.startsAt.toISOString());

let d: TestDatabase;
/** Hand-made slots, added "before" the 2025 test week. */
const addSlot = (db: TestDatabase["db"], instructorId: number, startsAt: Date, minutes: number) =>
  addSlotAs(db, { instructorId, accountId: null }, startsAt, minutes, almaty("2025-01-01T00:00:00"));
let inst: number;
let other: number;

beforeAll(async () => {
  d = await createTestDatabase();
  const [city] = await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning();
  [{ id: inst }, { id: other }] = (await d.db
    .insert(instructors)
    .values([
      { cityId: city!.id, name: "И1", transmission: "manual", pricePerHourKzt: 5000 },
      { cityId: city!.id, name: "И2", transmission: "manual", pricePerHourKzt: 5000 },
    ])
    .returning({ id: instructors.id })) as [{ id: number }, { id: number }];
});

afterAll(async () => {
  await d?.dispose();
});

const monday = { weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60, lessonMinutes: 90 };
const wednesday = { weekday: 3, startMinute: 14 * 60, endMinute: 16 * 60 + 30, lessonMinutes: 60 };
const week = { from: almaty("2025-03-10T00:00:00"), days: 7, timeZone: TZ };

describe("weekly template", () => {
  test("explains every problem per row, in Russian and Kazakh", () => {
    const problems = validateTemplate([
      monday,
      { weekday: 1, startMinute: 11 * 60, endMinute: 13 * 60, lessonMinutes: 60 },
      { weekday: 2, startMinute: 15 * 60, endMinute: 10 * 60, lessonMinutes: 60 },
      { weekday: 8, startMinute: 60, endMinute: 120, lessonMinutes: 60 },
      { weekday: 4, startMinute: 600, endMinute: 630, lessonMinutes: 60 },
    ]);
    expect(said(problems)).toEqual([
      "3: Время окончания (10:00) должно быть позже начала (15:00).",
      "4: День недели должен быть от 1 (понедельник) до 7 (воскресенье).",
      "5: В интервал 10:00–10:30 не помещается ни одно занятие по 60 минут.",
      "2: Понедельник 11:00–13:00 пересекается со строкой 1 (09:00–12:00).",
    ]);
    expect(said(problems, "kk")[3]).toBe("2: Дүйсенбі 11:00–13:00 1-жолмен (09:00–12:00) қиылысады.");
  });

  test("an invalid template is refused and the old one stays", async () => {
    await setWeeklyTemplate(d.db, inst, [monday]);
    const err = await setWeeklyTemplate(d.db, inst, [monday, { ...monday, startMinute: 10 * 60 }]).catch((e) => e);
    expect(err).toBeInstanceOf(AvailabilityError);
    expect(said((err as AvailabilityError).problems)[0]).toContain("пересекается со строкой 1");
    expect(await getWeeklyTemplate(d.db, inst)).toHaveLength(1);
  });

  test("a valid template replaces the old one", async () => {
    const saved = await setWeeklyTemplate(d.db, inst, [wednesday, monday]);
    expect(saved.map((r) => [r.weekday, r.startMinute, r.endMinute, r.lessonMinutes])).toEqual([
      [1, 540, 720, 90],
      [3, 840, 990, 60],
    ]);
  });
});

describe("slots", () => {
  test("are generated in local time: Monday 09:00 and 10:30 Almaty = 04:00Z and 05:30Z", async () => {
    expect(await generateSlots(d.db, inst, week)).toEqual({ created: 4 });
    const slots = await listSlots(d.db, inst, week.from, almaty("2025-03-17T00:00:00"));
    // Monday 09:00–12:00 by 90 min: 09:00, 10:30; Wednesday 14:00–16:30 by 60 min: 14:00, 15:00 (15:30 start would not fit).
    expect(iso(slots)).toEqual(["2025-03-10T04:00:00.000Z", "2025-03-10T05:30:00.000Z", "2025-03-12T09:00:00.000Z", "2025-03-12T10:00:00.000Z"]);
    expect(slots.map((s) => [s.minutes, s.state])).toEqual([
      [90, "free"],
      [90, "free"],
      [60, "free"],
      [60, "free"],
    ]);
    expect(await listSlots(d.db, other, week.from, almaty("2025-03-17T00:00:00"))).toEqual([]);
  });

  test("regeneration is idempotent and skips what is already past", async () => {
    expect(await generateSlots(d.db, inst, week)).toEqual({ created: 0 });
    // From Monday 10:00: the 09:00 slot of the next Monday is kept out as well as today's past.
    expect(await generateSlots(d.db, inst, { from: almaty("2025-03-17T10:00:00"), days: 1, timeZone: TZ })).toEqual({ created: 1 });
    const next = await listSlots(d.db, inst, almaty("2025-03-17T00:00:00"), almaty("2025-03-18T00:00:00"));
    expect(iso(next)).toEqual(["2025-03-17T05:30:00.000Z"]);
  });

  test("blockDay cancels the open slots of the day, which regeneration never brings back", async () => {
    const result = await blockDay(d.db, { instructorId: inst, accountId: null }, "2025-03-10", { timeZone: TZ });
    expect(result).toMatchObject({ cancelled: 2, kept: [], released: [] });
    expect(await generateSlots(d.db, inst, week)).toEqual({ created: 0 });
    const all = await listSlots(d.db, inst, week.from, almaty("2025-03-11T00:00:00"), { includeCancelled: true });
    expect(all.map((s) => s.state)).toEqual(["cancelled", "cancelled"]);
    expect(await listSlots(d.db, inst, week.from, almaty("2025-03-11T00:00:00"))).toEqual([]);
  });

  test("blockDay refuses a malformed date", async () => {
    await expect(blockDay(d.db, { instructorId: inst, accountId: null }, "2025-02-30", { timeZone: TZ })).rejects.toBeInstanceOf(AvailabilityError);
  });

  test("addSlot refuses overlaps, reopens a cancelled slot", async () => {
    const overlap = await addSlot(d.db, inst, almaty("2025-03-12T14:30:00"), 60).catch((e) => e);
    expect(overlap).toBeInstanceOf(AvailabilityError);
    expect(said((overlap as AvailabilityError).problems)).toEqual(["Это время пересекается с другим окном."]);
    const reopened = await addSlot(d.db, inst, almaty("2025-03-10T09:00:00"), 60);
    expect([reopened.state, reopened.minutes]).toEqual(["free", 60]);
    const added = await addSlot(d.db, inst, almaty("2025-03-12T18:00:00"), 90);
    expect(added.startsAt.toISOString()).toBe("2025-03-12T13:00:00.000Z");
    // A generated slot that would overlap a hand-made one of another length is not created.
    await setWeeklyTemplate(d.db, other, [{ weekday: 5, startMinute: 600, endMinute: 720, lessonMinutes: 60 }]);
    await addSlot(d.db, other, almaty("2025-03-14T10:30:00"), 60);
    expect(await generateSlots(d.db, other, week)).toEqual({ created: 0 });
    await addSlot(d.db, other, almaty("2025-03-21T11:30:00"), 30);
    expect(await generateSlots(d.db, other, { ...week, from: almaty("2025-03-21T00:00:00") })).toEqual({ created: 1 });
  });

  test("the zone is PostgreSQL's to apply, so a zone with DST keeps 09:00 local across the change", async () => {
    const [{ id: berliner }] = await d.db.insert(instructors).values({ cityId: (await d.db.select().from(cities))[0]!.id, name: "И3", transmission: "manual", pricePerHourKzt: 5000 }).returning({ id: instructors.id });
    await setWeeklyTemplate(d.db, berliner!, [6, 7, 1].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 10 * 60, lessonMinutes: 60 })));
    // Berlin moves from UTC+1 to UTC+2 on Sunday 2025-03-30.
    expect(await generateSlots(d.db, berliner!, { from: new Date("2025-03-29T00:00:00Z"), days: 3, timeZone: "Europe/Berlin" })).toEqual({ created: 3 });
    expect(iso(await listSlots(d.db, berliner!, new Date("2025-03-29T00:00:00Z"), new Date("2025-04-01T00:00:00Z")))).toEqual([
      "2025-03-29T08:00:00.000Z",
      "2025-03-30T07:00:00.000Z",
      "2025-03-31T07:00:00.000Z",
    ]);
  });

  test("returnDay gives a day off back: the template's slots of the day are offered again", async () => {
    const me = { instructorId: inst, accountId: null };
    // Monday 2025-03-24 taken off before it was generated: recorded, nothing to cancel, nothing generated.
    await blockDay(d.db, me, "2025-03-24", { timeZone: TZ });
    expect(await listDaysOff(d.db, inst, "2025-03-11")).toEqual(["2025-03-24"]);
    expect(await generateSlots(d.db, inst, { from: almaty("2025-03-24T00:00:00"), days: 1, timeZone: TZ })).toEqual({ created: 0 });
    const now = almaty("2025-03-20T12:00:00");
    expect(await returnDay(d.db, me, "2025-03-24", { now, timeZone: TZ })).toEqual({ returned: true, slots: 2 });
    expect(await listDaysOff(d.db, inst, "2025-03-11")).toEqual([]);
    // Not a day off (any more): nothing changes.
    expect(await returnDay(d.db, me, "2025-03-24", { now, timeZone: TZ })).toEqual({ returned: false, slots: 0 });
    // A day blocked after its slots were made: they were cancelled and come back free.
    await blockDay(d.db, me, "2025-03-24", { timeZone: TZ });
    expect(await listSlots(d.db, inst, almaty("2025-03-24T00:00:00"), almaty("2025-03-25T00:00:00"))).toEqual([]);
    expect(await returnDay(d.db, me, "2025-03-24", { now, timeZone: TZ })).toEqual({ returned: true, slots: 2 });
    const back = await listSlots(d.db, inst, almaty("2025-03-24T00:00:00"), almaty("2025-03-25T00:00:00"));
    expect(back.map((s) => [s.startsAt.toISOString(), s.state])).toEqual([
      ["2025-03-24T04:00:00.000Z", "free"],
      ["2025-03-24T05:30:00.000Z", "free"],
    ]);
    // A past day off is forgotten without slots (none in the past, and none on today instead).
    // ("Today" is Wednesday 2025-03-26 12:00, whose 14:00 and 15:00 the template gives but nobody generated.)
    await blockDay(d.db, me, "2025-03-19", { timeZone: TZ });
    expect(await returnDay(d.db, me, "2025-03-19", { now: almaty("2025-03-26T12:00:00"), timeZone: TZ })).toEqual({ returned: true, slots: 0 });
    expect(await listSlots(d.db, inst, almaty("2025-03-26T00:00:00"), almaty("2025-03-27T00:00:00"))).toEqual([]);
    await expect(returnDay(d.db, me, "2025-13-01", { now, timeZone: TZ })).rejects.toBeInstanceOf(AvailabilityError);
  });

  test("generateSlots bounds the number of days", async () => {
    await expect(generateSlots(d.db, inst, { ...week, days: 0 })).rejects.toBeInstanceOf(AvailabilityError);
    await expect(generateSlots(d.db, inst, { ...week, days: 1000 })).rejects.toBeInstanceOf(AvailabilityError);
  });
});
