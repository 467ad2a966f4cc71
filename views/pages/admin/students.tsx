// Students: search by name, phone or Telegram id; one student's applications, discipline index
// and the block switch.
import type { AdminApplicationRow } from "../../../src/domain/admin-applications.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import type { Student } from "../../../src/domain/admin-people.ts";
import type { StoredIndex } from "../../../src/domain/indexes.ts";
import { Field } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";
import { ApplicationsTable } from "./applications.tsx";
import { Card, FilterForm, Notice, PostButton, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import { formatPhone } from "../../../src/model/phone.ts";
import type { Language } from "../../../src/db/schema.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { studentTexts } from "../../../src/i18n/admin/students.ts";

const fullName = (s: Student, language: Language) => [s.firstName, s.lastName].filter(Boolean).join(" ") || studentTexts[language].noName;

function BlockedBadge({ blocked, language }: { blocked: boolean; language: Language }) {
  const say = studentTexts[language];
  return blocked ? (
    <span class="badge inactive" safe>
      {say.blocked}
    </span>
  ) : (
    <span class="badge active" safe>
      {say.active}
    </span>
  );
}

export function StudentsPage(p: { rows: Student[]; page: number; hasMore: boolean; q: string; zone: string; language: Language }) {
  const say = studentTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <FilterForm action="/admin/students" language={p.language}>
        <Field name="q" label={say.search} value={p.q} maxlength={100} />
      </FilterForm>
      <Card>
        <table id="students">
          <thead>
            <tr>
              <th safe>{say.name}</th>
              <th safe>{all.phone}</th>
              <th>Telegram</th>
              <th safe>{say.since}</th>
              <th safe>{all.state}</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={5} text={say.none} />
            {p.rows.map((s) => (
              <tr data-id={String(s.id)}>
                <td>
                  <a href={`/admin/students/${s.id}`} safe>
                    {fullName(s, p.language)}
                  </a>
                </td>
                <td safe>{formatPhone(s.phone) || "—"}</td>
                <td safe>{`${s.telegramId}${s.username ? ` @${s.username}` : ""}`}</td>
                <td safe>{dateTime(s.createdAt, p.zone)}</td>
                <td>
                  <BlockedBadge blocked={s.blocked} language={p.language} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/students", { q: p.q, page: n })} language={p.language} />
      </Card>
    </>
  );
}

export function StudentPage({ student: s, applications, discipline, csrf, zone, notice, language }: { student: Student; applications: AdminApplicationRow[]; discipline: StoredIndex | null; csrf: string; zone: string; notice?: string; language: Language }) {
  const say = studentTexts[language];
  const why = discipline ? discipline.explanation[language] || discipline.explanation.ru : "";
  return (
    <>
      <Notice text={notice} />
      <Card>
        <dl class="facts">
          <dt safe>{say.name}</dt>
          <dd safe>{fullName(s, language)}</dd>
          <dt safe>{adminTexts[language].phone}</dt>
          <dd safe>{formatPhone(s.phone) || "—"}</dd>
          <dt>Telegram</dt>
          <dd safe>{`${s.telegramId}${s.username ? ` (@${s.username})` : ""}`}</dd>
          <dt safe>{say.language}</dt>
          <dd safe>{s.language === "kk" ? say.kazakh : say.russian}</dd>
          <dt safe>{say.discipline}</dt>
          <dd id="discipline" safe>
            {discipline ? say.disciplineValue(discipline.value, dateTime(discipline.computedAt, zone)) : say.notComputed}
          </dd>
          {why ? (
            <>
              <dt safe>{say.why}</dt>
              <dd safe>{why}</dd>
            </>
          ) : (
            ""
          )}
          <dt safe>{say.unreachable}</dt>
          <dd safe>{s.unreachableAt ? say.unreachableSince(dateTime(s.unreachableAt, zone)) : say.no}</dd>
          <dt safe>{adminTexts[language].state}</dt>
          <dd id="blocked-state">
            <BlockedBadge blocked={s.blocked} language={language} />
          </dd>
        </dl>
        {s.blocked ? (
          <PostButton action={`/admin/students/${s.id}/unblock`} csrf={csrf} label={say.unblock} />
        ) : (
          <PostButton action={`/admin/students/${s.id}/block`} csrf={csrf} label={say.block} danger />
        )}
      </Card>
      <Card title={say.applications}>
        <ApplicationsTable rows={applications} zone={zone} showStudent={false} language={language} />
      </Card>
    </>
  );
}
