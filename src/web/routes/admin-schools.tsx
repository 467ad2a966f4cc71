// Admin: schools (list with search and filters, create, edit, deactivate) and their offers.
import { t } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import { accountsOf, getSchoolAdmin, listAllCities, listOffersAdmin, listSchoolsAdmin, saveOfferAdmin, saveSchool, setOfferActive, setSchoolActive, type School } from "../../domain/admin-catalog.ts";
import type { Db } from "../../db/client.ts";
import { Card } from "../../../views/pages/admin/common.tsx";
import { OfferForm, SchoolForm, SchoolPage, SchoolsPage } from "../../../views/pages/admin/schools.tsx";
import { schoolLabel } from "../../../views/pages/admin/common.tsx";
import type { Language } from "../../db/schema.ts";
import { adminTexts } from "../../i18n/admin/common.ts";
import { schoolTexts } from "../../i18n/admin/schools.ts";
import type { AdminShell } from "../../../views/pages/admin/layout.tsx";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, Id, IdParams, idParam, OptText, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, param } from "./admin-common.tsx";

const notFound = () => new HttpError(404, said("schoolNotFound"));

/** What a school says about itself, here and in the school's own CRM profile (crm-schools.tsx). */
export const SCHOOL_PROFILE_FIELDS = {
  name: OptText(),
  nameKk: OptText(),
  address: OptText(),
  addressKk: OptText(),
  phone: OptText(),
  whatsapp: OptText(),
  description: OptText(),
  descriptionKk: OptText(),
  kaspiUrl: OptText(),
  halykUrl: OptText(),
};

/** The admin's school form: the profile plus the city, which only the admin sets. */
const SchoolFields = Form({ cityId: OptText(), ...SCHOOL_PROFILE_FIELDS });
/** A school's offer, here and in the school's own CRM (crm-schools.tsx). */
// The bounds only stop what no form sends; the domain's messages (hours 1..200, includes ≤ 300) re-render the form.
export const OfferFields = Form({
  category: OptText(20),
  format: OptText(40),
  kind: OptText(40),
  priceKzt: OptText(40),
  durationWeeks: OptText(20),
  hours: OptText(20),
  includes: OptText(2000),
  includesKk: OptText(2000),
});
const OfferParams = t.Object({ id: Id, offerId: Id });
const Notice = t.Object({ notice: QText(40) });

/** The cities for a select, named in the admin's language (an inactive one says so). */
export async function cityChoices(db: Db, language: Language): Promise<[string, string][]> {
  return (await listAllCities(db)).map((c) => {
    const name = language === "kk" ? c.nameKk || c.nameRu : c.nameRu;
    return [String(c.id), c.active ? name : adminTexts[language].inactiveCity(name)];
  });
}

type Extra = Partial<Omit<Parameters<typeof SchoolPage>[0], "school" | "offers" | "accounts" | "cities" | "csrf" | "zone" | "language">>;

export async function renderSchool(db: Db, request: Request, shell: AdminShell, school: School, extra: Extra = {}, status = 200) {
  const [offers, accounts, cities] = await Promise.all([listOffersAdmin(db, school.id), accountsOf(db, { schoolId: school.id }), cityChoices(db, shell.language)]);
  return adminPage(
    request,
    shell,
    { title: schoolLabel(school.name, shell.language), active: "schools", status },
    <SchoolPage school={school} offers={offers} accounts={accounts} cities={cities} csrf={shell.csrfToken} zone={shell.zone} language={shell.language} {...extra} />,
  );
}

