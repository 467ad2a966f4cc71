// Automatic messages: per event (a new application, each status staff can set) the school's
// own text in Russian and Kazakh, and a live preview of what a student of each language gets.
// The preview is composed by the same function as the real message (notify/student.ts).
import { languages, type Language } from "../../../src/db/schema.ts";
import { placeholdersOf, type AutoTexts } from "../../../src/domain/auto-replies.ts";
import { MAX_BODY } from "../../../src/domain/templates.ts";
import { STATUS } from "../../../src/model/application-status.ts";
import type { AutoEvent } from "../../../src/model/auto-reply.ts";
import { inLanguage, REASON_MEANING, REASON_PLACEHOLDER } from "../../../src/model/placeholders.ts";
import type { AutoMessage } from "../../../src/notify/student.ts";
import { CsrfInput, TextArea } from "../../components/form-field.tsx";
import { PlaceholderList } from "../../components/placeholder-list.tsx";
import { USER_CONTENT } from "../../components/user-text.tsx";

export const eventTitle = (event: AutoEvent): string => (event === "new" ? "Новая заявка" : `Статус «${STATUS[event].staff.ru}»`);

const READER: Record<Language, string> = { ru: "Студент на русском", kk: "Студент на казахском" };

export interface AutoReplyFormState {
  texts: AutoTexts;
  errors?: Record<string, string>;
  saved?: boolean;
  preview: Record<Language, AutoMessage | null>;
}

/** A language's name in "студент получит текст на …". */
const IN_LANGUAGE: Record<Language, string> = { ru: "русском", kk: "казахском" };

/** Why a student of `lang` gets what the preview shows, when it is not simply the text in their language. */
function previewNote(lang: Language, texts: AutoTexts, m: AutoMessage | null): string {
  // The school wrote a text this reader would get, but its placeholders filled it with nothing.
  const emptied = !!inLanguage(texts, lang).text.trim();
  if (!m)
    return emptied
      ? "После подстановок текст пуст (например, в профиле нет ссылки Kaspi): студент получит только подтверждение заявки от бота."
      : "Своего текста нет: студент получит только подтверждение заявки от бота.";
  if (!m.custom)
    return emptied ? "После подстановок текст пуст (например, в профиле нет ссылки Kaspi): встроенное сообщение." : "Своего текста нет: встроенное сообщение.";
  return m.lang !== lang ? `Текста на этом языке нет: студент получит текст на ${IN_LANGUAGE[m.lang]}.` : "";
}

/** What a student of each language would get, as they will read it. */
export function AutoReplyPreview({ event, texts, preview }: { event: AutoEvent; texts: AutoTexts; preview: Record<Language, AutoMessage | null> }) {
  return (
    <>
      {languages.map((lang) => {
        const m = preview[lang];
        const note = previewNote(lang, texts, m);
        return (
          <div class="preview-lang" data-lang={lang}>
            <strong safe>{READER[lang]}</strong>
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

export function AutoReplyForm({ base, event, state, csrfToken }: { base: string; event: AutoEvent; state: AutoReplyFormState; csrfToken: string }) {
  const action = `${base}/auto-replies/${event}`;
  const errors = state.errors ?? {};
  const extra = placeholdersOf(event).includes(REASON_PLACEHOLDER) ? `Здесь можно и ${REASON_PLACEHOLDER}: ${REASON_MEANING}. Если его нет, причина будет добавлена в конце.` : undefined;
  return (
    <form class="auto-reply" id={`auto-${event}`} method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <CsrfInput token={csrfToken} />
      <h2 safe>{eventTitle(event)}</h2>
      {state.saved ? (
        <p class="ok" role="status">
          Сохранено.
        </p>
      ) : (
        ""
      )}
      <div class="auto-texts">
        <TextArea name="ru" label="Текст (русский)" value={state.texts.ru} error={errors.ru} maxlength={MAX_BODY} rows={4} hint={extra} />
        <TextArea name="kk" label="Текст (қазақша)" value={state.texts.kk} error={errors.kk} maxlength={MAX_BODY} rows={4} />
      </div>
      <div
        class="preview"
        aria-live="polite"
        hx-post={`${action}/preview`}
        hx-trigger="input delay:400ms from:'closest form'"
        hx-target="this"
        hx-swap="innerHTML"
      >
        <AutoReplyPreview event={event} texts={state.texts} preview={state.preview} />
      </div>
      <button type="submit">Сохранить</button>
    </form>
  );
}

export function AutoRepliesSection({ base, forms, csrfToken }: { base: string; forms: [AutoEvent, AutoReplyFormState][]; csrfToken: string }) {
  return (
    <section id="auto-replies" class="card">
      <h1>Автоматические сообщения</h1>
      <p class="hint">
        Что студент получает в Telegram, когда приходит его заявка и когда вы меняете её статус. Пустой текст — встроенное сообщение бота. Студент получит текст на своём
        языке; если написан только один язык — его.
      </p>
      <PlaceholderList extra={{ [REASON_PLACEHOLDER]: `${REASON_MEANING} (только для отказа)` }} />
      {forms.map(([event, state]) => (
        <AutoReplyForm base={base} event={event} state={state} csrfToken={csrfToken} />
      ))}
    </section>
  );
}
