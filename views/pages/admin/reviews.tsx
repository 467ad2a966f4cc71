// Reviews (issue 16) for the platform's staff: every review with its author as the platform knows
// them, optionally of one school or instructor, and Hide / Show (POST with CSRF, audited).
import type { AdminReview } from "../../../src/domain/reviews.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { Field } from "../../components/form-field.tsx";
import { Pager } from "../../components/pager.tsx";
import { dateTime } from "../../format.ts";
import { Card, FilterForm, Notice, PostButton, hrefOf } from "./common.tsx";

export function AdminReviewsPage(p: { rows: AdminReview[]; page: number; hasMore: boolean; schoolId?: number; instructorId?: number; csrf: string; zone: string; notice?: string }) {
  const filter = { schoolId: p.schoolId, instructorId: p.instructorId };
  const back = hrefOf("/admin/reviews", { ...filter, page: p.page > 1 ? p.page : undefined });
  return (
    <>
      <Notice text={p.notice} />
      <FilterForm action="/admin/reviews">
        <Field name="schoolId" label="Автошкола (id)" value={p.schoolId} maxlength={10} />
        <Field name="instructorId" label="Инструктор (id)" value={p.instructorId} maxlength={10} />
      </FilterForm>
      <Card>
        <table id="reviews">
          <thead>
            <tr>
              <th>Дата</th>
              <th>Кому</th>
              <th>Оценка</th>
              <th>Комментарий</th>
              <th>Автор</th>
              <th>Ответ</th>
              <th>Состояние</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={7} text="Отзывов нет." />
            {p.rows.map((r) => (
              <tr data-id={String(r.id)}>
                <td safe>{dateTime(r.createdAt, p.zone)}</td>
                <td>
                  <a href={`/admin/${r.kind === "school" ? "schools" : "instructors"}/${r.subjectId}`} safe>
                    {r.subject}
                  </a>
                </td>
                <td safe>{`${r.rating} / 5`}</td>
                <td class="comment" safe>
                  {r.comment || "—"}
                </td>
                <td safe>{`${r.author || "без имени"}${r.showName ? "" : " (анонимно)"}`}</td>
                <td safe>{r.reply ?? "—"}</td>
                <td>
                  {r.hiddenAt ? <span class="badge inactive">скрыт</span> : <span class="badge active">виден</span>}{" "}
                  <PostButton action={`/admin/reviews/${r.id}/${r.hiddenAt ? "show" : "hide"}?back=${encodeURIComponent(back)}`} csrf={p.csrf} label={r.hiddenAt ? "Показать" : "Скрыть"} danger={!r.hiddenAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/reviews", { ...filter, page: n })} />
      </Card>
    </>
  );
}
