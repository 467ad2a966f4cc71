// Small numeric helpers shared by the indices (docs/analytics.md, "Shrinkage").
// Pure: no database, no clock, no I/O.

/**
 * How many pseudo-observations of the prior every component starts with. With k = 5 one
 * observation moves a component only 1/6 of the way from the prior, twenty observations
 * move it 80% of the way: a subject with one lucky data point cannot outrank one with hundreds.
 */
export const PRIOR_WEIGHT = 5;

/**
 * One component's place in its index. `points`: its weight, out of 100 (the specs of one index
 * sum to 100). `prior`: the typical value of its measure (a share, or a speed score) that the
 * observations are shrunk toward and that a subject with no data gets. `floor`: for incidents
 * that are rare in normal life, the share at which the score reaches 0 (see `stretch`).
 */
export interface ComponentSpec {
  points: number;
  prior: number;
  floor?: number;
}

export function clamp(x: number, lo = 0, hi = 1): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Bayesian average of an observed score over n observations with the prior:
 * (n·observed + k·prior) / (n + k). With n = 0 the result is exactly the prior
 * (whatever `observed` is, even NaN from an empty median).
 */
export function shrink(observed: number, n: number, prior: number, k = PRIOR_WEIGHT): number {
  if (!(n > 0)) return prior;
  return (n * observed + k * prior) / (n + k);
}

/**
 * The same average for a share: `hits` good outcomes out of `n`, i.e. (hits + k·prior) / (n + k).
 * Written directly on counts so hand-computed examples come out exactly.
 */
export function shrinkShare(hits: number, n: number, prior: number, k = PRIOR_WEIGHT): number {
  if (!(n > 0)) return prior;
  return (clamp(hits, 0, n) + k * prior) / (n + k);
}

/**
 * Maps a share linearly so that `floor` scores 0 and 1 scores 1. A plain share under-reacts to
 * rare incidents: 80% attendance sounds good but is a missed lesson in every five; with
 * floor 0.5 it scores 0.6, and missing every other lesson scores 0.
 */
export function stretch(share: number, floor = 0): number {
  return clamp((share - floor) / (1 - floor));
}

/** A component's score from counts: the shrunk share, stretched. */
export function shareScore(hits: number, n: number, spec: ComponentSpec): number {
  return stretch(shrinkShare(hits, n, spec.prior), spec.floor);
}

/** The score a component has with no data. */
export function priorScore(spec: ComponentSpec): number {
  return stretch(spec.prior, spec.floor);
}

/**
 * The lower median: the ⌈n/2⌉-th smallest value (NaN when empty). Unlike the average of
 * the two middle values it is always an observed value, so it stays meaningful with
 * Infinity ("no answer"), and "median ≤ x" reads literally as "at least half are ≤ x".
 * Like any order statistic it is monotone in every element.
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

/** A non-negative whole count (SQL counts may arrive as anything; garbage counts as 0). */
export function count(x: number | null | undefined): number {
  return Number.isFinite(x) && (x as number) > 0 ? Math.floor(x as number) : 0;
}
