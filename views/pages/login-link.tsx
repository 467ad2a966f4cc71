// The confirmation page of the bot's one-tap login link. Opening the link (a GET anyone can make a
// browser do) only shows this page; logging in is its POST form. It names the account the link
// logs into and, when the browser is logged into another account, that one too, so a link sent by
// someone else cannot switch the session unnoticed.
import { escapeHtml } from "@kitajs/html";
import type { Language } from "../../src/db/schema.ts";
import type { AccountCard } from "../../src/domain/accounts.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { Layout } from "../layout.tsx";

/**
 * «Жол» (school-zhol): whose CRM it is and the login, which tells apart a school's staff. A name
 * already quoted (Автошкола «Жол») is not quoted again («Автошкола «Жол»» reads as a typo).
 */
export function accountLabel(a: AccountCard, language: Language): string {
  const name = a.ownerName ?? (a.displayName || publicTexts[language].administrator);
  return `${/[«"]/.test(name) ? name : `«${name}»`} (${a.login})`;
}

export interface LoginLinkPageProps {
  token: string;
  /** The account the link logs into. */
  target: AccountCard;
  /** The account this browser is logged into now (another one), if any. */
  current: { card: AccountCard; home: string; csrfToken: string } | null;
  validMinutes: number;
  language: Language;
}

export function LoginLinkPage({ token, target, current, validMinutes, language }: LoginLinkPageProps) {
  const say = publicTexts[language];
  const staffName = target.ownerName && target.displayName ? target.displayName : "";
  const [askBefore, askAfter] = current ? say.switchTo : say.signInAs;
  return (
    <Layout title={say.linkTitle} language={language}>
      <section class="card narrow login-link">
        <h1 safe>{say.linkHeading}</h1>
        {current ? (
          <p class="error" role="alert">
            {escapeHtml(say.loggedInAs[0])}
            <strong safe>{accountLabel(current.card, language)}</strong>
            {escapeHtml(say.loggedInAs[1])}
          </p>
        ) : (
          ""
        )}
        <p>
          {escapeHtml(askBefore)}
          <strong safe>{accountLabel(target, language)}</strong>
          {escapeHtml(askAfter)}
        </p>
        {staffName ? (
          <p class="muted">
            {escapeHtml(say.staffMember)} <span safe>{staffName}</span>
          </p>
        ) : (
          ""
        )}
        <form method="post" action="/crm/login/token">
          <input type="hidden" name="t" value={token} />
          {current ? <input type="hidden" name="_csrf" value={current.csrfToken} /> : ""}
          <button type="submit" safe>
            {current ? say.switchButton : say.signIn}
          </button>
        </form>
        {current ? (
          <p>
            <a href={current.home} safe>
              {say.stay}
            </a>
          </p>
        ) : (
          ""
        )}
        <p class="hint" safe>
          {say.linkHint(validMinutes)}
        </p>
      </section>
    </Layout>
  );
}
