// Trust index: the worked examples of docs/analytics.md as fixtures (numbers computed by hand
// there), plus property tests over random applications.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDuration, ruPlural, type IndexResult } from "../../src/analytics/explain.ts";
import { median, shrink, shrinkShare, stretch } from "../../src/analytics/shrink.ts";
import {
  effectiveResponseMs,
  instructorTrust,
  schoolTrust,
  speedScore,
  tallyLessons,
  type ApplicationStatus,
  type TrustApplication,
} from "../../src/analytics/trust.ts";

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
/** Asia/Almaty wall time, as in the doc. */
const T = (s: string) => new Date(`${s}:00+05:00`);
const NOW = T("2025-03-10T12:00");
const after = (d: Date, ms: number) => new Date(d.getTime() + ms);

const scores = (r: IndexResult) => Object.fromEntries(r.components.map((c) => [c.key, c.value]));
const points = (r: IndexResult) => r.components.map((c) => c.points);

function expectScores(r: IndexResult, expected: Record<string, number>) {
  const got = scores(r);
  for (const [k, v] of Object.entries(expected)) expect(got[k]).toBeCloseTo(v, 9);
}

describe("helpers", () => {
  test("shrink: no data is exactly the prior; data pulls toward the observation", () => {
    expect(shrink(Number.NaN, 0, 0.6)).toBe(0.6);
    expect(shrink(1, 1, 0.5)).toBeCloseTo(3.5 / 6, 12);
    expect(shrinkShare(0, 0, 0.9)).toBe(0.9);
    expect(shrinkShare(500, 500, 0.5)).toBeCloseTo(502.5 / 505, 12);
    expect(stretch(0.75, 0.5)).toBe(0.5);
    expect(stretch(0.4, 0.5)).toBe(0);
  });

  test("lower median", () => {
    expect(median([])).toBeNaN();
    expect(median([3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    expect(median([1, 2, Infinity, Infinity])).toBe(2);
  });

  test("speed score: 1/8 per doubling after 15 min, as in the doc's table", () => {
    const table: [number, number][] = [
      [0, 1], [10 * MIN, 1], [15 * MIN, 1], [30 * MIN, 7 / 8], [H, 3 / 4], [2 * H, 5 / 8], [4 * H, 1 / 2],
      [8 * H, 3 / 8], [16 * H, 1 / 4], [32 * H, 1 / 8], [64 * H, 0], [100 * H, 0], [Infinity, 0],
    ];
    for (const [t, s] of table) expect(speedScore(t)).toBeCloseTo(s, 12);
  });

  test("effective response time", () => {
    const created = T("2025-03-09T10:00");
    const app = (extra: Partial<TrustApplication>): TrustApplication => ({ createdAt: created, status: "new", ...extra });
    expect(effectiveResponseMs(app({ firstResponseAt: after(created, 2 * H) }), NOW)).toBe(2 * H);
    // Waiting 26 h with no answer: no answer.
    expect(effectiveResponseMs(app({}), NOW)).toBe(Infinity);
    // Waiting 2 h so far: 2 h.
    expect(effectiveResponseMs({ createdAt: T("2025-03-10T10:00"), status: "new" }, NOW)).toBe(2 * H);
    // The student cancelled after 1 h; the answer came later and reached nobody.
    expect(
      effectiveResponseMs(app({ cancelledAt: after(created, H), firstResponseAt: after(created, 3 * H) }), NOW),
    ).toBe(H);
  });

  test("texts", () => {
    expect(formatDuration(10 * MIN)).toEqual({ ru: "10 мин", kk: "10 мин" });
    expect(formatDuration(90 * MIN)).toEqual({ ru: "1 ч 30 мин", kk: "1 сағ 30 мин" });
    expect(formatDuration(59.9 * MIN)).toEqual({ ru: "1 ч", kk: "1 сағ" });
    expect(formatDuration(28 * H)).toEqual({ ru: "1 дн. 4 ч", kk: "1 күн 4 сағ" });
    expect([1, 2, 5, 11, 21, 22, 112].map((n) => ruPlural(n, "заявке", "заявкам", "заявкам"))).toEqual([
      "заявке", "заявкам", "заявкам", "заявкам", "заявке", "заявкам", "заявкам",
    ]);
  });

  test("tallyLessons counts a no-show only for the side named", () => {
    expect(
      tallyLessons([
        { state: "conducted" },
        { state: "no_show", noShowBy: "student" },
        { state: "no_show", noShowBy: "instructor" },
        { state: "no_show", noShowBy: null },
        { state: "planned" },
        { state: "cancelled" },
      ]),
    ).toEqual({ conducted: 1, noShowByStudent: 1, noShowByInstructor: 1 });
  });
});

// ---- worked examples (docs/analytics.md) ----

const T2: TrustApplication[] = [
  { createdAt: T("2025-02-20T10:00"), firstResponseAt: T("2025-02-20T10:30"), status: "paid", confirmedAt: T("2025-02-21T10:00"), paidAt: T("2025-02-23T10:00") },
  { createdAt: T("2025-02-21T10:00"), firstResponseAt: T("2025-02-21T11:00"), status: "paid", confirmedAt: T("2025-02-22T10:00"), paidAt: T("2025-02-25T10:00") },
  { createdAt: T("2025-02-22T10:00"), firstResponseAt: T("2025-02-22T12:00"), status: "studying", confirmedAt: T("2025-02-23T10:00"), paidAt: T("2025-02-24T10:00") },
  { createdAt: T("2025-02-24T10:00"), firstResponseAt: T("2025-02-24T12:00"), status: "confirmed", confirmedAt: T("2025-02-25T10:00") },
  { createdAt: T("2025-02-25T10:00"), firstResponseAt: T("2025-02-25T14:00"), status: "cancelled", confirmedAt: T("2025-02-26T10:00"), cancelledAt: T("2025-02-28T10:00") },
  { createdAt: T("2025-02-26T10:00"), firstResponseAt: T("2025-02-26T18:00"), status: "rejected" },
  { createdAt: T("2025-03-01T10:00"), status: "new" },
  { createdAt: T("2025-03-02T10:00"), status: "new" },
  { createdAt: T("2025-03-10T08:00"), status: "new" },
  { createdAt: T("2025-03-05T10:00"), status: "cancelled", cancelledAt: T("2025-03-05T11:00") },
];

function t3(): TrustApplication[] {
  return Array.from({ length: 500 }, (_, i) => {
    const createdAt = after(NOW, -10 * D);
    const a: TrustApplication = { createdAt, firstResponseAt: after(createdAt, H), status: "rejected" };
    if (i < 300) Object.assign(a, { status: "confirmed", confirmedAt: after(createdAt, D) });
    if (i < 240) Object.assign(a, { status: "paid", paidAt: after(createdAt, 2 * D) });
    else if (i < 260) Object.assign(a, { status: "cancelled", cancelledAt: after(createdAt, 3 * D) });
    return a;
  });
}

describe("school trust: worked examples", () => {
  test("T0: no applications → the starting value 61", () => {
    const r = schoolTrust({ applications: [], now: NOW });
    expect(r.value).toBe(61);
    expect(points(r)).toEqual([15, 10, 12, 16, 8]);
    expect(r.sampleSize).toBe(0);
    expectScores(r, { speed: 0.5, confirmed: 0.5, paid: 0.6, answered: 0.8, kept: 0.8 });
    expect(r.explanation).toEqual({
      ru: "Индекс доверия — 61 из 100: данных пока нет, это стартовая оценка.",
      kk: "Сенім индексі — 61 / 100: деректер әзірге жоқ, бұл — бастапқы баға.",
    });
  });

  test("T1: one fast answer", () => {
    const r = schoolTrust({
      applications: [{ createdAt: T("2025-03-10T10:00"), firstResponseAt: T("2025-03-10T10:10"), status: "contacted" }],
      now: NOW,
    });
    expect(r.value).toBe(64);
    expect(points(r)).toEqual([18, 10, 12, 16, 8]);
    expectScores(r, { speed: 3.5 / 6, confirmed: 0.5, paid: 0.6, answered: 0.8, kept: 0.8 });
    expect(r.components.map((c) => c.n)).toEqual([1, 0, 0, 0, 0]);
    expect(r.components[0].detail).toEqual({
      ru: "Медианное время первого ответа — 10 мин: +18 из 30",
      kk: "Алғашқы жауап уақытының медианасы — 10 мин: +18 ұпай (ең көбі 30)",
    });
    expect(r.components[1].detail.ru).toBe("Данных пока нет — стартовая оценка: +10 из 20");
    expect(r.explanation).toEqual({
      ru: "Индекс доверия — 64 из 100, по 1 заявке. Сильная сторона — скорость ответа. Данных пока мало, поэтому оценка близка к стартовой (61).",
      kk: "Сенім индексі — 64 / 100, 1 өтінім бойынша. Күшті жағы — жауап беру жылдамдығы. Деректер әзірге аз, сондықтан баға бастапқы мәнге (61) жақын.",
    });
  });

  test("T2: ten applications, two ignored", () => {
    const r = schoolTrust({ applications: T2, now: NOW });
    expect(r.value).toBe(61);
    expect(points(r)).toEqual([17, 12, 12, 12, 8]);
    expectScores(r, { speed: 8.75 / 15, confirmed: 7.5 / 13, paid: 0.6, answered: 8 / 13, kept: 0.8 });
    expect(r.components.map((c) => c.n)).toEqual([10, 8, 5, 8, 5]);
    expect(r.components.map((c) => c.detail.ru)).toEqual([
      "Медианное время первого ответа — 2 ч: +17 из 30",
      "Подтверждено 5 из 8 (63%): +12 из 20",
      "Оплачено 3 из 5 подтверждённых (60%): +12 из 20",
      "Без ответа дольше 24 ч осталось 2 из 8 (25%): +12 из 20",
      "После подтверждения ученики отменили 1 из 5 (20%): +8 из 10",
    ]);
    expect(r.explanation).toEqual({
      ru: "Индекс доверия — 61 из 100, по 10 заявкам. Сильная сторона — скорость ответа. Слабое место — полнота ответов.",
      kk: "Сенім индексі — 61 / 100, 10 өтінім бойынша. Күшті жағы — жауап беру жылдамдығы. Әлсіз жағы — жауаптардың толықтығы.",
    });
  });

  test("T3: 500 applications; one fast answer (T1) does not outrank it", () => {
    const r = schoolTrust({ applications: t3(), now: NOW });
    expect(r.value).toBe(80);
    expect(points(r)).toEqual([23, 12, 16, 20, 9]);
    expectScores(r, {
      speed: 377.5 / 505,
      confirmed: 302.5 / 505,
      paid: 243 / 305,
      answered: 504 / 505,
      kept: 284 / 305,
    });
    expect(r.explanation.ru).toBe("Индекс доверия — 80 из 100, по 500 заявкам. Сильная сторона — скорость ответа.");
    const one = schoolTrust({
      applications: [{ createdAt: T("2025-03-10T11:00"), firstResponseAt: T("2025-03-10T11:01"), status: "contacted" }],
      now: NOW,
    });
    expect(one.value).toBeLessThan(r.value);
  });
});

describe("instructor trust: worked examples", () => {
  test("I0: no data → the starting value 68", () => {
    const r = instructorTrust({ applications: [], now: NOW });
    expect(r.value).toBe(68);
    expect(points(r)).toEqual([15, 27, 10, 16]);
  });

  test("I1: responsive, one application ignored", () => {
    const r = instructorTrust({
      applications: [
        { createdAt: T("2025-03-01T09:00"), firstResponseAt: T("2025-03-01T09:15"), status: "accepted" },
        { createdAt: T("2025-03-03T09:00"), firstResponseAt: T("2025-03-03T09:30"), status: "accepted" },
        { createdAt: T("2025-03-05T09:00"), firstResponseAt: T("2025-03-05T11:00"), status: "rejected" },
        { createdAt: T("2025-03-08T09:00"), status: "new" },
        { createdAt: T("2025-03-10T11:00"), status: "new" },
      ],
      lessons: { conducted: 20, noShowByInstructor: 0 },
      now: NOW,
    });
    expect(r.value).toBe(71);
    expect(points(r)).toEqual([19, 29, 10, 13]);
    expectScores(r, { speed: 0.625, lessons: 0.98, accepted: 0.5, answered: 6 / 9 });
    expect(r.sampleSize).toBe(25);
    expect(r.explanation).toEqual({
      ru: "Индекс доверия — 71 из 100, по 5 заявкам и 20 занятиям. Сильная сторона — скорость ответа. Слабое место — полнота ответов.",
      kk: "Сенім индексі — 71 / 100, 5 өтінім және 20 сабақ бойынша. Күшті жағы — жауап беру жылдамдығы. Әлсіз жағы — жауаптардың толықтығы.",
    });
  });

  test("I2: unreliable", () => {
    const day = (d: number) => T(`2025-03-0${d}T09:00`);
    const r = instructorTrust({
      applications: [
        { createdAt: day(1), firstResponseAt: after(day(1), 16 * H), status: "accepted" },
        { createdAt: day(2), firstResponseAt: after(day(2), 16 * H), status: "rejected" },
        { createdAt: day(3), status: "new" },
        { createdAt: day(4), status: "new" },
        { createdAt: day(5), status: "new" },
      ],
      lessons: { conducted: 4, noShowByInstructor: 6 },
      now: NOW,
    });
    expect(r.value).toBe(26);
    expect(points(r)).toEqual([8, 5, 7, 6]);
    expectScores(r, { speed: 0.25, lessons: 2.5 / 15, accepted: 0.35, answered: 0.3 });
    expect(r.components[0].detail.ru).toBe("Больше половины заявок без ответа дольше 24 ч: +8 из 30");
    expect(r.explanation.ru).toBe("Индекс доверия — 26 из 100, по 5 заявкам и 10 занятиям. Слабое место — проведение занятий.");
    expect(r.explanation.kk).toBe("Сенім индексі — 26 / 100, 5 өтінім және 10 сабақ бойынша. Әлсіз жағы — сабақтарды өткізу.");
  });
});

// ---- properties ----

const statuses: ApplicationStatus[] = [
  "new", "contacted", "confirmed", "paid", "studying", "completed", "accepted", "rejected", "cancelled",
];
/** Minutes, biased toward the thresholds that matter (15 min … 7 days). */
const minutes = fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 * 24 * 40 }));
const maybe = fc.option(minutes, { nil: null });

