// The school CRM's own pages: the profile and the offers the bot lists. Applications,
// templates and Telegram are shared with instructors (crm-applications.tsx, crm-common.tsx).
import { getSchool, listOffers, saveOffer, updateSchoolProfile, withdrawOffer } from "../../domain/profile.ts";
import { OffersSection, SchoolProfileForm } from "../../../views/pages/crm/profile.tsx";
import { crmArea, page, wantsFragment, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";
import { Elysia } from "elysia";
import { OfferFields, SCHOOL_PROFILE_FIELDS } from "./admin-schools.tsx";
import { schoolStatsRoutes } from "./crm-stats.tsx";
import { lessonChangeRoutes } from "./crm-lessons.tsx";
import { ShareQuery, shareView } from "./crm-share.tsx";
import { ShareSection } from "../../../views/pages/crm/share.tsx";
import { profileTexts } from "../../i18n/crm/profile.ts";

const ProfileFields = Form(SCHOOL_PROFILE_FIELDS);

export function schoolRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  // Each section file is its own area plugin (its own prefix): mounted side by side here.
  const sections = new Elysia().use(schoolStatsRoutes(deps));
  const own = crmArea(deps, "school")
    .get("/profile", async ({ request, query, scope, shell, base }) => {
      const [school, offers] = await Promise.all([getSchool(db, scope), listOffers(db, scope)]);
      const share = shareView(config.telegramBotUsername, base, scope, query.tag, shell.language);
      return page(
        request,
        shell,
        { title: profileTexts[shell.language].title, active: "profile", status: share.error ? 422 : 200 },
        <>
          <SchoolProfileForm base={base} v={school} language={shell.language} />
          <ShareSection {...share} />
          <OffersSection base={base} offers={offers} language={shell.language} />
        </>,
      );
    }, { query: ShareQuery })
    .post("/profile", async ({ request, body: form, scope, shell, base }) => {
      const result = await updateSchoolProfile(db, scope, form, shell.language);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/profile`);
      const view = result.ok ? (
        <SchoolProfileForm base={base} v={result.value} saved language={shell.language} />
      ) : (
        <SchoolProfileForm base={base} v={form} errors={result.errors} language={shell.language} />
      );
      return page(request, shell, { title: profileTexts[shell.language].title, active: "profile", status: result.ok ? 200 : 422 }, view);
    }, { body: ProfileFields })
    .post("/offers", async ({ request, body, scope, shell, base }) => offerAnswer(request, shell, base, scope, "new", await saveOffer(db, scope, null, body, shell.language), body), { body: OfferFields })
    .post("/offers/:id", async ({ request, params, body, scope, shell, base }) => {
      const result = await saveOffer(db, scope, params.id, body, shell.language);
      if (!result) throw new HttpError(404, said("offerNotFound"));
      return offerAnswer(request, shell, base, scope, String(params.id), result, body);
    }, { params: IdParams, body: OfferFields })
    .post("/offers/:id/delete", async ({ request, params, scope, shell, base }) => {
      if (!(await withdrawOffer(db, scope, params.id))) throw new HttpError(404, said("offerNotFound"));
      return offerAnswer(request, shell, base, scope, "", { ok: true }, {});
    }, { params: IdParams });
  // The week of the school's instructors' lessons (issue 15, CRM lessons part).
  return sections.use(own).use(lessonChangeRoutes(deps, "school"));

  async function offerAnswer(
    request: Request,
    shell: Parameters<typeof page>[1],
    base: string,
    scope: Parameters<typeof listOffers>[1],
    key: string,
    result: { ok: true } | { ok: false; errors: Record<string, string> } | null,
    values: Record<string, string | undefined>,
  ) {
    if (result?.ok && !wantsFragment(request)) return seeOther(`${base}/profile`);
    const state = result && !result.ok ? { key, errors: result.errors, values } : undefined;
    const section = <OffersSection base={base} offers={await listOffers(db, scope)} state={state} language={shell.language} />;
    return page(request, shell, { title: profileTexts[shell.language].title, active: "profile", status: state ? 422 : 200 }, section);
  }
}
