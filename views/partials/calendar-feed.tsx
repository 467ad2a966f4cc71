// The profile's "Календарь в телефоне" card (issue 15, iCal part): create, replace or turn off
// the instructor's private iCalendar feed. The URL is shown once, right after it is made (only
// its hash is stored), in a read-only input to copy, with how to subscribe in Google Calendar and
// on an iPhone. Texts in the page's language (src/i18n/crm/profile.ts).
import type { Language } from "../../src/db/schema.ts";
import { profileTexts } from "../../src/i18n/crm/profile.ts";
import { CsrfInput } from "../components/form-field.tsx";

export interface CalendarFeedView {
  base: string;
  csrfToken: string;
  /** Whether the instructor has a working feed. */
  enabled: boolean;
  /** The full URL, only in the answer that created it. */
  url?: string;
  /** Just turned off. */
  revoked?: boolean;
  language: Language;
}

export function CalendarFeedSection({ base, csrfToken, enabled, url, revoked, language }: CalendarFeedView) {
  const T = profileTexts[language].feed;
  const action = (path: string) => `${base}/profile/calendar${path}`;
  return (
    <section id="calendar-feed" class="card calendar-feed">
      <h2 safe>{T.title}</h2>
      <p safe>{T.intro}</p>
      {url ? <NewFeedUrl url={url} language={language} /> : <p class={revoked ? "ok" : "muted"} role={revoked ? "status" : undefined} safe>{revoked ? T.revoked : enabled ? T.on : T.off}</p>}
      <form method="post" action={action("")} hx-post={action("")} hx-target="#calendar-feed" hx-swap="outerHTML" hx-confirm={enabled ? T.renewConfirm : undefined} class="inline">
        <CsrfInput token={csrfToken} />
        <button type="submit" data-feed="create" safe>{enabled ? T.renew : T.create}</button>
      </form>
      {enabled ? (
        <form method="post" action={action("/revoke")} hx-post={action("/revoke")} hx-target="#calendar-feed" hx-swap="outerHTML" hx-confirm={T.revokeConfirm} class="inline">
          <CsrfInput token={csrfToken} />
          <button type="submit" class="secondary" data-feed="revoke" safe>{T.revoke}</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

function NewFeedUrl({ url, language }: { url: string; language: Language }) {
  const T = profileTexts[language].feed;
  return (
    <div class="feed-url">
      <p class="ok" role="status" safe>{T.created}</p>
      <label class="field" for="calendar-feed-url">
        <span safe>{T.urlLabel}</span>
        <input id="calendar-feed-url" type="text" readonly value={url} data-feed="url" autocomplete="off" spellcheck="false" />
      </label>
      <p safe>{T.howTo}</p>
      <ul>
        <li safe>{T.google}</li>
        <li safe>{T.iphone}</li>
      </ul>
    </div>
  );
}
