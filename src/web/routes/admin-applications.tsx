// Admin: all applications with filters, one application with its history, and the CSV export
// of the current filter (streamed batch by batch: see domain/export.ts).
import { t } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import { filterQuery, getApplicationAdmin, listApplicationsAdmin, type ApplicationFilter } from "../../domain/admin-applications.ts";
import { instructorChoices, schoolChoices } from "../../domain/admin-catalog.ts";
import { isApplicationStatus } from "../../model/application-status.ts";
import { csvResponse, exportApplicationsCsv } from "../../domain/export.ts";
import { adminTexts } from "../../i18n/admin/common.ts";
import { ApplicationAdminView, ApplicationsPage } from "../../../views/pages/admin/applications.tsx";
import type { CrmDeps } from "../crm.tsx";
import { dateParam, IdParams, idParam, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage } from "./admin-common.tsx";
import { cityChoices } from "./admin-schools.tsx";

const FilterQuery = t.Object({
  city: QText(20),
  school: QText(20),
  instructor: QText(20),
  student: QText(20),
  status: QText(20),
  from: QText(20),
  to: QText(20),
  page: QText(20),
});

/** The filter from the query; anything malformed is simply not applied. */
function applicationFilterOf(query: typeof FilterQuery.static): ApplicationFilter {
  return {
    cityId: idParam(query.city),
    schoolId: idParam(query.school),
    instructorId: idParam(query.instructor),
    studentId: idParam(query.student),
    status: isApplicationStatus(query.status) ? query.status : undefined,
    from: dateParam(query.from),
    to: dateParam(query.to),
  };
}

export function adminApplicationRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  const zone = config.timeZone;
  return adminArea(deps)
    .get("/applications", async ({ request, query, shell }) => {
      const filter = applicationFilterOf(query);
      const page = pageOf(query.page);
      const [list, cities, schools, instructors] = await Promise.all([listApplicationsAdmin(db, filter, page, zone), cityChoices(db, shell.language), schoolChoices(db, shell.language), instructorChoices(db, shell.language)]);
      return adminPage(
        request,
        shell,
        { title: adminTexts[shell.language].titles.applications, active: "applications" },
        <ApplicationsPage {...list} query={filterQuery(filter)} zone={zone} language={shell.language} cities={cities} schools={schools} instructors={instructors} />,
      );
    }, { query: FilterQuery })
    .get("/applications/export.csv", ({ query, shell }) => csvResponse(exportApplicationsCsv(db, applicationFilterOf(query), zone, shell.language), "applications"), { query: FilterQuery })
    .get("/applications/:id", async ({ request, params, shell }) => {
      const d = await getApplicationAdmin(db, params.id);
      if (!d) throw new HttpError(404, said("applicationNotFound"));
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.application(d.app.publicNumber), active: "applications" }, <ApplicationAdminView d={d} zone={zone} language={shell.language} />);
    }, { params: IdParams });
}
