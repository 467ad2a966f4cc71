// Indexes loaded from the database equal the pure modules on the same inputs: the worked examples
// T2, I1 and D2 of docs/analytics.md, plus rows that must be left out (other subjects, older than
// the window, after `now`).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { desc, eq } from "drizzle-orm";
import { discipline } from "../../src/analytics/discipline.ts";
import { instructorTrust, schoolTrust, type TrustApplication } from "../../src/analytics/trust.ts";
import {
  accounts,
  applicationEvents,
  applications,
  cities,
  funnelEvents,
  instructors,
  lessons,
  schools,
  students,
} from "../../src/db/schema.ts";
import { postStudentMessage, sendReply } from "../../src/domain/thread.ts";
import { readIndex, readIndexes, recomputeAll, recomputeInstructorTrust, recomputeSchoolTrust, recomputeStudentDiscipline } from "../../src/domain/indexes.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const almaty = (s: string) => new Date(`${s}+05:00`);
const t = (md: string, hm = "10:00") => almaty(`2025-${md}T${hm}:00`);
const now = t("03-10", "12:00");
const H = 3600_000;
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

let d: TestDatabase;
let cityId: number;
let schoolA: number;
let schoolB: number;
let inst1: number;
let inst2: number;
let studentX: number;
let studentY: number;
let staff: number;
let seq = 0;

async function addApps(rows: (Partial<typeof applications.$inferInsert> & { createdAt: Date })[]): Promise<number[]> {
  const values = rows.map((r) => {
    seq += 1;
    return {
      publicNumber: `X${seq}`,
      idempotencyKey: `idx-${seq}`,
      studentId: studentX,
      kind: r.instructorId ? ("instructor" as const) : ("school" as const),
      cityId,
      studentName: "Ученик",
      studentPhone: "+77010000000",
      ...r,
    };
  });
  return (await d.db.insert(applications).values(values).returning({ id: applications.id })).map((r) => r.id);
}

const asTrust = (r: Partial<typeof applications.$inferInsert> & { createdAt: Date }): TrustApplication => ({
  createdAt: r.createdAt,
  status: r.status ?? "new",
  firstResponseAt: r.firstResponseAt ?? null,
  confirmedAt: r.confirmedAt ?? null,
  paidAt: r.paidAt ?? null,
  cancelledAt: r.cancelledAt ?? null,
});

// docs/analytics.md, T2.
const T2 = [
  { createdAt: t("02-20"), firstResponseAt: plus(t("02-20"), 0.5 * H), status: "paid" as const, confirmedAt: t("02-21"), paidAt: t("02-23") },
  { createdAt: t("02-21"), firstResponseAt: plus(t("02-21"), H), status: "paid" as const, confirmedAt: t("02-22"), paidAt: t("02-25") },
  { createdAt: t("02-22"), firstResponseAt: plus(t("02-22"), 2 * H), status: "studying" as const, confirmedAt: t("02-23"), paidAt: t("02-24") },
  { createdAt: t("02-24"), firstResponseAt: plus(t("02-24"), 2 * H), status: "confirmed" as const, confirmedAt: t("02-25") },
  { createdAt: t("02-25"), firstResponseAt: plus(t("02-25"), 4 * H), status: "cancelled" as const, confirmedAt: t("02-26"), cancelledAt: t("02-28") },
  { createdAt: t("02-26"), firstResponseAt: plus(t("02-26"), 8 * H), status: "rejected" as const },
  { createdAt: t("03-01"), status: "new" as const },
  { createdAt: t("03-02"), status: "new" as const },
  { createdAt: t("03-10", "08:00"), status: "new" as const },
  { createdAt: t("03-05"), status: "cancelled" as const, cancelledAt: t("03-05", "11:00") },
];

// docs/analytics.md, I1.
const I1 = [
  { createdAt: t("03-01", "09:00"), firstResponseAt: t("03-01", "09:15"), status: "accepted" as const },
  { createdAt: t("03-03", "09:00"), firstResponseAt: t("03-03", "09:30"), status: "accepted" as const },
  { createdAt: t("03-05", "09:00"), firstResponseAt: t("03-05", "11:00"), status: "rejected" as const },
  { createdAt: t("03-08", "09:00"), status: "new" as const },
  { createdAt: t("03-10", "11:00"), status: "new" as const },
];

