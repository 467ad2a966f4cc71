// The CRM's page shell: the shared layout plus the area's navigation and a logout button.
import type { PropsWithChildren } from "@kitajs/html";
import { AreaNav, type NavItem } from "./components/area-nav.tsx";
import { Layout } from "./layout.tsx";
import type { Language } from "../src/db/schema.ts";

export type { NavItem };

export interface CrmShell {
  /** Where this area's pages live: /crm/schools or /crm/instructors. */
  base: string;
  /** The page's language (src/web/language.ts). */
  language: Language;
  /** This page's path and query, where the language switch comes back to. */
  here: string;
  areaName: string;
  accountName: string;
  csrfToken: string;
  nav: readonly NavItem[];
}

export function CrmLayout({ shell, title, active, children }: PropsWithChildren<{ shell: CrmShell; title: string; active: string }>) {
  return (
    <Layout title={title} language={shell.language} csrfToken={shell.csrfToken} htmxPaths={`${shell.base}/`}>
      <AreaNav class="crm-nav" areaName={shell.areaName} items={shell.nav} active={active} accountName={shell.accountName} csrfToken={shell.csrfToken} logoutAction="/crm/logout" language={shell.language} here={shell.here} />
      {children}
    </Layout>
  );
}
