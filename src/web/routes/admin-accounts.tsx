// Admin: CRM accounts — list with last login, create for a school or an instructor (the
// one-time password is shown once, in this answer only), reset a password, disable/enable.
import { createCrmAccount, listAccounts, resetPassword, setAccountDisabled } from "../../domain/admin-accounts.ts";
import { said } from "../../i18n/admin/errors.ts";
import { t } from "elysia";
import { getInstructorAdmin, getSchoolAdmin, instructorChoices, schoolChoices } from "../../domain/admin-catalog.ts";
import type { Db } from "../../db/client.ts";
import { roles, type Role } from "../../db/schema.ts";
import { AccountsPage, PasswordShown } from "../../../views/pages/admin/accounts.tsx";
import type { AdminShell } from "../../../views/pages/admin/layout.tsx";
import type { CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { adminArea, adminPage, noticeOf, param } from "./admin-common.tsx";
import { adminTexts } from "../../i18n/admin/common.ts";

const AccountFields = Form({ login: OptText(200), displayName: OptText(), owner: OptText(40) });
import { renderInstructor } from "./admin-instructors.tsx";
import { renderSchool } from "./admin-schools.tsx";

// The page shows a password: never cached, never kept in history by a shared proxy.
const secret = (r: Response | Promise<Response>) =>
  Promise.resolve(r).then((res) => {
    res.headers.set("cache-control", "no-store, private");
    return res;
  });

async function renderAccounts(db: Db, request: Request, shell: AdminShell, query: Record<string, unknown>, extra: { form?: Record<string, string | undefined>; errors?: Record<string, string>; notice?: string } = {}, status = 200) {
  const roleRaw = param(query, "role");
  const role = (roles as readonly string[]).includes(roleRaw) ? (roleRaw as Role) : undefined;
  const filter = { q: param(query, "q") || undefined, role };
  const [list, schools, instructors] = await Promise.all([listAccounts(db, { ...filter, page: pageOf(query.page) }), schoolChoices(db, shell.language), instructorChoices(db, shell.language)]);
  return adminPage(
    request,
    shell,
    { title: adminTexts[shell.language].titles.accounts, active: "accounts", status },
    <AccountsPage {...list} filter={filter} csrf={shell.csrfToken} zone={shell.zone} language={shell.language} selfId={shell.accountId} owners={{ schools, instructors }} {...extra} />,
  );
}

export function adminAccountRoutes(deps: CrmDeps) {
  const { db } = deps;
  return adminArea(deps)
    .get("/accounts", async ({ request, query, shell }) => renderAccounts(db, request, shell, query, { notice: noticeOf(query, shell.language) }), {
      query: t.Object({ q: QText(100), role: QText(20), page: QText(20), notice: QText(40) }),
    })
    .post("/accounts", async ({ request, body: form, shell }) => {
      const result = await createCrmAccount(db, shell.accountId, form, shell.language);
      if (result.ok) return secret(adminPage(request, shell, { title: adminTexts[shell.language].titles.loginCreated, active: "accounts", status: 201 }, <PasswordShown account={result.account} password={result.password} created language={shell.language} />));
      // The form was on a school's or an instructor's page: answer there, errors at the fields.
      const owner = /^(school|instructor):(\d{1,9})$/.exec(form.owner ?? "");
      if (owner?.[1] === "school") {
        const school = await getSchoolAdmin(db, Number(owner[2]));
        if (school) return renderSchool(db, request, shell, school, { accountForm: form, accountErrors: result.errors }, 422);
      } else if (owner?.[1] === "instructor") {
        const instructor = await getInstructorAdmin(db, Number(owner[2]));
        if (instructor) return renderInstructor(db, request, shell, instructor, { accountForm: form, accountErrors: result.errors }, 422);
      }
      return renderAccounts(db, request, shell, {}, { form, errors: result.errors }, 422);
    }, { body: AccountFields })
    .post("/accounts/:id/reset", async ({ request, params, shell }) => {
      const result = await resetPassword(db, shell.accountId, params.id);
      if (!result) throw new HttpError(404, said("accountNotFound"));
      return secret(adminPage(request, shell, { title: adminTexts[shell.language].titles.passwordReset, active: "accounts" }, <PasswordShown account={result.account} password={result.password} created={false} language={shell.language} />));
    }, { params: IdParams })
    .post("/accounts/:id/disable", async ({ params, shell }) => {
      const r = await setAccountDisabled(db, shell.accountId, params.id, true);
      if (!r.ok && r.reason === "self") throw new HttpError(400, said("selfDisable"));
      if (!r.ok) throw new HttpError(404, said("accountNotFound"));
      return seeOther(`/admin/accounts?q=${encodeURIComponent(r.account.login)}&notice=disabled`);
    }, { params: IdParams })
    .post("/accounts/:id/enable", async ({ params, shell }) => {
      const r = await setAccountDisabled(db, shell.accountId, params.id, false);
      if (!r.ok) throw new HttpError(404, said("accountNotFound"));
      return seeOther(`/admin/accounts?q=${encodeURIComponent(r.account.login)}&notice=enabled`);
    }, { params: IdParams });
}
