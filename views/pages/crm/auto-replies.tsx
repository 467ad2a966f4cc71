// Automatic messages: per event (a new application, each status staff can set) the school's
// own text in Russian and Kazakh, and a live preview of what a student of each language gets.
// The preview is composed by the same function as the real message (notify/student.ts).
import { languages, type Language } from "../../../src/db/schema.ts";
import { placeholdersOf, type AutoTexts } from "../../../src/domain/auto-replies.ts";
import { MAX_BODY } from "../../../src/domain/templates.ts";
import { STATUS } from "../../../src/model/application-status.ts";
import type { AutoEvent } from "../../../src/model/auto-reply.ts";
import { inLanguage, REASON_PLACEHOLDER } from "../../../src/model/placeholders.ts";
import { settingsTexts } from "../../../src/i18n/crm/settings.ts";
import type { AutoMessage } from "../../../src/notify/student.ts";
import { CsrfInput, TextArea } from "../../components/form-field.tsx";
import { PlaceholderList } from "../../components/placeholder-list.tsx";
import { USER_CONTENT } from "../../components/user-text.tsx";

/** An event as the page names it: "Новая заявка", "Статус «Связались»". */
export const eventTitle = (event: AutoEvent, language: Language): string => {
  const say = settingsTexts[language].auto;
  return event === "new" ? say.newApplication : say.status(STATUS[event].staff[language]);
};

export interface AutoReplyFormState {
  texts: AutoTexts;
  errors?: Record<string, string>;
  saved?: boolean;
  preview: Record<Language, AutoMessage | null>;
}

/** Why a student of `lang` gets what the preview shows, when it is not simply the text in their language (said in the page's `language`). */
function previewNote(lang: Language, texts: AutoTexts, m: AutoMessage | null, language: Language): string {
  const say = settingsTexts[language].auto;
  // The school wrote a text this reader would get, but its placeholders filled it with nothing.
  const emptied = !!inLanguage(texts, lang).text.trim();
  if (!m) return emptied ? say.emptiedNoMessage : say.noMessage;
  if (!m.custom) return emptied ? say.emptiedBuiltIn : say.builtIn;
  return m.lang !== lang ? say.otherLanguage[m.lang] : "";
}

/** What a student of each language would get, as they will read it. */
export function AutoReplyPreview({ event, texts, preview, language }: { event: AutoEvent; texts: AutoTexts; preview: Record<Language, AutoMessage | null>; language: Language }) {
  return (
    <>
      {languages.map((lang) => {
        const m = preview[lang];
        const note = previewNote(lang, texts, m, language);
        return (
          <div class="preview-lang" data-lang={lang}>
            <strong safe>{settingsTexts[language].auto.readers[lang]}</strong>
            {note ? <small class="hint" safe>{note}</small> : ""}
            {m ? (
              <div class="bubble" data-event={event} lang={m.lang} {...USER_CONTENT} safe>
                {m.text}
              </div>
            ) : (
              ""
            )}
          </div>
        );
      })}
    </>
  );
}

export function AutoReplyForm({ base, event, state, csrfToken, language }: { base: string; event: AutoEvent; state: AutoReplyFormState; csrfToken: string; language: Language }) {
  const T = settingsTexts[language];
  const action = `${base}/auto-replies/${event}`;
  const errors = state.errors ?? {};
  const extra = placeholdersOf(event).includes(REASON_PLACEHOLDER) ? T.auto.reasonHint(REASON_PLACEHOLDER) : undefined;
  return (
    <form class="auto-reply" id={`auto-${event}`} method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <CsrfInput token={csrfToken} />
      <h2 safe>{eventTitle(event, language)}</h2>
      {state.saved ? (
        <p class="ok" role="status" safe>
          {T.saved}
        </p>
      ) : (
        ""
      )}
      <div class="auto-texts">
        <TextArea name="ru" label={T.textRu} value={state.texts.ru} error={errors.ru} maxlength={MAX_BODY} rows={4} hint={extra} />
        <TextArea name="kk" label={T.textKk} value={state.texts.kk} error={errors.kk} maxlength={MAX_BODY} rows={4} />
      </div>
      <div
        class="preview"
        aria-live="polite"
        hx-post={`${action}/preview`}
        hx-trigger="input delay:400ms from:'closest form'"
        hx-target="this"
        hx-swap="innerHTML"
      >
        <AutoReplyPreview event={event} texts={state.texts} preview={state.preview} language={language} />
      </div>
      <button type="submit" safe>
        {T.save}
      </button>
    </form>
  );
}

export function AutoRepliesSection({ base, forms, csrfToken, language }: { base: string; forms: [AutoEvent, AutoReplyFormState][]; csrfToken: string; language: Language }) {
  const T = settingsTexts[language].auto;
  return (
    <section id="auto-replies" class="card">
      <h1 safe>{T.title}</h1>
      <p class="hint" safe>
        {T.intro}
      </p>
      <PlaceholderList extra={{ [REASON_PLACEHOLDER]: T.reasonMeaning }} language={language} />
      {forms.map(([event, state]) => (
        <AutoReplyForm base={base} event={event} state={state} csrfToken={csrfToken} language={language} />
      ))}
    </section>
  );
}
