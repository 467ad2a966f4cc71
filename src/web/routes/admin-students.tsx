// Admin: students — search, one student's applications and discipline index, block/unblock.
import { getStudentAdmin, searchStudents, setStudentBlocked } from "../../domain/admin-people.ts";
import { said } from "../../i18n/admin/errors.ts";
import { t } from "elysia";
import { StudentPage, StudentsPage } from "../../../views/pages/admin/students.tsx";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { IdParams, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, param } from "./admin-common.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";

const notFound = () => new HttpError(404, said("studentNotFound"));

export function adminStudentRoutes(deps: CrmDeps) {
  const { db } = deps;
  return adminArea(deps)
    .get("/students", async ({ request, query, shell }) => {
      const q = param(query, "q");
      const list = await searchStudents(db, q, pageOf(query.page));
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.students, active: "students" }, <StudentsPage {...list} q={q} zone={shell.zone} language={shell.language} />);
    }, { query: t.Object({ q: QText(100), page: QText(20) }) })
    .get("/students/:id", async ({ request, params, query, shell }) => {
      const d = await getStudentAdmin(db, params.id);
      if (!d) throw notFound();
      const name = [d.student.firstName, d.student.lastName].filter(Boolean).join(" ") || String(d.student.telegramId);
      return adminPage(request, shell, { title: adminTexts[shell.language].titles.student(name), active: "students" }, <StudentPage {...d} csrf={shell.csrfToken} zone={shell.zone} notice={noticeOf(query, shell.language)} language={shell.language} />);
    }, { params: IdParams, query: t.Object({ notice: QText(40) }) })
    .post("/students/:id/block", async ({ params, shell }) => {
      const s = await setStudentBlocked(db, shell.accountId, params.id, true);
      if (!s) throw notFound();
      return seeOther(`/admin/students/${s.id}?notice=blocked`);
    }, { params: IdParams })
    .post("/students/:id/unblock", async ({ params, shell }) => {
      const s = await setStudentBlocked(db, shell.accountId, params.id, false);
      if (!s) throw notFound();
      return seeOther(`/admin/students/${s.id}?notice=unblocked`);
    }, { params: IdParams });
}
