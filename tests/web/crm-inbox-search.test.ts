// The inbox search box (issue 7; by words since issue 19): each typed word starts a word of the
// student's name, any case and any order, or digits are any part of the phone, within the school
// (and the status filter); answered through the owner-scoped indexes of migration 0019 on both
// databases (PGlite loads pg_trgm and btree_gin for them).
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { applications } from "../../src/db/schema.ts";
import { searchCondition } from "../../src/domain/inbox.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let s: fx.Session;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
const ids: Record<string, number> = {};

const db = () => t.database.db;
const ids_in = (html: string) => [...html.matchAll(/<tr id="app-(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
const search = async (query: string) => ids_in(await (await s.request(`/crm/schools/applications?${query}`, { htmx: true })).text());
const expected = (...names: string[]) => names.map((n) => ids[n]!).sort((a, b) => a - b);
const mine = (key: string, studentName: string, phone: string, status: "new" | "contacted" = "new") =>
  fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentName, phone, status }).then((a) => (ids[key] = a.id));

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db());
  const rival = await fx.createSchool(db(), { cityId: school.cityId });
  await mine("zhanar", "Жанар Конысбаева", "+77011112233");
  await mine("zhanarContacted", "ЖАНАР Конысбаева", "+77019998877", "contacted");
  await mine("aigerim", "Айгерим Нурланова", "+77471234567");
  await mine("dauletKk", "Дәулет Серікұлы", "+77025556677");
  await mine("percent", "Процент 100% Тестов", "+77030000000");
  // Another school's student with the same name: never found from this school.
  ids.rival = (await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId }, { studentName: "Жанар Конысбаева", phone: "+77011112233" })).id;
  await db().execute(sql`analyze applications`);
  const staff = await fx.createStaff(db(), { schoolId: school.id });
  s = await fx.loginAs(t, staff.login, "school");
});
afterAll(() => t.dispose());

test("each typed word starts a word of the name, any case, Cyrillic and Kazakh letters included", async () => {
  expect(await search(`q=${encodeURIComponent("Жанар Конысбаева")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("жанар")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("КОНЫСБ")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("нурлан")}`)).toEqual(expected("aigerim"));
  expect(await search(`q=${encodeURIComponent("СЕРІК")}`)).toEqual(expected("dauletKk"));
  expect(await search(`q=${encodeURIComponent("дәу")}`)).toEqual(expected("dauletKk"));
  expect(await search(`q=${encodeURIComponent("Жанар Нурланова")}`)).toEqual([]);
});

test("the words may come in any order and be the starts of words; a piece inside a word is not a match", async () => {
  // A manager types the surname first as often as the first name, and stops typing early.
  expect(await search(`q=${encodeURIComponent("Конысбаева Жанар")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("конысб жан")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("  айгерим,   НУРЛ ")}`)).toEqual(expected("aigerim"));
  // The index holds words (what makes the search fast on a school with 100,000 applications):
  // "анар" inside "Жанар", or a piece across two words, no longer matches (it did before issue 19).
  expect(await search(`q=${encodeURIComponent("анар")}`)).toEqual([]);
  expect(await search(`q=${encodeURIComponent("ар ко")}`)).toEqual([]);
});

test("the status filter and the search together", async () => {
  expect(await search(`status=new&q=${encodeURIComponent("Жанар Конысбаева")}`)).toEqual(expected("zhanar"));
  expect(await search(`status=contacted&q=${encodeURIComponent("жанар")}`)).toEqual(expected("zhanarContacted"));
  expect(await search(`status=contacted&q=${encodeURIComponent("айгерим")}`)).toEqual([]);
});

test("a status change moves the row between the status tabs' searches at once", async () => {
  // The status is part of the search keys (migration 0019): the index follows the row's status.
  await mine("nurlanMoves", "Нурлан Тулегенов", "+77051112200");
  expect(await search(`status=new&q=${encodeURIComponent("тулег")}`)).toEqual(expected("nurlanMoves"));
  const moved = await s.request(`/crm/schools/applications/${ids.nurlanMoves}/status`, { form: { from: "new", to: "contacted" }, htmx: true });
  expect(moved.status).toBe(200);
  expect(await search(`status=new&q=${encodeURIComponent("тулег")}`)).toEqual([]);
  expect(await search(`status=contacted&q=${encodeURIComponent("тулег")}`)).toEqual(expected("nurlanMoves"));
  expect(await search(`q=${encodeURIComponent("тулег")}`)).toEqual(expected("nurlanMoves"));
});

