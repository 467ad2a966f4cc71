// The statistics pages read counters (application_stats, kept by triggers of migration 0005) and
// stored trend points instead of aggregating every application per view. This proves that what a
// school or instructor sees equals a from-scratch aggregation of the applications after creates,
// status changes, a reply, a student's cancellation and backdated fixture writes; that the
// set-based refresh rebuilds the same counters; and that stored trend points follow backdated writes.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { applications, schoolOffers } from "../../src/db/schema.ts";
import { createApplication } from "../../src/domain/applications.ts";
import { cancelByStudent, changeStatus } from "../../src/domain/status.ts";
import { sendReply } from "../../src/domain/thread.ts";
import {
  planRange,
  refreshApplicationStats,
  responseBucket,
  RT_THRESHOLDS,
  schoolStats,
  instructorStats,
  schoolTrustTrend,
  type ApplicationStats,
  type StatsSubject,
} from "../../src/domain/stats.ts";
import type { Scope } from "../../src/domain/scope.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(60_000);

const TZ = "Asia/Almaty";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let d: TestDatabase;
let school: { id: number; cityId: number };
let rival: { id: number; cityId: number };
let instructor: { id: number; cityId: number };
let scope: Scope;
const now = new Date();

/** The statistics as the previous implementation computed them: straight from the applications. */
async function fromScratch(subject: StatsSubject, opts: { from?: Date; to?: Date }) {
  const col = sql.raw("schoolId" in subject ? "school_id" : "instructor_id");
  const id = "schoolId" in subject ? subject.schoolId : subject.instructorId;
  const range = sql.join(
    [
      sql`${col} = ${id}`,
      ...(opts.from ? [sql`created_at >= ${opts.from.toISOString()}::timestamptz`] : []),
      ...(opts.to ? [sql`created_at < ${opts.to.toISOString()}::timestamptz`] : []),
    ],
    sql` and `,
  );
  const PAID = sql`(paid_at is not null or status in ('paid', 'studying', 'completed'))`;
  const CONFIRMED = sql`(${PAID} or confirmed_at is not null or status in ('confirmed', 'accepted'))`;
  const CONTACTED = sql`(${CONFIRMED} or first_response_at is not null or status = 'contacted')`;
  const [t] = await queryRows<{ total: number; contacted: number; confirmed: number; paid: number; median: number | null }>(
    d.db,
    sql`select count(*)::int as total, count(*) filter (where ${CONTACTED})::int as contacted,
               count(*) filter (where ${CONFIRMED})::int as confirmed, count(*) filter (where ${PAID})::int as paid,
               (percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at)::float8)
                 filter (where first_response_at is not null))::float8 as median
          from applications where ${range}`,
  );
  const statuses = await queryRows<{ status: string; count: number }>(d.db, sql`select status, count(*)::int as count from applications where ${range} group by status`);
  const sources = await queryRows<{ source: string; count: number }>(
    d.db,
    sql`select source, count(*)::int as count from applications where ${range} group by source order by count(*) desc, source`,
  );
  return {
    total: t!.total,
    funnel: { new: t!.total, contacted: t!.contacted, confirmed: t!.confirmed, paid: t!.paid },
    median: t!.median == null ? null : Number(t!.median),
    byStatus: Object.fromEntries(statuses.map((r) => [r.status, r.count])),
    bySource: sources.map((r) => ({ source: r.source, count: r.count })),
  };
}

