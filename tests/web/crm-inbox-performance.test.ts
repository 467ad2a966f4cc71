// The inbox with 100k applications for one school: correct answers and indexed queries whatever
// the size (no query per row). How fast it is, bench/ measures.
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

// Generous: 100,000 inserts and two GIN builds on PGlite take 40–150 s on a loaded 2-core machine.
setDefaultTimeout(300_000);

let t: TestApp;
let s: fx.Session;
let schoolId: number;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const school = await fx.createSchool(db);
  schoolId = school.id;
  const student = await fx.createStudent(db);
  // The search's GIN indexes are built after the bulk insert, as bench/seed-run.ts does: maintained
  // row by row they make this insert minutes long on PGlite.
  const search = await queryRows<{ name: string; def: string }>(
    db,
    sql`select indexname as name, indexdef as def from pg_indexes where indexname in ('applications_name_words_idx', 'applications_phone_search_idx')`,
  );
  expect(search.length).toBe(2);
  for (const index of search) await db.execute(sql.raw(`drop index ${index.name}`));
  await db.execute(sql`
    insert into applications (public_number, student_id, kind, city_id, school_id, category, format, student_name, student_phone, status, idempotency_key, created_at)
    select 'P' || g, ${student.id}, 'school', ${school.cityId}, ${school.id}, 'B', 'in_person', 'Студент ' || g, '+7701' || lpad(g::text, 7, '0'),
           (array['new','contacted','confirmed','paid','studying','completed','rejected','cancelled'])[1 + g % 8],
           'perf-' || g, now() - make_interval(mins => g)
    from generate_series(1, 100000) g`);
  for (const index of search) await db.execute(sql.raw(index.def));
  await db.execute(sql`analyze applications`);
  const staff = await fx.createStaff(db, { schoolId: school.id });
  s = await fx.loginAs(t, staff.login, "school");
});
afterAll(() => t.dispose());

// Timings belong to bench/ (ratios against ceilings measured in the same run). Here: the inbox
// answers correctly at 100k applications, and its queries are the indexed ones.

test("inbox pages, status filters and the poll work over 100k applications", async () => {
  const first = await s.request("/crm/schools/applications", { htmx: true });
  expect(first.status).toBe(200);
  const html = await first.text();
  expect(html).toContain("Студент 1<"); // newest first: created 1 minute ago
  const paid = await (await s.request("/crm/schools/applications?status=paid", { htmx: true })).text();
  expect(paid).toContain("badge status-paid");
  expect(paid).not.toMatch(/badge status-(new|contacted|confirmed|studying|completed|rejected|cancelled)"/);
  expect((await s.request("/crm/schools/applications?page=40", { htmx: true })).status).toBe(200);
  expect((await s.request("/crm/schools/applications/poll?after=100000", { htmx: true })).status).toBe(204);
});

test("a rare-name search over 100k applications finds the one match", async () => {
  const html = await (await s.request(`/crm/schools/applications?q=${encodeURIComponent("Студент 99999")}`, { htmx: true })).text();
  expect(html).toContain("Студент 99999");
  expect(html).not.toContain("Студент 99998<");
});

const plan = async (query: ReturnType<typeof sql>) => JSON.stringify(await t.database.db.execute(sql`explain ${query}`));

test("the inbox query uses the school's inbox index", async () => {
  const text = await plan(sql`select id from applications where kind = 'school' and school_id = ${schoolId} order by created_at desc nulls last, id desc nulls last limit 26`);
  expect(text).toContain("applications_school_inbox_idx");
});

test("the offer's kind (a left join by the offer's key) keeps the inbox on its index", async () => {
  const text = await plan(
    sql`select a.id, o.kind from applications a left join school_offers o on o.id = a.offer_id where a.kind = 'school' and a.school_id = ${schoolId} order by a.created_at desc nulls last, a.id desc nulls last limit 26`,
  );
  expect(text).toContain("applications_school_inbox_idx");
  expect(text).not.toContain("Seq Scan on applications");
});

test("a status filter reads one of the school's indexes, not the whole table", async () => {
  const text = await plan(sql`select id from applications where kind = 'school' and school_id = ${schoolId} and status = 'paid' order by created_at desc nulls last, id desc nulls last limit 26`);
  expect(text).toMatch(/applications_school_(inbox|status)_idx/);
  expect(text).not.toContain("Seq Scan on applications");
});

test("'waiting for our answer' reads the school's waiting index (only the waiting rows), not the inbox", async () => {
  await t.database.db.execute(sql`update applications set awaiting_reply_since = now() - make_interval(mins => id) where school_id = ${schoolId} and id % 2000 = 0`);
  const html = await (await s.request("/crm/schools/applications?waiting=1", { htmx: true })).text();
  expect(html.match(/<tr id="app-/g)!.length).toBe(25);
  expect(html).toContain("page=2");
  const text = await plan(sql`select id from applications where kind = 'school' and school_id = ${schoolId} and awaiting_reply_since is not null order by awaiting_reply_since asc, id asc limit 26`);
  expect(text).toContain("applications_school_waiting_idx");
  expect(text).not.toContain("Seq Scan on applications");
});
