// Small pieces every admin page uses: page links (hrefOf, for the shared Pager), yes/no badges, one-button POST forms, notices.
import { namesItself } from "../../../src/model/school-name.ts";
import type { PropsWithChildren } from "@kitajs/html";
import type { Language } from "../../../src/db/schema.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { CsrfInput } from "../../components/form-field.tsx";

/** `/admin/x?a=1&page=2` from a path and parameters (empty ones left out). */
export function hrefOf(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * A school's name as a title or a label: "Автошкола «Жол»" / "«Жол» автомектебі", but a name
 * that already says it is a school ("Автошкола «Жол»") as it is, never "Автошкола: Автошкола «Жол»".
 */
export function schoolLabel(name: string, language: Language): string {
  return namesItself(name) ? name : adminTexts[language].schoolNamed(name);
}

const countFormats = { ru: new Intl.NumberFormat("ru-RU"), kk: new Intl.NumberFormat("kk-KZ") } as const;

/** A count in the language's style ("12 345"): Intl's ru-RU / kk-KZ grouping (the dashboard's figures). */
export function formatCount(n: number, language: Language): string {
  return countFormats[language].format(n);
}

/** Active or not, in the words the caller gives (a school is "активна", a city "активен"). */
export function ActiveBadge({ active, on, off }: { active: boolean; on: string; off: string }) {
  return (
    <span class={active ? "badge active" : "badge inactive"} safe>
      {active ? on : off}
    </span>
  );
}

/** One button that POSTs to `action` (plain form: works without JavaScript). */
export function PostButton({ action, csrf, label, danger }: { action: string; csrf: string; label: string; danger?: boolean }) {
  return (
    <form method="post" action={action} class="inline">
      <CsrfInput token={csrf} />
      <button type="submit" class={danger ? "danger" : "secondary"} safe>
        {label}
      </button>
    </form>
  );
}

export function Notice({ text }: { text?: string }) {
  return text ? (
    <p class="notice" role="status" safe>
      {text}
    </p>
  ) : (
    ""
  );
}

export function FormErrors({ errors, language }: { errors?: Record<string, string>; language: Language }) {
  return errors && Object.keys(errors).length ? (
    <p class="error" role="alert" safe>
      {adminTexts[language].checkFields}
    </p>
  ) : (
    ""
  );
}

export function Card({ title, children }: PropsWithChildren<{ title?: string }>) {
  return (
    <section class="card">
      {title ? <h2 safe>{title}</h2> : ""}
      {children}
    </section>
  );
}

/** A GET filter form (the current filter lives in the URL: links and the CSV export keep it). */
export function FilterForm({ action, language, children }: PropsWithChildren<{ action: string; language: Language }>) {
  const say = adminTexts[language];
  return (
    <form method="get" action={action} class="filters" role="search">
      {children}
      <button type="submit" safe>
        {say.find}
      </button>
      <a href={action} safe>
        {say.reset}
      </a>
    </form>
  );
}
