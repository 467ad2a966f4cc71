// The catalog reads behind "only choices that lead somewhere" (issue 18, items 3 and 5): cities
// with how many schools and instructors they have, instructors by category and transmission, and
// whether a chosen school or instructor is one the list could show (a forged callback is not).
// Inactive schools, offers and instructors, and instructors of inactive schools, count nowhere.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { cities, instructors, schoolOffers, schools, type OfferKind, type Transmission } from "../../src/db/schema.ts";
import {
  findActiveInstructor,
  instructorMatches,
  listActiveCities,
  listCitiesWithCounts,
  listInstructors,
  offeredInstructorCategories,
  offeredTransmissions,
  schoolMatches,
} from "../../src/domain/catalog.ts";
import { CatalogCache } from "../../src/domain/catalog-cache.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

let d: TestDatabase;
const city = { a: 0, b: 0, empty: 0, closed: 0 };
const school = { s1: 0, s2: 0, s3: 0, s4: 0, s5: 0 };
const inst = { i1: 0, i2: 0, i3: 0, i4: 0, i5: 0, i6: 0 };

async function addCity(nameRu: string, sort: number, active = true) {
  const [c] = await d.db.insert(cities).values({ nameRu, nameKk: nameRu, sort, active }).returning();
  return c!.id;
}

async function addSchool(cityId: number, active: boolean, offers: { kind: OfferKind; category: string; format?: string; active?: boolean }[]) {
  const [s] = await d.db.insert(schools).values({ cityId, name: `Школа ${cityId}-${offers.length}`, active }).returning();
  for (const o of offers)
    await d.db.insert(schoolOffers).values({ schoolId: s!.id, kind: o.kind, category: o.category, format: o.format ?? "in_person", priceKzt: 100000, durationWeeks: 8, active: o.active ?? true });
  return s!.id;
}

async function addInstructor(cityId: number, transmission: Transmission, categories: string[], opts: { schoolId?: number; active?: boolean } = {}) {
  const [i] = await d.db
    .insert(instructors)
    .values({ cityId, schoolId: opts.schoolId ?? null, name: `Инструктор ${categories.join("")}`, transmission, categories, pricePerHourKzt: 8000, active: opts.active ?? true })
    .returning();
  return i!.id;
}

beforeAll(async () => {
  d = await createTestDatabase();
  // Inserted out of order: the list follows `sort`.
  city.empty = await addCity("Ещё-пусто", 3);
  city.b = await addCity("Бета", 2);
  city.a = await addCity("Альфа", 1);
  city.closed = await addCity("Закрыт", 0, false);

  school.s1 = await addSchool(city.a, true, [
    { kind: "full_course", category: "B", format: "in_person" },
    { kind: "test_prep", category: "B" },
  ]);
  school.s2 = await addSchool(city.a, true, [{ kind: "full_course", category: "B", active: false }]); // only an inactive offer
  school.s3 = await addSchool(city.a, false, [{ kind: "full_course", category: "B" }]); // an inactive school
  school.s4 = await addSchool(city.a, true, [
    { kind: "full_course", category: "B", format: "evening" },
    { kind: "full_course", category: "C", format: "evening" },
  ]); // two offers, one school
  school.s5 = await addSchool(city.b, true, [{ kind: "full_course", category: "C" }]);
  await addSchool(city.closed, true, [{ kind: "full_course", category: "B" }]);

  inst.i1 = await addInstructor(city.a, "manual", ["C", "B"]);
  inst.i2 = await addInstructor(city.a, "automatic", ["B"], { schoolId: school.s1 });
  inst.i3 = await addInstructor(city.a, "automatic", ["B", "D"], { schoolId: school.s3 }); // school inactive
  inst.i4 = await addInstructor(city.a, "manual", ["A"], { active: false });
  inst.i5 = await addInstructor(city.a, "automatic", ["C", "BE"]);
  inst.i6 = await addInstructor(city.b, "manual", ["B"], { schoolId: school.s5 });
  await addInstructor(city.closed, "manual", ["B"]);
});
afterAll(() => d?.dispose());

