// recomputeAll (set-based, a range of ids per batch) stores exactly what the per-subject functions
// (the refresher's path) store: same value, components, texts and sample sizes, whatever the batch
// size, and with a trust sample smaller than the busiest subjects' applications.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { asc, desc, eq } from "drizzle-orm";
import {
  accounts,
  applicationEvents,
  applications,
  cities,
  funnelEvents,
  indexValues,
  instructors,
  lessons,
  schools,
  students,
  type ApplicationStatus,
} from "../../src/db/schema.ts";
import { LATE_REPLY_MS, tallyDiscipline, tallyReplies, tallyStudentApplications, tallyStudentLessons } from "../../src/analytics/discipline.ts";
import { tallyInstructor, tallyPromises, tallySchool, type TrustApplication } from "../../src/analytics/trust.ts";
import {
  WINDOW_DAYS,
  recomputeAll,
  recomputeInstructorTrust,
  recomputeMany,
  recomputeSchoolTrust,
  recomputeStudentDiscipline,
  type LoadOptions,
} from "../../src/domain/indexes.ts";
import { postStudentMessage, sendReply } from "../../src/domain/thread.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(60_000);

const now = new Date("2025-03-10T07:00:00Z");
const H = 3600_000;
const DAY = 24 * H;
const ago = (ms: number) => new Date(now.getTime() - ms);

let d: TestDatabase;
let schoolIds: number[] = [];
let instructorIds: number[] = [];
let studentIds: number[] = [];

// A small deterministic generator, so the fixture is varied but the same on every run.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const maybe = (p: number, at: Date) => (rnd() < p ? at : null);

const STATUSES: ApplicationStatus[] = ["new", "contacted", "confirmed", "paid", "studying", "completed", "accepted", "rejected", "cancelled"];

