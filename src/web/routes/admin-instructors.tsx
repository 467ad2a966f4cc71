// Admin: instructors (independent or of a school): list, create, edit, deactivate; their slots.
import { t } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import {
  accountsOf,
  addSlotAdmin,
  cancelSlotAdmin,
  getInstructorAdmin,
  listInstructorsAdmin,
  listSlotsAdmin,
  saveInstructor,
  schoolChoices,
  setInstructorActive,
  type Instructor,
} from "../../domain/admin-catalog.ts";
import type { Db } from "../../db/client.ts";
import { Card } from "../../../views/pages/admin/common.tsx";
import { InstructorForm, InstructorPage, InstructorsPage } from "../../../views/pages/admin/instructors.tsx";
import type { AdminShell } from "../../../views/pages/admin/layout.tsx";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, Id, IdParams, idParam, localDateTime, OptText, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, param } from "./admin-common.tsx";
import { cityChoices } from "./admin-schools.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";

const notFound = () => new HttpError(404, said("instructorNotFound"));

const InstructorFields = Form({
  cityId: OptText(),
  schoolId: OptText(),
  name: OptText(),
  phone: OptText(),
  whatsapp: OptText(),
  transmission: OptText(),
  car: OptText(),
  pricePerHourKzt: OptText(),
  categories: OptText(),
  meetingPoint: OptText(),
  meetingPointKk: OptText(),
  kaspiUrl: OptText(),
  halykUrl: OptText(),
});
const SlotFields = Form({ startsAt: OptText(), minutes: OptText() });

type Extra = Partial<Omit<Parameters<typeof InstructorPage>[0], "instructor" | "slots" | "accounts" | "cities" | "schools" | "csrf" | "zone" | "language">>;

export async function renderInstructor(db: Db, request: Request, shell: AdminShell, instructor: Instructor, extra: Extra = {}, status = 200) {
  const [slots, accounts, cities, schools] = await Promise.all([
    listSlotsAdmin(db, instructor.id, new Date()),
    accountsOf(db, { instructorId: instructor.id }),
    cityChoices(db, shell.language),
    schoolChoices(db, shell.language),
  ]);
  return adminPage(
    request,
    shell,
    { title: adminTexts[shell.language].titles.instructor(instructor.name), active: "instructors", status },
    <InstructorPage instructor={instructor} slots={slots} accounts={accounts} cities={cities} schools={schools} csrf={shell.csrfToken} zone={shell.zone} language={shell.language} {...extra} />,
  );
}

export function adminInstructorRoutes(deps: CrmDeps) {
  const { db } = deps;
  const mustInstructor = async (id: number) => {
    const i = await getInstructorAdmin(db, id);
    if (!i) throw notFound();
    return i;
  };
  const newForm = async (request: Request, shell: AdminShell, v: Record<string, string | undefined>, errors?: Record<string, string>) =>
    adminPage(
      request,
      shell,
      { title: adminTexts[shell.language].titles.newInstructor, active: "instructors", status: errors ? 422 : 200 },
      <Card>
        <InstructorForm action="/admin/instructors" csrf={shell.csrfToken} v={v} errors={errors} cities={await cityChoices(db, shell.language)} schools={await schoolChoices(db, shell.language)} submit={adminTexts[shell.language].create} language={shell.language} />
      </Card>,
    );

  return adminArea(deps)
    .get(
      "/instructors",
      async ({ request, query, shell }) => {
      const rawSchool = param(query, "school");
      const school = rawSchool === "independent" ? ("independent" as const) : idParam(rawSchool);
      const state = param(query, "state");
      const filter = {
        q: param(query, "q") || undefined,
        city: idParam(query.city) ? param(query, "city") : undefined,
        school: school ? String(school) : undefined,
        state: state === "active" || state === "inactive" ? state : undefined,
      };
      const page = pageOf(query.page);
      const [list, cities, schools] = await Promise.all([
        listInstructorsAdmin(db, { q: filter.q, cityId: idParam(query.city), school, state: filter.state, page }),
        cityChoices(db, shell.language),
        schoolChoices(db, shell.language),
      ]);
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.instructors, active: "instructors" }, <InstructorsPage {...list} filter={filter} cities={cities} schools={schools} language={shell.language} />);
      },
      { query: t.Object({ q: QText(100), city: QText(20), school: QText(20), state: QText(20), page: QText(20) }) },
    )
    .get("/instructors/new", ({ request, shell }) => newForm(request, shell, {}))
    .post("/instructors", async ({ request, body: form, shell }) => {
      const result = await saveInstructor(db, shell.accountId, null, form, shell.language);
      if (result?.ok) return seeOther(`/admin/instructors/${result.value.id}?notice=created`);
      return newForm(request, shell, form, result && !result.ok ? result.errors : {});
    }, { body: InstructorFields })
    .get("/instructors/:id", async ({ request, params, query, shell }) => renderInstructor(db, request, shell, await mustInstructor(params.id), { notice: noticeOf(query, shell.language) }), {
      params: IdParams,
      query: t.Object({ notice: QText(40) }),
    })
    .post("/instructors/:id", async ({ request, params, body: form, shell }) => {
      const instructor = await mustInstructor(params.id);
      const result = await saveInstructor(db, shell.accountId, instructor.id, form, shell.language);
      if (!result) throw notFound();
      if (result.ok) return seeOther(`/admin/instructors/${instructor.id}?notice=saved`);
      return renderInstructor(db, request, shell, instructor, { form, errors: result.errors }, 422);
    }, { params: IdParams, body: InstructorFields })
    .post("/instructors/:id/deactivate", async ({ params, shell }) => {
      const i = await setInstructorActive(db, shell.accountId, params.id, false);
      if (!i) throw notFound();
      return seeOther(`/admin/instructors/${i.id}?notice=deactivated`);
    }, { params: IdParams })
    .post("/instructors/:id/activate", async ({ params, shell }) => {
      const i = await setInstructorActive(db, shell.accountId, params.id, true);
      if (!i) throw notFound();
      return seeOther(`/admin/instructors/${i.id}?notice=activated`);
    }, { params: IdParams })
    .post("/instructors/:id/slots", async ({ request, params, body: form, shell }) => {
      const instructor = await mustInstructor(params.id);
      const result = await addSlotAdmin(db, shell.accountId, instructor.id, form, (raw) => localDateTime(raw, shell.zone), shell.language);
      if (!result) throw notFound();
      if (result.ok) return seeOther(`/admin/instructors/${instructor.id}?notice=slot_added`);
      return renderInstructor(db, request, shell, instructor, { slotForm: form, slotErrors: result.errors }, 422);
    }, { params: IdParams, body: SlotFields })
    .post("/instructors/:id/slots/:slotId/cancel", async ({ params, shell }) => {
      const id = params.id;
      const r = await cancelSlotAdmin(db, shell.accountId, id, params.slotId, shell.zone);
      if (r === "not_found") throw new HttpError(404, said("slotNotFound"));
      return seeOther(`/admin/instructors/${id}?notice=${r === "ok" ? "slot_cancelled" : "slot_taken"}`);
    }, { params: t.Object({ id: Id, slotId: Id }) });
}