const appArb = fc
  .record({ age: minutes, resp: maybe, status: fc.constantFrom(...statuses), conf: maybe, pay: maybe, cancel: maybe })
  .map(({ age, resp, status, conf, pay, cancel }): TrustApplication => {
    const createdAt = after(NOW, -age * MIN);
    const at = (m: number | null) => (m === null ? null : after(createdAt, m * MIN));
    return { createdAt, status, firstResponseAt: at(resp), confirmedAt: at(conf), paidAt: at(pay), cancelledAt: at(cancel) };
  });
const appsArb = fc.array(appArb, { maxLength: 40 });
const lessonsArb = fc.record({ conducted: fc.nat(60), noShowByInstructor: fc.nat(60) });

/** The same applications with application i answered earlier (or answered at all). */
const fasterArb = appsArb
  .filter((apps) => apps.length > 0)
  .chain((apps) =>
    fc.record({
      apps: fc.constant(apps),
      i: fc.nat(apps.length - 1),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      fresh: minutes,
    }),
  )
  .map(({ apps, i, fraction, fresh }) => {
    const a = apps[i];
    const created = a.createdAt.getTime();
    const at = a.firstResponseAt
      ? new Date(created + Math.floor((a.firstResponseAt.getTime() - created) * fraction))
      : new Date(created + fresh * MIN);
    const faster = apps.map((x, j) => (j === i ? { ...x, firstResponseAt: at } : x));
    return { apps, faster };
  });

