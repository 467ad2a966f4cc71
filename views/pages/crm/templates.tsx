// Reply templates: the list, each editable in place, and a form for a new one. Every action
// answers with the whole section (a bounded list), so the page never drifts from the database.
import type { Template } from "../../../src/domain/templates.ts";
import { MAX_BODY } from "../../../src/domain/templates.ts";
import { PlaceholderList } from "../../components/placeholder-list.tsx";
import { Field, TextArea } from "../../components/form-field.tsx";

export interface TemplateFormState {
  /** "new" or the template's id: which form the errors and kept input belong to. */
  key: string;
  errors: Record<string, string>;
  title: string;
  body: string;
  bodyKk: string;
}

function TemplateForm({ base, t, state }: { base: string; t: Template | null; state?: TemplateFormState }) {
  const key = t ? String(t.id) : "new";
  const mine = state?.key === key ? state : undefined;
  const action = t ? `${base}/templates/${t.id}` : `${base}/templates`;
  return (
    <form class="template" method="post" action={action} hx-post={action} hx-target="#templates" hx-swap="outerHTML" data-template={key}>
      <Field name="title" label="Название" value={mine ? mine.title : (t?.title ?? "")} error={mine?.errors.title} maxlength={100} required />
      <TextArea name="body" label="Текст (русский)" value={mine ? mine.body : (t?.body ?? "")} error={mine?.errors.body} maxlength={MAX_BODY} rows={4} />
      <TextArea
        name="bodyKk"
        label="Текст (қазақша)"
        hint="Необязательно. Студент получит текст на своём языке, а если второго нет — тот, что есть."
        value={mine ? mine.bodyKk : (t?.bodyKk ?? "")}
        error={mine?.errors.bodyKk}
        maxlength={MAX_BODY}
        rows={4}
      />
      <button type="submit">{t ? "Сохранить" : "Добавить шаблон"}</button>
      {t ? (
        <button type="button" class="secondary" hx-post={`${base}/templates/${t.id}/delete`} hx-target="#templates" hx-swap="outerHTML" hx-confirm="Удалить шаблон?">
          Удалить
        </button>
      ) : (
        ""
      )}
    </form>
  );
}

export function TemplatesSection({ base, templates, state, saved }: { base: string; templates: Template[]; state?: TemplateFormState; saved?: string }) {
  return (
    <section id="templates" class="card">
      <h1>Шаблоны ответов</h1>
      {saved ? (
        <p class="ok" role="status" safe>
          {saved}
        </p>
      ) : (
        ""
      )}
      <PlaceholderList />
      {templates.map((t) => (
        <TemplateForm base={base} t={t} state={state} />
      ))}
      <h2>Новый шаблон</h2>
      <TemplateForm base={base} t={null} state={state} />
    </section>
  );
}
