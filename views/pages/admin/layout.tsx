// The admin panel's page shell: the shared layout plus the panel's navigation and logout. The panel
// uses no htmx (plain forms carry the CSRF field), so its pages let htmx request nothing.
import type { PropsWithChildren } from "@kitajs/html";
import { AreaNav } from "../../components/area-nav.tsx";
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
  { key: "reviews", label: "Отзывы", href: "/admin/reviews" },
  { key: "audit", label: "Журнал", href: "/admin/audit" },
] as const;

export type AdminSection = (typeof ADMIN_NAV)[number]["key"];

export function AdminLayout({ shell, title, active, children }: PropsWithChildren<{ shell: AdminShell; title: string; active: AdminSection }>) {
  return (
    <Layout title={title}>
      <AreaNav class="crm-nav admin-nav" areaName="Администрирование" items={ADMIN_NAV} active={active} accountName={shell.accountName} csrfToken={shell.csrfToken} logoutAction="/admin/logout" />
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}
