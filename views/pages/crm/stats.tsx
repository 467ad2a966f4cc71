// Statistics of a school or an instructor: the date filter, counts and rates, charts, and the
// trust index with its parts and its weekly trend. Everything shown comes from src/domain/stats.ts;
// labels and texts are data, so every text node is `safe`.
import type { IndexResult } from "../../../src/analytics/explain.ts";
import { formatResponseTime } from "../../../src/analytics/trust.ts";
import { ru } from "../../../src/i18n/ru.ts";
import type { ApplicationStats, InstructorStats, TrustTrendPoint } from "../../../src/domain/stats.ts";
import { BarChart, FunnelChart } from "../../components/chart.tsx";
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

function FilterForm({ base, filter }: { base: string; filter: StatsFilter }) {
  const url = `${base}/stats`;
  return (
    <form class="filters" method="get" action={url} hx-get={url} hx-target="#stats" hx-swap="outerHTML" hx-push-url="true">
      <label class={filter.errors.from ? "field invalid" : "field"} for="f-from">
        <span>С даты</span>
        <input id="f-from" name="from" type="date" value={filter.from} aria-invalid={filter.errors.from ? "true" : undefined} />
        {filter.errors.from ? <small class="error" role="alert" safe>{filter.errors.from}</small> : ""}
      </label>
      <label class={filter.errors.to ? "field invalid" : "field"} for="f-to">
        <span>По дату (включительно)</span>
        <input id="f-to" name="to" type="date" value={filter.to} aria-invalid={filter.errors.to ? "true" : undefined} />
        {filter.errors.to ? <small class="error" role="alert" safe>{filter.errors.to}</small> : ""}
      </label>
      <button type="submit">Показать</button>
      {filter.from || filter.to ? (
        <a href={url} hx-get={url} hx-target="#stats" hx-swap="outerHTML" hx-push-url="true">
          За всё время
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
function medianOf(trust: TrustView): string {
  const speed = trust.current.components.find((c) => c.key === "speed");
  return formatResponseTime(speed?.measure ?? null).ru;
}

function Sources({ rows }: { rows: ApplicationStats["bySource"] }) {
  return (
    <section class="card">
      <h2>Источники заявок</h2>
      {rows.length === 0 ? (
        <p class="empty">Заявок за период нет.</p>
      ) : (
        <table class="sources">
          <thead>
            <tr>
              <th>Источник</th>
              <th>Заявок</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-source={r.source}>
                <td safe>{sourceName(r.source)}</td>
                <td safe>{String(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The trust index: value, explanation, each part with its value, weight and points, and the trend. */
export function TrustSection({ trust, kind = "school" }: { trust: TrustView; kind?: "school" | "instructor" }) {
  const idx = trust.current;
  return (
    <section class="card trust" id="trust">
      <h2>
        Индекс доверия:{" "}
        {idx.enoughData ? (
          <strong data-trust-value={String(idx.value)} safe>{`${idx.value} из 100`}</strong>
        ) : (
          // The one "мало данных" rule (hasEnoughData): the same as the bot's card.
          <strong data-trust-value="new" safe>{`${ru.trustNew[kind]} (стартовая оценка ${idx.value} из 100)`}</strong>
        )}
      </h2>
      <p class="explanation" safe>
        {idx.explanation.ru}
      </p>
      <table class="trust-parts">
        <thead>
          <tr>
            <th>Составляющая</th>
            <th>Оценка</th>
            <th>Вес</th>
            <th>Баллы</th>
            <th>Из чего</th>
          </tr>
        </thead>
        <tbody>
          {idx.components.map((c) => (
            <tr data-component={c.key}>
              <td safe>{c.label.ru}</td>
              <td safe>{`${Math.round(c.value * 100)}%`}</td>
              <td safe>{`${Math.round(c.weight * 100)}%`}</td>
              <td safe>{`${c.points} из ${Math.round(c.weight * 100)}`}</td>
              <td safe>{c.detail.ru}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">Индекс считается по последним 365 дням и не зависит от выбранного периода. Как он устроен — в описании индексов.</p>
      <h3>Индекс по неделям</h3>
      <BarChart title="Индекс доверия на конец недели" data={trust.trend.map((p) => ({ label: dayMonth(p.start), value: p.value }))} height={200} />
    </section>
  );
}

function weekly(stats: ApplicationStats) {
  return stats.byWeek.map((w) => ({ label: dayMonth(w.start), value: w.count }));
}

function statusData(stats: ApplicationStats, statuses: readonly ApplicationStatus[]) {
  return statuses.map((s) => ({ label: statusName(s), value: stats.byStatus[s] ?? 0 }));
}

export function SchoolStatsSection({ base, filter, stats, trust, statuses }: { base: string; filter: StatsFilter; stats: ApplicationStats; trust: TrustView; statuses: readonly ApplicationStatus[] }) {
  return (
    <div id="stats" class="stats">
      <h1>Статистика</h1>
      <FilterForm base={base} filter={filter} />
      <section class="card">
        <Facts
          items={[
            ["Заявок за период", String(stats.total), "total"],
            ["Медианное время первого ответа (12 мес., как в индексе доверия)", medianOf(trust), "median-response"],
            ["Доля подтверждённых", pct(stats.confirmationRate), "confirmation-rate"],
            ["Доля оплат среди подтверждённых (по статусу, за период)", pct(stats.paymentRate), "payment-rate"],
          ]}
        />
      </section>
      <div class="columns">
        <section class="card">
          <h2>Воронка</h2>
          <FunnelChart
            title="Воронка: новая → связались → подтверждена → оплачена"
            steps={[
              { label: "Новые", value: stats.funnel.new },
              { label: "Связались", value: stats.funnel.contacted },
              { label: "Подтверждены", value: stats.funnel.confirmed },
              { label: "Оплачены", value: stats.funnel.paid },
            ]}
          />
        </section>
        <section class="card">
          <h2>По статусам</h2>
          <BarChart title="Заявки по текущему статусу" data={statusData(stats, statuses)} />
        </section>
      </div>
      <section class="card">
        <h2>По неделям</h2>
        <BarChart title="Заявки по неделям (дата — понедельник)" data={weekly(stats)} />
      </section>
      <Sources rows={stats.bySource} />
      <TrustSection trust={trust} />
    </div>
  );
}

export function InstructorStatsSection({ base, filter, stats, trust, statuses }: { base: string; filter: StatsFilter; stats: InstructorStats; trust: TrustView; statuses: readonly ApplicationStatus[] }) {
  const l = stats.lessons;
  return (
    <div id="stats" class="stats">
      <h1>Статистика</h1>
      <FilterForm base={base} filter={filter} />
      <section class="card">
        <Facts
          items={[
            ["Заявок за период", String(stats.requests), "requests"],
            ["Доля принятых", pct(stats.acceptanceRate), "acceptance-rate"],
            ["Медианное время первого ответа (12 мес., как в индексе доверия)", medianOf(trust), "median-response"],
            ["Проведено занятий", String(l.conducted), "conducted"],
            ["Запланировано", String(l.planned), "planned"],
            ["Неявки ученика", String(l.noShowByStudent), "no-show-student"],
            ["Неявки инструктора", String(l.noShowByInstructor), "no-show-instructor"],
            ["Неявки без указания стороны", String(l.noShowUnattributed), "no-show-unattributed"],
            ["Отменено занятий", String(l.cancelled), "cancelled"],
          ]}
        />
      </section>
      <div class="columns">
        <section class="card">
          <h2>По статусам</h2>
          <BarChart title="Заявки по текущему статусу" data={statusData(stats, statuses)} />
        </section>
        <section class="card">
          <h2>Занятия</h2>
          <BarChart
            title="Занятия по итогам"
            data={[
              { label: "Проведено", value: l.conducted },
              { label: "Неявка ученика", value: l.noShowByStudent },
              { label: "Неявка инструктора", value: l.noShowByInstructor },
              { label: "Отменено", value: l.cancelled },
            ]}
          />
        </section>
      </div>
      <section class="card">
        <h2>По неделям</h2>
        <BarChart title="Заявки по неделям (дата — понедельник)" data={weekly(stats)} />
      </section>
      <Sources rows={stats.bySource} />
      <TrustSection trust={trust} kind="instructor" />
    </div>
  );
}
