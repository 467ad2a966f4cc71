// The navigation bar of a staff area (a school's or an instructor's CRM, the admin panel): the
// area's name, its sections with the current one marked, who is logged in, the language and logout.
import type { Language } from "../../src/db/schema.ts";
import { areaTexts } from "../../src/i18n/crm/common.ts";
import { CsrfInput } from "./form-field.tsx";
import { LanguageSwitch } from "./language-switch.tsx";

export interface NavItem {
  href: string;
  label: string;
  key: string;
}

export function AreaNav(props: { class: string; areaName: string; items: readonly NavItem[]; active: string; accountName: string; csrfToken: string; logoutAction: string; language: Language; here: string }) {
  const say = areaTexts[props.language];
  return (
    <nav class={props.class} aria-label={say.sections}>
      <span class="area" safe>
        {props.areaName}
      </span>
      {props.items.map((n) => (
        <a href={n.href} class={n.key === props.active ? "active" : ""} aria-current={n.key === props.active ? "page" : undefined} safe>
          {n.label}
        </a>
      ))}
      <span class="who" safe>
        {props.accountName}
      </span>
      <LanguageSwitch language={props.language} here={props.here} csrfToken={props.csrfToken} />
      <form method="post" action={props.logoutAction} class="logout">
        <CsrfInput token={props.csrfToken} />
        <button type="submit" class="link" safe>
          {say.logout}
        </button>
      </form>
    </nav>
  );
}
