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

const fullName = (s: Student) => [s.firstName, s.lastName].filter(Boolean).join(" ") || "без имени";

export function StudentsPage(p: { rows: Student[]; page: number; hasMore: boolean; q: string; zone: string }) {
  return (
    <>
      <FilterForm action="/admin/students">
        <Field name="q" label="Имя, телефон, @username или Telegram id" value={p.q} maxlength={100} />
      </FilterForm>
      <Card>
        <table id="students">
          <thead>
            <tr>
              <th>Имя</th>
              <th>Телефон</th>
              <th>Telegram</th>
              <th>С нами с</th>
              <th>Состояние</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={5} text="Никого не найдено." />
            {p.rows.map((s) => (
              <tr data-id={String(s.id)}>
                <td>
                  <a href={`/admin/students/${s.id}`} safe>
                    {fullName(s)}
                  </a>
                </td>
                <td safe>{formatPhone(s.phone) || "—"}</td>
                <td safe>{`${s.telegramId}${s.username ? ` @${s.username}` : ""}`}</td>
                <td safe>{dateTime(s.createdAt, p.zone)}</td>
                <td>{s.blocked ? <span class="badge inactive">заблокирован</span> : <span class="badge active">активен</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/students", { q: p.q, page: n })} />
      </Card>
    </>
  );
}

export function StudentPage({ student: s, applications, discipline, csrf, zone, notice }: { student: Student; applications: AdminApplicationRow[]; discipline: StoredIndex | null; csrf: string; zone: string; notice?: string }) {
  return (
    <>
      <Notice text={notice} />
      <Card>
        <dl class="facts">
          <dt>Имя</dt>
          <dd safe>{fullName(s)}</dd>
          <dt>Телефон</dt>
          <dd safe>{formatPhone(s.phone) || "—"}</dd>
          <dt>Telegram</dt>
          <dd safe>{`${s.telegramId}${s.username ? ` (@${s.username})` : ""}`}</dd>
          <dt>Язык</dt>
          <dd>{s.language === "kk" ? "казахский" : "русский"}</dd>
          <dt>Индекс дисциплины</dt>
          <dd id="discipline">
            {discipline ? `${discipline.value} из 100 (рассчитан ${dateTime(discipline.computedAt, zone)})` : "ещё не рассчитан"}
          </dd>
          {discipline?.explanation.ru ? (
            <>
              <dt>Почему</dt>
              <dd safe>{discipline.explanation.ru}</dd>
            </>
          ) : (
            ""
          )}
          <dt>Недоступен в Telegram</dt>
          <dd>{s.unreachableAt ? `с ${dateTime(s.unreachableAt, zone)}` : "нет"}</dd>
          <dt>Состояние</dt>
          <dd id="blocked-state">{s.blocked ? <span class="badge inactive">заблокирован</span> : <span class="badge active">активен</span>}</dd>
        </dl>
        {s.blocked ? (
          <PostButton action={`/admin/students/${s.id}/unblock`} csrf={csrf} label="Разблокировать" />
        ) : (
          <PostButton action={`/admin/students/${s.id}/block`} csrf={csrf} label="Заблокировать" danger />
        )}
      </Card>
      <Card title="Заявки">
        <ApplicationsTable rows={applications} zone={zone} showStudent={false} />
      </Card>
    </>
  );
}
