// Lessons: planning for accepted applications, marking outcomes, always scoped to one instructor.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applicationEvents, applications, cities, instructors, students } from "../../src/db/schema.ts";
import { lessonItems } from "../../src/domain/lesson-lists.ts";
import { LessonError, markLesson, planLesson } from "../../src/domain/lessons.ts";
import { lessonProblemText } from "../../src/i18n/crm/lessons.ts";

const listLessons = (db: TestDatabase["db"], instructorId: number, from: Date, to: Date) => lessonItems(db, { kind: "instructor", instructorId, accountId: null }, from, to);
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

setDefaultTimeout(30_000);

const almaty = (s: string) => new Date(`${s}+05:00`);
const now = almaty("2025-03-10T12:00:00");
/** Lessons in the 2025 test weeks are planned "before" them. */
const BEFORE = { now: almaty("2025-03-01T00:00:00") };

let d: TestDatabase;
let mine: number;
let theirs: number;
let accepted: number;
let fresh: number;
let theirsAccepted: number;

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(LessonError);
  return `${(err as LessonError).code}: ${lessonProblemText((err as LessonError).problem, "ru")}`;
}

beforeAll(async () => {
  d = await createTestDatabase();
  const [city] = await d.db.insert(cities).values({ nameRu: "Алматы", nameKk: "Алматы" }).returning();
  [{ id: mine }, { id: theirs }] = (await d.db
    .insert(instructors)
    .values([
      { cityId: city!.id, name: "И1", transmission: "manual", pricePerHourKzt: 5000 },
      { cityId: city!.id, name: "И2", transmission: "manual", pricePerHourKzt: 5000 },
    ])
    .returning({ id: instructors.id })) as [{ id: number }, { id: number }];
  const [student] = await d.db.insert(students).values({ telegramId: 7, chatId: 7, firstName: "Айгерим" }).returning();
  const app = (n: number, instructorId: number, status: "accepted" | "new", name: string) => ({
    publicNumber: `L${n}`,
    idempotencyKey: `lesson-${n}`,
    studentId: student!.id,
    kind: "instructor" as const,
    cityId: city!.id,
    instructorId,
    status,
    studentName: name,
    studentPhone: "+77010000001",
    createdAt: almaty("2025-03-01T10:00:00"),
  });
  [{ id: accepted }, { id: fresh }, { id: theirsAccepted }] = (await d.db
    .insert(applications)
    .values([app(1, mine, "accepted", "Айгерим <Б.>"), app(2, mine, "new", "Ерлан"), app(3, theirs, "accepted", "Дана")])
    .returning({ id: applications.id })) as [{ id: number }, { id: number }, { id: number }];
});

afterAll(async () => {
  await d?.dispose();
});

describe("planLesson", () => {
  test("plans a lesson for the instructor's accepted application and notes it", async () => {
    const lesson = await planLesson(d.db, mine, accepted, almaty("2025-03-09T10:00:00"), 90, BEFORE);
    expect([lesson.state, lesson.minutes, lesson.instructorId]).toEqual(["planned", 90, mine]);
    const events = await d.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, accepted));
    expect(events.map((e) => [e.type, e.payload])).toEqual([["lesson", { lesson: lesson.id, action: "planned", startsAt: "2025-03-09T05:00:00.000Z", minutes: 90 }]]);
  });

  test("refuses another instructor's application, an application not accepted, overlaps and bad lengths", async () => {
    expect(await code(planLesson(d.db, mine, theirsAccepted, almaty("2025-03-12T10:00:00"), 60, BEFORE))).toBe("not_found: Заявка не найдена.");
    expect(await code(planLesson(d.db, mine, 999_999, almaty("2025-03-12T10:00:00"), 60, BEFORE))).toBe("not_found: Заявка не найдена.");
    expect(await code(planLesson(d.db, mine, fresh, almaty("2025-03-12T10:00:00"), 60, BEFORE))).toBe(
      "invalid: Занятие можно назначить только по принятой заявке.",
    );
    expect(await code(planLesson(d.db, mine, accepted, almaty("2025-03-09T11:00:00"), 60, BEFORE))).toBe("invalid: В это время уже есть другое занятие или запись.");
    expect(await code(planLesson(d.db, mine, accepted, almaty("2025-03-12T10:00:00"), 5, BEFORE))).toStartWith("invalid: Длительность");
    // A time already past is refused by the domain (the route no longer checks it itself).
    const late = await planLesson(d.db, mine, accepted, almaty("2025-03-12T10:00:00"), 60, { now: almaty("2025-03-12T10:00:00") }).catch((e) => e);
    expect([lessonProblemText(late.problem, "ru"), late.field]).toEqual(["Это время уже прошло.", "startsAt"]);
    expect(lessonProblemText(late.problem, "kk")).toBe("Бұл уақыт өтіп кетті.");
    // Right after the first one ends is fine; another instructor's lessons do not clash with mine.
    await planLesson(d.db, mine, accepted, almaty("2025-03-09T11:30:00"), 60, BEFORE);
    await planLesson(d.db, theirs, theirsAccepted, almaty("2025-03-09T10:00:00"), 60, BEFORE);
  });
});

