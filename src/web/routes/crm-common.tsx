// Sections both areas have: reply templates, automatic messages and the staff member's Telegram link.
import { createLinkCode, isTelegramLinked, unlinkTelegram } from "../../domain/staff-telegram.ts";
import { deleteTemplate, listTemplates, saveTemplate } from "../../domain/templates.ts";
import { TelegramSection } from "../../../views/pages/crm/telegram.tsx";
import { TemplatesSection } from "../../../views/pages/crm/templates.tsx";
import { AutoRepliesSection, AutoReplyForm, AutoReplyPreview, type AutoReplyFormState } from "../../../views/pages/crm/auto-replies.tsx";
import { listAutoReplies, previewAutoReply, previewFacts, saveAutoReply, type AutoFacts, type AutoTexts } from "../../domain/auto-replies.ts";
import type { Scope } from "../../domain/scope.ts";
import { autoEventsOf, isAutoEvent, type AutoEvent } from "../../model/auto-reply.ts";
import { crmArea, fragment, page, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";

const AUTO_TITLE = "Автоматические сообщения";
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText } from "../input.ts";
import { t } from "elysia";
import { HttpError } from "../plugins/errors.tsx";

const TemplateFields = Form({ title: OptText(), body: OptText(), bodyKk: OptText() });
const AutoReplyFields = Form({ ru: OptText(), kk: OptText() });
/** An event's name in the path; one the scope's kind does not have is a 404 (eventOf). */
const EventParams = t.Object({ event: t.String({ maxLength: 30 }) });

function eventOf(scope: Scope, raw: string): AutoEvent {
  if (!isAutoEvent(scope.kind, raw)) throw new HttpError(404, "Страница не найдена.");
  return raw;
}

export function commonRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const isLinked = (accountId: number) => isTelegramLinked(db, accountId);

  /**
   * Every event's form with its saved texts and preview; `edited` as the person typed it. Every
   * preview is composed from the one load of the scope's facts (previewFacts), not one per event.
   */
  const autoForms = async (scope: Scope, facts: AutoFacts, edited?: [AutoEvent, AutoReplyFormState]): Promise<[AutoEvent, AutoReplyFormState][]> => {
    const saved = await listAutoReplies(db, scope);
    return autoEventsOf(scope.kind).map((event) => {
      if (edited?.[0] === event) return edited;
      const texts = saved.get(event)!;
      return [event, { texts, preview: previewAutoReply(facts, event, texts) }];
    });
  };

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
    .get("/auto-replies", async ({ request, scope, shell, base }) =>
      page(request, shell, { title: AUTO_TITLE, active: "auto-replies" }, <AutoRepliesSection base={base} forms={await autoForms(scope, await previewFacts(db, scope))} csrfToken={shell.csrfToken} />),
    )
    .post("/auto-replies/:event", async ({ request, params, body: f, scope, shell, base }) => {
      const event = eventOf(scope, params.event);
      const texts: AutoTexts = { ru: f.ru ?? "", kk: f.kk ?? "" };
      const result = await saveAutoReply(db, scope, event, texts);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/auto-replies`);
      const facts = await previewFacts(db, scope);
      const state: AutoReplyFormState = { texts, preview: previewAutoReply(facts, event, texts), ...(result.ok ? { saved: true } : { errors: result.errors }) };
      const status = result.ok ? 200 : 422;
      if (wantsFragment(request)) return fragment(<AutoReplyForm base={base} event={event} state={state} csrfToken={shell.csrfToken} />, status);
      return page(request, shell, { title: AUTO_TITLE, active: "auto-replies", status }, <AutoRepliesSection base={base} forms={await autoForms(scope, facts, [event, state])} csrfToken={shell.csrfToken} />);
    }, { params: EventParams, body: AutoReplyFields })
    .post("/auto-replies/:event/preview", async ({ params, body: f, scope }) => {
      const event = eventOf(scope, params.event);
      const texts: AutoTexts = { ru: f.ru ?? "", kk: f.kk ?? "" };
      return fragment(<AutoReplyPreview event={event} texts={texts} preview={previewAutoReply(await previewFacts(db, scope), event, texts)} />);
    }, { params: EventParams, body: AutoReplyFields })
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
