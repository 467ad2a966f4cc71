// The profile's share card: the deep link that opens this school's (instructor's) card in the bot,
// with an optional source tag, and its QR code (an <img> of the SVG route, so the page never
// inlines markup it did not write); plus the print sheet with the code alone.
import type { Language } from "../../../src/db/schema.ts";
import { profileTexts } from "../../../src/i18n/crm/profile.ts";
import { MAX_SOURCE_TAG } from "../../../src/model/share-link.ts";
import { Field } from "../../components/form-field.tsx";

export interface ShareView {
  base: string;
  /** The link with the tag, or null when the bot's username is not configured. */
  link: string | null;
  /** The tag as typed ("" for none), kept on error. */
  tag: string;
  error?: string;
  language: Language;
}

/** The query string that carries the tag to the QR and print routes ("" without a tag). */
const tagQuery = (tag: string) => (tag ? `?tag=${encodeURIComponent(tag)}` : "");

export function ShareSection({ base, link, tag, error, language }: ShareView) {
  // Without htmx the form reloads the profile page with the tag (it reads ?tag= too).
  const url = `${base}/share`;
  const T = profileTexts[language];
  if (!link) {
    return (
      <section id="share" class="card share">
        <h2 safe>{T.shareTitle}</h2>
        <p class="muted" data-share="no-bot" safe>
          {T.noBot}
        </p>
      </section>
    );
  }
  return (
    <section id="share" class="card share">
      <h2 safe>{T.shareTitle}</h2>
      <p safe>{T.shareIntro}</p>
      <form class="filters" method="get" action={`${base}/profile`} hx-get={url} hx-target="#share" hx-swap="outerHTML">
        <Field name="tag" label={T.tag} value={tag} error={error} placeholder="instagram" maxlength={MAX_SOURCE_TAG} hint={T.tagHint(MAX_SOURCE_TAG)} />
        <button type="submit" safe>
          {T.showLink}
        </button>
      </form>
      {error ? (
        ""
      ) : (
        <div class="share-link">
          <p>
            <a href={link} target="_blank" rel="noopener noreferrer" data-share="link" safe>
              {link}
            </a>
          </p>
          <img class="qr" src={`${base}/share/qr.svg${tagQuery(tag)}`} alt={T.qrAlt} width="240" height="240" />
          <p class="share-actions">
            <a href={`${base}/share/qr.svg${tagQuery(tag)}`} download="" safe>
              {T.downloadQr}
            </a>
            <a href={`${base}/share/print${tagQuery(tag)}`} target="_blank" safe>
              {T.printVersion}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}

/** A printable sheet: the name, the code large, the link under it. */
export function SharePrintSheet({ base, name, link, tag, language }: { base: string; name: string; link: string; tag: string; language: Language }) {
  const T = profileTexts[language];
  return (
    <section class="print-sheet">
      <h1 safe>{name}</h1>
      <p safe>{T.printCall}</p>
      <img class="qr-print" src={`${base}/share/qr.svg${tagQuery(tag)}`} alt={T.qrAlt} width="480" height="480" />
      <p class="print-link" safe>
        {link}
      </p>
      <p class="muted no-print" safe>
        {T.printHint}
      </p>
    </section>
  );
}
