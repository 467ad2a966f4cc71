// The dashboard: applications today / this week by city, schools slow to answer, bot health.
import type { Language } from "../../../src/db/schema.ts";
import type { Dashboard } from "../../../src/domain/admin-dashboard.ts";
import { dashboardTexts } from "../../../src/i18n/admin/dashboard.ts";
import { BarChart } from "../../components/chart.tsx";
import { ago, dateTime } from "../../format.ts";
import { Card, formatCount } from "./common.tsx";

export function DashboardPage({ d, zone, now, language }: { d: Dashboard; zone: string; now: Date; language: Language }) {
  const say = dashboardTexts[language];
  const n = (v: number) => formatCount(v, language);
  return (
    <>
      <div class="grid">
        <Card title={say.applications}>
          <p>
            <span safe>{say.today}</span> <strong id="today-total" safe>{n(d.totals.today)}</strong> · <span safe>{say.sinceMonday}</span> <strong id="week-total" safe>{n(d.totals.week)}</strong>
          </p>
          <BarChart title={say.weekChart} data={d.byCity.slice(0, 12).map((c) => ({ label: c.cityName, value: c.week }))} emptyText={say.weekEmpty} language={language} />
          <table id="by-city">
            <thead>
              <tr>
                <th safe>{say.city}</th>
                <th safe>{say.todayCol}</th>
                <th safe>{say.weekCol}</th>
              </tr>
            </thead>
            <tbody>
              {d.byCity.length === 0 ? (
                <tr>
                  <td colspan="3" safe>
                    {say.noneThisWeek}
                  </td>
                </tr>
              ) : (
                ""
              )}
              {d.byCity.map((c) => (
                <tr>
                  <td>
                    <a href={`/admin/applications?city=${c.cityId}`} safe>
                      {c.cityName}
                    </a>
                  </td>
                  <td safe>{n(c.today)}</td>
                  <td safe>{n(c.week)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={say.botHealth}>
          <dl class="facts" id="bot-health">
            <dt safe>{say.lastUpdate}</dt>
            <dd>{d.bot.lastUpdateAt ? `${dateTime(d.bot.lastUpdateAt, zone)} (${say.ago(ago(d.bot.lastUpdateAt, now, language))})` : "—"}</dd>
            <dt safe>{say.pending}</dt>
            <dd id="outbox-pending" safe>{n(d.bot.pending)}</dd>
            <dt safe>{say.failed(d.bot.failedKeptDays)}</dt>
            <dd id="outbox-failed" safe>{n(d.bot.failed)}</dd>
          </dl>
          {d.bot.recentFailures.length ? (
            <>
              <h3 safe>{say.recentFailures}</h3>
              <ul id="outbox-failures">
                {d.bot.recentFailures.map((f) => (
                  <li>
                    <span safe>{say.failure(f.id, String(f.chatId), f.attempts, dateTime(f.createdAt, zone))}</span>
                    <code safe>{f.lastError ?? "—"}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            ""
          )}
        </Card>
      </div>
      <Card title={say.slowTitle(d.hours)}>
        <form method="get" action="/admin/" class="filters">
          <label class="field" for="f-hours">
            <span safe>{say.threshold}</span>
            <input id="f-hours" name="hours" type="number" min="1" max="720" value={String(d.hours)} />
          </label>
          <button type="submit" safe>
            {say.show}
          </button>
        </form>
        <table id="slow-schools">
          <thead>
            <tr>
              <th safe>{say.school}</th>
              <th safe>{say.city}</th>
              <th safe>{say.waiting}</th>
              <th safe>{say.oldest}</th>
            </tr>
          </thead>
          <tbody>
            {d.slowSchools.length === 0 ? (
              <tr>
                <td colspan="4" safe>
                  {say.allOnTime}
                </td>
              </tr>
            ) : (
              ""
            )}
            {d.slowSchools.map((s) => (
              <tr>
                <td>
                  <a href={`/admin/applications?school=${s.schoolId}&status=new`} safe>
                    {s.name}
                  </a>
                </td>
                <td safe>{s.cityName}</td>
                <td safe>{n(s.waiting)}</td>
                <td safe>{`${dateTime(s.oldest, zone)} (${ago(s.oldest, now, language)})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
