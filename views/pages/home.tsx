import type { Language } from "../../src/db/schema.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { Layout } from "../layout.tsx";

/** `csrfToken`: the session's, when someone logged in opens it (the language switch is a POST). */
export function HomePage({ simulator, language, csrfToken }: { simulator: boolean; language: Language; csrfToken?: string }) {
  const say = publicTexts[language];
  return (
    <Layout title={say.homeTitle} language={language}>
      <LanguageSwitch language={language} here="/" csrfToken={csrfToken} />
      <section class="card">
        <h1>AvtoMat</h1>
        <p safe>{say.homeLead}</p>
        <ul>
          <li>
            <a href="/crm/schools/login/" safe>
              {say.schoolEntrance}
            </a>
          </li>
          <li>
            <a href="/crm/instructors/login/" safe>
              {say.instructorEntrance}
            </a>
          </li>
          <li>
            <a href="/admin/" safe>
              {say.admin}
            </a>
          </li>
          {simulator ? (
            <li>
              <a href="/simulator/" safe>
                {say.simulator}
              </a>
            </li>
          ) : (
            ""
          )}
        </ul>
      </section>
    </Layout>
  );
}