// docs/analytics.md, D2.
const D2 = (
  [
    ["03-01", "10:00", "school", "city", "enter"],
    ["03-01", "10:02", "school", "category", "enter"],
    ["03-01", "10:03", "school", "category", "back"],
    ["03-01", "10:04", "school", "category", "enter"],
    ["03-01", "11:00", "school", "format", "enter"],
    ["03-01", "11:01", "school", "format", "abandon"],
    ["03-02", "09:00", "school", "start", "restart"],
    ["03-02", "09:01", "school", "city", "enter"],
    ["03-02", "09:02", "school", "category", "enter"],
    ["03-02", "09:03", "school", "format", "enter"],
    ["03-02", "09:04", "school", "confirm", "submit"],
    ["03-08", "20:00", "instructor", "city", "enter"],
    ["03-08", "20:01", "instructor", "instructor", "enter"],
    ["03-08", "20:05", "instructor", "instructor", "back"],
  ] as const
).map(([md, hm, flow, step, action]) => ({ at: t(md, hm), flow, step, action }));

beforeAll(async () => {
  d = await createTestDatabase();
  [{ id: cityId }] = (await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning({ id: cities.id })) as [{ id: number }];
  [{ id: schoolA }, { id: schoolB }] = (await d.db.insert(schools).values([{ cityId, name: "A" }, { cityId, name: "B" }]).returning({ id: schools.id })) as [
    { id: number },
    { id: number },
  ];
  [{ id: inst1 }, { id: inst2 }] = (await d.db
    .insert(instructors)
    .values([
      { cityId, name: "И1", transmission: "manual", pricePerHourKzt: 5000 },
      { cityId, name: "И2", transmission: "manual", pricePerHourKzt: 5000 },
    ])
    .returning({ id: instructors.id })) as [{ id: number }, { id: number }];
  [{ id: studentX }, { id: studentY }] = (await d.db
    .insert(students)
    .values([
      { telegramId: 1, chatId: 1 },
      { telegramId: 2, chatId: 2 },
    ])
    .returning({ id: students.id })) as [{ id: number }, { id: number }];
  [{ id: staff }] = (await d.db.insert(accounts).values({ login: "school-a", passwordHash: "x", role: "school", schoolId: schoolB }).returning({ id: accounts.id })) as [
    { id: number },
  ];

  // School A: T2, plus one older than 365 days and one after `now` (both left out).
  await addApps(T2.map((a) => ({ ...a, schoolId: schoolA })));
  await addApps([
    { schoolId: schoolA, createdAt: almaty("2024-03-01T10:00:00"), status: "new" },
    { schoolId: schoolA, createdAt: t("03-11"), status: "new" },
  ]);
  // Instructor 1: I1 with 20 conducted lessons, plus lessons that do not count for the instructor.
  const [firstI1] = await addApps(I1.map((a) => ({ ...a, instructorId: inst1 })));
  await d.db.insert(lessons).values([
    ...Array.from({ length: 20 }, (_, i) => ({ applicationId: firstI1!, instructorId: inst1, startsAt: plus(t("02-01"), i * 24 * H), state: "conducted" as const })),
    { applicationId: firstI1!, instructorId: inst1, startsAt: t("03-09"), state: "no_show" as const, noShowBy: "student" as const },
    { applicationId: firstI1!, instructorId: inst1, startsAt: t("03-12"), state: "planned" as const },
    { applicationId: firstI1!, instructorId: inst1, startsAt: almaty("2024-02-01T10:00:00"), state: "no_show" as const, noShowBy: "instructor" as const },
  ]);

  // Student Y: D2. One application, confirmed then cancelled by the student; its lessons and replies.
  const [appY] = await addApps([{ schoolId: schoolB, studentId: studentY, createdAt: t("03-01", "12:00"), status: "new" }]);
  await d.db.insert(funnelEvents).values([
    ...D2.map((e) => ({ ...e, studentId: studentY })),
    { studentId: studentY, flow: "school", step: "city", action: "enter" as const, at: almaty("2024-01-05T10:00:00") },
    { studentId: studentX, flow: "school", step: "city", action: "enter" as const, at: t("03-01") },
  ]);
  await d.db.insert(lessons).values([
    ...[1, 2, 3].map((day) => ({ applicationId: appY!, instructorId: inst2, startsAt: t(`03-0${day}`, "15:00"), state: "conducted" as const })),
    ...[4, 5].map((day) => ({ applicationId: appY!, instructorId: inst2, startsAt: t(`03-0${day}`, "15:00"), state: "no_show" as const, noShowBy: "student" as const })),
  ]);
  await converse(appY!, [
    ["03-01", "13:00", "student"], // nothing to answer yet
    ["03-01", "14:00", "staff"],
    ["03-01", "15:00", "student"], // 1 h
    ["03-01", "15:10", "student"], // a follow-up, not a reply
    ["03-02", "10:00", "staff"],
    ["03-02", "11:00", "status"],
    ["03-02", "11:01", "auto"], // the status change's automatic message: it does not restart the wait
    ["03-02", "12:00", "student"], // 2 h
    ["03-03", "10:00", "staff"],
    ["03-03", "10:30", "sticker"], // a sticker is no answer (nor a follow-up): the wait goes on
    ["03-04", "16:00", "student"], // 30 h: late
    ["03-05", "10:00", "staff"],
    ["03-05", "10:05", "student"], // 5 min
    ["03-06", "09:00", "auto"],
    ["03-08", "10:00", "student"], // after an automatic message only: not a reply
  ]);
  // The messages were written while the application was open (the student can write only then);
  // now it gets D2's history, and none of the conversation's side effects on the school's columns.
  await d.db
    .update(applications)
    .set({ status: "cancelled", confirmedAt: t("03-02"), cancelledAt: t("03-06"), firstResponseAt: null, awaitingReplySince: null, staffReadAt: null, lastStudentMessageAt: null })
    .where(eq(applications.id, appY!));
});

