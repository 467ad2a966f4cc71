// "Отзывы" (issue 16) for both CRM areas: the school's or instructor's reviews, newest first, with
// the rating, comment, author (the first name only if the student chose to show it), date, and
// the public answer, given once. A review hidden by the platform's staff shows its rating only.
// Words: src/i18n/crm/reviews.ts, in the page's language.
import type { Language } from "../../../src/db/schema.ts";
import { reviewTexts } from "../../../src/i18n/crm/reviews.ts";
import type { CrmReview } from "../../../src/domain/reviews.ts";
import { formatRating, MAX_REVIEW_TEXT } from "../../../src/model/review.ts";
import { CsrfInput, TextArea } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";

type Words = (typeof reviewTexts)["ru"];

const stars = (n: number) => "★".repeat(n) + "☆".repeat(5 - n);

export interface AnswerState {
  value?: string;
  error?: keyof Words["errors"];
}

/** One review, the fragment the answer form swaps. */
export function ReviewItem({ r, base, csrfToken, zone, language, state }: { r: CrmReview; base: string; csrfToken: string; zone: string; language: Language; state?: AnswerState }) {
  const T = reviewTexts[language];
  const action = `${base}/reviews/${r.id}/answer`;
  return (
    <article class="card review" id={`review-${r.id}`}>
      <p>
        <span class="stars" aria-label={`${r.rating} / 5`} safe>
          {stars(r.rating)}
        </span>{" "}
        {/* A hidden review shows the day only: at a small school the minute could tell who wrote it. */}
        <span class="muted" safe>
          {r.hidden ? dateTime(r.createdAt, zone).slice(0, 10) : dateTime(r.createdAt, zone)}
        </span>
      </p>
      {r.hidden ? (
        <p class="muted hidden-review" safe>
          {T.hidden}
        </p>
      ) : (
        <>
          <p class="author" safe>
            {r.author ?? T.student}
          </p>
          {r.comment ? (
            <blockquote class="comment" safe>
              {r.comment}
            </blockquote>
          ) : (
            <p class="muted" safe>
              {T.noComment}
            </p>
          )}
        </>
      )}
      {r.reply !== null ? (
        <div class="reply">
          <p class="muted" safe>
            {`${T.yourAnswer}${r.repliedAt ? ", " + dateTime(r.repliedAt, zone) : ""}:`}
          </p>
          <blockquote safe>{r.reply}</blockquote>
        </div>
      ) : r.hidden ? (
        state?.error ? (
          <p class="error" role="alert" safe>
            {T.errors[state.error]}
          </p>
        ) : (
          ""
        )
      ) : (
        <form method="post" action={action} hx-post={action} hx-target={`#review-${r.id}`} hx-swap="outerHTML" novalidate>
          <CsrfInput token={csrfToken} />
          <TextArea name="reply" label={T.answer} value={state?.value} error={state?.error ? T.errors[state.error] : undefined} hint={T.answerHint} maxlength={MAX_REVIEW_TEXT} rows={3} />
          <button type="submit" safe>
            {T.send}
          </button>
        </form>
      )}
      {r.reply !== null && state?.error ? (
        <p class="error" role="alert" safe>
          {T.errors[state.error]}
        </p>
      ) : (
        ""
      )}
    </article>
  );
}

export function ReviewsPage({ list, base, csrfToken, zone, language }: { list: { reviews: CrmReview[]; average: number | null; count: number; next: number | null }; base: string; csrfToken: string; zone: string; language: Language }) {
  const T = reviewTexts[language];
  return (
    <section id="reviews">
      <div class="card">
        <h1 safe>{T.title}</h1>
        <p safe>{list.count && list.average !== null ? T.summary(formatRating(list.average, language), list.count) : T.none}</p>
      </div>
      {list.reviews.map((r) => (
        <ReviewItem r={r} base={base} csrfToken={csrfToken} zone={zone} language={language} />
      ))}
      {list.next !== null ? (
        <p>
          <a class="button" href={`${base}/reviews?after=${list.next}`} safe>
            {T.more}
          </a>
        </p>
      ) : (
        ""
      )}
    </section>
  );
}