beforeAll(async () => {
  d = await createTestDatabase();
  const [{ id: cityId }] = (await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning({ id: cities.id })) as [{ id: number }];
  schoolIds = (await d.db.insert(schools).values(["A", "B", "C", "D (no applications)"].map((name) => ({ cityId, name }))).returning({ id: schools.id })).map((r) => r.id);
  instructorIds = (
    await d.db
      .insert(instructors)
      .values(["И1", "И2", "И3", "И4"].map((name) => ({ cityId, name, transmission: "manual" as const, pricePerHourKzt: 5000 })))
      .returning({ id: instructors.id })
  ).map((r) => r.id);
  studentIds = (
    await d.db
      .insert(students)
      .values(Array.from({ length: 7 }, (_, i) => ({ telegramId: 100 + i, chatId: 100 + i })))
      .returning({ id: students.id })
  ).map((r) => r.id);
  const [{ id: staff }] = (await d.db
    .insert(accounts)
    .values({ login: "staff", passwordHash: "x", role: "school", schoolId: schoolIds[0]! })
    .returning({ id: accounts.id })) as [{ id: number }];

  // Applications: the first school and instructor get many (more than the small sample below);
  // some are older than the window or after `now`; the last student has none.
  const rows: (typeof applications.$inferInsert)[] = [];
  const targets = [
    ...Array.from({ length: 14 }, () => ({ schoolId: schoolIds[0]! })),
    ...Array.from({ length: 5 }, () => ({ schoolId: schoolIds[1]! })),
    ...Array.from({ length: 3 }, () => ({ schoolId: schoolIds[2]! })),
    ...Array.from({ length: 12 }, () => ({ instructorId: instructorIds[0]! })),
    ...Array.from({ length: 4 }, () => ({ instructorId: instructorIds[1]! })),
    ...Array.from({ length: 2 }, () => ({ instructorId: instructorIds[2]! })),
  ];
  targets.forEach((target, i) => {
    const createdAt = i % 11 === 5 ? ago(400 * DAY) : i % 13 === 7 ? new Date(now.getTime() + DAY) : ago(Math.floor(rnd() * 60 * DAY) + (i % 3) * H);
    const status = pick(STATUSES);
    rows.push({
      publicNumber: `B${i}`,
      idempotencyKey: `batch-${i}`,
      studentId: studentIds[i % (studentIds.length - 1)]!,
      kind: "instructorId" in target ? "instructor" : "school",
      cityId,
      studentName: "Ученик",
      studentPhone: "+77010000000",
      ...target,
      status,
      createdAt,
      firstResponseAt: maybe(0.7, new Date(createdAt.getTime() + rnd() * 30 * H)),
      confirmedAt: ["confirmed", "paid", "studying", "completed", "cancelled"].includes(status) ? maybe(0.8, new Date(createdAt.getTime() + DAY)) : null,
      paidAt: ["paid", "studying", "completed"].includes(status) ? maybe(0.8, new Date(createdAt.getTime() + 2 * DAY)) : null,
      cancelledAt: status === "cancelled" ? maybe(0.9, new Date(createdAt.getTime() + 3 * DAY)) : null,
    });
  });
  // Same created_at for two applications of one school: the sample's tie-break must not depend on the path.
  rows[1]!.createdAt = rows[2]!.createdAt;
  const appIds = (await d.db.insert(applications).values(rows).returning({ id: applications.id, instructorId: applications.instructorId, schoolId: applications.schoolId, studentId: applications.studentId })).map((r) => r);

  const lessonRows: (typeof lessons.$inferInsert)[] = [];
  appIds.forEach((a, i) => {
    for (let k = 0; k < (i % 4) + 1; k++) {
      const state = pick(["planned", "conducted", "conducted", "no_show", "cancelled"] as const);
      lessonRows.push({
        applicationId: a.id,
        instructorId: a.instructorId ?? pick(instructorIds),
        startsAt: k === 3 ? ago(380 * DAY) : ago(Math.floor(rnd() * 40 * DAY) - 2 * DAY),
        state,
        noShowBy: state === "no_show" ? pick(["student", "instructor", null] as const) : null,
        // Late cancellations by the student count in discipline only (issue 15).
        ...(state === "cancelled" ? { cancelledBy: pick(["student", "instructor", "school"] as const), cancelledLate: rnd() < 0.5 } : {}),
      });
    }
  });
  await d.db.insert(lessons).values(lessonRows);

  // Conversations, written as production writes them (domain/thread.ts: the school's replies by
  // sendReply, the student's messages by postStudentMessage), plus status changes and automatic
  // messages as their rows. A student can write only while the application is open, so every
  // application is open while they talk and gets its own status and first response back after.
  // Each event's time is then set to a random one: thread.ts stamps with the database's clock
  // (now()), which a test cannot move, and the index reads only `at`.
  const original = await d.db.select({ id: applications.id, status: applications.status, firstResponseAt: applications.firstResponseAt }).from(applications);
  await d.db.update(applications).set({ status: "new" });
  for (const [i, a] of appIds.entries()) {
    const scope = a.instructorId ? { kind: "instructor" as const, instructorId: a.instructorId, accountId: staff } : { kind: "school" as const, schoolId: a.schoolId!, accountId: staff };
    let at = ago(Math.floor(rnd() * 30 * DAY));
    for (let k = 0; k < i % 5; k++) {
      at = new Date(at.getTime() + rnd() * 40 * H);
      const kind = rnd() < 0.85 ? (rnd() < 0.5 ? "staff" : "student") : rnd() < 0.5 ? "status" : "auto";
      if (kind === "staff") expect(await sendReply(d.db, scope, a.id, { text: "Когда вам удобно?" })).toMatchObject({ ok: true });
      if (kind === "student") expect(await d.db.transaction((tx) => postStudentMessage(tx, a.studentId, a.id, { text: "Завтра" }, () => "reply"))).not.toBeNull();
      if (kind === "status") await d.db.insert(applicationEvents).values({ applicationId: a.id, accountId: staff, type: "status", fromStatus: "new", toStatus: "contacted" });
      if (kind === "auto") await d.db.insert(applicationEvents).values({ applicationId: a.id, type: "auto", payload: { event: "contacted", text: "Мы с вами свяжемся", custom: false } });
      const [last] = await d.db.select({ id: applicationEvents.id }).from(applicationEvents).where(eq(applicationEvents.applicationId, a.id)).orderBy(desc(applicationEvents.id)).limit(1);
      await d.db.update(applicationEvents).set({ at }).where(eq(applicationEvents.id, last!.id));
    }
  }
  for (const o of original) await d.db.update(applications).set({ status: o.status, firstResponseAt: o.firstResponseAt }).where(eq(applications.id, o.id));

  const funnelRows: (typeof funnelEvents.$inferInsert)[] = [];
  studentIds.slice(0, -2).forEach((studentId, s) => {
    let at = ago((s + 1) * 3 * DAY);
    for (let k = 0; k < 6 + s * 3; k++) {
      at = new Date(at.getTime() + rnd() * 2 * H);
      funnelRows.push({
        studentId,
        flow: pick(["school", "instructor"]),
        step: pick(["city", "category", "format", "confirm"]),
        action: pick(["enter", "enter", "enter", "back", "restart", "submit", "abandon"] as const),
        at,
      });
    }
    // Outside the window, and two events at the same moment.
    funnelRows.push({ studentId, flow: "school", step: "city", action: "enter", at: ago(500 * DAY) });
    funnelRows.push({ studentId, flow: "school", step: "format", action: "back", at });
  });
  await d.db.insert(funnelEvents).values(funnelRows);
});

