// "Отзывы" (issue 16) for both CRM areas: the scope's reviews and the public answer, once. The
// domain checks and saves (src/domain/reviews.ts answerReview); an empty, too long or second
// answer is the review again with its message (422), another account's review a 404.
import { answerReview, listOwnReviews, ownReview } from "../../domain/reviews.ts";
import { ReviewItem, ReviewsPage } from "../../../views/pages/crm/reviews.tsx";
import { reviewTexts } from "../../i18n/crm/reviews.ts";
import { crmArea, fragment, page, seeOther, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { t } from "elysia";
import { Form, Id, IdParams, Text } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";

/** The model's bound only stops what no form sends; the domain says "Не длиннее 1000 символов." */
const AnswerFields = Form({ reply: Text(5000) });

export function reviewRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const zone = config.timeZone;
  return crmArea(deps, kind)
    // A page at a time, newest first; "Показать ещё" carries the last id shown (`after`).
    .get(
      "/reviews",
      async ({ request, query, scope, shell, base }) =>
        page(request, shell, { title: reviewTexts[shell.language].title, active: "reviews" }, <ReviewsPage list={await listOwnReviews(db, scope, { after: query.after })} base={base} csrfToken={shell.csrfToken} zone={zone} language={shell.language} />),
      { query: t.Object({ after: t.Optional(Id) }) },
    )
    .post(
      "/reviews/:id/answer",
      async ({ request, params, body, scope, shell, base }) => {
        const result = await answerReview(db, scope, params.id, body.reply);
        if (!result.ok && result.reason === "not_found") throw new HttpError(404, said("reviewNotFound"));
        if (result.ok && !wantsFragment(request)) return seeOther(`${base}/reviews#review-${params.id}`);
        const review = await ownReview(db, scope, params.id);
        if (!review) throw new HttpError(404, said("reviewNotFound"));
        const status = result.ok ? 200 : 422;
        const state = result.ok ? undefined : { value: body.reply, error: result.reason as Exclude<typeof result.reason, "not_found"> };
        if (wantsFragment(request)) return fragment(<ReviewItem r={review} base={base} csrfToken={shell.csrfToken} zone={zone} language={shell.language} state={state} />, status);
        return page(request, shell, { title: reviewTexts[shell.language].title, active: "reviews", status }, <ReviewItem r={review} base={base} csrfToken={shell.csrfToken} zone={zone} language={shell.language} state={state} />);
      },
      { params: IdParams, body: AnswerFields },
    );
}
