// The inbox with 100k applications for one school stays fast: a bounded number of indexed
// queries whatever the size (no query per row), under 50 ms of server time.
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(120_000);

let t: TestApp;
let s: fx.Session;
let schoolId: number;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const school = await fx.createSchool(db);
  schoolId = school.id;
  const student = await fx.createStudent(db);
  await db.execute(sql`
    insert into applications (public_number, student_id, kind, city_id, school_id, category, format, student_name, student_phone, status, idempotency_key, created_at)
    select 'P' || g, ${student.id}, 'school', ${school.cityId}, ${school.id}, 'B', 'in_person', 'Студент ' || g, '+7701' || lpad(g::text, 7, '0'),
           (array['new','contacted','confirmed','paid','studying','completed','rejected','cancelled'])[1 + g % 8],
           'perf-' || g, now() - make_interval(mins => g)
    from generate_series(1, 100000) g`);
  await db.execute(sql`analyze applications`);
  const staff = await fx.createStaff(db, { schoolId: school.id });
  s = await fx.loginAs(t, staff.login, "school");
});
afterAll(() => t.dispose());

async function timed(path: string): Promise<number> {
  for (let i = 0; i < 3; i++) await (await s.request(path, { htmx: true })).text(); // warm caches and the JIT
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const res = await s.request(path, { htmx: true });
    await res.text();
    expect([200, 204]).toContain(res.status);
    runs.push(performance.now() - start);
  }
  // The best run: the server's own time, without what other processes on a busy CI machine
  // (parallel suites, browsers) add to the wall clock.
  return Math.min(...runs);
}

test("inbox pages, status filters and the poll stay under 50 ms with 100k applications", async () => {
  const times: Record<string, number> = {};
  for (const path of [
    "/crm/schools/applications",
    "/crm/schools/applications?status=paid",
    "/crm/schools/applications?page=40",
    "/crm/schools/applications?from=2020-01-01&to=2030-01-01",
    "/crm/schools/applications/poll?after=99990",
    "/crm/schools/applications/poll?after=100000",
  ]) {
    times[path] = await timed(path);
  }
  if (process.env.SHOW_TIMES) console.log(times);
  for (const [path, ms] of Object.entries(times)) expect(ms, path).toBeLessThan(50);
});

// A name search that matches almost nothing reads the school's rows one by one (no trigram
// index: PGlite would need pg_trgm loaded); bounded, but not under 50 ms at 100k.
test("a rare-name search over 100k applications stays bounded", async () => {
  expect(await timed(`/crm/schools/applications?q=${encodeURIComponent("Студент 99999")}`)).toBeLessThan(1000);
});

test("the inbox query uses the school's inbox index", async () => {
  const plan = await t.database.db.execute(sql`explain select id from applications where kind = 'school' and school_id = ${schoolId} order by created_at desc nulls last, id desc nulls last limit 26`);
  const text = JSON.stringify(plan);
  expect(text).toContain("applications_school_inbox_idx");
});
