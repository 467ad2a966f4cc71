// The audit log: who changed what (before → after) and when, in the admin panel and the CRMs.
import { escapeHtml } from "@kitajs/html";
import { EmptyRow } from "../../components/empty-row.tsx";
import type { AuditRow } from "../../../src/domain/admin-people.ts";
import { Field } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";
import { Card, FilterForm, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";

/** A JSON value, short: long texts are cut so one row cannot fill the page. */
export function shortJson(v: unknown, max = 600): string {
  if (v === null || v === undefined) return "—";
  const s = JSON.stringify(v, null, 1) ?? "—";
  return s.length > max ? s.slice(0, max) + " …" : s;
}

export function AuditPage(p: { rows: AuditRow[]; page: number; hasMore: boolean; filter: Record<string, string | undefined>; zone: string }) {
  return (
    <>
      <FilterForm action="/admin/audit">
        <Field name="who" label="Кто (логин)" value={p.filter.who} maxlength={100} />
        <Field name="action" label="Действие" value={p.filter.action} maxlength={100} hint="Например school, school.update, account.disable" />
        <Field name="subject" label="Объект" value={p.filter.subject} maxlength={100} hint="Например school:7 или school" />
        <Field name="from" label="С даты" type="date" value={p.filter.from} />
        <Field name="to" label="По дату" type="date" value={p.filter.to} />
      </FilterForm>
      <Card>
        <table id="audit">
          <thead>
            <tr>
              <th>Когда</th>
              <th>Кто</th>
              <th>Действие</th>
              <th>Объект</th>
              <th>До</th>
              <th>После</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text="Записей нет." />
            {p.rows.map((r) => (
              <tr data-id={String(r.id)}>
                <td safe>{dateTime(r.at, p.zone)}</td>
                <td>{escapeHtml(r.who ? `${r.who} (${r.role})` : "система")}</td>
                <td safe>{r.action}</td>
                <td safe>{r.subject}</td>
                <td>
                  <pre class="json" safe>
                    {shortJson(r.before)}
                  </pre>
                </td>
                <td>
                  <pre class="json" safe>
                    {shortJson(r.after)}
                  </pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/audit", { ...p.filter, page: n })} />
      </Card>
    </>
  );
}
