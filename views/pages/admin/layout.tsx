// The admin panel's page shell: the shared layout plus the panel's navigation and logout.
import type { PropsWithChildren } from "@kitajs/html";
import { CsrfInput } from "../../components/form-field.tsx";
import { Layout } from "../../layout.tsx";

export interface AdminShell {
  accountId: number;
  accountName: string;
  csrfToken: string;
  zone: string;
}

export const ADMIN_NAV = [
  { key: "dashboard", label: "Сводка", href: "/admin/" },
  { key: "applications", label: "Заявки", href: "/admin/applications" },
  { key: "students", label: "Студенты", href: "/admin/students" },
  { key: "schools", label: "Автошколы", href: "/admin/schools" },
  { key: "instructors", label: "Инструкторы", href: "/admin/instructors" },
  { key: "cities", label: "Города", href: "/admin/cities" },
  { key: "accounts", label: "Аккаунты CRM", href: "/admin/accounts" },
  { key: "audit", label: "Журнал", href: "/admin/audit" },
] as const;

export type AdminSection = (typeof ADMIN_NAV)[number]["key"];

export function AdminLayout({ shell, title, active, children }: PropsWithChildren<{ shell: AdminShell; title: string; active: AdminSection }>) {
  return (
    <Layout title={title} csrfToken={shell.csrfToken}>
      <nav class="crm-nav admin-nav" aria-label="Разделы">
        <span class="area">Администрирование</span>
        {ADMIN_NAV.map((n) => (
          <a href={n.href} class={n.key === active ? "active" : ""} aria-current={n.key === active ? "page" : undefined}>
            {n.label}
          </a>
        ))}
        <span class="who" safe>
          {shell.accountName}
        </span>
        <form method="post" action="/admin/logout" class="logout">
          <CsrfInput token={shell.csrfToken} />
          <button type="submit" class="link">
            Выйти
          </button>
        </form>
      </nav>
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}
