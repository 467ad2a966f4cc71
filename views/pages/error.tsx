// A clean error page: a message for people, never a stack trace, in the request's language.
import type { Language } from "../../src/db/schema.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { Layout } from "../layout.tsx";

export function ErrorPage({ status, message, language }: { status: number; message: string; language: Language }) {
  const say = publicTexts[language];
  return (
    <Layout title={say.errorTitle(status)} language={language}>
      <section class="card narrow">
        <h1 safe>{say.errorTitle(status)}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/" safe>
            {say.toHome}
          </a>
        </p>
      </section>
    </Layout>
  );
}
