// Admin: cities (list, add, edit, deactivate/activate).
import { getCity, listAllCities, saveCity, setCityActive } from "../../domain/admin-catalog.ts";
import { said } from "../../i18n/admin/errors.ts";
import { CitiesPage, CityFormView } from "../../../views/pages/admin/cities.tsx";
import { Card } from "../../../views/pages/admin/common.tsx";
import { t } from "elysia";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf } from "./admin-common.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";
import { cityTexts } from "../../i18n/admin/cities.ts";
import { inLanguage } from "../../model/content.ts";

const notFound = () => new HttpError(404, said("cityNotFound"));

const CityForm = Form({ nameRu: OptText(), nameKk: OptText(), sort: OptText(), active: OptText() });
const Notice = t.Object({ notice: QText(40) });

export function adminCityRoutes(deps: CrmDeps) {
  const { db } = deps;
  return adminArea(deps)
    .get(
      "/cities",
      async ({ request, query, shell }) =>
        adminPage(request, shell, { title: adminTexts[shell.language].titles.cities, active: "cities" }, <CitiesPage cities={await listAllCities(db)} csrf={shell.csrfToken} notice={noticeOf(query, shell.language)} language={shell.language} />),
      { query: Notice },
    )
    .post("/cities", async ({ request, body: form, shell }) => {
      const result = await saveCity(db, shell.accountId, null, form, shell.language);
      if (result?.ok) return seeOther("/admin/cities?notice=created");
      const errors = result && !result.ok ? result.errors : {};
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.cities, active: "cities", status: 422 }, <CitiesPage cities={await listAllCities(db)} csrf={shell.csrfToken} form={{ ...form, active: form.active === "on" }} errors={errors} language={shell.language} />);
    }, { body: CityForm })
    .get("/cities/:id", async ({ request, params, shell }) => {
      const city = await getCity(db, params.id);
      if (!city) throw notFound();
      return adminPage(
        request,
        shell,
        { title: adminTexts[shell.language].titles.cityNamed(inLanguage(shell.language, city.nameRu, city.nameKk)), active: "cities" },
        <Card>
          <CityFormView action={`/admin/cities/${city.id}`} csrf={shell.csrfToken} v={city} submit={adminTexts[shell.language].save} language={shell.language} />
          <p>
            <a href="/admin/cities" safe>
              {cityTexts[shell.language].allCities}
            </a>
          </p>
        </Card>,
      );
    }, { params: IdParams })
    .post("/cities/:id", async ({ request, params, body: form, shell }) => {
      const id = params.id;
      const result = await saveCity(db, shell.accountId, id, form, shell.language);
      if (!result) throw notFound();
      if (result.ok) return seeOther("/admin/cities?notice=saved");
      return adminPage(
        request,
        shell,
        { title: adminTexts[shell.language].titles.city, active: "cities", status: 422 },
        <Card>
          <CityFormView action={`/admin/cities/${id}`} csrf={shell.csrfToken} v={{ ...form, active: form.active === "on" }} errors={result.errors} submit={adminTexts[shell.language].save} language={shell.language} />
        </Card>,
      );
    }, { params: IdParams, body: CityForm })
    .post("/cities/:id/deactivate", async ({ params, shell }) => {
      if (!(await setCityActive(db, shell.accountId, params.id, false))) throw notFound();
      return seeOther("/admin/cities?notice=deactivated");
    }, { params: IdParams })
    .post("/cities/:id/activate", async ({ params, shell }) => {
      if (!(await setCityActive(db, shell.accountId, params.id, true))) throw notFound();
      return seeOther("/admin/cities?notice=activated");
    }, { params: IdParams });
}