const counts = async (kind: OfferKind) =>
  Object.fromEntries((await listCitiesWithCounts(d.db, kind)).map((c) => [c.id, [c.schools, c.instructors]]));

describe("listCitiesWithCounts", () => {
  test("every active city in listActiveCities' order, inactive cities left out", async () => {
    const listed = await listCitiesWithCounts(d.db, "full_course");
    expect(listed.map((c) => c.id)).toEqual((await listActiveCities(d.db)).map((c) => c.id));
    expect(listed.map((c) => c.id)).toEqual([city.a, city.b, city.empty]);
    expect(listed[0]).toMatchObject({ nameRu: "Альфа", nameKk: "Альфа", sort: 1, active: true });
  });

  test("schools with an active offer of the kind (each school once) and instructors who can be shown", async () => {
    // Альфа: s1 and s4 (s4 has two offers); not s2 (inactive offer) nor s3 (inactive school).
    // Instructors i1, i2, i5; not i3 (inactive school) nor i4 (inactive).
    expect(await counts("full_course")).toEqual({ [city.a]: [2, 3], [city.b]: [1, 1], [city.empty]: [0, 0] });
    expect(await counts("test_prep")).toEqual({ [city.a]: [1, 3], [city.b]: [0, 1], [city.empty]: [0, 0] });
    expect(await counts("practice")).toEqual({ [city.a]: [0, 3], [city.b]: [0, 1], [city.empty]: [0, 0] });
  });

  test("an instructor joining and leaving changes the counts", async () => {
    const [extra] = await d.db.insert(instructors).values({ cityId: city.empty, name: "Новый", transmission: "manual", pricePerHourKzt: 7000 }).returning();
    expect((await counts("full_course"))[city.empty]).toEqual([0, 1]);
    await d.db.update(instructors).set({ active: false }).where(eq(instructors.id, extra!.id));
    expect((await counts("full_course"))[city.empty]).toEqual([0, 0]);
  });
});

describe("instructors by category and transmission", () => {
  const ids = async (f: Parameters<typeof listInstructors>[1]) => (await listInstructors(d.db, f, 0)).items.map((i) => i.id).sort((x, y) => x - y);

  test("the city alone lists every instructor who can be shown", async () => {
    expect(await ids({ cityId: city.a })).toEqual([inst.i1, inst.i2, inst.i5]);
    expect((await listInstructors(d.db, { cityId: city.a }, 0)).total).toBe(3);
  });

  test("a category keeps only instructors teaching it; a transmission narrows further", async () => {
    expect(await ids({ cityId: city.a, category: "C" })).toEqual([inst.i1, inst.i5]);
    expect(await ids({ cityId: city.a, category: "C", transmission: "manual" })).toEqual([inst.i1]);
    expect(await ids({ cityId: city.a, transmission: "automatic" })).toEqual([inst.i2, inst.i5]);
    expect(await ids({ cityId: city.a, category: "B", transmission: "automatic" })).toEqual([inst.i2]);
    // Only the instructor of the inactive school teaches D; nobody with an inactive A instructor.
    expect(await ids({ cityId: city.a, category: "D" })).toEqual([]);
    expect(await ids({ cityId: city.a, category: "A" })).toEqual([]);
    expect(await ids({ cityId: city.b, category: "C" })).toEqual([]);
  });

  test("a list item says which categories and transmission", async () => {
    const { items } = await listInstructors(d.db, { cityId: city.a, category: "BE" }, 0);
    expect(items).toEqual([expect.objectContaining({ id: inst.i5, transmission: "automatic", categories: ["C", "BE"], schoolName: null })]);
  });

  test("offeredTransmissions: of the category when given, never from an inactive school's instructor", async () => {
    expect(await offeredTransmissions(d.db, city.a)).toEqual(["automatic", "manual"]);
    expect(await offeredTransmissions(d.db, city.a, "C")).toEqual(["automatic", "manual"]);
    expect(await offeredTransmissions(d.db, city.a, "BE")).toEqual(["automatic"]);
    expect(await offeredTransmissions(d.db, city.a, "B")).toEqual(["automatic", "manual"]);
    expect(await offeredTransmissions(d.db, city.a, "D")).toEqual([]);
    expect(await offeredTransmissions(d.db, city.empty)).toEqual([]);
  });

  test("offeredInstructorCategories: the law's order, only instructors who can be shown", async () => {
    expect(await offeredInstructorCategories(d.db, city.a)).toEqual(["B", "BE", "C"]);
    expect(await offeredInstructorCategories(d.db, city.b)).toEqual(["B"]);
    expect(await offeredInstructorCategories(d.db, city.empty)).toEqual([]);
  });

  test("findActiveInstructor still hides an inactive school's instructor", async () => {
    expect(await findActiveInstructor(d.db, inst.i3)).toBeNull();
    expect(await findActiveInstructor(d.db, inst.i4)).toBeNull();
    expect((await findActiveInstructor(d.db, inst.i2))?.schoolName).not.toBeNull();
  });
});

