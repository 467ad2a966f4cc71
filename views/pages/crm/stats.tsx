// Statistics of a school or an instructor: the date filter, counts and rates, charts, and the
// trust index with its parts and its weekly trend. Everything shown comes from src/domain/stats.ts;
// labels and texts are data, so every text node is `safe`.
import type { IndexResult } from "../../../src/analytics/explain.ts";
import { formatResponseTime } from "../../../src/analytics/trust.ts";
import type { Language } from "../../../src/db/schema.ts";
import { t } from "../../../src/i18n/index.ts";
import { statsTexts } from "../../../src/i18n/crm/stats.ts";
import type { ApplicationStats, InstructorStats, TrustTrendPoint } from "../../../src/domain/stats.ts";
import { BarChart, chartNumber, FunnelChart } from "../../components/chart.tsx";
import { sourceName, statusName } from "../../format.ts";
import type { ApplicationStatus } from "../../../src/model/application-status.ts";

export interface StatsFilter {
  /** As typed ("YYYY-MM-DD" or ""), kept on error. */
  from: string;
  to: string;
  errors: { from?: string; to?: string };
}

export interface TrustView {
  current: IndexResult;
  trend: TrustTrendPoint[];
}

/** 0.4567 → "46%"; null → "—". */
export function pct(rate: number | null): string {
  return rate == null ? "—" : `${Math.round(rate * 100)}%`;
}