afterAll(async () => {
  await d?.dispose();
});

/** Everything index_values holds, keyed by subject. */
async function stored() {
  const rows = await d.db.select().from(indexValues).orderBy(asc(indexValues.subjectKind), asc(indexValues.subjectId));
  return new Map(rows.map((r) => [`${r.subjectKind}:${r.subjectId}`, { value: r.value, components: r.components, computedAt: r.computedAt }]));
}

/** What the per-subject functions store, subject by subject. */
async function perSubject(opts: LoadOptions) {
  await d.db.delete(indexValues);
  for (const id of schoolIds) await recomputeSchoolTrust(d.db, id, now, opts);
  for (const id of instructorIds) await recomputeInstructorTrust(d.db, id, now, opts);
  for (const id of studentIds) await recomputeStudentDiscipline(d.db, id, now, opts);
  return stored();
}

async function all(opts: LoadOptions & { batchSize?: number }) {
  await d.db.delete(indexValues);
  const summary = await recomputeAll(d.db, now, opts);
  expect(summary).toEqual({ schools: schoolIds.length, instructors: instructorIds.length, students: studentIds.length });
  return stored();
}

describe("recomputeAll = the per-subject functions", () => {
  for (const trustSample of [undefined, 5]) {
    test(`trust sample ${trustSample ?? "default"}: one batch, batches of 2 and of 1 store the same as subject by subject`, async () => {
      const expected = await perSubject({ trustSample });
      expect(expected.size).toBe(schoolIds.length + instructorIds.length + studentIds.length);
      // The fixture is varied enough to mean something: not everyone at the starting value.
      expect(new Set([...expected.values()].map((v) => v.value)).size).toBeGreaterThan(5);
      expect(await all({ trustSample })).toEqual(expected);
      expect(await all({ trustSample, batchSize: 2 })).toEqual(expected);
      expect(await all({ trustSample, batchSize: 1 })).toEqual(expected);
    });
  }

  test("the refresher's batch (recomputeMany: every loader once for a list of ids) stores the same as subject by subject", async () => {
    for (const trustSample of [undefined, 5]) {
      const expected = await perSubject({ trustSample });
      await d.db.delete(indexValues);
      // Unsorted, with a repeat: the batch sorts and deduplicates.
      await recomputeMany(d.db, "school", [...schoolIds].reverse(), now, { trustSample });
      await recomputeMany(d.db, "instructor", [...instructorIds, instructorIds[0]!], now, { trustSample });
      await recomputeMany(d.db, "student", studentIds, now, { trustSample });
      expect(await stored()).toEqual(expected);
      // A part of a kind leaves the others alone.
      await d.db.delete(indexValues);
      await recomputeMany(d.db, "student", studentIds.slice(1, 3), now);
      expect([...(await stored()).keys()]).toEqual(studentIds.slice(1, 3).map((id) => `student:${id}`));
    }
  });

  test("the small sample changes the busiest subjects (so the test above does test the sample)", async () => {
    const full = await perSubject({});
    const small = await perSubject({ trustSample: 5 });
    expect(small.get(`school:${schoolIds[0]}`)).not.toEqual(full.get(`school:${schoolIds[0]}`));
    expect(small.get(`instructor:${instructorIds[0]}`)).not.toEqual(full.get(`instructor:${instructorIds[0]}`));
    expect(small.get(`student:${studentIds[0]}`)).toEqual(full.get(`student:${studentIds[0]}`));
  });
});

