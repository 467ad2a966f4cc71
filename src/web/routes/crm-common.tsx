// Sections both areas have: reply templates and the staff member's Telegram link.
import { createLinkCode, isTelegramLinked, unlinkTelegram } from "../../domain/staff-telegram.ts";
import { deleteTemplate, listTemplates, saveTemplate } from "../../domain/templates.ts";
import { TelegramSection } from "../../../views/pages/crm/telegram.tsx";
import { TemplatesSection } from "../../../views/pages/crm/templates.tsx";
import { crmArea, page, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

const TemplateFields = Form({ title: OptText(), body: OptText(), bodyKk: OptText() });

export function commonRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const isLinked = (accountId: number) => isTelegramLinked(db, accountId);

  return crmArea(deps, kind)
    .get("/templates", async ({ request, scope, shell, base }) =>
      page(request, shell, { title: "Шаблоны ответов", active: "templates" }, <TemplatesSection base={base} templates={await listTemplates(db, scope)} />),
    )
    .post("/templates", async ({ request, body: f, scope, shell, base }) => {
      const input = { title: f.title ?? "", body: f.body ?? "", bodyKk: f.bodyKk ?? "" };
      const result = await saveTemplate(db, scope, null, input);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/templates`);
      const templates = await listTemplates(db, scope);
      const state = !result.ok && "errors" in result ? { key: "new", errors: result.errors, ...input } : undefined;
      return page(request, shell, { title: "Шаблоны ответов", active: "templates", status: state ? 422 : 200 }, <TemplatesSection base={base} templates={templates} state={state} saved={state ? undefined : "Шаблон добавлен."} />);
    }, { body: TemplateFields })
    .post("/templates/:id", async ({ request, params, body: f, scope, shell, base }) => {
      const id = params.id;
      const input = { title: f.title ?? "", body: f.body ?? "", bodyKk: f.bodyKk ?? "" };
      const result = await saveTemplate(db, scope, id, input);
      if (!result.ok && "notFound" in result) throw new HttpError(404, "Шаблон не найден.");
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/templates`);
      const state = !result.ok && "errors" in result ? { key: String(id), errors: result.errors, ...input } : undefined;
      return page(request, shell, { title: "Шаблоны ответов", active: "templates", status: state ? 422 : 200 }, <TemplatesSection base={base} templates={await listTemplates(db, scope)} state={state} saved={state ? undefined : "Шаблон сохранён."} />);
    }, { params: IdParams, body: TemplateFields })
    .post("/templates/:id/delete", async ({ request, params, scope, shell, base }) => {
      if (!(await deleteTemplate(db, scope, params.id))) throw new HttpError(404, "Шаблон не найден.");
      if (!wantsFragment(request)) return seeOther(`${base}/templates`);
      return page(request, shell, { title: "Шаблоны ответов", active: "templates" }, <TemplatesSection base={base} templates={await listTemplates(db, scope)} saved="Шаблон удалён." />);
    }, { params: IdParams })
    .get("/telegram", async ({ request, scope, shell, base }) =>
      page(request, shell, { title: "Telegram", active: "telegram" }, <TelegramSection base={base} linked={await isLinked(scope.accountId)} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} />),
    )
    .post("/telegram/code", async ({ request, scope, shell, base }) => {
      const code = await createLinkCode(db, scope.accountId);
      return page(request, shell, { title: "Telegram", active: "telegram" }, <TelegramSection base={base} linked={await isLinked(scope.accountId)} code={code} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} />);
    })
    .post("/telegram/unlink", async ({ request, scope, shell, base }) => {
      await unlinkTelegram(db, scope.accountId);
      if (!wantsFragment(request)) return seeOther(`${base}/telegram`);
      return page(request, shell, { title: "Telegram", active: "telegram" }, <TelegramSection base={base} linked={false} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} />);
    });
}
