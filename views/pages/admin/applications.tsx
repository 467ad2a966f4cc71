// All applications: the filter (kept in the URL, so the CSV export takes the same one), the
// table, and one application with its history, in the admin's language.
import type { AdminApplicationDetails, AdminApplicationRow } from "../../../src/domain/admin-applications.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { applicationStatuses, type Language } from "../../../src/db/schema.ts";
import { Field, Select } from "../../components/form-field.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { dateTime, offerFacts, sourceName, statusName, transmissionName } from "../../format.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { applicationTexts } from "../../../src/i18n/admin/applications.ts";
import { t } from "../../../src/i18n/index.ts";
import { courseName } from "../../../src/notify/catalog.ts";
import { History } from "../crm/application.tsx";
import { Card, FilterForm, hrefOf, schoolLabel } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import { formatPhone } from "../../../src/model/phone.ts";

type Choices = [string, string][];

/** Every status for the filter's select, in the language. */
export const statusOptions = (language: Language): Choices => applicationStatuses.map((s) => [s, statusName(s, language)]);

/** To whom an application went: "Автошкола «Жол»" (a name saying it already as it is) or "Инструктор Айдос". */
function addressee(a: { kind: string; schoolName: string | null; instructorName: string | null }, language: Language): string {
  if (a.kind === "school") return a.schoolName ? schoolLabel(a.schoolName, language) : "—";
  return a.instructorName ? adminTexts[language].instructorNamed(a.instructorName) : "—";
}

export function ApplicationsTable({ rows, zone, language, showStudent = true }: { rows: AdminApplicationRow[]; zone: string; language: Language; showStudent?: boolean }) {
  const say = applicationTexts[language];
  return (
    <table id="applications">
      <thead>
        <tr>
          <th safe>{say.number}</th>
          <th safe>{say.created}</th>
          <th safe>{say.city}</th>
          <th safe>{say.to}</th>
          {showStudent ? <th safe>{say.student}</th> : ""}
          <th safe>{say.status}</th>
        </tr>
      </thead>
      <tbody>
        <EmptyRow when={rows.length === 0} columns={showStudent ? 6 : 5} text={say.none} />
        {rows.map((a) => (
          <tr data-id={String(a.id)}>
            <td>
              <a href={`/admin/applications/${a.id}`} safe>
                {a.publicNumber}
              </a>
            </td>
            <td safe>{dateTime(a.createdAt, zone)}</td>
            <td safe>{a.cityName}</td>
            <td safe>{addressee(a, language)}</td>
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
              <StatusBadge status={a.status} language={language} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ApplicationsPage(p: { rows: AdminApplicationRow[]; page: number; hasMore: boolean; query: Record<string, string>; zone: string; language: Language; cities: Choices; schools: Choices; instructors: Choices }) {
  const say = applicationTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <FilterForm action="/admin/applications" language={p.language}>
        <Select name="city" label={say.city} value={p.query.city} options={p.cities} empty={all.all} />
        <Select name="school" label={say.school} value={p.query.school} options={p.schools} empty={all.all} />
        <Select name="instructor" label={say.instructor} value={p.query.instructor} options={p.instructors} empty={all.all} />
        <Select name="status" label={say.status} value={p.query.status} options={statusOptions(p.language)} empty={all.all} />
        <Field name="from" label={all.fromDate} type="date" value={p.query.from} />
        <Field name="to" label={all.toDate} type="date" value={p.query.to} />
        {p.query.student ? <input type="hidden" name="student" value={p.query.student} /> : ""}
      </FilterForm>
      <p>
        <a href={hrefOf("/admin/applications/export.csv", p.query)} class="button" download="" safe>
          {say.exportCsv}
        </a>
      </p>
      <Card>
        <ApplicationsTable rows={p.rows} zone={p.zone} language={p.language} />
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/applications", { ...p.query, page: n })} language={p.language} />
      </Card>
    </>
  );
}

export function ApplicationAdminView({ d, zone, language }: { d: AdminApplicationDetails; zone: string; language: Language }) {
  const say = applicationTexts[language];
  const a = d.app;
  const rows: [string, string][] = [
    [say.status, statusName(a.status, language)],
    [say.created, dateTime(a.createdAt, zone)],
    [say.city, d.cityName],
    [a.kind === "school" ? say.school : say.instructor, (a.kind === "school" ? d.schoolName : d.instructorName) ?? "—"],
    [say.student, `${a.studentName}, ${formatPhone(a.studentPhone)}`],
    [say.telegram, `${d.student.telegramId}${d.student.username ? ` (@${d.student.username})` : ""}`],
  ];
  // A school's course in its offer's kind's words, as the CRM shows it (a practice offer's format says nothing).
  if (a.kind === "school") rows.push([say.course, courseName(language, { kind: d.offer?.kind, category: a.category, format: a.format }) || "—"]);
  else rows.push([say.category, a.category ?? "—"]);
  if (a.transmission) rows.push([say.gearbox, transmissionName(a.transmission, language)]);
  if (a.situation) rows.push([say.situation, t(language).situationNames[a.situation]]);
  if (d.offer) rows.push([say.offer, offerFacts(d.offer, language)]);
  if (d.slotStartsAt) rows.push([say.slot, dateTime(d.slotStartsAt, zone)]);
  if (a.preferredTime) rows.push([say.preferredTime, a.preferredTime]);
  rows.push([say.source, sourceName(a.source, language)]);
  rows.push([say.discipline, d.discipline ? String(d.discipline.value) : say.notComputed]);
  return (
    <>
      <Card>
        <p>
          <StatusBadge status={a.status} language={language} />
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
          <a href={`/admin/students/${d.student.id}`} safe>
            {say.studentCard}
          </a>{" "}
          ·{" "}
          <a href={`/admin/audit?subject=application:${a.id}`} safe>
            {adminTexts[language].auditLink}
          </a>
          {a.schoolId ? (
            <>
              {" "}
              ·{" "}
              <a href={`/admin/schools/${a.schoolId}`} safe>
                {say.school}
              </a>
            </>
          ) : (
            ""
          )}
          {a.instructorId ? (
            <>
              {" "}
              ·{" "}
              <a href={`/admin/instructors/${a.instructorId}`} safe>
                {say.instructor}
              </a>
            </>
          ) : (
            ""
          )}
        </p>
      </Card>
      <Card title={say.history}>
        <History history={d.history} zone={zone} studentName={d.app.studentName} lessons={d.lessons} language={language} />
      </Card>
    </>
  );
}
