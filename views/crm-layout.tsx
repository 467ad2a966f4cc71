// The CRM's page shell: the shared layout plus the area's navigation and a logout button.
import type { PropsWithChildren } from "@kitajs/html";
import { CsrfInput } from "./components/form-field.tsx";
import { Layout } from "./layout.tsx";

export interface NavItem {
  href: string;
  label: string;
  key: string;
}

export interface CrmShell {
  /** Where this area's pages live: /crm/schools or /crm/instructors. */
  base: string;
  areaName: string;
  accountName: string;
  csrfToken: string;
  nav: NavItem[];
}

export function CrmLayout({ shell, title, active, children }: PropsWithChildren<{ shell: CrmShell; title: string; active: string }>) {
  return (
    <Layout title={title} csrfToken={shell.csrfToken}>
      <nav class="crm-nav" aria-label="Разделы">
        <span class="area" safe>
          {shell.areaName}
        </span>
        {shell.nav.map((n) => (
          <a href={n.href} class={n.key === active ? "active" : ""} aria-current={n.key === active ? "page" : undefined} safe>
            {n.label}
          </a>
        ))}
        <span class="who" safe>
          {shell.accountName}
        </span>
        <form method="post" action="/crm/logout" class="logout">
          <CsrfInput token={shell.csrfToken} />
          <button type="submit" class="link">
            Выйти
          </button>
        </form>
      </nav>
      {children}
    </Layout>
  );
}