describe("a chosen school or instructor must be one the list could show", () => {
  test("schoolMatches", async () => {
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course", category: "B", format: "in_person" }, school.s1)).toBe(true);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "test_prep" }, school.s1)).toBe(true);
    expect(await schoolMatches(d.db, { cityId: city.b, kind: "full_course", category: "C" }, school.s5)).toBe(true);
    // Another city.
    expect(await schoolMatches(d.db, { cityId: city.b, kind: "full_course" }, school.s1)).toBe(false);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course", category: "C" }, school.s5)).toBe(false);
    // No matching offer: another kind, category or format, or only an inactive one.
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "practice" }, school.s1)).toBe(false);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course", category: "C" }, school.s1)).toBe(false);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course", category: "B", format: "weekend" }, school.s1)).toBe(false);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course" }, school.s2)).toBe(false);
    // An inactive school, or none at all.
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course", category: "B" }, school.s3)).toBe(false);
    expect(await schoolMatches(d.db, { cityId: city.a, kind: "full_course" }, 2_000_000_000)).toBe(false);
  });

  test("instructorMatches", async () => {
    expect(await instructorMatches(d.db, { cityId: city.a }, inst.i1)).toBe(true);
    expect(await instructorMatches(d.db, { cityId: city.a, category: "C", transmission: "manual" }, inst.i1)).toBe(true);
    expect(await instructorMatches(d.db, { cityId: city.b, category: "B" }, inst.i6)).toBe(true);
    // Another category, transmission or city.
    expect(await instructorMatches(d.db, { cityId: city.a, category: "BE" }, inst.i1)).toBe(false);
    expect(await instructorMatches(d.db, { cityId: city.a, transmission: "automatic" }, inst.i1)).toBe(false);
    expect(await instructorMatches(d.db, { cityId: city.b }, inst.i1)).toBe(false);
    // Of an inactive school, inactive, or none at all.
    expect(await instructorMatches(d.db, { cityId: city.a, category: "B" }, inst.i3)).toBe(false);
    expect(await instructorMatches(d.db, { cityId: city.a, category: "A" }, inst.i4)).toBe(false);
    expect(await instructorMatches(d.db, { cityId: city.a }, 2_000_000_000)).toBe(false);
  });

  test("the bot's cached reader answers the same", async () => {
    const reader = new CatalogCache().reader(d.db, 1);
    expect(await reader.schoolMatches({ cityId: city.b, kind: "full_course" }, school.s1)).toBe(false);
    expect(await reader.instructorMatches({ cityId: city.a, category: "C" }, inst.i5)).toBe(true);
    expect(await reader.offeredInstructorCategories(city.a)).toEqual(["B", "BE", "C"]);
    expect((await reader.listCitiesWithCounts("full_course")).map((c) => [c.id, c.schools])).toEqual([
      [city.a, 2],
      [city.b, 1],
      [city.empty, 0],
    ]);
  });
});
