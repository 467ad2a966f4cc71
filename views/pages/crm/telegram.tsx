// Linking the staff member's Telegram: a one-time code to send to the bot.
import { CsrfInput } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";

export function TelegramSection(props: { base: string; linked: boolean; code?: { code: string; expiresAt: Date }; botUsername: string | null; zone: string; csrfToken: string }) {
  const { base, code, botUsername } = props;
  return (
    <section id="telegram" class="card">
      <h1>Telegram</h1>
      <p>
        Привяжите свой Telegram: бот будет сразу присылать новые заявки с кнопкой для открытия, а по команде <code>/login</code> —
        ссылку для входа в CRM в одно касание.
      </p>
      {props.linked ? <p class="ok">Telegram привязан.</p> : <p class="muted">Telegram не привязан.</p>}
      {code ? (
        <div class="link-code">
          <p>
            Отправьте боту команду (код действует до <span safe>{dateTime(code.expiresAt, props.zone)}</span>):
          </p>
          <p>
            <code class="big" safe>{`/start link_${code.code}`}</code>
          </p>
          {botUsername ? (
            <p>
              или откройте ссылку:{" "}
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
        <button type="submit">{props.linked ? "Привязать другой аккаунт" : "Получить код"}</button>
      </form>
      {props.linked ? (
        <form method="post" action={`${base}/telegram/unlink`} hx-post={`${base}/telegram/unlink`} hx-target="#telegram" hx-swap="outerHTML" class="inline">
          <CsrfInput token={props.csrfToken} />
          <button type="submit" class="secondary">
            Отвязать
          </button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}
