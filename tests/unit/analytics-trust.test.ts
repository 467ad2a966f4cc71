// Trust index: the worked examples of docs/analytics.md as fixtures (numbers computed by hand
// there), plus property tests over random applications.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENOUGH_WAITED, formatDuration, ruPlural, strongestAndWeakest, type IndexResult } from "../../src/analytics/explain.ts";
import { median, shrink, shrinkShare, stretch } from "../../src/analytics/shrink.ts";
import {
  instructorTrust,
  responseMs,
  schoolTrust,
  speedScore,
  tallyLessons,
  tallyPromises,
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

  test("response time: real answers only; no answer yet is no data, never a fast time", () => {
    const created = T("2025-03-09T10:00");
    const app = (extra: Partial<TrustApplication>): TrustApplication => ({ createdAt: created, status: "new", ...extra });
    expect(responseMs(app({ firstResponseAt: after(created, 2 * H) }), NOW)).toBe(2 * H);
    expect(responseMs(app({}), NOW)).toBeNull();
    expect(responseMs({ createdAt: T("2025-03-10T10:00"), status: "new" }, NOW)).toBeNull();
    // The student cancelled after 1 h; the answer came later and reached nobody.
    expect(responseMs(app({ cancelledAt: after(created, H), firstResponseAt: after(created, 3 * H) }), NOW)).toBeNull();
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

// ---- worked examples (docs/analytics.md, "Worked examples"; the numbers are computed by hand there) ----

/** Ten applications created 11 days before NOW, answered in 1 h, confirmed 10 days before NOW. */
function confirmedTen(payments: (TrustApplication["payment"] | undefined)[] = []): TrustApplication[] {
  return Array.from({ length: 10 }, (_, i) => {
    const createdAt = after(NOW, -11 * D);
    return { createdAt, firstResponseAt: after(createdAt, H), status: "confirmed", confirmedAt: after(createdAt, D), payment: payments[i] ?? null };
  });
}
const paidScore = (r: IndexResult) => r.components.find((c) => c.key === "paid")!.value;
const agreed = { studentAt: NOW, staffAt: NOW, disputedAt: null };
const staffOnly = { studentAt: null, staffAt: NOW, disputedAt: null };
const claimed = { studentAt: NOW, staffAt: null, disputedAt: null };
const disputed = { studentAt: NOW, staffAt: null, disputedAt: NOW };

describe("school trust: worked examples", () => {
  test("T0: no data → the starting value 62, and 'мало данных'", () => {
    const r = schoolTrust({ applications: [], now: NOW });
    expect(r.value).toBe(62);
    expect(points(r)).toEqual([13, 12, 7, 10, 11, 9]);
    expectScores(r, { speed: 0.5, answered: 0.8, confirmed: 0.5, paid: 0.5, reviews: 0.75, kept: 0.9 });
    expect(r.enoughData).toBe(false);
  });

  test("T1 (the issue's case): one unanswered application is no data for speed, and the school stays 'мало данных'", () => {
    const r = schoolTrust({ applications: [{ createdAt: T("2025-03-10T10:00"), status: "new" }], now: NOW });
    expect(r.value).toBe(62);
    expect(r.enoughData).toBe(false);
    const speed = r.components.find((c) => c.key === "speed")!;
    expect(speed).toMatchObject({ n: 0, measure: null, value: 0.5 });
    expect(speed.detail.ru).toBe("Медианное время первого ответа — нет данных: +13 из 25");
    // Ignored for a day: still no speed data; the answered part pays for it.
    const late = schoolTrust({ applications: [{ createdAt: T("2025-03-09T10:00"), status: "new" }], now: NOW });
    expect(late.components.find((c) => c.key === "speed")!.n).toBe(0);
    expect(late.components.find((c) => c.key === "answered")!.value).toBeCloseTo(stretch(4.5 / 6, 0.5), 12);
    expect(late.value).toBe(58);
    expect(late.enoughData).toBe(false);
  });

  test("P: payments move the paid part by PAYMENT_CREDIT / (n + 5): agreed 1, school-only ½, claimed ½, disputed 0", () => {
    const none = schoolTrust({ applications: confirmedTen(), now: NOW });
    // 10 judged (confirmed 10 days ago), no payment: (0 + 5·0.5) / 15.
    expect(paidScore(none)).toBeCloseTo(2.5 / 15, 12);
    expect(paidScore(schoolTrust({ applications: confirmedTen([agreed]), now: NOW })) - paidScore(none)).toBeCloseTo(1 / 15, 12);
    expect(paidScore(schoolTrust({ applications: confirmedTen([staffOnly]), now: NOW })) - paidScore(none)).toBeCloseTo(0.5 / 15, 12);
    expect(paidScore(schoolTrust({ applications: confirmedTen([claimed]), now: NOW })) - paidScore(none)).toBeCloseTo(0.5 / 15, 12);
    expect(schoolTrust({ applications: confirmedTen([disputed]), now: NOW })).toEqual(none);
    // Ten agreed payments: (10 + 2.5) / 15 → 20 · 5/6 = 16.67 points instead of 3.33.
    const all = schoolTrust({ applications: confirmedTen(Array(10).fill(agreed)), now: NOW });
    expect(paidScore(all)).toBeCloseTo(12.5 / 15, 12);
    expect(all.components.find((c) => c.key === "paid")!.measure).toBe(1);
    // A paid mark from before the payments table counts as the school's word alone.
    const legacy = confirmedTen().map((a, i) => (i === 0 ? { ...a, status: "paid" as const, paidAt: NOW } : a));
    expect(paidScore(schoolTrust({ applications: legacy, now: NOW }))).toBeCloseTo(3 / 15, 12);
    // A dispute on a fresh confirmation does not judge it: nothing moves.
    const fresh: TrustApplication = { createdAt: after(NOW, -2 * D), firstResponseAt: after(NOW, -2 * D + H), status: "confirmed", confirmedAt: after(NOW, -D) };
    expect(schoolTrust({ applications: [{ ...fresh, payment: disputed }], now: NOW })).toEqual(schoolTrust({ applications: [fresh], now: NOW }));
  });

  test("R: a 5-star review in a city whose mean is 4.2 adds 15 · ((5 + 5·4.2)/6 − 4.2)/4 = 0.5 points", () => {
    const before = schoolTrust({ applications: [], reviews: { reviews: 0, ratingSum: 0, cityMean: 4.2 }, now: NOW });
    const after1 = schoolTrust({ applications: [], reviews: { reviews: 1, ratingSum: 5, cityMean: 4.2 }, now: NOW });
    const score = (r: IndexResult) => r.components.find((c) => c.key === "reviews")!.value;
    expect(score(before)).toBeCloseTo(0.8, 12);
    expect(score(after1)).toBeCloseTo((26 / 6 - 1) / 4, 12);
    expect(15 * (score(after1) - score(before))).toBeCloseTo(0.5, 12);
    // Twenty 2-star reviews in the same city: (40 + 21) / 25 = 2.44 → score 0.36.
    const bad = schoolTrust({ applications: [], reviews: { reviews: 20, ratingSum: 40, cityMean: 4.2 }, now: NOW });
    expect(score(bad)).toBeCloseTo((61 / 25 - 1) / 4, 12);
    // A city without reviews: the mean is REVIEW_PRIOR_RATING = 4.
    expect(score(schoolTrust({ applications: [], now: NOW }))).toBe(0.75);
  });

  test("K: kept promises: lessons held against those cancelled by the school or instructor or missed by the instructor", () => {
    expect(
      tallyPromises([
        { state: "conducted" },
        { state: "no_show", noShowBy: "instructor" },
        { state: "no_show", noShowBy: "student" },
        { state: "cancelled", cancelledBy: "school" },
        { state: "cancelled", cancelledBy: "instructor" },
        { state: "cancelled", cancelledBy: "student" },
        { state: "planned" },
      ]),
    ).toEqual({ conducted: 1, broken: 3 });
    // 18 held, 2 broken: (18 + 5·0.95)/25 = 0.91, stretched from 0.5: 0.82.
    const r = schoolTrust({ applications: [], lessons: { conducted: 18, broken: 2 }, now: NOW });
    expect(r.components.find((c) => c.key === "kept")!.value).toBeCloseTo(0.82, 12);
  });

  test("S: silence is no disguise: ENOUGH_WAITED students left a day without an answer show the number", () => {
    const ignored = (k: number): TrustApplication[] => Array.from({ length: k }, (_, i) => ({ createdAt: after(NOW, -2 * D - i * MIN), status: "new" as const }));
    expect(schoolTrust({ applications: ignored(ENOUGH_WAITED - 1), now: NOW }).enoughData).toBe(false);
    const r = schoolTrust({ applications: ignored(ENOUGH_WAITED), now: NOW });
    expect(r.enoughData).toBe(true);
    expect(r.value).toBeLessThan(62); // shown, and below a new school's start
  });

  test("a review is strong or weak against its city's mean: one 3★ review in a 4.9★ city is weak", () => {
    const r = schoolTrust({ applications: [], reviews: { reviews: 1, ratingSum: 3, cityMean: 4.9 }, now: NOW });
    const { strong, weak } = strongestAndWeakest(r.components);
    expect(strong.map((c) => c.key)).not.toContain("reviews");
    expect(weak.map((c) => c.key)).toContain("reviews");
    const good = schoolTrust({ applications: [], reviews: { reviews: 1, ratingSum: 5, cityMean: 3.5 }, now: NOW });
    expect(strongestAndWeakest(good.components).strong.map((c) => c.key)).toContain("reviews");
  });

  test("E: enough data: an established school shows its number, and its texts name the parts", () => {
    const apps = confirmedTen(Array(10).fill(agreed)).concat(confirmedTen(Array(10).fill(agreed)));
    const r = schoolTrust({ applications: apps, reviews: { reviews: 5, ratingSum: 23, cityMean: 4.2 }, lessons: { conducted: 20, broken: 0 }, now: NOW });
    expect(r.enoughData).toBe(true);
    expect(r.components.find((c) => c.key === "speed")!.measure).toBe(H);
  });
});

describe("instructor trust: worked examples", () => {
  test("I0: no data → the starting value 66, 'мало данных'", () => {
    const r = instructorTrust({ applications: [], now: NOW });
    expect(r.value).toBe(66);
    expect(r.enoughData).toBe(false);
    expect(r.components.map((c) => c.key)).toEqual(["speed", "answered", "accepted", "kept", "paid", "reviews"]);
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
const lessonsArb = fc.record({ conducted: fc.nat(60), broken: fc.nat(60) });

/**
 * The same applications with an already answered application i answered earlier. (Answering an
 * unanswered one adds a speed observation, which may be slow: the answered part rewards that.)
 */
const fasterArb = appsArb
  .filter((apps) => apps.some((a) => responseMs(a, NOW) != null))
  .chain((apps) =>
    fc.record({
      apps: fc.constant(apps),
      i: fc.constantFrom(...apps.flatMap((a, j) => (responseMs(a, NOW) != null ? [j] : []))),
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

  test("more broken promises never raise instructor trust", () => {
    fc.assert(
      fc.property(appsArb, lessonsArb, fc.integer({ min: 1, max: 20 }), (apps, lessons, more) => {
        const base = instructorTrust({ applications: apps, lessons, now: NOW });
        const worse = instructorTrust({
          applications: apps,
          lessons: { ...lessons, broken: lessons.broken + more },
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

  test("one application cannot move a school far from the starting 62 (small samples are shrunk)", () => {
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