test("phone digits match whatever the spaces, dashes and the 8 prefix", async () => {
  expect(await search(`q=${encodeURIComponent("8 (747) 123-45-67")}`)).toEqual(expected("aigerim"));
  expect(await search(`q=${encodeURIComponent("+7 701 999 88 77")}`)).toEqual(expected("zhanarContacted"));
  expect(await search(`q=${encodeURIComponent("2233")}`)).toEqual(expected("zhanar"));
});

test("one statement per filter shape: searches of the same shape, at once, each get their own rows", async () => {
  // The page statement is built once per shape (status + q here) and run with each request's values.
  const queries = ["Жанар Конысбаева", "айгерим", "СЕРІК", "нет такого", "Процент"].map((q) => `status=new&q=${encodeURIComponent(q)}`);
  const together = await Promise.all(queries.map(search));
  expect(together).toEqual([expected("zhanar"), expected("aigerim"), expected("dauletKk"), [], expected("percent")]);
  // A date range is another shape; today's range keeps every row, tomorrow's none.
  const day = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: t.config.timeZone });
  const today = day(new Date());
  const tomorrow = day(new Date(Date.now() + 86_400_000));
  expect(await search(`from=${today}&to=${today}&q=${encodeURIComponent("жанар")}`)).toEqual(expected("zhanar", "zhanarContacted"));
  expect(await search(`from=${tomorrow}&q=${encodeURIComponent("жанар")}`)).toEqual([]);
});

test("punctuation is no wildcard: it separates words, and a text without any word finds nothing", async () => {
  expect(await search(`q=${encodeURIComponent("100%")}`)).toEqual(expected("percent"));
  expect(await search(`q=${encodeURIComponent("%")}`)).toEqual([]);
  expect(await search(`q=${encodeURIComponent("_")}`)).toEqual([]);
  expect(await search(`q=${encodeURIComponent("' & | ! :* \\")}`)).toEqual([]);
  expect(await search(`q=${encodeURIComponent("жанар' | 'айгерим")}`)).toEqual([]);
  expect(await search(`q=${encodeURIComponent("жанар:*")}`)).toEqual(expected("zhanar", "zhanarContacted"));
});

test("another school's applications are never found", async () => {
  expect(await search(`q=${encodeURIComponent("Конысбаева")}`)).not.toContain(ids.rival);
  expect(await search(`q=${encodeURIComponent("1112233")}`)).not.toContain(ids.rival);
});

const planOf = (condition: ReturnType<typeof searchCondition>) =>
  db().transaction(async (tx) => {
    // Too few rows for the planner to want an index on its own: forbid the alternatives. The search
    // condition alone, so that no other index could answer it: only one on the same expression can.
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_indexscan = off`);
    await tx.execute(sql`set local enable_indexonlyscan = off`);
    const result: unknown = await tx.execute(sql`explain select ${applications.id} from ${applications} where ${condition}`);
    return JSON.stringify(result);
  });

test("the search conditions can use their indexes (the expressions are the indexed ones)", async () => {
  const scope = { kind: "school", schoolId: school.id, accountId: 0 } as const;
  expect(await planOf(searchCondition(scope, "Жанар Конысбаева"))).toContain("applications_name_words_idx");
  const byPhone = await planOf(searchCondition(scope, "2233"));
  expect(byPhone).toContain("applications_name_words_idx");
  expect(byPhone).toContain("applications_phone_search_idx");
  // An instructor's applications have their own keys in the same indexes.
  expect(await planOf(searchCondition({ kind: "instructor", instructorId: 1, accountId: 0 }, "жанар"))).toContain("applications_name_words_idx");
});

test("an instructor's search finds their own students by word and phone, never another instructor's or a school's", async () => {
  // Instructors have their own keys (i<id>) in the same indexes; the school above has a "Жанар" too.
  const me = await fx.createInstructor(db(), { cityId: school.cityId });
  const other = await fx.createInstructor(db(), { cityId: school.cityId });
  const mineApp = await fx.createApplication(db(), { instructorId: me.id, cityId: me.cityId }, { studentName: "Жанар Омарова", phone: "+77071234400" });
  const theirs = await fx.createApplication(db(), { instructorId: other.id, cityId: other.cityId }, { studentName: "Жанар Омарова", phone: "+77071234400" });
  const staff = await fx.createStaff(db(), { instructorId: me.id });
  const session = await fx.loginAs(t, staff.login, "instructor");
  const found = async (q: string) => ids_in(await (await session.request(`/crm/instructors/applications?q=${encodeURIComponent(q)}`, { htmx: true })).text());
  expect(await found("омар жан")).toEqual([mineApp.id]);
  expect(await found("1234400")).toEqual([mineApp.id]);
  expect(await found("конысбаева")).toEqual([]);
  expect(theirs.id).not.toBe(mineApp.id);
});
