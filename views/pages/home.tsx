import type { Language } from "../../src/db/schema.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { Layout } from "../layout.tsx";

export function HomePage({ simulator, language }: { simulator: boolean; language: Language }) {
  const say = publicTexts[language];
  return (
    <Layout title={say.homeTitle} language={language}>
      <LanguageSwitch language={language} here="/" />
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
