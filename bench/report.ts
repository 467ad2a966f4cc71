// The results as a Markdown table (bench/results.md and the terminal).
import type { BenchResult, Row } from "./bench.ts";

const ms = (x?: number) => (x === undefined || !Number.isFinite(x) ? "" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const rate = (r: Row) => (r.rate === undefined || !Number.isFinite(r.rate) ? "" : `${Math.round(r.rate).toLocaleString("en")} ${r.unit ?? ""}`);
const verdict = (p: boolean | null | undefined) => (p === true ? "✅ met" : p === false ? "❌ missed" : "");
const cell = (s: string | undefined) => (s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownTable(result: BenchResult): string {
  const lines = [
    "| measurement | p50 ms | p99 ms | throughput | value | vs ceiling (same run) | target | result | notes |",
    "|---|---:|---:|---:|---:|---|---|---|---|",
  ];
  for (const r of result.rows)
    lines.push(
      `| ${cell(r.label)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${rate(r)} | ${cell(r.value)} | ${cell(r.ceiling)} | ${cell(r.target)} | ${verdict(r.pass)} | ${cell(r.note)} |`,
    );
  return lines.join("\n");
}

export function factsList(facts: Record<string, string>): string {
  return Object.entries(facts)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join("\n");
}
