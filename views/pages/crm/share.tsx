// The profile's share card: the deep link that opens this school's (instructor's) card in the bot,
// with an optional source tag, and its QR code (an <img> of the SVG route, so the page never
// inlines markup it did not write); plus the print sheet with the code alone.
import { MAX_SOURCE_TAG } from "../../../src/model/share-link.ts";
import { Field } from "../../components/form-field.tsx";

export interface ShareView {
  base: string;
  /** The link with the tag, or null when the bot's username is not configured. */
  link: string | null;
  /** The tag as typed ("" for none), kept on error. */
  tag: string;
  error?: string;
}

/** The query string that carries the tag to the QR and print routes ("" without a tag). */
const tagQuery = (tag: string) => (tag ? `?tag=${encodeURIComponent(tag)}` : "");

export function ShareSection({ base, link, tag, error }: ShareView) {
  // Without htmx the form reloads the profile page with the tag (it reads ?tag= too).
  const url = `${base}/share`;
  if (!link) {
    return (
      <section id="share" class="card share">
        <h2>Ссылка и QR-код для учеников</h2>
        <p class="muted" data-share="no-bot">
          Имя бота не настроено (TELEGRAM_BOT_USERNAME), поэтому ссылку на бота пока не показать. Попросите администратора платформы указать его.
        </p>
      </section>
    );
  }
  return (
    <section id="share" class="card share">
      <h2>Ссылка и QR-код для учеников</h2>
      <p>Ученик откроет ссылку или наведёт камеру на код — и сразу попадёт на вашу карточку в боте. Метка покажет в статистике, откуда пришла заявка.</p>
      <form class="filters" method="get" action={`${base}/profile`} hx-get={url} hx-target="#share" hx-swap="outerHTML">
        <Field name="tag" label="Метка источника (необязательно)" value={tag} error={error} placeholder="instagram" maxlength={MAX_SOURCE_TAG} hint={`Латинские буквы, цифры и _, до ${MAX_SOURCE_TAG} символов: instagram, flyer_2025…`} />
        <button type="submit">Показать ссылку</button>
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
          <img class="qr" src={`${base}/share/qr.svg${tagQuery(tag)}`} alt="QR-код ссылки на бота" width="240" height="240" />
          <p class="share-actions">
            <a href={`${base}/share/qr.svg${tagQuery(tag)}`} download="">
              Скачать QR-код (SVG)
            </a>
            <a href={`${base}/share/print${tagQuery(tag)}`} target="_blank">
              Версия для печати
            </a>
          </p>
        </div>
      )}
    </section>
  );
}

/** A printable sheet: the name, the code large, the link under it. */
export function SharePrintSheet({ base, name, link, tag }: { base: string; name: string; link: string; tag: string }) {
  return (
    <section class="print-sheet">
      <h1 safe>{name}</h1>
      <p>Запишитесь через Telegram: наведите камеру телефона на код.</p>
      <img class="qr-print" src={`${base}/share/qr.svg${tagQuery(tag)}`} alt="QR-код ссылки на бота" width="480" height="480" />
      <p class="print-link" safe>
        {link}
      </p>
      <p class="muted no-print">Распечатайте страницу (Ctrl+P или «Поделиться → Печать» на телефоне).</p>
    </section>
  );
}
