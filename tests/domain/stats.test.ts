// Statistics of a school and an instructor, on hand-counted fixtures (Asia/Almaty, UTC+5).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { applications, cities, instructors, lessons, schools, students } from "../../src/db/schema.ts";
import { instructorStats, schoolStats } from "../../src/domain/stats.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const TZ = "Asia/Almaty";
const MIN = 60_000;
/** Local Almaty wall-clock time → instant. */
const almaty = (s: string) => new Date(`${s}+05:00`);
const now = almaty("2025-03-10T12:00:00");

let d: TestDatabase;
let schoolA: number;
let schoolB: number;
let instructor1: number;
let instructor2: number;
let seq = 0;

type AppInput = Partial<typeof applications.$inferInsert> & { createdAt: Date };

async function addApplication(a: AppInput): Promise<number> {
  seq += 1;
  const [row] = await d.db
    .insert(applications)
    .values({
      publicNumber: `S${seq}`,
      idempotencyKey: `stats-${seq}`,
      studentId: a.studentId ?? studentId,
      kind: a.instructorId ? "instructor" : "school",
      cityId,
      studentName: "Ученик",
      studentPhone: "+77010000000",
      ...a,
    })
    .returning({ id: applications.id });
  return row!.id;
}

let cityId: number;
let studentId: number;

beforeAll(async () => {
  d = await createTestDatabase();
  [{ id: cityId }] = await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning({ id: cities.id }) as [{ id: number }];
  [{ id: schoolA }, { id: schoolB }] = (await d.db
    .insert(schools)
    .values([{ cityId, name: "A" }, { cityId, name: "B" }])
    .returning({ id: schools.id })) as [{ id: number }, { id: number }];
  [{ id: instructor1 }, { id: instructor2 }] = (await d.db
    .insert(instructors)
    .values([
      { cityId, name: "И1", transmission: "manual", pricePerHourKzt: 5000 },
      { cityId, name: "И2", transmission: "automatic", pricePerHourKzt: 6000 },
    ])
    .returning({ id: instructors.id })) as [{ id: number }, { id: number }];
  [{ id: studentId }] = (await d.db.insert(students).values({ telegramId: 1, chatId: 1 }).returning({ id: students.id })) as [{ id: number }];

  const t = (s: string) => almaty(s);
  const plus = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MIN);
  // School A: eight applications (see the expectations for the hand count).
  const a1 = t("2025-03-10T00:30:00"); // Sunday 19:30 UTC, but Monday in Almaty: week W11
  await addApplication({ schoolId: schoolA, createdAt: a1, status: "new" });
  const a2 = t("2025-03-09T23:30:00");
  await addApplication({ schoolId: schoolA, createdAt: a2, status: "contacted", firstResponseAt: plus(a2, 10) });
  const a3 = t("2025-03-03T10:00:00");
  await addApplication({ schoolId: schoolA, createdAt: a3, status: "confirmed", firstResponseAt: plus(a3, 30), confirmedAt: plus(a3, 600), source: "instagram" });
  const a4 = t("2025-02-25T10:00:00");
  await addApplication({ schoolId: schoolA, createdAt: a4, status: "paid", firstResponseAt: plus(a4, 60), confirmedAt: plus(a4, 600), paidAt: plus(a4, 2000) });
  const a5 = t("2025-02-26T10:00:00");
  await addApplication({ schoolId: schoolA, createdAt: a5, status: "studying", firstResponseAt: plus(a5, 120), confirmedAt: plus(a5, 600), paidAt: plus(a5, 2000), source: "instagram" });
  const a6 = t("2025-02-27T10:00:00");
  await addApplication({ schoolId: schoolA, createdAt: a6, status: "rejected", firstResponseAt: plus(a6, 20) });
  const a7 = t("2025-02-28T10:00:00");
  await addApplication({ schoolId: schoolA, createdAt: a7, status: "cancelled", cancelledAt: plus(a7, 100), source: "2gis" });
  const a8 = t("2024-11-01T10:00:00"); // before the 12 weeks of the chart
  await addApplication({ schoolId: schoolA, createdAt: a8, status: "completed", firstResponseAt: plus(a8, 40), confirmedAt: plus(a8, 600), paidAt: plus(a8, 2000) });
  // School B: must never be counted for A.
  await addApplication({ schoolId: schoolB, createdAt: t("2025-03-10T09:00:00"), status: "paid", paidAt: now, firstResponseAt: now, source: "bot" });
  await addApplication({ schoolId: schoolB, createdAt: t("2025-03-04T09:00:00"), status: "new", source: "instagram" });

  // Instructor 1: four requests; instructor 2: one.
  const i1 = t("2025-03-01T09:00:00");
  const appA = await addApplication({ instructorId: instructor1, createdAt: i1, status: "accepted", firstResponseAt: plus(i1, 15) });
  const i2 = t("2025-03-03T09:00:00");
  await addApplication({ instructorId: instructor1, createdAt: i2, status: "accepted", firstResponseAt: plus(i2, 30) });
  const i3 = t("2025-03-05T09:00:00");
  await addApplication({ instructorId: instructor1, createdAt: i3, status: "rejected", firstResponseAt: plus(i3, 120) });
  await addApplication({ instructorId: instructor1, createdAt: t("2025-03-08T09:00:00"), status: "new", source: "instagram" });
  const other = await addApplication({ instructorId: instructor2, createdAt: t("2025-03-02T09:00:00"), status: "accepted", firstResponseAt: t("2025-03-02T09:01:00") });
  const lesson = (state: "planned" | "conducted" | "no_show" | "cancelled", day: number, noShowBy?: "student" | "instructor") => ({
    applicationId: appA,
    instructorId: instructor1,
    startsAt: t(`2025-03-0${day}T10:00:00`),
    state,
    noShowBy: noShowBy ?? null,
  });
  await d.db.insert(lessons).values([
    lesson("conducted", 2),
    lesson("conducted", 3),
    lesson("conducted", 4),
    lesson("no_show", 5, "student"),
    lesson("no_show", 6, "instructor"),
    lesson("no_show", 7),
    lesson("planned", 9),
    lesson("cancelled", 8),
    { applicationId: other, instructorId: instructor2, startsAt: t("2025-03-04T10:00:00"), state: "conducted" as const },
  ]);
});

