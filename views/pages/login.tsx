// Login form shared by the school, instructor and admin entrances, in the visitor's language, with
// the language switch (no CSRF field: a visitor has no session; the Origin check guards it).
import type { Language } from "../../src/db/schema.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { Layout } from "../layout.tsx";

export interface LoginPageProps {
  title: string;
  action: string;
  language: Language;
  /** Where the language switch comes back to (the form's own page). */
  here: string;
  error?: string;
  login?: string;
  /** The session's, when someone logged in (to another area) opens it: the language switch is a POST. */
  csrfToken?: string;
}

export function LoginPage({ title, action, language, here, error, login, csrfToken }: LoginPageProps) {
  const say = publicTexts[language];
  return (
    <Layout title={title} language={language}>
      <section class="card narrow">
        <h1 safe>{title}</h1>
        {error ? (
          <p class="error" role="alert" safe>
            {error}
          </p>
        ) : (
          ""
        )}
        <form method="post" action={action}>
          <label>
            <span safe>{say.login}</span>
            <input name="login" autocomplete="username" required value={login ?? ""} />
          </label>
          <label>
            <span safe>{say.password}</span>
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit" safe>
            {say.signIn}
          </button>
        </form>
        {/* After the form: signing in is what the page is for (and its button comes first). */}
        <LanguageSwitch language={language} here={here} csrfToken={csrfToken} />
      </section>
    </Layout>
  );
}
