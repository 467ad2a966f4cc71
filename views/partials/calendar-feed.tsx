// The profile's "Календарь в телефоне" card (issue 15, iCal part): create, replace or turn off
// the instructor's private iCalendar feed. The URL is shown once, right after it is made (only
// its hash is stored), in a read-only input to copy, with how to subscribe in Google Calendar and
// on an iPhone. Texts are Russian and Kazakh; the CRM shows the Russian like the rest of it.
import type { Language } from "../../src/db/schema.ts";
import { CsrfInput } from "../components/form-field.tsx";

type TextKey =
  | "title"
  | "intro"
  | "off"
  | "on"
  | "create"
  | "created"
  | "urlLabel"
  | "howTo"
  | "google"
  | "iphone"
  | "renew"
  | "renewConfirm"
  | "revoke"
  | "revokeConfirm"
  | "revoked";

export const CALENDAR_FEED_TEXT: Record<TextKey, Record<Language, string>> = {
  title: { ru: "Календарь в телефоне", kk: "Телефондағы күнтізбе" },
  intro: {
    ru: "Подпишитесь на свои занятия в Google Календаре или календаре телефона: новые, перенесённые и отменённые занятия появятся там сами.",
    kk: "Сабақтарыңызға Google Күнтізбесінде немесе телефон күнтізбесінде жазылыңыз: жаңа, ауыстырылған және болдырылмаған сабақтар сонда өздігінен шығады.",
  },
  off: { ru: "Ссылка на календарь не создана.", kk: "Күнтізбе сілтемесі жасалмаған." },
  on: {
    ru: "Ссылка на календарь действует. Показать её ещё раз нельзя: если она потерялась, создайте новую.",
    kk: "Күнтізбе сілтемесі жұмыс істейді. Оны қайта көрсету мүмкін емес: жоғалса, жаңасын жасаңыз.",
  },
  create: { ru: "Создать ссылку", kk: "Сілтеме жасау" },
  created: {
    ru: "Ссылка создана. Скопируйте её сейчас: больше она показана не будет. Не передавайте её другим — по ней видно ваше расписание.",
    kk: "Сілтеме жасалды. Оны қазір көшіріп алыңыз: ол қайта көрсетілмейді. Оны басқаларға бермеңіз — ол арқылы кестеңіз көрінеді.",
  },
  urlLabel: { ru: "Адрес календаря", kk: "Күнтізбе мекенжайы" },
  howTo: { ru: "Как подписаться:", kk: "Қалай жазылуға болады:" },
  google: {
    ru: "Google Календарь (на компьютере): «Другие календари» → «+» → «Добавить по URL», вставьте адрес.",
    kk: "Google Күнтізбесі (компьютерде): «Басқа күнтізбелер» → «+» → «URL арқылы қосу», мекенжайды қойыңыз.",
  },
  iphone: {
    ru: "iPhone: Настройки → Календарь → Учётные записи → Новая учётная запись → Другое → Подписной календарь, вставьте адрес.",
    kk: "iPhone: Параметрлер → Күнтізбе → Есептік жазбалар → Жаңа есептік жазба → Басқа → Жазылу күнтізбесі, мекенжайды қойыңыз.",
  },
  renew: { ru: "Создать новую ссылку", kk: "Жаңа сілтеме жасау" },
  renewConfirm: { ru: "Старая ссылка перестанет работать. Создать новую?", kk: "Ескі сілтеме жұмыс істемей қалады. Жаңасын жасау керек пе?" },
  revoke: { ru: "Отключить", kk: "Өшіру" },
  revokeConfirm: { ru: "Ссылка перестанет работать. Отключить календарь?", kk: "Сілтеме жұмыс істемей қалады. Күнтізбені өшіру керек пе?" },
  revoked: { ru: "Календарь отключён: старая ссылка больше не работает.", kk: "Күнтізбе өшірілді: ескі сілтеме енді жұмыс істемейді." },
};

const ru = (key: TextKey) => CALENDAR_FEED_TEXT[key].ru;

export interface CalendarFeedView {
  base: string;
  csrfToken: string;
  /** Whether the instructor has a working feed. */
  enabled: boolean;
  /** The full URL, only in the answer that created it. */
  url?: string;
  /** Just turned off. */
  revoked?: boolean;
}

export function CalendarFeedSection({ base, csrfToken, enabled, url, revoked }: CalendarFeedView) {
  const action = (path: string) => `${base}/profile/calendar${path}`;
  return (
    <section id="calendar-feed" class="card calendar-feed">
      <h2 safe>{ru("title")}</h2>
      <p safe>{ru("intro")}</p>
      {url ? <NewFeedUrl url={url} /> : <p class={revoked ? "ok" : "muted"} role={revoked ? "status" : undefined} safe>{ru(revoked ? "revoked" : enabled ? "on" : "off")}</p>}
      <form method="post" action={action("")} hx-post={action("")} hx-target="#calendar-feed" hx-swap="outerHTML" hx-confirm={enabled ? ru("renewConfirm") : undefined} class="inline">
        <CsrfInput token={csrfToken} />
        <button type="submit" data-feed="create" safe>{ru(enabled ? "renew" : "create")}</button>
      </form>
      {enabled ? (
        <form method="post" action={action("/revoke")} hx-post={action("/revoke")} hx-target="#calendar-feed" hx-swap="outerHTML" hx-confirm={ru("revokeConfirm")} class="inline">
          <CsrfInput token={csrfToken} />
          <button type="submit" class="secondary" data-feed="revoke" safe>{ru("revoke")}</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

function NewFeedUrl({ url }: { url: string }) {
  return (
    <div class="feed-url">
      <p class="ok" role="status" safe>{ru("created")}</p>
      <label class="field" for="calendar-feed-url">
        <span safe>{ru("urlLabel")}</span>
        <input id="calendar-feed-url" type="text" readonly value={url} data-feed="url" autocomplete="off" spellcheck="false" />
      </label>
      <p safe>{ru("howTo")}</p>
      <ul>
        <li safe>{ru("google")}</li>
        <li safe>{ru("iphone")}</li>
      </ul>
    </div>
  );
}
