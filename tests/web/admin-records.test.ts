// Admin records: applications (filters, history), the CSV export (escaping; a large table streams
// batch by batch in constant memory), students (search, discipline index, block), the audit log
// (admin and CRM changes) and the dashboard.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { applicationEvents, applications, auditLog, indexValues, outbox, schools, students } from "../../src/db/schema.ts";
import { setAppState, BOT_LAST_UPDATE } from "../../src/domain/app-state.ts";
import { csvField, csvLine, exportApplicationsCsv } from "../../src/domain/export.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import type { Session } from "../support/fixtures.ts";
import { adminSession } from "./admin-support.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let s: Session;
let adminLogin: string;
let w: {
  cityA: { id: number; nameRu: string };
  cityB: { id: number; nameRu: string };
  schoolA: { id: number; name: string };
  instructorB: { id: number; name: string };
  apps: { id: number; publicNumber: string; studentId: number }[];
};

beforeAll(async () => {
  t = await createTestApp();
  const a = await adminSession(t);
  s = a.session;
  adminLogin = a.login;
  const db = t.database.db;
  const cityA = await fx.createCity(db, "Алматы");
  const cityB = await fx.createCity(db, "Астана");
  const schoolA = await fx.createSchool(db, { cityId: cityA.id, name: "Школа А" });
  const instructorB = await fx.createInstructor(db, { cityId: cityB.id, name: "Инструктор Б" });
  const student = await fx.createStudent(db, { firstName: "Жансая" });
  await db.update(students).set({ lastName: "Ахметова", username: "zhansaya_a", phone: "+77015551234", telegramId: 987654321 }).where(eq(students.id, student.id));
  const apps = [
    await fx.createApplication(db, { schoolId: schoolA.id, cityId: cityA.id }, { studentId: student.id, studentName: "Жансая Ахметова", createdAt: new Date("2025-03-05T06:00:00Z") }),
    await fx.createApplication(db, { schoolId: schoolA.id, cityId: cityA.id }, { status: "confirmed", studentName: "=HYPERLINK(\"http://evil\")", createdAt: new Date("2025-03-10T06:00:00Z") }),
    await fx.createApplication(db, { instructorId: instructorB.id, cityId: cityB.id }, { status: "accepted", studentName: 'Бауыржан "Бака", Серік\nвторая строка', createdAt: new Date("2025-03-10T20:30:00Z") }),
  ];
  await db.insert(applicationEvents).values({ applicationId: apps[1]!.id, type: "status", fromStatus: "new", toStatus: "confirmed", payload: {} });
  w = { cityA, cityB, schoolA, instructorB, apps };
});
afterAll(() => t.dispose());

const numbersIn = (html: string) => w.apps.filter((a) => html.includes(`>${a.publicNumber}<`)).map((a) => a.publicNumber);

