// All applications: the filter (kept in the URL, so the CSV export takes the same one), the
// table, and one application with its history.
import type { AdminApplicationDetails, AdminApplicationRow } from "../../../src/domain/admin-applications.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { applicationStatuses } from "../../../src/db/schema.ts";
import { Field, Select } from "../../components/form-field.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { dateTime, offerFacts, sourceName, statusName, transmissionName } from "../../format.ts";
import { t } from "../../../src/i18n/index.ts";
import { courseName } from "../../../src/notify/catalog.ts";
import { History } from "../crm/application.tsx";
import { Card, FilterForm, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import { formatPhone } from "../../../src/model/phone.ts";

type Choices = [string, string][];
export const STATUS_OPTIONS = applicationStatuses.map((s) => [s, statusName(s) ?? s] as [string, string]);

export function ApplicationsTable({ rows, zone, showStudent = true }: { rows: AdminApplicationRow[]; zone: string; showStudent?: boolean }) {
  return (
    <table id="applications">
      <thead>
        <tr>
          <th>№</th>
          <th>Создана</th>
          <th>Город</th>
          <th>Кому</th>
          {showStudent ? <th>Студент</th> : ""}
          <th>Статус</th>
        </tr>
      </thead>
      <tbody>
        <EmptyRow when={rows.length === 0} columns={showStudent ? 6 : 5} text="Заявок нет." />
        {rows.map((a) => (
          <tr data-id={String(a.id)}>
            <td>
              <a href={`/admin/applications/${a.id}`} safe>
                {a.publicNumber}
              </a>
            </td>
            <td safe>{dateTime(a.createdAt, zone)}</td>
            <td safe>{a.cityName}</td>
            <td safe>{a.kind === "school" ? `Автошкола: ${a.schoolName ?? "—"}` : `Инструктор: ${a.instructorName ?? "—"}`}</td>
            {showStudent ? (
              <td>
                <a href={`/admin/students/${a.studentId}`} safe>
                  {a.studentName}
                </a>
                <br />
                <small safe>{formatPhone(a.studentPhone)}</small>
              </td>
            ) : (
              ""
            )}
            <td>
              <StatusBadge status={a.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ApplicationsPage(p: { rows: AdminApplicationRow[]; page: number; hasMore: boolean; query: Record<string, string>; zone: string; cities: Choices; schools: Choices; instructors: Choices }) {
  return (
    <>
      <FilterForm action="/admin/applications">
        <Select name="city" label="Город" value={p.query.city} options={p.cities} empty="Все" />
        <Select name="school" label="Автошкола" value={p.query.school} options={p.schools} empty="Все" />
        <Select name="instructor" label="Инструктор" value={p.query.instructor} options={p.instructors} empty="Все" />
        <Select name="status" label="Статус" value={p.query.status} options={STATUS_OPTIONS} empty="Все" />
        <Field name="from" label="С даты" type="date" value={p.query.from} />
        <Field name="to" label="По дату" type="date" value={p.query.to} />
        {p.query.student ? <input type="hidden" name="student" value={p.query.student} /> : ""}
      </FilterForm>
      <p>
        <a href={hrefOf("/admin/applications/export.csv", p.query)} class="button" download="">
          Скачать CSV по этому фильтру
        </a>
      </p>
      <Card>
        <ApplicationsTable rows={p.rows} zone={p.zone} />
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/applications", { ...p.query, page: n })} />
      </Card>
    </>
  );
}

export function ApplicationAdminView({ d, zone }: { d: AdminApplicationDetails; zone: string }) {
  const a = d.app;
  const rows: [string, string][] = [
    ["Статус", statusName(a.status) ?? a.status],
    ["Создана", dateTime(a.createdAt, zone)],
    ["Город", d.cityName],
    [a.kind === "school" ? "Автошкола" : "Инструктор", (a.kind === "school" ? d.schoolName : d.instructorName) ?? "—"],
    ["Студент", `${a.studentName}, ${formatPhone(a.studentPhone)}`],
    ["Telegram", `${d.student.telegramId}${d.student.username ? ` (@${d.student.username})` : ""}`],
  ];
  // A school's course in its offer's kind's words, as the CRM shows it (a practice offer's format says nothing).
  if (a.kind === "school") rows.push(["Курс", courseName("ru", { kind: d.offer?.kind, category: a.category, format: a.format }) || "—"]);
  else rows.push(["Категория", a.category ?? "—"]);
  if (a.transmission) rows.push(["Коробка", transmissionName(a.transmission)]);
  if (a.situation) rows.push(["Ситуация ученика", t("ru").situationNames[a.situation]]);
  if (d.offer) rows.push(["Предложение", offerFacts(d.offer)]);
  if (d.slotStartsAt) rows.push(["Окно", dateTime(d.slotStartsAt, zone)]);
  if (a.preferredTime) rows.push(["Удобное время", a.preferredTime]);
  rows.push(["Источник", sourceName(a.source)]);
  rows.push(["Индекс дисциплины", d.discipline ? String(d.discipline.value) : "ещё не рассчитан"]);
  return (
    <>
      <Card>
        <p>
          <StatusBadge status={a.status} />
        </p>
        <dl class="facts">
          {rows.map(([k, v]) => (
            <>
              <dt safe>{k}</dt>
              <dd safe>{v}</dd>
            </>
          ))}
        </dl>
        <p>
          <a href={`/admin/students/${d.student.id}`}>Карточка студента</a> · <a href={`/admin/audit?subject=application:${a.id}`}>Журнал изменений</a>
          {a.schoolId ? (
            <>
              {" "}
              · <a href={`/admin/schools/${a.schoolId}`}>Автошкола</a>
            </>
          ) : (
            ""
          )}
          {a.instructorId ? (
            <>
              {" "}
              · <a href={`/admin/instructors/${a.instructorId}`}>Инструктор</a>
            </>
          ) : (
            ""
          )}
        </p>
      </Card>
      <Card title="История">
        <History history={d.history} zone={zone} studentName={d.app.studentName} lessons={d.lessons} />
      </Card>
    </>
  );
}
