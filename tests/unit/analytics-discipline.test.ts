// Discipline index: the worked examples of docs/analytics.md as fixtures (numbers computed by
// hand there), plus property tests over random funnel events and counts.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  discipline,
  funnelStats,
  tallyReplies,
  tallyStudentApplications,
  tallyStudentLessons,
  type DisciplineInput,
  type FunnelAction,
  type FunnelEventInput,
} from "../../src/analytics/discipline.ts";
import type { IndexResult } from "../../src/analytics/explain.ts";

const MIN = 60_000;
const H = 60 * MIN;
/** Asia/Almaty wall time, as in the doc. */
const T = (s: string) => new Date(`${s}:00+05:00`);
const NOW = T("2025-03-10T12:00");

const ev = (at: string, flow: string, step: string, action: FunnelAction): FunnelEventInput => ({
  at: T(at),
  flow,
  step,
  action,
});

/** D1: one clean pass through the school flow on `day`. */
const cleanFlow = (day: string) => [
  ev(`${day}T10:00`, "school", "city", "enter"),
  ev(`${day}T10:01`, "school", "category", "enter"),
  ev(`${day}T10:02`, "school", "format", "enter"),
  ev(`${day}T10:03`, "school", "offer", "enter"),
  ev(`${day}T10:05`, "school", "contact", "enter"),
  ev(`${day}T10:06`, "school", "confirm", "submit"),
];

const D2_EVENTS = [
  ev("2025-03-01T10:00", "school", "city", "enter"),
  ev("2025-03-01T10:02", "school", "category", "enter"),
  ev("2025-03-01T10:03", "school", "category", "back"),
  ev("2025-03-01T10:04", "school", "category", "enter"),
  ev("2025-03-01T11:00", "school", "format", "enter"),
  ev("2025-03-01T11:01", "school", "format", "abandon"),
  ev("2025-03-02T09:00", "school", "start", "restart"),
  ev("2025-03-02T09:01", "school", "city", "enter"),
  ev("2025-03-02T09:02", "school", "category", "enter"),
  ev("2025-03-02T09:03", "school", "format", "enter"),
  ev("2025-03-02T09:04", "school", "confirm", "submit"),
  ev("2025-03-08T20:00", "instructor", "city", "enter"),
  ev("2025-03-08T20:01", "instructor", "instructor", "enter"),
  ev("2025-03-08T20:05", "instructor", "instructor", "back"),
];

const scores = (r: IndexResult) => Object.fromEntries(r.components.map((c) => [c.key, c.value]));
const points = (r: IndexResult) => r.components.map((c) => c.points);

function expectScores(r: IndexResult, expected: Record<string, number>) {
  const got = scores(r);
  for (const [k, v] of Object.entries(expected)) expect(got[k]).toBeCloseTo(v, 9);
}

describe("inputs", () => {
  test("funnel statistics of D2", () => {
    expect(funnelStats(D2_EVENTS, NOW)).toEqual({
      enters: 9,
      backs: 2,
      restarts: 1,
      submits: 1,
      abandons: 2, // one explicit, one flow left hanging for 1 day 16 h
      gaps: 11,
      longPauses: 1,
    });
  });

  test("a flow still in progress is not abandoned yet", () => {
    const events = [ev("2025-03-10T11:00", "school", "city", "enter"), ev("2025-03-10T11:50", "school", "category", "enter")];
    expect(funnelStats(events, NOW)).toMatchObject({ abandons: 0, gaps: 1, longPauses: 1 });
  });

  test("tallies from rows", () => {
    expect(
      tallyStudentApplications([
        { status: "confirmed", confirmedAt: T("2025-03-01T10:00") },
        { status: "cancelled", confirmedAt: T("2025-03-01T10:00"), cancelledAt: T("2025-03-02T10:00") },
        { status: "cancelled", cancelledAt: T("2025-03-02T10:00") }, // withdrawn before confirmation
        { status: "paid" },
        { status: "rejected" },
      ]),
    ).toEqual({ confirmed: 3, cancelledAfterConfirm: 1 });
    expect(tallyReplies([H, 24 * H, 24 * H + 1, 3 * 24 * H])).toEqual({ total: 4, late: 2 });
  });
});

