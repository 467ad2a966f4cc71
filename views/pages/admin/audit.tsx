// The audit log: who changed what (before → after) and when, in the admin panel and the CRMs.
import { escapeHtml } from "@kitajs/html";
import { EmptyRow } from "../../components/empty-row.tsx";
import type { AuditRow } from "../../../src/domain/admin-people.ts";
import { Field } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";
import { Card, FilterForm, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import type { Language } from "../../../src/db/schema.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { auditTexts } from "../../../src/i18n/admin/audit.ts";

/** A JSON value, short: long texts are cut so one row cannot fill the page. */
export function shortJson(v: unknown, max = 600): string {
  if (v === null || v === undefined) return "—";
  const s = JSON.stringify(v, null, 1) ?? "—";
  return s.length > max ? s.slice(0, max) + " …" : s;
}

export function AuditPage(p: { rows: AuditRow[]; page: number; hasMore: boolean; filter: Record<string, string | undefined>; zone: string; language: Language }) {
  const say = auditTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <FilterForm action="/admin/audit" language={p.language}>
        <Field name="who" label={say.who} value={p.filter.who} maxlength={100} />
        <Field name="action" label={say.action} value={p.filter.action} maxlength={100} hint={say.actionHint} />
        <Field name="subject" label={say.subject} value={p.filter.subject} maxlength={100} hint={say.subjectHint} />
        <Field name="from" label={all.fromDate} type="date" value={p.filter.from} />
        <Field name="to" label={all.toDate} type="date" value={p.filter.to} />
      </FilterForm>
      <Card>
        <table id="audit">
          <thead>
            <tr>
              <th safe>{say.when}</th>
              <th safe>{say.whoCol}</th>
              <th safe>{say.action}</th>
              <th safe>{say.subject}</th>
              <th safe>{say.before}</th>
              <th safe>{say.after}</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text={say.none} />
            {p.rows.map((r) => (
              <tr data-id={String(r.id)}>
                <td safe>{dateTime(r.at, p.zone)}</td>
                <td>{escapeHtml(r.who ? `${r.who} (${r.role})` : say.system)}</td>
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
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/audit", { ...p.filter, page: n })} language={p.language} />
      </Card>
    </>
  );
}
