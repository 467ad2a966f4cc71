// Linking the staff member's Telegram: a one-time code to send to the bot.
import type { Language } from "../../../src/db/schema.ts";
import { settingsTexts } from "../../../src/i18n/crm/settings.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";

export function TelegramSection(props: { base: string; linked: boolean; code?: { code: string; expiresAt: Date }; botUsername: string | null; zone: string; csrfToken: string; language: Language }) {
  const { base, code, botUsername } = props;
  const T = settingsTexts[props.language].telegram;
  return (
    <section id="telegram" class="card">
      <h1 safe>{T.title}</h1>
      <p safe>{T.intro}</p>
      {props.linked ? <p class="ok" safe>{T.linked}</p> : <p class="muted" safe>{T.notLinked}</p>}
      {code ? (
        <div class="link-code">
          <p safe>{T.sendCommand(dateTime(code.expiresAt, props.zone))}</p>
          <p>
            <code class="big" safe>{`/start link_${code.code}`}</code>
          </p>
          {botUsername ? (
            <p>
              <span safe>{T.orOpen}</span>{" "}
              <a href={`https://t.me/${botUsername}?start=link_${code.code}`} target="_blank" rel="noopener noreferrer" safe>
                {`t.me/${botUsername}?start=link_${code.code}`}
              </a>
            </p>
          ) : (
            ""
          )}
        </div>
      ) : (
        ""
      )}
      <form method="post" action={`${base}/telegram/code`} hx-post={`${base}/telegram/code`} hx-target="#telegram" hx-swap="outerHTML" class="inline">
        <CsrfInput token={props.csrfToken} />
        <button type="submit" safe>
          {props.linked ? T.relink : T.getCode}
        </button>
      </form>
      {props.linked ? (
        <form method="post" action={`${base}/telegram/unlink`} hx-post={`${base}/telegram/unlink`} hx-target="#telegram" hx-swap="outerHTML" class="inline">
          <CsrfInput token={props.csrfToken} />
          <button type="submit" class="secondary" safe>
            {T.unlink}
          </button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}