function expectWellFormed(r: IndexResult) {
  expect(Number.isInteger(r.value)).toBe(true);
  expect(r.value).toBeGreaterThanOrEqual(0);
  expect(r.value).toBeLessThanOrEqual(100);
  expect(r.components.reduce((a, c) => a + c.points, 0)).toBe(r.value);
  expect(r.components.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(1, 12);
  for (const c of r.components) {
    expect(c.value).toBeGreaterThanOrEqual(0);
    expect(c.value).toBeLessThanOrEqual(1);
    expect(c.points).toBeLessThanOrEqual(Math.round(c.weight * 100));
  }
}

function expectNotLower(better: IndexResult, base: IndexResult) {
  expect(better.value).toBeGreaterThanOrEqual(base.value);
  better.components.forEach((c, i) => expect(c.value).toBeGreaterThanOrEqual(base.components[i].value));
}

describe("trust: properties", () => {
  test("the index stays an integer within 0..100 and its points add up to it", () => {
    fc.assert(
      fc.property(appsArb, lessonsArb, (apps, lessons) => {
        expectWellFormed(schoolTrust({ applications: apps, now: NOW }));
        expectWellFormed(instructorTrust({ applications: apps, lessons, now: NOW }));
      }),
      { numRuns: 300 },
    );
  });

  test("answering any application faster never lowers school trust, all else equal", () => {
    fc.assert(
      fc.property(fasterArb, ({ apps, faster }) => {
        expectNotLower(schoolTrust({ applications: faster, now: NOW }), schoolTrust({ applications: apps, now: NOW }));
      }),
      { numRuns: 500 },
    );
  });

  test("answering any application faster never lowers instructor trust, all else equal", () => {
    fc.assert(
      fc.property(fasterArb, lessonsArb, ({ apps, faster }, lessons) => {
        expectNotLower(
          instructorTrust({ applications: faster, lessons, now: NOW }),
          instructorTrust({ applications: apps, lessons, now: NOW }),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("more no-shows by the instructor never raise instructor trust", () => {
    fc.assert(
      fc.property(appsArb, lessonsArb, fc.integer({ min: 1, max: 20 }), (apps, lessons, more) => {
        const base = instructorTrust({ applications: apps, lessons, now: NOW });
        const worse = instructorTrust({
          applications: apps,
          lessons: { ...lessons, noShowByInstructor: lessons.noShowByInstructor + more },
          now: NOW,
        });
        expect(worse.value).toBeLessThanOrEqual(base.value);
      }),
      { numRuns: 200 },
    );
  });

  test("the result does not depend on the order of applications", () => {
    const permuted = appsArb.chain((apps) =>
      fc.tuple(fc.constant(apps), fc.shuffledSubarray(apps, { minLength: apps.length, maxLength: apps.length })),
    );
    fc.assert(
      fc.property(permuted, lessonsArb, ([apps, shuffled], lessons) => {
        expect(schoolTrust({ applications: shuffled, now: NOW })).toEqual(schoolTrust({ applications: apps, now: NOW }));
        expect(instructorTrust({ applications: shuffled, lessons, now: NOW })).toEqual(
          instructorTrust({ applications: apps, lessons, now: NOW }),
        );
      }),
      { numRuns: 200 },
    );
  });

  test("one application cannot move a school far from the starting 61 (small samples are shrunk)", () => {
    // Bounds from the doc: at most +6.5 / −13.5 points → 48..68 after rounding.
    fc.assert(
      fc.property(appArb, (app) => {
        const { value } = schoolTrust({ applications: [app], now: NOW });
        expect(value).toBeGreaterThanOrEqual(48);
        expect(value).toBeLessThanOrEqual(68);
      }),
      { numRuns: 500 },
    );
  });
});

test("analytics and model modules are pure: no imports beyond each other (analytics may read the model), no clock", () => {
  for (const [folder, allowed] of [
    ["analytics", /^(\.\/|\.\.\/model\/)[\w-]+\.ts$/],
    ["model", /^\.\/[\w-]+\.ts$/],
  ] as const) {
    const dir = join(import.meta.dir, "../../src", folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const src = readFileSync(join(dir, file), "utf8");
      for (const m of src.matchAll(/from\s+"([^"]+)"/g)) expect(m[1]).toMatch(allowed);
      expect(src).not.toMatch(/Date\.now\(|new Date\(\s*\)|performance\.now|Math\.random/);
    }
  }
});