describe("lessonItems and markLesson", () => {
  test("lists the instructor's lessons in the range with the student's name", async () => {
    await planLesson(d.db, mine, accepted, almaty("2025-03-20T10:00:00"), 60, BEFORE);
    const list = await listLessons(d.db, mine, almaty("2025-03-09T00:00:00"), almaty("2025-03-10T00:00:00"));
    expect(list.map((l) => [l.startsAt.toISOString(), l.studentName, l.publicNumber, l.state])).toEqual([
      ["2025-03-09T05:00:00.000Z", "Айгерим <Б.>", "L1", "planned"],
      ["2025-03-09T06:30:00.000Z", "Айгерим <Б.>", "L1", "planned"],
    ]);
    expect(await listLessons(d.db, theirs, almaty("2025-03-09T00:00:00"), almaty("2025-03-10T00:00:00"))).toHaveLength(1);
  });

  test("marks only the instructor's own planned, started lessons, and notes each mark", async () => {
    const [first, second] = await listLessons(d.db, mine, almaty("2025-03-09T00:00:00"), almaty("2025-03-10T00:00:00"));
    const [foreign] = await listLessons(d.db, theirs, almaty("2025-03-09T00:00:00"), almaty("2025-03-10T00:00:00"));
    expect(await code(markLesson(d.db, mine, foreign!.id, "conducted", null, { now }))).toBe("not_found: Занятие не найдено.");
    expect(await code(markLesson(d.db, theirs, first!.id, "conducted", null, { now }))).toBe("not_found: Занятие не найдено.");

    const done = await markLesson(d.db, mine, first!.id, "conducted", "student", { now });
    expect([done.state, done.noShowBy]).toEqual(["conducted", null]);
    expect(await code(markLesson(d.db, mine, first!.id, "no_show", "student", { now }))).toBe(
      "invalid: Отметить можно только запланированное занятие.",
    );
    const missed = await markLesson(d.db, mine, second!.id, "no_show", "student", { now });
    expect([missed.state, missed.noShowBy]).toEqual(["no_show", "student"]);

    const [future] = await listLessons(d.db, mine, almaty("2025-03-20T00:00:00"), almaty("2025-03-21T00:00:00"));
    expect(await code(markLesson(d.db, mine, future!.id, "conducted", null, { now }))).toBe("invalid: Занятие ещё не началось.");

    const notes = await d.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, accepted)).orderBy(applicationEvents.id);
    expect(notes.filter((e) => e.payload.action !== "planned").map((e) => [e.type, e.payload])).toEqual([
      ["lesson", { lesson: first!.id, action: "conducted", startsAt: first!.startsAt.toISOString() }],
      ["lesson", { lesson: second!.id, action: "no_show", startsAt: second!.startsAt.toISOString(), noShowBy: "student" }],
    ]);
  });
});
