// The dashboard: applications today / this week by city, schools slow to answer, bot health.
import type { Dashboard } from "../../../src/domain/admin-dashboard.ts";
import { BarChart } from "../../components/chart.tsx";
import { ago, dateTime } from "../../format.ts";
import { Card } from "./common.tsx";

export function DashboardPage({ d, zone, now }: { d: Dashboard; zone: string; now: Date }) {
  return (
    <>
      <div class="grid">
        <Card title="Заявки">
          <p>
            Сегодня: <strong id="today-total" safe>{String(d.totals.today)}</strong> · С понедельника: <strong id="week-total" safe>{String(d.totals.week)}</strong>
          </p>
          <BarChart title="Заявки за неделю по городам" data={d.byCity.slice(0, 12).map((c) => ({ label: c.cityName, value: c.week }))} emptyText="На этой неделе заявок нет" />
          <table id="by-city">
            <thead>
              <tr>
                <th>Город</th>
                <th>Сегодня</th>
                <th>Эта неделя</th>
              </tr>
            </thead>
            <tbody>
              {d.byCity.length === 0 ? (
                <tr>
                  <td colspan="3">Заявок на этой неделе нет.</td>
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
                  <td safe>{String(c.today)}</td>
                  <td safe>{String(c.week)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Здоровье бота">
          <dl class="facts" id="bot-health">
            <dt>Последнее обновление от Telegram</dt>
            <dd>{d.bot.lastUpdateAt ? `${dateTime(d.bot.lastUpdateAt, zone)} (${ago(d.bot.lastUpdateAt, now)} назад)` : "—"}</dd>
            <dt>В очереди на отправку</dt>
            <dd id="outbox-pending" safe>{String(d.bot.pending)}</dd>
            <dt safe>{`Не доставлено за ${d.bot.failedKeptDays} дней (попытки исчерпаны)`}</dt>
            <dd id="outbox-failed" safe>{String(d.bot.failed)}</dd>
          </dl>
          {d.bot.recentFailures.length ? (
            <>
              <h3>Последние недоставленные</h3>
              <ul id="outbox-failures">
                {d.bot.recentFailures.map((f) => (
                  <li>
                    <span safe>{`#${f.id}, чат ${f.chatId}, попыток ${f.attempts}, ${dateTime(f.createdAt, zone)}: `}</span>
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
      <Card title={`Автошколы без ответа дольше ${d.hours} ч`}>
        <form method="get" action="/admin/" class="filters">
          <label class="field" for="f-hours">
            <span>Порог, часов</span>
            <input id="f-hours" name="hours" type="number" min="1" max="720" value={String(d.hours)} />
          </label>
          <button type="submit">Показать</button>
        </form>
        <table id="slow-schools">
          <thead>
            <tr>
              <th>Автошкола</th>
              <th>Город</th>
              <th>Новых без ответа</th>
              <th>Ждёт дольше всех</th>
            </tr>
          </thead>
          <tbody>
            {d.slowSchools.length === 0 ? (
              <tr>
                <td colspan="4">Все отвечают вовремя.</td>
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
                <td safe>{String(s.waiting)}</td>
                <td safe>{`${dateTime(s.oldest, zone)} (${ago(s.oldest, now)})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
