// Reply templates: the list, each editable in place, and a form for a new one. Every action
// answers with the whole section (a bounded list), so the page never drifts from the database.
import type { Template } from "../../../src/domain/templates.ts";
import { MAX_BODY } from "../../../src/domain/templates.ts";
import type { Language } from "../../../src/db/schema.ts";
import { settingsTexts } from "../../../src/i18n/crm/settings.ts";
import { PlaceholderList } from "../../components/placeholder-list.tsx";
import { Field, TextArea } from "../../components/form-field.tsx";

export interface TemplateFormState {
  /** "new" or the template's id: which form the errors and kept input belong to. */
  key: string;
  /** Each field's message, in the page's language. */
  errors: Record<string, string>;
  title: string;
  body: string;
  bodyKk: string;
}

function TemplateForm({ base, t, state, language }: { base: string; t: Template | null; state?: TemplateFormState; language: Language }) {
  const T = settingsTexts[language];
  const key = t ? String(t.id) : "new";
  const mine = state?.key === key ? state : undefined;
  const action = t ? `${base}/templates/${t.id}` : `${base}/templates`;
  return (
    <form class="template" method="post" action={action} hx-post={action} hx-target="#templates" hx-swap="outerHTML" data-template={key}>
      <Field name="title" label={T.templates.name} value={mine ? mine.title : (t?.title ?? "")} error={mine?.errors.title} maxlength={100} required />
      <TextArea name="body" label={T.textRu} value={mine ? mine.body : (t?.body ?? "")} error={mine?.errors.body} maxlength={MAX_BODY} rows={4} />
      <TextArea
        name="bodyKk"
        label={T.textKk}
        hint={T.kkHint}
        value={mine ? mine.bodyKk : (t?.bodyKk ?? "")}
        error={mine?.errors.bodyKk}
        maxlength={MAX_BODY}
        rows={4}
      />
      <button type="submit" safe>
        {t ? T.save : T.templates.add}
      </button>
      {t ? (
        <button type="button" class="secondary" hx-post={`${base}/templates/${t.id}/delete`} hx-target="#templates" hx-swap="outerHTML" hx-confirm={T.templates.removeConfirm} safe>
          {T.remove}
        </button>
      ) : (
        ""
      )}
    </form>
  );
}

export function TemplatesSection({ base, templates, state, saved, language }: { base: string; templates: Template[]; state?: TemplateFormState; saved?: string; language: Language }) {
  const T = settingsTexts[language];
  return (
    <section id="templates" class="card">
      <h1 safe>{T.templates.title}</h1>
      {saved ? (
        <p class="ok" role="status" safe>
          {saved}
        </p>
      ) : (
        ""
      )}
      <PlaceholderList language={language} />
      {templates.map((t) => (
        <TemplateForm base={base} t={t} state={state} language={language} />
      ))}
      <h2 safe>{T.templates.newOne}</h2>
      <TemplateForm base={base} t={null} state={state} language={language} />
    </section>
  );
}