/**
 * A conversation on one of student Y's applications, written the way production writes it: the
 * school's replies by domain/thread.ts sendReply, the student's messages by postStudentMessage
 * (status changes and automatic messages, written elsewhere, are inserted as their rows). Each
 * event's time is then set to the example's: thread.ts stamps events with the database's clock
 * (now()), which a test cannot move, and the index reads only `at`.
 */
async function converse(applicationId: number, steps: [md: string, hm: string, who: "staff" | "student" | "sticker" | "status" | "auto"][]) {
  const scope = { kind: "school" as const, schoolId: schoolB, accountId: staff };
  for (const [md, hm, who] of steps) {
    if (who === "staff") expect(await sendReply(d.db, scope, applicationId, { text: "Когда вам удобно подойти?" })).toMatchObject({ ok: true });
    if (who === "student") {
      const posted = await d.db.transaction((tx) => postStudentMessage(tx, studentY, applicationId, { text: "Завтра после обеда" }, () => "reply"));
      expect(posted?.id).toBe(applicationId);
    }
    if (who === "sticker") expect(await d.db.transaction((tx) => postStudentMessage(tx, studentY, applicationId, { unsupported: "sticker" }, () => "reply"))).toMatchObject({ id: applicationId });
    if (who === "status") await d.db.insert(applicationEvents).values({ applicationId, accountId: staff, type: "status", fromStatus: "new", toStatus: "confirmed" });
    if (who === "auto") await d.db.insert(applicationEvents).values({ applicationId, type: "auto", payload: { event: "confirmed", text: "Ждём вас", custom: false } });
    const [last] = await d.db.select({ id: applicationEvents.id }).from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(desc(applicationEvents.id)).limit(1);
    await d.db.update(applicationEvents).set({ at: t(md, hm) }).where(eq(applicationEvents.id, last!.id));
  }
}

afterAll(async () => {
  await d?.dispose();
});

describe("recompute and store", () => {
  test("school trust: T2 from the database = the pure module = 60, stored", async () => {
    const result = await recomputeSchoolTrust(d.db, schoolA, now);
    expect(result).toEqual(schoolTrust({ applications: T2.map(asTrust), now }));
    expect(result.value).toBe(60);
    expect(result.components.map((c) => c.points)).toEqual([14, 9, 9, 8, 11, 9]);
    const stored = await readIndex(d.db, "school", schoolA);
    expect(stored).toEqual({ ...result, kind: "school", subjectId: schoolA, computedAt: now });
  });

  test("instructor trust: I1 with 20 lessons = 68; student no-shows and old lessons do not count", async () => {
    const result = await recomputeInstructorTrust(d.db, inst1, now);
    expect(result).toEqual(instructorTrust({ applications: I1.map(asTrust), lessons: { conducted: 20, broken: 0 }, now }));
    expect(result.value).toBe(68);
    expect(result.sampleSize).toBe(25);
    expect((await readIndex(d.db, "instructor", inst1))?.value).toBe(68);
  });

  test("student discipline: D2 = 60 (funnel rows, applications, lessons and replies from the database)", async () => {
    const result = await recomputeStudentDiscipline(d.db, studentY, now);
    const expected = discipline({
      funnelEvents: D2,
      applications: { confirmed: 1, cancelledAfterConfirm: 1 },
      lessons: { conducted: 3, noShowByStudent: 2 },
      replies: { total: 4, late: 1 },
      now,
    });
    expect(result).toEqual(expected);
    expect(result.value).toBe(60);
    expect(result.sampleSize).toBe(24);
    expect((await readIndex(d.db, "student", studentY))?.explanation.ru).toBe(expected.explanation.ru);
  });

  test("recomputing overwrites the stored value", async () => {
    const later = t("03-20");
    const result = await recomputeSchoolTrust(d.db, schoolA, later);
    const stored = await readIndex(d.db, "school", schoolA);
    expect(stored?.value).toBe(result.value);
    expect(stored?.computedAt).toEqual(later);
  });
});

