// The confirmation page of the bot's one-tap login link. Opening the link (a GET anyone can make a
// browser do) only shows this page; logging in is its POST form. It names the account the link
// logs into and, when the browser is logged into another account, that one too, so a link sent by
// someone else cannot switch the session unnoticed.
import type { AccountCard } from "../../src/domain/accounts.ts";
import { Layout } from "../layout.tsx";

/** «Автошкола «Жол»» (school-zhol): whose CRM it is and the login, which tells apart a school's staff. */
export function accountLabel(a: AccountCard): string {
  const name = a.ownerName ?? (a.displayName || "Администратор");
  return `«${name}» (${a.login})`;
}

export interface LoginLinkPageProps {
  token: string;
  /** The account the link logs into. */
  target: AccountCard;
  /** The account this browser is logged into now (another one), if any. */
  current: { card: AccountCard; home: string; csrfToken: string } | null;
  validMinutes: number;
}

export function LoginLinkPage({ token, target, current, validMinutes }: LoginLinkPageProps) {
  const staffName = target.ownerName && target.displayName ? target.displayName : "";
  return (
    <Layout title="Вход по ссылке" language="ru">
      <section class="card narrow login-link">
        <h1>Вход по ссылке из Telegram</h1>
        {current ? (
          <p class="error" role="alert">
            Сейчас вы вошли как <strong safe>{accountLabel(current.card)}</strong>.
          </p>
        ) : (
          ""
        )}
        <p>
          {current ? "Выйти и войти как " : "Войти как "}
          <strong safe>{accountLabel(target)}</strong>?
        </p>
        {staffName ? (
          <p class="muted">
            Сотрудник: <span safe>{staffName}</span>
          </p>
        ) : (
          ""
        )}
        <form method="post" action="/crm/login/token">
          <input type="hidden" name="t" value={token} />
          {current ? <input type="hidden" name="_csrf" value={current.csrfToken} /> : ""}
          <button type="submit">{current ? "Выйти и войти" : "Войти"}</button>
        </form>
        {current ? (
          <p>
            <a href={current.home}>Остаться в текущем кабинете</a>
          </p>
        ) : (
          ""
        )}
        <p class="hint" safe>
          {`Если вы не запрашивали вход командой /login в боте, закройте эту страницу. Ссылка одноразовая и действует ${validMinutes} мин.`}
        </p>
      </section>
    </Layout>
  );
}
