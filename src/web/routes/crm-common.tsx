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
import { seeOther } from "../html.ts";
import { Form, IdParams, OptText } from "../input.ts";
import { t } from "elysia";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";
import { settingsTexts, textProblemsText } from "../../i18n/crm/settings.ts";
import type { Language } from "../../db/schema.ts";

const TemplateFields = Form({ title: OptText(), body: OptText(), bodyKk: OptText() });
const AutoReplyFields = Form({ ru: OptText(), kk: OptText() });
/** An event's name in the path; one the scope's kind does not have is a 404 (eventOf). */
const EventParams = t.Object({ event: t.String({ maxLength: 30 }) });

function eventOf(scope: Scope, raw: string, language: Language): AutoEvent {
  if (!isAutoEvent(scope.kind, raw)) throw new HttpError(404, said("notFound"));
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
      page(request, shell, { title: settingsTexts[shell.language].templates.title, active: "templates" }, <TemplatesSection base={base} templates={await listTemplates(db, scope)} language={shell.language} />),
    )
    .post("/templates", async ({ request, body: f, scope, shell, base }) => {
      const input = { title: f.title ?? "", body: f.body ?? "", bodyKk: f.bodyKk ?? "" };
      const result = await saveTemplate(db, scope, null, input);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/templates`);
      const templates = await listTemplates(db, scope);
      const T = settingsTexts[shell.language].templates;
      const state = !result.ok && "errors" in result ? { key: "new", errors: textProblemsText(result.errors, shell.language), ...input } : undefined;
      const section = <TemplatesSection base={base} templates={templates} state={state} saved={state ? undefined : T.added} language={shell.language} />;
      return page(request, shell, { title: T.title, active: "templates", status: state ? 422 : 200 }, section);
    }, { body: TemplateFields })
    .post("/templates/:id", async ({ request, params, body: f, scope, shell, base }) => {
      const id = params.id;
      const input = { title: f.title ?? "", body: f.body ?? "", bodyKk: f.bodyKk ?? "" };
      const result = await saveTemplate(db, scope, id, input);
      const T = settingsTexts[shell.language].templates;
      if (!result.ok && "notFound" in result) throw new HttpError(404, T.notFound);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/templates`);
      const state = !result.ok && "errors" in result ? { key: String(id), errors: textProblemsText(result.errors, shell.language), ...input } : undefined;
      const section = <TemplatesSection base={base} templates={await listTemplates(db, scope)} state={state} saved={state ? undefined : T.saved} language={shell.language} />;
      return page(request, shell, { title: T.title, active: "templates", status: state ? 422 : 200 }, section);
    }, { params: IdParams, body: TemplateFields })
    .post("/templates/:id/delete", async ({ request, params, scope, shell, base }) => {
      const T = settingsTexts[shell.language].templates;
      if (!(await deleteTemplate(db, scope, params.id))) throw new HttpError(404, T.notFound);
      if (!wantsFragment(request)) return seeOther(`${base}/templates`);
      return page(request, shell, { title: T.title, active: "templates" }, <TemplatesSection base={base} templates={await listTemplates(db, scope)} saved={T.removed} language={shell.language} />);
    }, { params: IdParams })
    .get("/auto-replies", async ({ request, scope, shell, base }) =>
      page(
        request,
        shell,
        { title: settingsTexts[shell.language].auto.title, active: "auto-replies" },
        <AutoRepliesSection base={base} forms={await autoForms(scope, await previewFacts(db, scope))} csrfToken={shell.csrfToken} language={shell.language} />,
      ),
    )
    .post("/auto-replies/:event", async ({ request, params, body: f, scope, shell, base }) => {
      const event = eventOf(scope, params.event, shell.language);
      const texts: AutoTexts = { ru: f.ru ?? "", kk: f.kk ?? "" };
      const result = await saveAutoReply(db, scope, event, texts);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/auto-replies`);
      const facts = await previewFacts(db, scope);
      const state: AutoReplyFormState = { texts, preview: previewAutoReply(facts, event, texts), ...(result.ok ? { saved: true } : { errors: textProblemsText(result.errors, shell.language) }) };
      const status = result.ok ? 200 : 422;
      if (wantsFragment(request)) return fragment(<AutoReplyForm base={base} event={event} state={state} csrfToken={shell.csrfToken} language={shell.language} />, status);
      const section = <AutoRepliesSection base={base} forms={await autoForms(scope, facts, [event, state])} csrfToken={shell.csrfToken} language={shell.language} />;
      return page(request, shell, { title: settingsTexts[shell.language].auto.title, active: "auto-replies", status }, section);
    }, { params: EventParams, body: AutoReplyFields })
    .post("/auto-replies/:event/preview", async ({ params, body: f, scope, shell }) => {
      const event = eventOf(scope, params.event, shell.language);
      const texts: AutoTexts = { ru: f.ru ?? "", kk: f.kk ?? "" };
      return fragment(<AutoReplyPreview event={event} texts={texts} preview={previewAutoReply(await previewFacts(db, scope), event, texts)} language={shell.language} />);
    }, { params: EventParams, body: AutoReplyFields })
    .get("/telegram", async ({ request, scope, shell, base }) =>
      page(request, shell, { title: settingsTexts[shell.language].telegram.title, active: "telegram" }, <TelegramSection base={base} linked={await isLinked(scope.accountId)} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} language={shell.language} />),
    )
    .post("/telegram/code", async ({ request, scope, shell, base }) => {
      const code = await createLinkCode(db, scope.accountId);
      return page(request, shell, { title: settingsTexts[shell.language].telegram.title, active: "telegram" }, <TelegramSection base={base} linked={await isLinked(scope.accountId)} code={code} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} language={shell.language} />);
    })
    .post("/telegram/unlink", async ({ request, scope, shell, base }) => {
      await unlinkTelegram(db, scope.accountId);
      if (!wantsFragment(request)) return seeOther(`${base}/telegram`);
      return page(request, shell, { title: settingsTexts[shell.language].telegram.title, active: "telegram" }, <TelegramSection base={base} linked={false} botUsername={config.telegramBotUsername} zone={config.timeZone} csrfToken={shell.csrfToken} language={shell.language} />);
    });
}