describe("read and recompute all", () => {
  test("readIndex is null for a subject never computed; readIndexes reads many in one go", async () => {
    expect(await readIndex(d.db, "school", 999_999)).toBeNull();
    expect(await readIndexes(d.db, "school", [])).toEqual(new Map());
    const many = await readIndexes(d.db, "student", [studentY, studentX, studentY, 999_999]);
    expect([...many.keys()]).toEqual([studentY]);
    expect(many.get(studentY)?.value).toBe(60);
  });

  test("recomputeAll walks every subject in batches", async () => {
    const batches: string[] = [];
    const summary = await recomputeAll(d.db, now, { batchSize: 1, onBatch: (kind, done) => batches.push(`${kind}:${done}`) });
    expect(summary).toEqual({ schools: 2, instructors: 2, students: 2 });
    expect(batches).toEqual(["school:1", "school:2", "instructor:1", "instructor:2", "student:1", "student:2"]);
    const schoolsRead = await readIndexes(d.db, "school", [schoolA, schoolB]);
    expect(schoolsRead.get(schoolA)?.value).toBe(60);
    expect(schoolsRead.get(schoolB)?.computedAt).toEqual(now);
    expect((await readIndexes(d.db, "instructor", [inst1, inst2])).size).toBe(2);
  });
});

describe("late cancellations (issue 15)", () => {
  test("a student's late cancellation counts like their no-show in discipline; the instructor's trust counts the lessons cancelled by staff as broken promises", async () => {
    const [{ id: inst3 }] = (await d.db
      .insert(instructors)
      .values({ cityId, name: "И3", transmission: "manual", pricePerHourKzt: 5000 })
      .returning({ id: instructors.id })) as [{ id: number }];
    const [{ id: studentZ }] = (await d.db.insert(students).values({ telegramId: 303, chatId: 303, firstName: "Зарина" }).returning({ id: students.id })) as [{ id: number }];
    const appRow = { instructorId: inst3, studentId: studentZ, createdAt: t("03-01"), status: "accepted" as const, confirmedAt: t("03-01", "11:00"), firstResponseAt: t("03-01", "11:00") };
    const [appZ] = await addApps([appRow]);
    const lesson = (day: string, more: Partial<typeof lessons.$inferInsert>) => ({ applicationId: appZ!, instructorId: inst3, startsAt: t(day, "15:00"), state: "cancelled" as const, ...more });
    await d.db.insert(lessons).values([
      lesson("03-02", { state: "conducted" }),
      lesson("03-03", { cancelledBy: "student", cancelledLate: true }), // late: counts as missed
      lesson("03-04", { cancelledBy: "student", cancelledLate: false }), // in time: nobody's
      lesson("03-05", { cancelledBy: "instructor" }), // by staff: a broken promise (trust), nothing for discipline
      lesson("03-06", { cancelledBy: "school" }),
    ]);

    const result = await recomputeStudentDiscipline(d.db, studentZ, now);
    const asNoShow = discipline({ funnelEvents: [], applications: { confirmed: 1, cancelledAfterConfirm: 0 }, lessons: { conducted: 1, noShowByStudent: 1 }, now });
    expect(result.value).toBe(asNoShow.value);
    expect(result.components.find((c) => c.key === "attendance")).toMatchObject({ n: 2, points: asNoShow.components.find((c) => c.key === "attendance")!.points });
    expect(result).toEqual(discipline({ funnelEvents: [], applications: { confirmed: 1, cancelledAfterConfirm: 0 }, lessons: { conducted: 1, noShowByStudent: 0, lateCancelledByStudent: 1 }, now }));

    const trust = await recomputeInstructorTrust(d.db, inst3, now);
    expect(trust).toEqual(instructorTrust({ applications: [asTrust(appRow)], lessons: { conducted: 1, broken: 2 }, now }));
  });
});