/** "2025-03-10" → "10.03". */
const dayMonth = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}`;

function FilterForm({ base, filter, language }: { base: string; filter: StatsFilter; language: Language }) {
  const say = statsTexts[language];
  const url = `${base}/stats`;
  return (
    <form class="filters" method="get" action={url} hx-get={url} hx-target="#stats" hx-swap="outerHTML" hx-push-url="true">
      <label class={filter.errors.from ? "field invalid" : "field"} for="f-from">
        <span safe>{say.from}</span>
        <input id="f-from" name="from" type="date" value={filter.from} aria-invalid={filter.errors.from ? "true" : undefined} />
        {filter.errors.from ? <small class="error" role="alert" safe>{filter.errors.from}</small> : ""}
      </label>
      <label class={filter.errors.to ? "field invalid" : "field"} for="f-to">
        <span safe>{say.to}</span>
        <input id="f-to" name="to" type="date" value={filter.to} aria-invalid={filter.errors.to ? "true" : undefined} />
        {filter.errors.to ? <small class="error" role="alert" safe>{filter.errors.to}</small> : ""}
      </label>
      <button type="submit" safe>
        {say.show}
      </button>
      {filter.from || filter.to ? (
        <a href={url} hx-get={url} hx-target="#stats" hx-swap="outerHTML" hx-push-url="true" safe>
          {say.allTime}
        </a>
      ) : (
        ""
      )}
    </form>
  );
}

function Facts({ items }: { items: [label: string, value: string, key: string][] }) {
  return (
    <dl class="facts stats-facts">
      {items.map(([label, value, key]) => (
        <>
          <dt safe>{label}</dt>
          <dd data-stat={key} safe>
            {value}
          </dd>
        </>
      ))}
    </dl>
  );
}

/**
 * The median first answer shown in the figures: the trust index's own (its speed part's measure,
 * formatted by the same formatResponseTime as the breakdown's line), so the page cannot show two
 * different numbers for it: "нет данных" on both before the first answer.
 */
function medianOf(trust: TrustView, language: Language): string {
  const speed = trust.current.components.find((c) => c.key === "speed");
  return formatResponseTime(speed?.measure ?? null)[language];
}

function Sources({ rows, language }: { rows: ApplicationStats["bySource"]; language: Language }) {
  const say = statsTexts[language];
  return (
    <section class="card">
      <h2 safe>{say.sources}</h2>
      {rows.length === 0 ? (
        <p class="empty" safe>
          {say.noApplications}
        </p>
      ) : (
        <table class="sources">
          <thead>
            <tr>
              <th safe>{say.source}</th>
              <th safe>{say.count}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-source={r.source}>
                <td safe>{sourceName(r.source, language)}</td>
                <td safe>{count(r.count, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The trust index: value, explanation, each part with its value, weight and points, and the trend. */
export function TrustSection({ trust, language, kind = "school" }: { trust: TrustView; language: Language; kind?: "school" | "instructor" }) {
  const say = statsTexts[language];
  const idx = trust.current;
  return (
    <section class="card trust" id="trust">
      <h2>
        <span safe>{say.trust}</span>{" "}
        {idx.enoughData ? (
          <strong data-trust-value={String(idx.value)} safe>
            {say.outOf100(idx.value)}
          </strong>
        ) : (
          // The one "мало данных" rule (hasEnoughData): the same as the bot's card.
          <strong data-trust-value="new" safe>
            {say.trustStart(t(language).trustNew[kind], idx.value)}
          </strong>
        )}
      </h2>
      <p class="explanation" safe>
        {idx.explanation[language]}
      </p>
      <table class="trust-parts">
        <thead>
          <tr>
            <th safe>{say.parts.part}</th>
            <th safe>{say.parts.score}</th>
            <th safe>{say.parts.weight}</th>
            <th safe>{say.parts.points}</th>
            <th safe>{say.parts.from}</th>
          </tr>
        </thead>
        <tbody>
          {idx.components.map((c) => (
            <tr data-component={c.key}>
              <td safe>{c.label[language]}</td>
              <td safe>{`${Math.round(c.value * 100)}%`}</td>
              <td safe>{`${Math.round(c.weight * 100)}%`}</td>
              <td safe>{say.pointsOf(c.points, Math.round(c.weight * 100))}</td>
              <td safe>{c.detail[language]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint" safe>
        {say.trustHint}
      </p>
      <h3 safe>{say.trustByWeek}</h3>
      <BarChart title={say.trustChart} data={trust.trend.map((p) => ({ label: dayMonth(p.start), value: p.value }))} language={language} />
    </section>
  );
}

function weekly(stats: ApplicationStats) {
  return stats.byWeek.map((w) => ({ label: dayMonth(w.start), value: w.count }));
}

function statusData(stats: ApplicationStats, statuses: readonly ApplicationStatus[], language: Language) {
  return statuses.map((s) => ({ label: statusName(s, language), value: stats.byStatus[s] ?? 0 }));
}

/** A count as the page's language writes it. */
const count = (n: number, language: Language) => chartNumber(n, language);

export function SchoolStatsSection({ base, filter, stats, trust, statuses, language }: { base: string; filter: StatsFilter; stats: ApplicationStats; trust: TrustView; statuses: readonly ApplicationStatus[]; language: Language }) {
  const say = statsTexts[language];
  const f = say.funnelSteps;
  return (
    <div id="stats" class="stats">
      <h1 safe>{say.title}</h1>
      <FilterForm base={base} filter={filter} language={language} />
      <section class="card">
        <Facts
          items={[
            [say.total, count(stats.total, language), "total"],
            [say.median, medianOf(trust, language), "median-response"],
            [say.confirmationRate, pct(stats.confirmationRate), "confirmation-rate"],
            [say.paymentRate, pct(stats.paymentRate), "payment-rate"],
          ]}
        />
      </section>
      <div class="columns">
        <section class="card">
          <h2 safe>{say.funnel}</h2>
          <FunnelChart
            title={say.funnelChart}
            language={language}
            steps={[
              { label: f.new, value: stats.funnel.new },
              { label: f.contacted, value: stats.funnel.contacted },
              { label: f.confirmed, value: stats.funnel.confirmed },
              { label: f.paid, value: stats.funnel.paid },
            ]}
          />
        </section>
        <section class="card">
          <h2 safe>{say.byStatus}</h2>
          <BarChart title={say.byStatusChart} data={statusData(stats, statuses, language)} language={language} />
        </section>
      </div>
      <section class="card">
        <h2 safe>{say.byWeek}</h2>
        <BarChart title={say.byWeekChart} data={weekly(stats)} language={language} />
      </section>
      <Sources rows={stats.bySource} language={language} />
      <TrustSection trust={trust} language={language} />
    </div>
  );
}

export function InstructorStatsSection({ base, filter, stats, trust, statuses, language }: { base: string; filter: StatsFilter; stats: InstructorStats; trust: TrustView; statuses: readonly ApplicationStatus[]; language: Language }) {
  const say = statsTexts[language];
  const lf = say.lessonFacts;
  const lb = say.lessonBars;
  const l = stats.lessons;
  return (
    <div id="stats" class="stats">
      <h1 safe>{say.title}</h1>
      <FilterForm base={base} filter={filter} language={language} />
      <section class="card">
        <Facts
          items={[
            [say.total, count(stats.requests, language), "requests"],
            [say.acceptanceRate, pct(stats.acceptanceRate), "acceptance-rate"],
            [say.median, medianOf(trust, language), "median-response"],
            [lf.conducted, count(l.conducted, language), "conducted"],
            [lf.planned, count(l.planned, language), "planned"],
            [lf.noShowStudent, count(l.noShowByStudent, language), "no-show-student"],
            [lf.noShowInstructor, count(l.noShowByInstructor, language), "no-show-instructor"],
            [lf.noShowUnattributed, count(l.noShowUnattributed, language), "no-show-unattributed"],
            [lf.cancelled, count(l.cancelled, language), "cancelled"],
          ]}
        />
      </section>
      <div class="columns">
        <section class="card">
          <h2 safe>{say.byStatus}</h2>
          <BarChart title={say.byStatusChart} data={statusData(stats, statuses, language)} language={language} />
        </section>
        <section class="card">
          <h2 safe>{say.lessons}</h2>
          <BarChart
            title={say.lessonsChart}
            language={language}
            data={[
              { label: lb.conducted, value: l.conducted },
              { label: lb.noShowStudent, value: l.noShowByStudent },
              { label: lb.noShowInstructor, value: l.noShowByInstructor },
              { label: lb.cancelled, value: l.cancelled },
            ]}
          />
        </section>
      </div>
      <section class="card">
        <h2 safe>{say.byWeek}</h2>
        <BarChart title={say.byWeekChart} data={weekly(stats)} language={language} />
      </section>
      <Sources rows={stats.bySource} language={language} />
      <TrustSection trust={trust} language={language} kind="instructor" />
    </div>
  );
}
