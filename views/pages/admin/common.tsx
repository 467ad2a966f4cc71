// Small pieces every admin page uses: page links (hrefOf, for the shared Pager), yes/no badges, one-button POST forms, notices.
import type { PropsWithChildren } from "@kitajs/html";
import { CsrfInput } from "../../components/form-field.tsx";

/** `/admin/x?a=1&page=2` from a path and parameters (empty ones left out). */
export function hrefOf(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}


export function ActiveBadge({ active, on = "активна", off = "неактивна" }: { active: boolean; on?: string; off?: string }) {
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

export function FormErrors({ errors }: { errors?: Record<string, string> }) {
  return errors && Object.keys(errors).length ? (
    <p class="error" role="alert">
      Проверьте поля, отмеченные ниже.
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
export function FilterForm({ action, children }: PropsWithChildren<{ action: string }>) {
  return (
    <form method="get" action={action} class="filters" role="search">
      {children}
      <button type="submit">Найти</button>
      <a href={action}>Сбросить</a>
    </form>
  );
}
