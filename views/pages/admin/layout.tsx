// The admin panel's page shell: the shared layout plus the panel's navigation and logout. The panel
// uses no htmx (plain forms carry the CSRF field), so its pages let htmx request nothing.
import type { PropsWithChildren } from "@kitajs/html";
import { AreaNav, type NavItem } from "../../components/area-nav.tsx";
import { areaTexts } from "../../../src/i18n/crm/common.ts";
import { Layout } from "../../layout.tsx";
import type { Language } from "../../../src/db/schema.ts";

export interface AdminShell {
  accountId: number;
  /** The page's language (src/web/language.ts). */
  language: Language;
  /** This page's path and query, where the language switch comes back to. */
  here: string;
  accountName: string;
  csrfToken: string;
  zone: string;
}

const ADMIN_SECTIONS = ["dashboard", "applications", "students", "schools", "instructors", "cities", "accounts", "reviews", "audit"] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The panel's menu in the page's language (the dashboard is /admin/ itself). */
const adminNavs = new Map<Language, readonly NavItem[]>();

/** The admin's sections in a language: one list per language (the nav bar renders its links once per list). */
export function adminNav(language: Language): readonly NavItem[] {
  let items = adminNavs.get(language);
  if (!items) {
    const say = areaTexts[language].adminNav;
    adminNavs.set(language, (items = ADMIN_SECTIONS.map((key) => ({ key, label: say[key], href: key === "dashboard" ? "/admin/" : `/admin/${key}` }))));
  }
  return items;
}

export function AdminLayout({ shell, title, active, children }: PropsWithChildren<{ shell: AdminShell; title: string; active: AdminSection }>) {
  return (
    <Layout title={title} language={shell.language}>
      <AreaNav class="crm-nav admin-nav" areaName={areaTexts[shell.language].admin} items={adminNav(shell.language)} active={active} accountName={shell.accountName} csrfToken={shell.csrfToken} logoutAction="/admin/logout" language={shell.language} here={shell.here} />
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}
