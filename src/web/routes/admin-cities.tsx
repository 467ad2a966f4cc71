// Admin: cities (list, add, edit, deactivate/activate).
import { getCity, listAllCities, saveCity, setCityActive } from "../../domain/admin-catalog.ts";
import { CitiesPage, CityFormView } from "../../../views/pages/admin/cities.tsx";
import { Card } from "../../../views/pages/admin/common.tsx";
import { formOf, idOf, type CrmDeps } from "../crm.tsx";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, seeOther } from "./admin-common.tsx";

const notFound = () => new HttpError(404, "Город не найден.");

export function adminCityRoutes(deps: CrmDeps) {
  const { db } = deps;
  return adminArea(deps)
    .get("/cities", async ({ request, query, shell }) =>
      adminPage(request, shell, { title: "Города", active: "cities" }, <CitiesPage cities={await listAllCities(db)} csrf={shell.csrfToken} notice={noticeOf(query)} />),
    )
    .post("/cities", async ({ request, body, shell }) => {
      const form = formOf(body);
      const result = await saveCity(db, shell.accountId, null, form);
      if (result?.ok) return seeOther("/admin/cities?notice=created");
      const errors = result && !result.ok ? result.errors : {};
      return adminPage(request, shell, { title: "Города", active: "cities", status: 422 }, <CitiesPage cities={await listAllCities(db)} csrf={shell.csrfToken} form={{ ...form, active: form.active === "on" }} errors={errors} />);
    })
    .get("/cities/:id", async ({ request, params, shell }) => {
      const city = await getCity(db, idOf(params.id));
      if (!city) throw notFound();
      return adminPage(
        request,
        shell,
        { title: `Город: ${city.nameRu}`, active: "cities" },
        <Card>
          <CityFormView action={`/admin/cities/${city.id}`} csrf={shell.csrfToken} v={city} submit="Сохранить" />
          <p>
            <a href="/admin/cities">← Все города</a>
          </p>
        </Card>,
      );
    })
    .post("/cities/:id", async ({ request, params, body, shell }) => {
      const id = idOf(params.id);
      const form = formOf(body);
      const result = await saveCity(db, shell.accountId, id, form);
      if (!result) throw notFound();
      if (result.ok) return seeOther("/admin/cities?notice=saved");
      return adminPage(
        request,
        shell,
        { title: "Город", active: "cities", status: 422 },
        <Card>
          <CityFormView action={`/admin/cities/${id}`} csrf={shell.csrfToken} v={{ ...form, active: form.active === "on" }} errors={result.errors} submit="Сохранить" />
        </Card>,
      );
    })
    .post("/cities/:id/deactivate", async ({ params, shell }) => {
      if (!(await setCityActive(db, shell.accountId, idOf(params.id), false))) throw notFound();
      return seeOther("/admin/cities?notice=deactivated");
    })
    .post("/cities/:id/activate", async ({ params, shell }) => {
      if (!(await setCityActive(db, shell.accountId, idOf(params.id), true))) throw notFound();
      return seeOther("/admin/cities?notice=activated");
    });
}
