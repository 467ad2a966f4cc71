// Reviews (issue 16) for the platform's staff: every review with its author as the platform knows
// them, optionally of one school or instructor, and Hide / Show (POST with CSRF, audited).
import type { AdminReview } from "../../../src/domain/reviews.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { Field } from "../../components/form-field.tsx";
import { Pager } from "../../components/pager.tsx";
import { dateTime } from "../../format.ts";
import { Card, FilterForm, Notice, PostButton, hrefOf } from "./common.tsx";
import type { Language } from "../../../src/db/schema.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { reviewTexts } from "../../../src/i18n/admin/reviews.ts";

export function AdminReviewsPage(p: { rows: AdminReview[]; page: number; hasMore: boolean; schoolId?: number; instructorId?: number; csrf: string; zone: string; notice?: string; language: Language }) {
  const say = reviewTexts[p.language];
  const all = adminTexts[p.language];
  const filter = { schoolId: p.schoolId, instructorId: p.instructorId };
  const back = hrefOf("/admin/reviews", { ...filter, page: p.page > 1 ? p.page : undefined });
  return (
    <>
      <Notice text={p.notice} />
      <FilterForm action="/admin/reviews" language={p.language}>
        <Field name="schoolId" label={say.schoolId} value={p.schoolId} maxlength={10} />
        <Field name="instructorId" label={say.instructorId} value={p.instructorId} maxlength={10} />
      </FilterForm>
      <Card>
        <table id="reviews">
          <thead>
            <tr>
              <th safe>{say.date}</th>
              <th safe>{say.to}</th>
              <th safe>{say.rating}</th>
              <th safe>{say.comment}</th>
              <th safe>{say.author}</th>
              <th safe>{say.reply}</th>
              <th safe>{all.state}</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={7} text={say.none} />
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
                <td safe>{`${r.author || say.noName}${r.showName ? "" : say.anonymous}`}</td>
                <td safe>{r.reply ?? "—"}</td>
                <td>
                  {r.hiddenAt ? (
                    <span class="badge inactive" safe>
                      {say.hidden}
                    </span>
                  ) : (
                    <span class="badge active" safe>
                      {say.visible}
                    </span>
                  )}{" "}
                  <PostButton action={`/admin/reviews/${r.id}/${r.hiddenAt ? "show" : "hide"}?back=${encodeURIComponent(back)}`} csrf={p.csrf} label={r.hiddenAt ? say.show : say.hide} danger={!r.hiddenAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/reviews", { ...filter, page: n })} language={p.language} />
      </Card>
    </>
  );
}
