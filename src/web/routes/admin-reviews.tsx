// Admin: reviews (issue 16) — the list, optionally of one school or instructor, and Hide / Show
// (domain/reviews.ts setReviewHidden: audited, the city's indexes marked).
import { t } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import { listReviewsAdmin, setReviewHidden } from "../../domain/reviews.ts";
import { AdminReviewsPage } from "../../../views/pages/admin/reviews.tsx";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { idParam, IdParams, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf } from "./admin-common.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";

/** Back to the list the button was pressed on; only our own list's address is followed. */
function backTo(raw: unknown, notice: string): string {
  const back = typeof raw === "string" && /^\/admin\/reviews(\?[A-Za-z0-9=&%]*)?$/.test(raw) ? raw : "/admin/reviews";
  return `${back}${back.includes("?") ? "&" : "?"}notice=${notice}`;
}

export function adminReviewRoutes(deps: CrmDeps) {
  const { db } = deps;
  const toggle = (hidden: boolean) =>
    async ({ params, query, shell }: { params: { id: number }; query: { back?: string }; shell: { accountId: number } }) => {
      const done = await setReviewHidden(db, shell.accountId, params.id, hidden);
      if (!done) throw new HttpError(404, said("reviewNotFound"));
      return seeOther(backTo(query.back, hidden ? "review_hidden" : "review_shown"));
    };
  return adminArea(deps)
    .get("/reviews", async ({ request, query, shell }) => {
      const schoolId = idParam(query.schoolId);
      const instructorId = idParam(query.instructorId);
      const page = pageOf(query.page);
      const list = await listReviewsAdmin(db, { schoolId, instructorId }, page);
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.reviews, active: "reviews" }, <AdminReviewsPage {...list} page={page} schoolId={schoolId} instructorId={instructorId} csrf={shell.csrfToken} zone={shell.zone} notice={noticeOf(query, shell.language)} language={shell.language} />);
    }, { query: t.Object({ schoolId: QText(20), instructorId: QText(20), page: QText(20), notice: QText(40) }) })
    .post("/reviews/:id/hide", toggle(true), { params: IdParams, query: t.Object({ back: QText(300) }) })
    .post("/reviews/:id/show", toggle(false), { params: IdParams, query: t.Object({ back: QText(300) }) });
}