/** Applications per week of `stats.byWeek`, counted from the rows. */
async function weeksFromScratch(subject: StatsSubject, stats: ApplicationStats, opts: { from?: Date; to?: Date }) {
  const col = "schoolId" in subject ? "school_id" : "instructor_id";
  const id = "schoolId" in subject ? subject.schoolId : subject.instructorId;
  const out: number[] = [];
  for (const w of stats.byWeek) {
    const start = new Date(`${w.start}T00:00:00+05:00`);
    let a = start;
    let b = new Date(start.getTime() + 7 * DAY);
    if (opts.from && opts.from > a) a = opts.from;
    if (opts.to && opts.to < b) b = opts.to;
    const [r] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from applications where ${sql.raw(col)} = ${id}
           and created_at >= ${a.toISOString()}::timestamptz and created_at < ${b.toISOString()}::timestamptz`,
    );
    out.push(a < b ? r!.n : 0);
  }
  return out;
}

async function expectSame(subject: StatsSubject, opts: { from?: Date; to?: Date } = {}) {
  const s = "schoolId" in subject
    ? await schoolStats(d.db, subject.schoolId, { ...opts, timeZone: TZ, now })
    : await instructorStats(d.db, subject.instructorId, { ...opts, timeZone: TZ, now });
  const ref = await fromScratch(subject, opts);
  expect(s.total).toBe(ref.total);
  expect(s.funnel).toEqual(ref.funnel);
  expect(s.medianFirstResponseSeconds).toBe(ref.median);
  expect(Object.fromEntries(Object.entries(s.byStatus).filter(([, n]) => n > 0))).toEqual(ref.byStatus);
  expect(s.bySource).toEqual(ref.bySource);
  expect(s.byWeek.map((w) => w.count)).toEqual(await weeksFromScratch(subject, s, opts));
  return s;
}

/** The counters table, zero entries dropped, in a stable order. */
async function counters() {
  const rows = await queryRows<{ k: string; counts: string }>(
    d.db,
    sql`select subject_kind || ':' || subject_id || ':' || grain || ':' || period::text as k, counts::text as counts
          from application_stats order by 1`,
  );
  return rows
    .map((r) => [r.k, Object.fromEntries(Object.entries(JSON.parse(r.counts) as Record<string, number>).filter(([, n]) => n !== 0).sort())] as const)
    .filter(([, c]) => Object.keys(c).length > 0);
}

beforeAll(async () => {
  d = await createTestDatabase();
  school = await fx.createSchool(d.db);
  rival = await fx.createSchool(d.db, { cityId: school.cityId });
  instructor = await fx.createInstructor(d.db, { cityId: school.cityId });
  const staff = await fx.createStaff(d.db, { schoolId: school.id });
  scope = { kind: "school", schoolId: school.id, accountId: (staff as { id: number }).id };
  const [offer] = await d.db
    .insert(schoolOffers)
    .values({ schoolId: school.id, category: "B", format: "in_person", priceKzt: 200_000, durationWeeks: 8 })
    .returning({ id: schoolOffers.id });

  // Through the bot's door: created now, by the domain.
  const created: number[] = [];
  for (const [i, source] of ["bot", "bot", "instagram", "2gis", "bot", "site"].entries()) {
    const student = await fx.createStudent(d.db);
    const r = await d.db.transaction((tx) =>
      createApplication(
        tx,
        {
          studentId: student.id,
          idempotencyKey: `counters-${i}`,
          cityId: school.cityId,
          studentName: "Ученик",
          studentPhone: "+77010000000",
          source,
          school: { schoolId: school.id, offerId: offer!.id, category: "B", format: "in_person" },
        },
        { publicUrl: "http://localhost" },
      ),
    );
    if (r.kind !== "created") throw new Error(r.kind);
    created.push(r.application.id);
  }
  // Backdated rows (imports, fixtures): around UTC midnight (local 05:00), a month boundary, old
  // ones, with response times in many buckets, including one on a bucket bound.
  const S = { schoolId: school.id, cityId: school.cityId };
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1); // a UTC month boundary
  const responses = [0, 30, 60, 61, 600, 3599, 3600, 7200.5, 28800, 90000, 200000, 1300000];
  for (const [i, offset] of [-36 * HOUR, -25 * HOUR, -19 * HOUR, -5 * HOUR - MIN, -MIN, 0, MIN, 5 * HOUR, 19 * HOUR + 1, 3 * DAY, -40 * DAY, -400 * DAY].entries()) {
    const createdAt = new Date(base + offset - (offset > 0 && base + offset > now.getTime() ? 40 * DAY : 0));
    const a = await fx.createApplication(d.db, S, { createdAt, status: (["new", "contacted", "confirmed", "paid", "rejected"] as const)[i % 5] });
    await d.db
      .update(applications)
      .set({
        source: i % 3 === 0 ? "tiktok" : "bot",
        firstResponseAt: i % 4 === 3 ? null : new Date(createdAt.getTime() + responses[i]! * 1000),
        confirmedAt: i % 5 >= 2 ? new Date(createdAt.getTime() + DAY) : null,
        paidAt: i % 5 === 3 ? new Date(createdAt.getTime() + 2 * DAY) : null,
      })
      .where(eq(applications.id, a.id));
  }
  // The rival and an instructor: never counted for the school.
  for (let i = 0; i < 3; i++) await fx.createApplication(d.db, { schoolId: rival.id, cityId: rival.cityId }, { status: "paid", createdAt: new Date(now.getTime() - i * DAY) });
  const I = { instructorId: instructor.id, cityId: instructor.cityId };
  for (let i = 0; i < 4; i++) {
    const a = await fx.createApplication(d.db, I, { status: i % 2 ? "accepted" : "new", createdAt: new Date(now.getTime() - (i * 3 + 1) * DAY) });
    if (i % 2) await d.db.update(applications).set({ firstResponseAt: new Date(now.getTime() - (i * 3 + 1) * DAY + i * 7 * MIN) }).where(eq(applications.id, a.id));
  }

  // Staff work through the CRM's door.
  const step = async (id: number, from: "new" | "contacted" | "confirmed", to: "contacted" | "confirmed" | "paid" | "rejected") => {
    const r = await changeStatus(d.db, scope, id, { from, to });
    if (!r.ok) throw new Error(r.reason);
  };
  await step(created[0]!, "new", "contacted");
  await step(created[0]!, "contacted", "confirmed");
  await step(created[0]!, "confirmed", "paid");
  await step(created[1]!, "new", "rejected");
  await step(created[2]!, "new", "confirmed");
  const reply = await sendReply(d.db, scope, created[3]!, { text: "Здравствуйте!" });
  expect("ok" in reply ? reply.ok : true).toBe(true);
  const [a5] = await d.db.select().from(applications).where(eq(applications.id, created[4]!));
  expect((await cancelByStudent(d.db, a5!.id, a5!.studentId)).ok).toBe(true);
});

afterAll(async () => {
  await d?.dispose();
});

describe("statistics counters equal a from-scratch aggregation", () => {
  test("all time, for the school, its rival and an instructor", async () => {
    const s = await expectSame({ schoolId: school.id });
    expect(s.total).toBe(18);
    expect(s.byStatus.paid + s.byStatus.rejected + s.byStatus.cancelled).toBeGreaterThan(3);
    await expectSame({ schoolId: rival.id });
    await expectSame({ instructorId: instructor.id });
  });

  test("local-day ranges, ranges cut mid-day, and ranges inside one day or across months", async () => {
    const almatyDay = (ms: number) => {
      const local = new Date(ms + 5 * HOUR);
      return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 5 * HOUR);
    };
    const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const ranges: { from?: Date; to?: Date }[] = [
      { from: almatyDay(base - 2 * DAY), to: almatyDay(base + 2 * DAY) },
      { from: almatyDay(base - 60 * DAY) },
      { to: almatyDay(base) },
      { from: new Date(base - 19 * HOUR - 30 * MIN), to: new Date(base + 7 * HOUR) },
      { from: new Date(base - 3 * HOUR), to: new Date(base - MIN) },
      { from: new Date(base - 500 * DAY), to: new Date(now.getTime() + DAY) },
      { from: new Date(base + 10 * DAY), to: new Date(base + 10 * DAY + HOUR) },
    ];
    for (const r of ranges) {
      await expectSame({ schoolId: school.id }, r);
      await expectSame({ instructorId: instructor.id }, r);
    }
  });

  test("the set-based refresh (migration backfill, bench seed) rebuilds exactly what the triggers kept", async () => {
    const kept = await counters();
    expect(kept.length).toBeGreaterThan(10);
    await refreshApplicationStats(d.db);
    expect(await counters()).toEqual(kept);
  });

  test("a school's counters never include another school's applications", async () => {
    const mine = await schoolStats(d.db, school.id, { timeZone: TZ, now });
    const theirs = await schoolStats(d.db, rival.id, { timeZone: TZ, now });
    expect(theirs.total).toBe(3);
    expect(mine.bySource.some((r) => r.source === "site")).toBe(true);
    expect(theirs.bySource).toEqual([{ source: "bot", count: 3 }]);
  });

  test("response-time buckets in SQL and in stats.ts agree, bounds included", async () => {
    for (const t of [-5, 0, ...RT_THRESHOLDS.flatMap((x) => [x - 0.5, x, x + 0.5])]) {
      const [r] = await queryRows<{ keys: string[] | string }>(
        d.db,
        sql`select application_stat_keys('contacted', 'bot', '2025-01-01T00:00:00Z'::timestamptz,
              '2025-01-01T00:00:00Z'::timestamptz + make_interval(secs => ${t}::float8), null, null)::text as keys`,
      );
      expect(String(r!.keys)).toContain(`rt:${responseBucket(t)}`);
    }
  });

  test("a range is read as whole UTC months and days plus partial days", () => {
    expect(planRange()).toEqual({ months: [null, null], days: [], raw: [] });
    const p = planRange(new Date("2025-02-27T19:00:00Z"), new Date("2025-04-02T19:00:00Z"));
    expect(p).toEqual({
      months: ["2025-03-01", "2025-04-01"],
      days: [["2025-02-28", "2025-03-01"], ["2025-04-01", "2025-04-02"]],
      raw: [[new Date("2025-02-27T19:00:00Z"), new Date("2025-02-28T00:00:00Z")], [new Date("2025-04-02T00:00:00Z"), new Date("2025-04-02T19:00:00Z")]],
    });
    expect(planRange(new Date("2025-03-05T03:00:00Z"), new Date("2025-03-05T04:00:00Z")).raw).toHaveLength(1);
  });
});

describe("stored trend points", () => {
  test("are stored once, and a backdated write forgets the points it changes", async () => {
    const first = await schoolTrustTrend(d.db, school.id, { now, timeZone: TZ });
    const stored = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from trust_trend_points where subject_id = ${school.id} and subject_kind = 'school'`);
    expect(stored[0]!.n).toBe(7);
    // Answered paid applications three weeks ago raise the points from then on.
    const S = { schoolId: school.id, cityId: school.cityId };
    for (let i = 0; i < 5; i++) {
      const createdAt = new Date(now.getTime() - 21 * DAY + i * HOUR);
      const a = await fx.createApplication(d.db, S, { createdAt, status: "paid" });
      await d.db
        .update(applications)
        .set({ firstResponseAt: new Date(createdAt.getTime() + MIN), confirmedAt: new Date(createdAt.getTime() + HOUR), paidAt: new Date(createdAt.getTime() + 2 * HOUR) })
        .where(eq(applications.id, a.id));
    }
    const after = await schoolTrustTrend(d.db, school.id, { now, timeZone: TZ });
    // Recomputed from nothing, the trend is the same as the one served with stored points.
    await d.db.execute(sql`delete from trust_trend_points`);
    const fresh = await schoolTrustTrend(d.db, school.id, { now, timeZone: TZ });
    expect(after.trend.map((p) => p.value)).toEqual(fresh.trend.map((p) => p.value));
    // …and the backdated rows did change the weeks after them (so the stored points were forgotten).
    expect(after.trend.slice(4, 7).map((p) => p.value)).not.toEqual(first.trend.slice(4, 7).map((p) => p.value));
    // Points before the backdated rows are kept as they were.
    expect(after.trend[0]!.value).toBe(first.trend[0]!.value);
  });
});
