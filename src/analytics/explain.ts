// The result shape shared by every index, how component scores become the 0–100 value,
// and the Russian/Kazakh texts people read (docs/analytics.md, "Result").
// Pure: no database, no clock, no I/O.
import { PRIOR_WEIGHT, priorScore, type ComponentSpec } from "./shrink.ts";

export type Localized = { ru: string; kk: string };

export interface IndexComponent {
  key: string;
  label: Localized;
  /** The component's score 0..1, already shrunk toward its prior (and stretched, see shrink.ts). */
  value: number;
  /** Share of the index, 0..1; the weights of one index sum to 1. */
  weight: number;
  /** The typical score the component starts from and is shrunk toward. */
  prior: number;
  /** Points this component contributes to `value` of the index; they add up to it exactly. */
  points: number;
  /** How many observations the score rests on (0 = pure prior). */
  n: number;
  /** One line a person can read: the fact and the points, e.g. "Медианное время первого ответа — 2 ч: +17 из 30". */
  detail: Localized;
  /**
   * The observed measure in its own unit, for plain words (the bot's card): the median first answer
   * in ms, a share 0..1, an average rating 1..5; null when there is no data.
   */
  measure: number | null;
}

export interface IndexResult {
  /** Integer 0..100. */
  value: number;
  components: IndexComponent[];
  sampleSize: number;
  explanation: Localized;
  /** Whether the data outweighs the starting guess (hasEnoughData): else "новая школа: мало данных" is shown instead of the value. */
  enoughData: boolean;
}

/** What an index module hands to `assemble`: a score plus the fact behind it. */
export interface ComponentDraft {
  key: string;
  label: Localized;
  spec: ComponentSpec;
  /** The score 0..1, shrunk (and stretched) already. */
  value: number;
  n: number;
  /** See IndexComponent.measure. */
  measure?: number | null;
  /** The fact in words; a function, so that computing only the value (`indexValue`) builds no text. */
  fact: () => Localized;
  /** The fact says what "no data" means itself (e.g. "… — нет данных"): used even when n = 0. */
  factWhenEmpty?: boolean;
  /**
   * The score this part is shrunk toward when it is not the spec's prior (reviews: the city's mean),
   * so "strong" and "weak" compare with what it is shrunk toward: one 3★ review in a 4.9★ city is weak.
   */
  typical?: number;
}

/** The score a part is compared with to call it strong or weak: what it is shrunk toward. */
const typicalOf = (d: Pick<ComponentDraft, "spec" | "typical">): number => d.typical ?? priorScore(d.spec);

/**
 * Rounds a 0..100 score to an integer. Rounding to 1e-6 first absorbs floating-point noise
 * (72.4999999 from 72.5) so hand-computed examples round as on paper; both steps are monotone.
 */
export function roundIndex(x: number): number {
  return Math.round(Math.round(x * 1e6) / 1e6);
}

/**
 * Splits the rounded total into integer points per component (largest remainder), so the
 * breakdown a school sees adds up to the number it sees.
 */
