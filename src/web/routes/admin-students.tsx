// Admin: students — search, one student's applications and discipline index, block/unblock.
import { getStudentAdmin, searchStudents, setStudentBlocked } from "../../domain/admin-people.ts";
import { pageOf } from "../../domain/admin-catalog.ts";
import { StudentPage, StudentsPage } from "../../../views/pages/admin/students.tsx";
import { idOf, type CrmDeps } from "../crm.tsx";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, param, seeOther } from "./admin-common.tsx";

const notFound = () => new HttpError(404, "Студент не найден.");

export function adminStudentRoutes(deps: CrmDeps) {
  const { db } = deps;
  return adminArea(deps)
    .get("/students", async ({ request, query, shell }) => {
      const q = param(query, "q");
      const list = await searchStudents(db, q, pageOf(query.page));
      return adminPage(request, shell, { title: "Студенты", active: "students" }, <StudentsPage {...list} q={q} zone={shell.zone} />);
    })
    .get("/students/:id", async ({ request, params, query, shell }) => {
      const d = await getStudentAdmin(db, idOf(params.id));
      if (!d) throw notFound();
      const name = [d.student.firstName, d.student.lastName].filter(Boolean).join(" ") || String(d.student.telegramId);
      return adminPage(request, shell, { title: `Студент: ${name}`, active: "students" }, <StudentPage {...d} csrf={shell.csrfToken} zone={shell.zone} notice={noticeOf(query)} />);
    })
    .post("/students/:id/block", async ({ params, shell }) => {
      const s = await setStudentBlocked(db, shell.accountId, idOf(params.id), true);
      if (!s) throw notFound();
      return seeOther(`/admin/students/${s.id}?notice=blocked`);
    })
    .post("/students/:id/unblock", async ({ params, shell }) => {
      const s = await setStudentBlocked(db, shell.accountId, idOf(params.id), false);
      if (!s) throw notFound();
      return seeOther(`/admin/students/${s.id}?notice=unblocked`);
    });
}