afterAll(async () => {
  await d?.dispose();
});

describe("schoolStats", () => {
  test("counts by status, funnel, rates, median and sources of one school only", async () => {
    const s = await schoolStats(d.db, schoolA, { timeZone: TZ, now });
    expect(s.total).toBe(8);
    expect(s.byStatus).toEqual({
      new: 1,
      contacted: 1,
      confirmed: 1,
      paid: 1,
      studying: 1,
      completed: 1,
      accepted: 0,
      rejected: 1,
      cancelled: 1,
    });
    // contacted: 2, 3, 4, 5, 6, 8; confirmed: 3, 4, 5, 8; paid: 4, 5, 8.
    expect(s.funnel).toEqual({ new: 8, contacted: 6, confirmed: 4, paid: 3 });
    expect(s.confirmationRate).toBe(0.5);
    expect(s.paymentRate).toBe(0.75);
    // Answered after 10, 20, 30, 40, 60, 120 min: percentile_cont median = (30 + 40) / 2 = 35 min.
    expect(s.medianFirstResponseSeconds).toBe(35 * 60);
    expect(s.bySource).toEqual([
      { source: "bot", count: 5 },
      { source: "instagram", count: 2 },
      { source: "2gis", count: 1 },
    ]);
  });

  test("weekly buckets are local ISO weeks, twelve of them, zero-filled", async () => {
    const s = await schoolStats(d.db, schoolA, { timeZone: TZ, now });
    expect(s.byWeek).toHaveLength(12);
    expect(s.byWeek[0]).toEqual({ week: "2024-W52", start: "2024-12-23", count: 0 });
    expect(s.byWeek.slice(-3)).toEqual([
      { week: "2025-W09", start: "2025-02-24", count: 4 },
      { week: "2025-W10", start: "2025-03-03", count: 2 },
      // 00:30 on Monday in Almaty is still Sunday in UTC: it belongs here.
      { week: "2025-W11", start: "2025-03-10", count: 1 },
    ]);
    expect(s.byWeek.reduce((a, w) => a + w.count, 0)).toBe(7);
    // In UTC the same application would fall into the week before.
    const utc = await schoolStats(d.db, schoolA, { timeZone: "UTC", now });
    expect(utc.byWeek.slice(-2).map((w) => w.count)).toEqual([3, 0]);
  });

  test("a date range restricts every figure", async () => {
    const s = await schoolStats(d.db, schoolA, { timeZone: TZ, now, from: almaty("2025-03-01T00:00:00"), to: almaty("2025-03-11T00:00:00") });
    expect(s.total).toBe(3);
    expect(s.funnel).toEqual({ new: 3, contacted: 2, confirmed: 1, paid: 0 });
    expect(s.paymentRate).toBe(0);
    expect(s.medianFirstResponseSeconds).toBe(20 * 60);
    expect(s.byWeek.slice(-3).map((w) => w.count)).toEqual([0, 2, 1]);
  });

  test("an empty school has zeros and no rates", async () => {
    const s = await schoolStats(d.db, 999_999, { timeZone: TZ, now });
    expect(s.total).toBe(0);
    expect(s.confirmationRate).toBeNull();
    expect(s.paymentRate).toBeNull();
    expect(s.medianFirstResponseSeconds).toBeNull();
    expect(s.bySource).toEqual([]);
    expect(s.byWeek.every((w) => w.count === 0)).toBe(true);
  });
});

describe("instructorStats", () => {
  test("requests, acceptance and lessons of one instructor only", async () => {
    const s = await instructorStats(d.db, instructor1, { timeZone: TZ, now });
    expect(s.requests).toBe(4);
    expect(s.byStatus.accepted).toBe(2);
    expect(s.byStatus.rejected).toBe(1);
    expect(s.acceptanceRate).toBe(0.5);
    expect(s.medianFirstResponseSeconds).toBe(30 * 60);
    expect(s.bySource).toEqual([
      { source: "bot", count: 3 },
      { source: "instagram", count: 1 },
    ]);
    expect(s.lessons).toEqual({
      planned: 1,
      conducted: 3,
      cancelled: 1,
      noShowByStudent: 1,
      noShowByInstructor: 1,
      noShowUnattributed: 1,
    });
    const ranged = await instructorStats(d.db, instructor1, { timeZone: TZ, now, from: almaty("2025-03-04T00:00:00") });
    expect(ranged.requests).toBe(2);
    expect(ranged.lessons.conducted).toBe(1);
    const other = await instructorStats(d.db, instructor2, { timeZone: TZ, now });
    expect(other.requests).toBe(1);
    expect(other.lessons.conducted).toBe(1);
  });
});