function apportion(raw: readonly number[], total: number): number[] {
  const floors = raw.map((r) => Math.floor(r + 1e-9));
  let left = Math.max(0, total - floors.reduce((a, b) => a + b, 0));
  const byRemainder = raw
    // Remainders rounded to 1e-6 so float noise cannot reorder equal ones (ties go to the first).
    .map((r, i) => ({ i, rem: Math.round((r - floors[i]) * 1e6) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return floors;
}

export interface AssembleOptions {
  /** "Индекс доверия" / "Сенім индексі". */
  title: Localized;
  /** What the index rests on, e.g. "по 12 заявкам" / "12 өтінім бойынша"; omitted when empty. */
  basis?: Localized;
  sampleSize: number;
}

/** The index alone, without the breakdown or texts: the same number `assemble` gives. */
export function indexValue(drafts: readonly Pick<ComponentDraft, "spec" | "value">[]): number {
  let sum = 0;
  for (const d of drafts) sum += d.spec.points * d.value;
  return roundIndex(sum);
}

export function assemble(drafts: readonly ComponentDraft[], opts: AssembleOptions): IndexResult {
  const raw = drafts.map((d) => d.spec.points * d.value);
  const value = indexValue(drafts);
  const points = apportion(raw, value);
  const components = drafts.map((d, i) => {
    const fact = d.n > 0 || d.factWhenEmpty ? d.fact() : NO_DATA;
    return {
      key: d.key,
      label: d.label,
      value: d.value,
      weight: d.spec.points / 100,
      prior: typicalOf(d),
      points: points[i],
      n: d.n,
      measure: d.n > 0 ? (d.measure ?? null) : null,
      detail: {
        ru: `${fact.ru}: +${points[i]} из ${d.spec.points}`,
        kk: `${fact.kk}: +${points[i]} ұпай (ең көбі ${d.spec.points})`,
      },
    };
  });
  return { value, components, sampleSize: opts.sampleSize, explanation: summary(drafts, value, opts), enoughData: hasEnoughData(drafts) };
}

const NO_DATA: Localized = { ru: "Данных пока нет — стартовая оценка", kk: "Әзірге дерек жоқ — бастапқы баға" };

/** A side is named only when it is at least this far from its typical (prior) score. */
const NOTABLE = 0.05;

/** "72 из 100, по 500 заявкам. Сильная сторона — … Слабое место — …" */
function summary(drafts: readonly ComponentDraft[], value: number, opts: AssembleOptions): Localized {
  const start = startingValue(drafts.map((d) => d.spec));
  const known = drafts.filter((d) => d.n > 0);
  if (known.length === 0) {
    return {
      ru: `${opts.title.ru} — ${value} из 100: данных пока нет, это стартовая оценка.`,
      kk: `${opts.title.kk} — ${value} / 100: деректер әзірге жоқ, бұл — бастапқы баға.`,
    };
  }
  const ru = [`${opts.title.ru} — ${value} из 100${opts.basis ? `, ${opts.basis.ru}` : ""}.`];
  const kk = [`${opts.title.kk} — ${value} / 100${opts.basis ? `, ${opts.basis.kk}` : ""}.`];
  // Strong and weak are relative to what is typical (the prior), not to 0.5: 80% attendance is
  // weak, 60% of applications confirmed is good. Ties go to the earlier (heavier) component.
  const lift = (d: ComponentDraft) => d.value - typicalOf(d);
  const strong = known.reduce((best, d) => (lift(d) > lift(best) ? d : best));
  const weak = known.reduce((worst, d) => (lift(d) < lift(worst) ? d : worst));
  if (lift(strong) >= NOTABLE) {
    ru.push(`Сильная сторона — ${lowerFirst(strong.label.ru)}.`);
    kk.push(`Күшті жағы — ${lowerFirst(strong.label.kk)}.`);
  }
  if (lift(weak) <= -NOTABLE) {
    ru.push(`Слабое место — ${lowerFirst(weak.label.ru)}.`);
    kk.push(`Әлсіз жағы — ${lowerFirst(weak.label.kk)}.`);
  }
  if (!hasEnoughData(drafts)) {
    ru.push(`Данных пока мало, поэтому оценка близка к стартовой (${start}).`);
    kk.push(`Деректер әзірге аз, сондықтан баға бастапқы мәнге (${start}) жақын.`);
  }
  return { ru: ru.join(" "), kk: kk.join(" ") };
}

/**
 * The prior's share of the index: Σ weight·k/(n+k), 1 with no data, falling toward 0 as data comes.
 */
export function priorShare(drafts: readonly Pick<ComponentDraft, "spec" | "n">[]): number {
  return drafts.reduce((a, d) => a + (d.spec.points / 100) * (PRIOR_WEIGHT / (Math.max(0, d.n) + PRIOR_WEIGHT)), 0);
}

/**
 * The one rule for "новая школа: мало данных" (docs/analytics.md): a subject's number is shown once
 * its data outweighs the starting guess, i.e. the prior's share of the index is below one half, or
 * once ENOUGH_WAITED students have waited a whole day for an answer (the `answered` part's n).
 * Until then the bot and the CRM show "мало данных" instead of the number, so one unanswered
 * application cannot turn "новая школа" into 64/100; but a school that answers nobody has no
 * answers, payments or reviews to outweigh the guess, and silence must not keep it "new" for ever.
 */
export const ENOUGH_DATA_PRIOR_SHARE = 0.5;
export const ENOUGH_WAITED = 10;

export function hasEnoughData(drafts: readonly Pick<ComponentDraft, "key" | "spec" | "n">[]): boolean {
  const waited = drafts.find((d) => d.key === "answered")?.n ?? 0;
  return priorShare(drafts) < ENOUGH_DATA_PRIOR_SHARE || waited >= ENOUGH_WAITED;
}

/** The index of a subject with no data at all: Σ points·prior score, rounded. */
export function startingValue(specs: readonly ComponentSpec[]): number {
  return roundIndex(specs.reduce((a, s) => a + s.points * priorScore(s), 0));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase("ru") + s.slice(1);
}

/** Russian noun form after a number: 1 заявке, 2 заявкам, 5 заявкам, 21 заявке. */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

export function percent(hits: number, n: number): string {
  return n > 0 ? `${Math.round((100 * hits) / n)}%` : "—";
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "45 мин", "2 ч 30 мин", "3 дн. 4 ч" / "45 мин", "2 сағ 30 мин", "3 күн 4 сағ". */
export function formatDuration(ms: number): Localized {
  const minutes = Math.round(Math.max(0, ms) / MINUTE);
  if (minutes < 60) return { ru: `${minutes} мин`, kk: `${minutes} мин` };
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0
      ? { ru: `${h} ч`, kk: `${h} сағ` }
      : { ru: `${h} ч ${m} мин`, kk: `${h} сағ ${m} мин` };
  }
  // Beyond a day minutes are noise: round to the hour.
  const hours = Math.round(ms / HOUR);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0
    ? { ru: `${d} дн.`, kk: `${d} күн` }
    : { ru: `${d} дн. ${h} ч`, kk: `${d} күн ${h} сағ` };
}

/**
 * The parts to name to a student: up to `k` strongest and `k` weakest components that rest on data
 * (n > 0), ranked by how far they are from their typical score (the prior), as the summary does.
 * A part is strong above its prior and weak below it; none is named twice.
 */
export function strongestAndWeakest(components: readonly IndexComponent[], k = 2): { strong: IndexComponent[]; weak: IndexComponent[] } {
  const known = components.filter((c) => c.n > 0 && c.measure != null);
  const lift = (c: IndexComponent) => c.value - c.prior;
  // Ties go to the heavier component (more points), then to the earlier one.
  const strong = known.filter((c) => lift(c) > 0).sort((a, b) => lift(b) - lift(a) || b.weight - a.weight).slice(0, k);
  const weak = known.filter((c) => lift(c) < 0).sort((a, b) => lift(a) - lift(b) || b.weight - a.weight).slice(0, k);
  return { strong, weak };
}