describe("discipline: worked examples", () => {
  test("D0: a new student → the starting value 76", () => {
    const r = discipline({ funnelEvents: [], now: NOW });
    expect(r.value).toBe(76);
    expect(points(r)).toEqual([24, 16, 12, 9, 8, 7]);
    expect(r.explanation).toEqual({
      ru: "Индекс дисциплины — 76 из 100: данных пока нет, это стартовая оценка.",
      kk: "Тәртіп индексі — 76 / 100: деректер әзірге жоқ, бұл — бастапқы баға.",
    });
  });

  test("D1: one clean flow", () => {
    const r = discipline({ funnelEvents: cleanFlow("2025-03-10"), now: NOW });
    expect(r.value).toBe(80);
    expect(points(r)).toEqual([24, 16, 12, 10, 9, 9]);
    expectScores(r, { attendance: 0.8, kept: 0.8, replies: 0.8, completed: 4 / 6, steady: 0.9, pace: 0.85 });
    expect(r.sampleSize).toBe(6);
    expect(r.explanation).toEqual({
      ru: "Индекс дисциплины — 80 из 100. Сильная сторона — темп без долгих пауз. Данных пока мало, поэтому оценка близка к стартовой (76).",
      kk: "Тәртіп индексі — 80 / 100. Күшті жағы — ұзақ үзіліссіз қарқын. Деректер әзірге аз, сондықтан баға бастапқы мәнге (76) жақын.",
    });
  });

  test("D2: a hesitant student who misses lessons", () => {
    const r = discipline({
      funnelEvents: D2_EVENTS,
      applications: { confirmed: 1, cancelledAfterConfirm: 1 },
      lessons: { conducted: 3, noShowByStudent: 2 },
      replies: { total: 4, late: 1 },
      now: NOW,
    });
    expect(r.value).toBe(60);
    expect(points(r)).toEqual([15, 10, 12, 7, 8, 8]);
    expectScores(r, { attendance: 0.5, kept: 0.5, replies: 7 / 9, completed: 0.5, steady: 13 / 17, pace: 13.5 / 16 });
    expect(r.sampleSize).toBe(24);
    expect(r.components.map((c) => c.detail.ru)).toEqual([
      "Посещено занятий — 3, неявок — 2: +15 из 30",
      "Отменено после подтверждения 1 из 1: +10 из 20",
      "Ответов позже 24 ч — 1 из 4: +12 из 15",
      "Отправлено заявок — 1, брошено на полпути — 2: +7 из 15",
      "Шагов вперёд — 9, «Назад» — 2, перезапусков — 1: +8 из 10",
      "Пауз дольше 30 мин между шагами — 1 из 11: +8 из 10",
    ]);
    expect(r.components[0].detail.kk).toBe("Қатысқан сабақ — 3, келмеген — 2: +15 ұпай (ең көбі 30)");
    expect(r.explanation).toEqual({
      ru: "Индекс дисциплины — 60 из 100. Сильная сторона — темп без долгих пауз. Слабое место — посещение занятий. Данных пока мало, поэтому оценка близка к стартовой (76).",
      kk: "Тәртіп индексі — 60 / 100. Күшті жағы — ұзақ үзіліссіз қарқын. Әлсіз жағы — сабаққа қатысу. Деректер әзірге аз, сондықтан баға бастапқы мәнге (76) жақын.",
    });
  });

  test("D3: a long history, more no-shows than lessons", () => {
    const r = discipline({
      funnelEvents: [...cleanFlow("2025-02-20"), ...cleanFlow("2025-02-27")],
      applications: { confirmed: 2, cancelledAfterConfirm: 0 },
      lessons: { conducted: 6, noShowByStudent: 9 },
      replies: { total: 10, late: 5 },
      now: NOW,
    });
    expect(r.value).toBe(57);
    expect(points(r)).toEqual([2, 17, 9, 11, 9, 9]);
    expectScores(r, { attendance: 0.05, kept: 6 / 7, replies: 0.6, completed: 5 / 7, steady: 14 / 15, pace: 0.9 });
    expect(r.sampleSize).toBe(39);
    expect(r.explanation.ru).toBe(
      "Индекс дисциплины — 57 из 100. Сильная сторона — темп без долгих пауз. Слабое место — посещение занятий.",
    );
  });
});

// ---- properties ----

const actions: FunnelAction[] = ["enter", "back", "restart", "submit", "abandon"];
const eventArb = fc
  .record({
    // Small offsets make equal timestamps (ties) common; large ones cross every threshold.
    minutesAgo: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 60 * 24 * 20 })),
    flow: fc.constantFrom("school", "instructor"),
    step: fc.constantFrom("city", "category", "format", "confirm"),
    action: fc.constantFrom(...actions),
  })
  .map(({ minutesAgo, flow, step, action }) => ({ at: new Date(NOW.getTime() - minutesAgo * MIN), flow, step, action }));