describe("applications", () => {
  test("all of them, filtered by city, school, instructor, status and local date", async () => {
    const [a0, a1, a2] = w.apps.map((a) => a.publicNumber);
    expect(numbersIn(await (await s.request("/admin/applications")).text()).sort()).toEqual([a0, a1, a2].sort());
    expect(numbersIn(await (await s.request(`/admin/applications?city=${w.cityB.id}`)).text())).toEqual([a2!]);
    expect(numbersIn(await (await s.request(`/admin/applications?school=${w.schoolA.id}`)).text()).sort()).toEqual([a0!, a1!].sort());
    expect(numbersIn(await (await s.request(`/admin/applications?instructor=${w.instructorB.id}`)).text())).toEqual([a2!]);
    expect(numbersIn(await (await s.request("/admin/applications?status=confirmed")).text())).toEqual([a1!]);
    // 2025-03-10T20:30Z is 11 March 01:30 in Almaty: the dates are local.
    expect(numbersIn(await (await s.request("/admin/applications?from=2025-03-10&to=2025-03-10")).text())).toEqual([a1!]);
    expect(numbersIn(await (await s.request("/admin/applications?from=2025-03-11")).text())).toEqual([a2!]);
    expect(numbersIn(await (await s.request("/admin/applications?to=2025-03-05")).text())).toEqual([a0!]);
    const page = await (await s.request(`/admin/applications?city=${w.cityA.id}&status=new`)).text();
    // The export link carries the same filter.
    expect(page).toContain(`/admin/applications/export.csv?city=${w.cityA.id}&status=new`);
  });

  test("one application with its history; names are escaped", async () => {
    const res = await s.request(`/admin/applications/${w.apps[1]!.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Заявка создана");
    expect(html).toContain("Статус: Новая → Подтверждена.");
    expect(html).toContain("Школа А");
    const other = await (await s.request(`/admin/applications/${w.apps[2]!.id}`)).text();
    expect(other).toContain("Бауыржан &quot;Бака&quot;");
  });
});

describe("CSV export", () => {
  test("fields are quoted, quotes doubled, formulas defused", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=1+1")).toBe("'=1+1");
    // A plain number or phone is no formula: kept readable (issue 17), anything else after a sign is defused.
    expect(csvField("+77011234567")).toBe("+77011234567");
    expect(csvField("+7 701 234 56 01")).toBe("+7 701 234 56 01");
    expect(csvField("-5")).toBe("-5");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("+7 701 A1")).toBe("'+7 701 A1");
    expect(csvField("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvLine(["a", "b;c"])).toBe('a,"b;c"\r\n');
  });

  test("the route exports the current filter as an attachment, with a header row and local times", async () => {
    const res = await s.request(`/admin/applications/export.csv?school=${w.schoolA.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="applications-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toStartWith("номер,создана,город,тип,автошкола");
    expect(lines).toHaveLength(3);
    expect(text).toContain(`${w.apps[0]!.publicNumber},2025-03-05 11:00,Алматы,Автошкола,Школа А`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toContain(w.apps[2]!.publicNumber);
    const all = await (await s.request("/admin/applications/export.csv")).text();
    expect(all).toContain('"Бауыржан ""Бака"", Серік\nвторая строка"');
  });

  // 100 000 rows on a PostgreSQL server (~10 s here). The embedded database (WASM) inserts ~8k rows/s and
  // returns ~10k rows/s, so it gets 20 000 to keep the file fast; the property checked is the
  // same: one batch read per chunk asked for, so memory does not grow with the table.
  const N = process.env.TEST_DATABASE_URL ? 100_000 : 20_000;
  test(`${N} rows stream in batches: the exporter reads one batch per chunk asked for, never more than one batch at a time`, async () => {
    const big = await createTestApp();
    try {
      const db = big.database.db;
      const school = await fx.createSchool(db);
      const student = await fx.createStudent(db);
      await db.execute(sql`
        insert into applications (public_number, student_id, kind, city_id, school_id, category, student_name, student_phone, status, idempotency_key, created_at)
        select 'B' || g, ${student.id}, 'school', ${school.cityId}, ${school.id}, 'B', 'Студент ' || g, '+7701' || lpad(g::text, 7, '0'), 'new', 'big-' || g,
               now() - make_interval(secs => g)
        from generate_series(1, ${N}) g`);
      // What autovacuum does after a bulk load: fresh statistics, so the planner walks the primary key.
      await db.execute(sql`analyze applications`);

      // Instrumented: count the queries and the rows each returned.
      const batches: number[] = [];
      const stream = exportApplicationsCsv(db, {}, "Asia/Almaty", "ru", { batchSize: 1000, onBatch: (n) => batches.push(n) });
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      const header = await reader.read();
      expect(decoder.decode(header.value)).toContain("номер,создана");
      expect(batches).toHaveLength(0);
      const first = await reader.read();
      expect(decoder.decode(first.value).split("\r\n").filter(Boolean)).toHaveLength(1000);
      // Lazy: nothing is read ahead of the consumer.
      await Bun.sleep(50);
      expect(batches).toEqual([1000]);
      let lines = 1000;
      let chunks = 1;
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        chunks++;
        lines += decoder.decode(r.value).split("\r\n").length - 1;
        // Each chunk is exactly the batch just read: the exporter never holds more than one.
        expect(batches.length).toBe(chunks);
      }
      expect(lines).toBe(N);
      expect(chunks).toBe(N / 1000);
      expect(batches.length).toBe(N / 1000 + 1); // the last, empty read ends the stream
      expect(Math.max(...batches)).toBe(1000);
      // Keyset order: every row once, by id.
      expect(batches.reduce((a, b) => a + b, 0)).toBe(N);

      // Through the route: the body arrives in chunks before the export is done; leaving early is fine.
      const admin = await adminSession(big);
      const res = await admin.session.request(`/admin/applications/export.csv?school=${school.id}&status=new`);
      expect(res.status).toBe(200);
      const body = res.body!.getReader();
      const got: number[] = [];
      for (let i = 0; i < 5; i++) got.push((await body.read()).value!.byteLength);
      await body.cancel();
      expect(got.slice(1).every((n) => n > 1000 * 40 && n < 1000 * 200)).toBe(true);
    } finally {
      await big.dispose();
    }
    // ~10 s on an idle machine; the bulk insert is slow when the machine is busy.
  }, 90_000);

  test("a client that goes away stops the reads", async () => {
    const batches: number[] = [];
    const reader = exportApplicationsCsv(t.database.db, {}, "Asia/Almaty", "ru", { batchSize: 1, onBatch: (n) => batches.push(n) }).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await Bun.sleep(20);
    expect(batches).toEqual([1]);
  });
});

describe("students", () => {
  test("search by name, phone, @username or Telegram id", async () => {
    const id = w.apps[0]!.studentId;
    for (const q of ["Жансая", "ахметова", "701 555 12 34", "87015551234", "@zhansaya_a", "987654321"]) {
      const html = await (await s.request(`/admin/students?q=${encodeURIComponent(q)}`)).text();
      expect({ q, found: html.includes(`/admin/students/${id}"`) }).toEqual({ q, found: true });
    }
    const none = await (await s.request("/admin/students?q=Никто%25")).text();
    expect(none).toContain("Никого не найдено.");
  });

  test("a student's page: applications and discipline index; block and unblock are audited", async () => {
    const id = w.apps[0]!.studentId;
    let html = await (await s.request(`/admin/students/${id}`)).text();
    expect(html).toContain(w.apps[0]!.publicNumber);
    expect(html).toContain("ещё не рассчитан");
    await t.database.db.insert(indexValues).values({ subjectKind: "student", subjectId: id, value: 73, components: { components: [], sampleSize: 3, explanation: { ru: "Отвечает вовремя", kk: "" } } });
    html = await (await s.request(`/admin/students/${id}`)).text();
    expect(html).toContain("73 из 100");
    expect(html).toContain("Отвечает вовремя");
    expect((await s.request(`/admin/students/${id}/block`, { method: "POST" })).status).toBe(303);
    expect((await t.database.db.select().from(students).where(eq(students.id, id)))[0]!.blocked).toBe(true);
    expect(await (await s.request(`/admin/students/${id}?notice=blocked`)).text()).toContain("Ученик заблокирован.");
    expect((await s.request(`/admin/students/${id}/unblock`, { method: "POST" })).status).toBe(303);
    const trail = await t.database.db.select().from(auditLog).where(eq(auditLog.subject, `student:${id}`));
    expect(trail.map((a) => a.action)).toEqual(["student.block", "student.unblock"]);
  });
});

describe("audit log", () => {
  test("admin and CRM changes, who/what/before → after/when, filterable", async () => {
    // A change in the school CRM.
    const staff = await fx.createStaff(t.database.db, { schoolId: w.schoolA.id });
    const crm = await fx.loginAs(t, staff.login, "school");
    const profile = await crm.request("/crm/schools/profile", { form: { name: "Школа А <обновлена>", address: "", phone: "+77010000001", whatsapp: "", description: "", kaspiUrl: "", halykUrl: "" } });
    expect(profile.status).toBe(303);
    // A change in the admin panel.
    expect((await s.request(`/admin/schools/${w.schoolA.id}/deactivate`, { method: "POST" })).status).toBe(303);
    await t.database.db.update(schools).set({ active: true }).where(eq(schools.id, w.schoolA.id));

    const all = await (await s.request(`/admin/audit?subject=school:${w.schoolA.id}`)).text();
    expect(all).toContain("school.profile");
    expect(all).toContain("school.deactivate");
    expect(all).toContain(staff.login);
    expect(all).toContain(adminLogin);
    expect(all).toContain("Школа А &lt;обновлена&gt;");
    expect(all).toContain("&quot;active&quot;: false");
    const byWho = await (await s.request(`/admin/audit?who=${staff.login}`)).text();
    expect(byWho).toContain("school.profile");
    expect(byWho).not.toContain("school.deactivate");
    const byAction = await (await s.request("/admin/audit?action=school.deactivate")).text();
    expect(byAction).not.toContain("school.profile");
    expect(byAction).toContain("school.deactivate");
    const byKind = await (await s.request("/admin/audit?action=student")).text();
    expect(byKind).toContain("student.block");
    const future = await (await s.request("/admin/audit?from=2099-01-01")).text();
    expect(future).toContain("Записей нет.");
  });
});

describe("dashboard", () => {
  test("applications today and this week by city, slow schools over N hours, bot health", async () => {
    const db = t.database.db;
    const city = await fx.createCity(db, "Шымкент");
    const school = await fx.createSchool(db, { cityId: city.id, name: "Медленная школа" });
    await fx.createApplication(db, { schoolId: school.id, cityId: city.id });
    await fx.createApplication(db, { schoolId: school.id, cityId: city.id }, { createdAt: new Date(Date.now() - 30 * 3_600_000) });
    let html = await (await s.request("/admin/")).text();
    expect(html).toMatch(/<a href="\/admin\/applications\?city=\d+">Шымкент<\/a><\/td><td>[12]<\/td><td>[12]<\/td>/);
    expect(html).toContain("Медленная школа");
    expect(html).toContain("Автошколы без ответа дольше 24 ч");
    expect(await (await s.request("/admin/?hours=48")).text()).not.toContain("Медленная школа");
    // Bot health: "—" until the bot records an update; the outbox backlog with the last failures.
    expect(html).toMatch(/Последнее обновление от Telegram<\/dt><dd>—<\/dd>/);
    await setAppState(db, BOT_LAST_UPDATE, new Date().toISOString());
    await db.insert(outbox).values([
      { chatId: 1, payload: { method: "sendMessage", params: {} } },
      { chatId: 2, payload: { method: "sendMessage", params: {} }, state: "failed", attempts: 8, lastError: "403: <bot was blocked>" },
      // Older than the kept period (housekeeping deletes it within the hour): not counted meanwhile.
      { chatId: 3, payload: { method: "sendMessage", params: {} }, state: "failed", attempts: 8, lastError: "old failure", createdAt: new Date(Date.now() - 31 * 86_400_000) },
    ]);
    html = await (await s.request("/admin/")).text();
    expect(html).toContain("только что назад");
    expect(html).toContain('<dd id="outbox-pending">1</dd>');
    expect(html).toContain('<dd id="outbox-failed">1</dd>');
    expect(html).toContain("403: &lt;bot was blocked&gt;");
    expect(html).not.toContain("old failure");
    expect(html).toContain("Не доставлено за 30 дней");
    void applications;
  });
});
