// "Отзывы" (issue 16) for both CRM areas: the school's or instructor's reviews, newest first, with
// the rating, comment, author (the first name only if the student chose to show it), date, and
// the public answer, given once. A review hidden by the platform's staff shows its rating only.
// Words from a typed {ru, kk} record; the CRM shows Russian like the rest of it.
import type { Language } from "../../../src/db/schema.ts";
import type { CrmReview } from "../../../src/domain/reviews.ts";
import { formatRating, MAX_REVIEW_TEXT } from "../../../src/model/review.ts";
import { CsrfInput, TextArea } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";

type Words = {
  title: string;
  summary: (average: string, count: number) => string;
  none: string;
  student: string;
  hidden: string;
  noComment: string;
  answer: string;
  yourAnswer: string;
  send: string;
  answerHint: string;
  more: string;
  errors: Record<"empty" | "too_long" | "already" | "hidden", string>;
};

export const REVIEWS_TEXT: Record<Language, Words> = {
  ru: {
    title: "Отзывы",
    summary: (a, c) => `Средняя оценка ${a} из 5, отзывов: ${c}.`,
    none: "Отзывов пока нет. Ученик получает вопрос об оценке на следующий день после завершения обучения.",
    student: "Ученик",
    hidden: "Отзыв скрыт модератором",
    noComment: "Без комментария",
    answer: "Ответить публично",
    yourAnswer: "Ваш ответ",
    send: "Опубликовать ответ",
    answerHint: `Ответ виден всем в боте под отзывом. Ответить можно один раз, до ${MAX_REVIEW_TEXT} символов.`,
    more: "Показать ещё",
    errors: {
      empty: "Напишите ответ.",
      too_long: `Не длиннее ${MAX_REVIEW_TEXT} символов.`,
      already: "На этот отзыв уже дан ответ.",
      hidden: "Отзыв скрыт модератором: ответить на него нельзя.",
    },
  },
  kk: {
    title: "Пікірлер",
    summary: (a, c) => `Орташа баға 5-тен ${a}, пікірлер: ${c}.`,
    none: "Әзірге пікір жоқ. Оқушы оқу аяқталғаннан кейінгі күні бағалау туралы сұрақ алады.",
    student: "Оқушы",
    hidden: "Пікірді модератор жасырды",
    noComment: "Пікірсіз",
    answer: "Жария жауап беру",
    yourAnswer: "Сіздің жауабыңыз",
    send: "Жауапты жариялау",
    answerHint: `Жауапты боттағы пікір астында бәрі көреді. Бір рет қана, ${MAX_REVIEW_TEXT} таңбаға дейін жауап беруге болады.`,
    more: "Тағы көрсету",
    errors: {
      empty: "Жауапты жазыңыз.",
      too_long: `${MAX_REVIEW_TEXT} таңбадан аспауы керек.`,
      already: "Бұл пікірге жауап берілген.",
      hidden: "Пікірді модератор жасырды: оған жауап беруге болмайды.",
    },
  },
};

const T = REVIEWS_TEXT.ru;

const stars = (n: number) => "★".repeat(n) + "☆".repeat(5 - n);

export interface AnswerState {
  value?: string;
  error?: keyof Words["errors"];
}

/** One review, the fragment the answer form swaps. */
export function ReviewItem({ r, base, csrfToken, zone, state }: { r: CrmReview; base: string; csrfToken: string; zone: string; state?: AnswerState }) {
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

export function ReviewsPage({ list, base, csrfToken, zone }: { list: { reviews: CrmReview[]; average: number | null; count: number; next: number | null }; base: string; csrfToken: string; zone: string }) {
  return (
    <section id="reviews">
      <div class="card">
        <h1 safe>{T.title}</h1>
        <p safe>{list.count && list.average !== null ? T.summary(formatRating(list.average, "ru"), list.count) : T.none}</p>
      </div>
      {list.reviews.map((r) => (
        <ReviewItem r={r} base={base} csrfToken={csrfToken} zone={zone} />
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
