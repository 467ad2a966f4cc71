// Charts for the statistics pages (CRM) and the admin dashboard: horizontal bars, one row per
// value, its label and number as HTML text on their own line and the bar under them. Why not one
// SVG picture: an SVG's text scales with the picture, so labels that fit a desktop shrink to a few
// pixels on a 390 px phone, and labels under vertical bars run into each other (issue 17). Here the
// text reflows like any text and wraps when long; only the bar is SVG, as wide as its row
// (width="100%": no fixed width, so the chart fits any screen) and hidden from screen readers,
// which read the rows' text. Labels come from data (sources, statuses, names): always `safe`.
import type { PropsWithChildren } from "@kitajs/html";
import type { Language } from "../../src/db/schema.ts";
import { locale } from "../../src/i18n/format.ts";
import { statsTexts } from "../../src/i18n/crm/stats.ts";

export interface ChartDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  /** What the chart shows, e.g. "Заявки по неделям": its caption and accessible name. */
  title: string;
  data: readonly ChartDatum[];
  /** The page's language (numbers, the empty text). */
  language: Language;
  /** Shown instead of bars when there is no data. */
  emptyText?: string;
}

const clean = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
/** Bar lengths in % of the row, rounded to 0.1: short, stable markup. */
const r1 = (n: number) => Math.round(n * 10) / 10;

/** A number as the page's language writes it ("1 234"); "—" when it is none. */
export function chartNumber(n: number, language: Language): string {
  return Number.isFinite(n) ? n.toLocaleString(locale(language)) : "—";
}

/** One value: "label  number" on a line, the bar (its length `share` of the row, 0–1) under it. */
function Row({ label, text, share }: { label: string; text: string; share: number }) {
  const width = r1(Math.max(share > 0 ? 0.5 : 0, Math.min(1, share) * 100));
  return (
    <div class="chart-row">
      <div class="chart-text">
        <span class="chart-label" safe>
          {label}
        </span>{" "}
        <strong class="chart-value" safe>
          {text}
        </strong>
      </div>
      <svg class="chart-bar" width="100%" height="14" viewBox="0 0 100 14" preserveAspectRatio="none" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">
        <rect width={width} height="10" fill="currentColor" fill-opacity="0.7" />
      </svg>
    </div>
  );
}

function Frame({ kind, title, empty, children }: PropsWithChildren<{ kind: string; title: string; empty?: string }>) {
  return (
    <figure class={`chart ${kind}`}>
      <figcaption class="hint" safe>
        {title}
      </figcaption>
      {empty !== undefined ? (
        <p class="empty chart-empty" safe>
          {empty}
        </p>
      ) : (
        children
      )}
    </figure>
  );
}

/** Values side by side as bars scaled to the largest (applications per status, per week, per city). */
export function BarChart({ title, data, language, emptyText }: BarChartProps) {
  if (data.length === 0) return <Frame kind="chart-bars" title={title} empty={emptyText ?? statsTexts[language].noData} />;
  const max = Math.max(1, ...data.map((d) => clean(d.value)));
  return (
    <Frame kind="chart-bars" title={title}>
      {data.map((d) => (
        <Row label={d.label} text={chartNumber(d.value, language)} share={clean(d.value) / max} />
      ))}
    </Frame>
  );
}

export interface FunnelChartProps {
  title: string;
  /** Stages in order; the first is 100%. */
  steps: readonly ChartDatum[];
  /** The page's language (numbers, the empty text). */
  language: Language;
  emptyText?: string;
}

/** A funnel: each stage's count and its share of the first stage, the bars scaled to the largest stage. */
export function FunnelChart({ title, steps, language, emptyText }: FunnelChartProps) {
  if (steps.length === 0) return <Frame kind="chart-funnel" title={title} empty={emptyText ?? statsTexts[language].noData} />;
  const base = clean(steps[0]!.value);
  const max = Math.max(1, ...steps.map((s) => clean(s.value)));
  const share = (v: number) => (base > 0 ? `${Math.round((100 * clean(v)) / base)}%` : "—");
  return (
    <Frame kind="chart-funnel" title={title}>
      {steps.map((s) => (
        <Row label={s.label} text={`${chartNumber(s.value, language)} · ${share(s.value)}`} share={clean(s.value) / max} />
      ))}
    </Frame>
  );
}