const inputArb: fc.Arbitrary<DisciplineInput> = fc.record({
  funnelEvents: fc.array(eventArb, { maxLength: 40 }),
  applications: fc.record({ confirmed: fc.nat(20), cancelledAfterConfirm: fc.nat(20) }),
  lessons: fc.record({ conducted: fc.nat(40), noShowByStudent: fc.nat(40) }),
  replies: fc.record({ total: fc.nat(30), late: fc.nat(30) }),
  now: fc.constant(NOW),
});

describe("discipline: properties", () => {
  test("the index stays an integer within 0..100 and its points add up to it", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = discipline(input);
        expect(Number.isInteger(r.value)).toBe(true);
        expect(r.value).toBeGreaterThanOrEqual(0);
        expect(r.value).toBeLessThanOrEqual(100);
        expect(r.components.reduce((a, c) => a + c.points, 0)).toBe(r.value);
        for (const c of r.components) {
          expect(c.value).toBeGreaterThanOrEqual(0);
          expect(c.value).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("more no-shows never raise discipline", () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 20 }), (input, more) => {
        const lessons = input.lessons!;
        const base = discipline(input).value;
        const added = discipline({ ...input, lessons: { ...lessons, noShowByStudent: lessons.noShowByStudent + more } });
        expect(added.value).toBeLessThanOrEqual(base);
        // A lesson that was conducted turning into a no-show is worse too.
        if (lessons.conducted > 0) {
          const turned = discipline({
            ...input,
            lessons: { conducted: lessons.conducted - 1, noShowByStudent: lessons.noShowByStudent + 1 },
          });
          expect(turned.value).toBeLessThanOrEqual(base);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("the result does not depend on the order of funnel events", () => {
    const permuted = inputArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray([...input.funnelEvents], {
          minLength: input.funnelEvents.length,
          maxLength: input.funnelEvents.length,
        }),
      ),
    );
    fc.assert(
      fc.property(permuted, ([input, shuffled]) => {
        expect(discipline({ ...input, funnelEvents: shuffled })).toEqual(discipline(input));
      }),
      { numRuns: 300 },
    );
  });
});

describe("late cancellations (issue 15)", () => {
  const base = { funnelEvents: cleanFlow("2025-03-01"), applications: { confirmed: 1, cancelledAfterConfirm: 0 }, now: NOW };
  const attendance = (r: IndexResult) => r.components.find((c) => c.key === "attendance")!;

  test("a lesson the student cancelled inside the cut-off counts like their no-show", () => {
    const late = discipline({ ...base, lessons: { conducted: 3, noShowByStudent: 0, lateCancelledByStudent: 1 } });
    const noShow = discipline({ ...base, lessons: { conducted: 3, noShowByStudent: 1 } });
    expect(late.value).toBe(noShow.value);
    expect(attendance(late).points).toBe(attendance(noShow).points);
    expect(late.sampleSize).toBe(noShow.sampleSize);
    expect(attendance(late).detail.ru).toStartWith("Посещено занятий — 3, неявок — 0, поздних отмен — 1");
    expect(attendance(late).detail.kk).toStartWith("Қатысқан сабақ — 3, келмеген — 0, кеш болдырмаған — 1");
    expect(attendance(noShow).detail.ru).toStartWith("Посещено занятий — 3, неявок — 1:");
    // Worse than no late cancellation at all.
    expect(late.value).toBeLessThan(discipline({ ...base, lessons: { conducted: 3, noShowByStudent: 0 } }).value);
  });

  test("only the student's late cancellations count: in time, or by the instructor or the school, they are nobody's", () => {
    const rows = [
      { state: "conducted" as const },
      { state: "no_show" as const, noShowBy: "student" as const },
      { state: "no_show" as const, noShowBy: null },
      { state: "cancelled" as const, cancelledBy: "student" as const, cancelledLate: true },
      { state: "cancelled" as const, cancelledBy: "student" as const, cancelledLate: false },
      { state: "cancelled" as const, cancelledBy: "instructor" as const, cancelledLate: false },
      { state: "cancelled" as const, cancelledBy: "school" as const, cancelledLate: false },
      { state: "cancelled" as const, cancelledBy: null },
      { state: "planned" as const },
    ];
    expect(tallyStudentLessons(rows)).toEqual({ conducted: 1, noShowByStudent: 1, lateCancelledByStudent: 1 });
  });

  test("more late cancellations never raise discipline", () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), (input, late, more) => {
        const lessons = { ...input.lessons!, lateCancelledByStudent: late };
        const before = discipline({ ...input, lessons }).value;
        expect(discipline({ ...input, lessons: { ...lessons, lateCancelledByStudent: late + more } }).value).toBeLessThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
