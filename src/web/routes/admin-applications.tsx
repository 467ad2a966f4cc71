// Admin: all applications with filters, one application with its history, and the CSV export
// of the current filter (streamed batch by batch: see domain/export.ts).
import { applicationFilterOf, filterQuery, getApplicationAdmin, listApplicationsAdmin } from "../../domain/admin-applications.ts";
import { instructorChoices, pageOf, schoolChoices } from "../../domain/admin-catalog.ts";
import { exportApplicationsCsv } from "../../domain/export.ts";
import { ApplicationAdminView, ApplicationsPage } from "../../../views/pages/admin/applications.tsx";
import { idOf, type CrmDeps } from "../crm.tsx";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage } from "./admin-common.tsx";
import { cityChoices } from "./admin-schools.tsx";

export function adminApplicationRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  const zone = config.timeZone;
  return adminArea(deps)
    .get("/applications", async ({ request, query, shell }) => {
      const filter = applicationFilterOf(query);
      const page = pageOf(query.page);
      const [list, cities, schools, instructors] = await Promise.all([listApplicationsAdmin(db, filter, page, zone), cityChoices(db), schoolChoices(db), instructorChoices(db)]);
      return adminPage(
        request,
        shell,
        { title: "Заявки", active: "applications" },
        <ApplicationsPage {...list} query={filterQuery(filter)} zone={zone} cities={cities} schools={schools} instructors={instructors} />,
      );
    })
    .get("/applications/export.csv", ({ query }) => {
      const filter = applicationFilterOf(query);
      const stamp = new Date().toISOString().slice(0, 10);
      return new Response(exportApplicationsCsv(db, filter, zone), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="applications-${stamp}.csv"`,
          "cache-control": "no-store",
        },
      });
    })
    .get("/applications/:id", async ({ request, params, shell }) => {
      const d = await getApplicationAdmin(db, idOf(params.id));
      if (!d) throw new HttpError(404, "Заявка не найдена.");
      return adminPage(request, shell, { title: `Заявка № ${d.app.publicNumber}`, active: "applications" }, <ApplicationAdminView d={d} zone={zone} />);
    });
}