export function adminSchoolRoutes(deps: CrmDeps) {
  const { db } = deps;
  const mustSchool = async (id: number) => {
    const s = await getSchoolAdmin(db, id);
    if (!s) throw notFound();
    return s;
  };
  return adminArea(deps)
    .get(
      "/schools",
      async ({ request, query, shell }) => {
        const state = param(query, "state");
        const kazakh = param(query, "kazakh");
        const filter = {
          q: param(query, "q") || undefined,
          city: idParam(query.city) ? param(query, "city") : undefined,
          state: state === "active" || state === "inactive" ? state : undefined,
          kazakh: kazakh === "missing" || kazakh === "present" ? kazakh : undefined,
        };
        const page = pageOf(query.page);
        const [list, cities] = await Promise.all([listSchoolsAdmin(db, { q: filter.q, cityId: idParam(query.city), state: filter.state, kazakh: filter.kazakh, page }), cityChoices(db, shell.language)]);
        return adminPage(request, shell, { title: adminTexts[shell.language].titles.schools, active: "schools" }, <SchoolsPage {...list} filter={filter} cities={cities} language={shell.language} />);
      },
      { query: t.Object({ q: QText(100), city: QText(20), state: QText(20), kazakh: QText(20), page: QText(20) }) },
    )
    .get("/schools/new", async ({ request, shell }) =>
      adminPage(
        request,
        shell,
        { title: adminTexts[shell.language].titles.newSchool, active: "schools" },
        <Card>
          <SchoolForm action="/admin/schools" csrf={shell.csrfToken} v={{}} cities={await cityChoices(db, shell.language)} submit={adminTexts[shell.language].create} language={shell.language} />
        </Card>,
      ),
    )
    .post("/schools", async ({ request, body: form, shell }) => {
      const result = await saveSchool(db, shell.accountId, null, form, shell.language);
      if (result?.ok) return seeOther(`/admin/schools/${result.value.id}?notice=created`);
      return adminPage(
        request,
        shell,
        { title: adminTexts[shell.language].titles.newSchool, active: "schools", status: 422 },
        <Card>
          <SchoolForm action="/admin/schools" csrf={shell.csrfToken} v={form} errors={result && !result.ok ? result.errors : {}} cities={await cityChoices(db, shell.language)} submit={adminTexts[shell.language].create} language={shell.language} />
        </Card>,
      );
    }, { body: SchoolFields })
    .get("/schools/:id", async ({ request, params, query, shell }) => renderSchool(db, request, shell, await mustSchool(params.id), { notice: noticeOf(query, shell.language) }), { params: IdParams, query: Notice })
    .post("/schools/:id", async ({ request, params, body: form, shell }) => {
      const school = await mustSchool(params.id);
      const result = await saveSchool(db, shell.accountId, school.id, form, shell.language);
      if (!result) throw notFound();
      if (result.ok) return seeOther(`/admin/schools/${school.id}?notice=saved`);
      return renderSchool(db, request, shell, school, { form, errors: result.errors }, 422);
    }, { params: IdParams, body: SchoolFields })
    .post("/schools/:id/deactivate", async ({ params, shell }) => {
      const s = await setSchoolActive(db, shell.accountId, params.id, false);
      if (!s) throw notFound();
      return seeOther(`/admin/schools/${s.id}?notice=deactivated`);
    }, { params: IdParams })
    .post("/schools/:id/activate", async ({ params, shell }) => {
      const s = await setSchoolActive(db, shell.accountId, params.id, true);
      if (!s) throw notFound();
      return seeOther(`/admin/schools/${s.id}?notice=activated`);
    }, { params: IdParams })
    .post("/schools/:id/offers", async ({ request, params, body: form, shell }) => {
      const school = await mustSchool(params.id);
      const result = await saveOfferAdmin(db, shell.accountId, school.id, null, form, shell.language);
      if (!result) throw notFound();
      if (result.ok) return seeOther(`/admin/schools/${school.id}?notice=offer_saved`);
      return renderSchool(db, request, shell, school, { offerForm: form, offerErrors: result.errors }, 422);
    }, { params: IdParams, body: OfferFields })
    .get("/schools/:id/offers/:offerId", async ({ request, params, shell }) => {
      const school = await mustSchool(params.id);
      const offerId = params.offerId;
      const offer = (await listOffersAdmin(db, school.id)).find((o) => o.id === offerId);
      if (!offer) throw new HttpError(404, said("offerNotFound"));
      const say = schoolTexts[shell.language];
      return adminPage(
        request,
        shell,
        { title: say.offerOf(schoolLabel(school.name, shell.language)), active: "schools" },
        <Card>
          <OfferForm action={`/admin/schools/${school.id}/offers/${offer.id}`} csrf={shell.csrfToken} v={offer} submit={adminTexts[shell.language].save} language={shell.language} />
          <p>
            <a href={`/admin/schools/${school.id}`} safe>
              {say.backToSchool}
            </a>
          </p>
        </Card>,
      );
    }, { params: OfferParams })
    .post("/schools/:id/offers/:offerId", async ({ request, params, body: form, shell }) => {
      const school = await mustSchool(params.id);
      const offerId = params.offerId;
      const result = await saveOfferAdmin(db, shell.accountId, school.id, offerId, form, shell.language);
      if (!result) throw new HttpError(404, said("offerNotFound"));
      if (result.ok) return seeOther(`/admin/schools/${school.id}?notice=offer_saved`);
      return adminPage(
        request,
        shell,
        { title: schoolTexts[shell.language].offerOf(schoolLabel(school.name, shell.language)), active: "schools", status: 422 },
        <Card>
          <OfferForm action={`/admin/schools/${school.id}/offers/${offerId}`} csrf={shell.csrfToken} v={form} errors={result.errors} submit={adminTexts[shell.language].save} language={shell.language} />
        </Card>,
      );
    }, { params: OfferParams, body: OfferFields })
    .post("/schools/:id/offers/:offerId/deactivate", async ({ params, shell }) => {
      if (!(await setOfferActive(db, shell.accountId, params.id, params.offerId, false))) throw new HttpError(404, said("offerNotFound"));
      return seeOther(`/admin/schools/${params.id}?notice=offer_off`);
    }, { params: OfferParams })
    .post("/schools/:id/offers/:offerId/activate", async ({ params, shell }) => {
      if (!(await setOfferActive(db, shell.accountId, params.id, params.offerId, true))) throw new HttpError(404, said("offerNotFound"));
      return seeOther(`/admin/schools/${params.id}?notice=offer_on`);
    }, { params: OfferParams });
}
