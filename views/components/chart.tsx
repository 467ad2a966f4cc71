// Server-rendered SVG charts for the CRM statistics pages: no JavaScript, sized by viewBox (the
// CSS sets the width), readable by screen readers (role="img" + aria-label + <title>/<desc>
// listing every value). Labels come from data (sources, statuses, names): always `safe`.
import { escapeHtml } from "@kitajs/html";

export interface ChartDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  /** What the chart shows, e.g. "Заявки по неделям"; also its accessible name. */
  title: string;
  data: readonly ChartDatum[];
  /** viewBox size; the chart scales to its container. */
  width?: number;
  height?: number;
  /** Shown instead of an empty plot. */
  emptyText?: string;
}

/**
 * kitajs only escapes `"` inside attribute values; escape the rest too so a title with `&` or
 * `<` reads back exactly and no scanner sees markup in an attribute.
 */
const attr = (text: string) => escapeHtml(text);
const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString("ru-RU") : "—");
const clean = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
/** Coordinates rounded to 0.1 keep the markup short and stable for tests. */
const r1 = (n: number) => Math.round(n * 10) / 10;

/** The data as text, for <desc>: what a screen reader reads instead of the picture. */
function describe(data: readonly ChartDatum[]): string {
  return data.map((d) => `${d.label}: ${fmt(d.value)}`).join("; ");
}

function Empty({ title, text, width, height }: { title: string; text: string; width: number; height: number }) {
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={attr(title)} xmlns="http://www.w3.org/2000/svg">
      <title safe>{title}</title>
      <text x={width / 2} y={height / 2} text-anchor="middle" class="chart-empty" safe>
        {text}
      </text>
    </svg>
  );
}

/** The labels' font size in viewBox units (public/app.css sets it) and a Cyrillic letter's width at it, roughly. */
const FONT = 18;
const LETTER = FONT * 0.62;
/** A slanted label longer than this is cut with "…" (the bar's <title> and the <desc> keep it whole). */
const MAX_SLANTED = 12;
const cut = (label: string) => (label.length > MAX_SLANTED ? `${label.slice(0, MAX_SLANTED - 1)}…` : label);

/**
 * Vertical bars with the value above and the label below each bar (e.g. applications per week).
 * Labels wider than their bar's slot (statuses on a phone, and even on a desktop) are slanted, with
 * room made below the axis and on the left, so neighbours never run into each other.
 */
export function BarChart({ title, data, width = 640, height = 240, emptyText = "Нет данных" }: BarChartProps) {
  if (data.length === 0) return <Empty title={title} text={emptyText} width={width} height={height} />;
  const top = 20;
  const right = 8;
  const slanted = Math.max(...data.map((d) => d.label.length)) * LETTER > ((width - 2 * right) / data.length) * 0.95;
  const labels = data.map((d) => (slanted ? cut(d.label) : d.label));
  const longest = Math.max(...labels.map((l) => l.length)) * LETTER;
  // A label slanted by 40° takes sin 40° ≈ 0.64 of its length below the axis, cos 40° ≈ 0.77 to the left.
  const bottom = slanted ? Math.round(longest * 0.64 + FONT) : 28;
  const side = slanted ? Math.max(right, Math.round(labels[0]!.length * LETTER * 0.77 - (width - 2 * right) / data.length / 2 + 10)) : right;
  const step = (width - side - right) / data.length;
  const plot = height - top - bottom;
  const max = Math.max(1, ...data.map((d) => clean(d.value)));
  const barWidth = Math.max(1, step * 0.7);
  return (
    <svg class="chart chart-bars" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={attr(title)} xmlns="http://www.w3.org/2000/svg">
      <title safe>{title}</title>
      <desc safe>{describe(data)}</desc>
      <line x1={side} y1={top + plot} x2={width - right} y2={top + plot} class="chart-axis" stroke="currentColor" stroke-opacity="0.3" />
      {data.map((d, i) => {
        const label = labels[i]!;
        const h = r1((clean(d.value) / max) * plot);
        const x = r1(side + i * step + (step - barWidth) / 2);
        const cx = r1(side + i * step + step / 2);
        return (
          <g class="chart-bar">
            <rect x={x} y={r1(top + plot - h)} width={r1(barWidth)} height={h} fill="currentColor">
              <title safe>{`${d.label}: ${fmt(d.value)}`}</title>
            </rect>
            <text x={cx} y={r1(top + plot - h - 4)} text-anchor="middle" class="chart-value" safe>
              {fmt(d.value)}
            </text>
            {slanted ? (
              <text x={cx} y={top + plot + FONT} text-anchor="end" transform={`rotate(-40 ${cx} ${top + plot + FONT})`} class="chart-label" safe>
                {label}
              </text>
            ) : (
              <text x={cx} y={height - 10} text-anchor="middle" class="chart-label" safe>
                {d.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export interface FunnelChartProps {
  title: string;
  /** Stages in order; the first is 100%. */
  steps: readonly ChartDatum[];
  width?: number;
  emptyText?: string;
}

/**
 * Horizontal funnel: one centred bar per stage, its length proportional to the first stage,
 * with the label on the left and "count · share of the first stage" on the right.
 */
export function FunnelChart({ title, steps, width = 640, emptyText = "Нет данных" }: FunnelChartProps) {
  const row = 36;
  const height = Math.max(1, steps.length) * row + 8;
  if (steps.length === 0) return <Empty title={title} text={emptyText} width={width} height={height} />;
  const labelWidth = 150;
  const valueWidth = 110;
  const plot = width - labelWidth - valueWidth;
  const base = clean(steps[0]!.value);
  const max = Math.max(1, ...steps.map((s) => clean(s.value)));
  const share = (v: number) => (base > 0 ? `${Math.round((100 * clean(v)) / base)}%` : "—");
  return (
    <svg class="chart chart-funnel" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={attr(title)} xmlns="http://www.w3.org/2000/svg">
      <title safe>{title}</title>
      <desc safe>{steps.map((s) => `${s.label}: ${fmt(s.value)} (${share(s.value)})`).join("; ")}</desc>
      {steps.map((s, i) => {
        const w = r1(Math.max(clean(s.value) > 0 ? 2 : 0, (clean(s.value) / max) * plot));
        const y = 4 + i * row;
        return (
          <g class="chart-step">
            <text x={labelWidth - 8} y={y + row / 2 + 4} text-anchor="end" class="chart-label" safe>
              {s.label}
            </text>
            <rect x={r1(labelWidth + (plot - w) / 2)} y={y + 4} width={w} height={row - 8} rx="3" fill="currentColor">
              <title safe>{`${s.label}: ${fmt(s.value)} (${share(s.value)})`}</title>
            </rect>
            <text x={labelWidth + plot + 8} y={y + row / 2 + 4} class="chart-value" safe>
              {`${fmt(s.value)} · ${share(s.value)}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