describe("the SQL tallies = the pure modules' tallies on the same rows", () => {
  // The counts are computed in SQL (one row per subject); the pure modules define them on rows.
  // Both paths store the same tally, so compare what is stored with the pure functions here.
  const windowStart = now.getTime() - WINDOW_DAYS * DAY;
  const inWindow = (at: Date) => at.getTime() >= windowStart && at.getTime() <= now.getTime();

  async function storedTallies() {
    await d.db.delete(indexValues);
    await recomputeAll(d.db, now, { trustSample: 5 });
    const rows = await d.db.select().from(indexValues);
    return new Map(rows.map((r) => [`${r.subjectKind}:${r.subjectId}`, (r.components as { tally: unknown }).tally]));
  }

  test("schools, instructors and students", async () => {
    const stored = await storedTallies();
    const apps = await d.db.select().from(applications).orderBy(asc(applications.id));
    const lessonRows = await d.db.select().from(lessons);
    const events = await d.db.select().from(applicationEvents).orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
    const funnel = await d.db.select().from(funnelEvents);
    const asTrust = (a: (typeof apps)[number]): TrustApplication => ({
      createdAt: a.createdAt,
      status: a.status,
      firstResponseAt: a.firstResponseAt,
      confirmedAt: a.confirmedAt,
      paidAt: a.paidAt,
      cancelledAt: a.cancelledAt,
    });
    /** The subject's latest 5 applications in the window (the sample recomputeAll was given). */
    const sample = (pick: (a: (typeof apps)[number]) => boolean) =>
      apps
        .filter((a) => pick(a) && inWindow(a.createdAt))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
        .slice(0, 5)
        .map(asTrust);
    const lessonsInWindow = lessonRows.filter((l) => inWindow(l.startsAt));
    // The fixture has late cancellations by students, and cancellations that do not count.
    expect(lessonsInWindow.some((l) => l.cancelledBy === "student" && l.cancelledLate)).toBe(true);
    expect(lessonsInWindow.some((l) => l.state === "cancelled" && l.cancelledBy !== "student" && l.cancelledLate)).toBe(true);

    // A school's promises: the lessons of its applications.
    const schoolOf = new Map(apps.map((a) => [a.id, a.schoolId]));
    for (const id of schoolIds) {
      const promises = tallyPromises(lessonsInWindow.filter((l) => schoolOf.get(l.applicationId) === id));
      expect(stored.get(`school:${id}`)).toEqual(tallySchool(sample((a) => a.schoolId === id), now, promises));
    }
    for (const id of instructorIds) {
      const tally = tallyPromises(lessonsInWindow.filter((l) => l.instructorId === id));
      expect(stored.get(`instructor:${id}`)).toEqual(tallyInstructor(sample((a) => a.instructorId === id), tally, now));
    }
    const allDelays: number[] = [];
    for (const id of studentIds) {
      const own = apps.filter((a) => a.studentId === id);
      const ownIds = new Set(own.map((a) => a.id));
      // A student's reply: their message right after a staff reply on the same application
      // (status changes and automatic messages in between do not count either way).
      const delays: number[] = [];
      for (const appId of ownIds) {
        const talk = events.filter((e) => e.applicationId === appId && (e.type === "reply" || e.type === "message") && inWindow(e.at));
        talk.forEach((e, i) => {
          const prev = talk[i - 1];
          if (e.type === "message" && prev?.type === "reply") delays.push(e.at.getTime() - prev.at.getTime());
        });
      }
      const expected = tallyDiscipline({
        funnelEvents: funnel.filter((f) => f.studentId === id && inWindow(f.at)),
        applications: tallyStudentApplications(own.filter((a) => inWindow(a.createdAt))),
        lessons: tallyStudentLessons(lessonsInWindow.filter((l) => ownIds.has(l.applicationId))),
        replies: tallyReplies(delays),
        now,
      });
      expect(stored.get(`student:${id}`)).toEqual(expected);
      allDelays.push(...delays);
    }
    // The fixture has replies, on time and late, and follow-ups that are not replies.
    expect(allDelays.filter((ms) => ms <= LATE_REPLY_MS).length).toBeGreaterThan(0);
    expect(allDelays.filter((ms) => ms > LATE_REPLY_MS).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "message").length).toBeGreaterThan(allDelays.length);
  });
});
