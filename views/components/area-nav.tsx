// The navigation bar of a staff area (a school's or an instructor's CRM, the admin panel): the
// area's name, its sections with the current one marked, who is logged in, the language and logout.
// On a phone (public/app.css, max-width 600px) the sections and the rest fold into "Меню" (a
// <details>, no script), and a "Фильтры" switch shows the page's filter form, which a phone keeps
// folded; the switch appears only on pages that have filters. On a wide screen the <details> is
// always open and its summary and the switch are hidden: the bar looks as it always did.
import type { Language } from "../../src/db/schema.ts";
import { areaTexts } from "../../src/i18n/crm/common.ts";
import { navTexts } from "../../src/i18n/crm/nav.ts";
import { CsrfInput } from "./form-field.tsx";
import { LanguageSwitch } from "./language-switch.tsx";

export interface NavItem {
  href: string;
  label: string;
  key: string;
}

/**
 * The section links, rendered once per item list and current section: callers keep one list per
 * area and language (crm.tsx navFor, the admin's adminNav), and `active` is a route's constant.
 */
const renderedLinks = new WeakMap<readonly NavItem[], Map<string, string>>();

function navLinks(items: readonly NavItem[], active: string): JSX.Element {
  let byActive = renderedLinks.get(items);
  if (!byActive) renderedLinks.set(items, (byActive = new Map()));
  let html = byActive.get(active);
  if (html === undefined) {
    html = (
      <>
        {items.map((n) => (
          <a href={n.href} class={n.key === active ? "active" : ""} aria-current={n.key === active ? "page" : undefined} safe>
            {n.label}
          </a>
        ))}
      </>
    ) as string;
    byActive.set(active, html);
  }
  return html;
}

export function AreaNav(props: { class: string; areaName: string; items: readonly NavItem[]; active: string; accountName: string; csrfToken: string; logoutAction: string; language: Language; here: string }) {
  const say = areaTexts[props.language];
  const current = props.items.find((n) => n.key === props.active);
  return (
    <nav class={props.class} aria-label={say.sections}>
      <span class="area" safe>
        {props.areaName}
      </span>
      <input type="checkbox" id="filters-switch" class="filters-switch" role="switch" />
      <label for="filters-switch" class="filters-switch-label" safe>
        {navTexts[props.language].filters}
      </label>
      <details class="nav-menu">
        <summary>
          <span safe>{say.menu}</span>
          {current ? (
            <span class="nav-current" safe>
              {current.label}
            </span>
          ) : (
            ""
          )}
        </summary>
        <div class="nav-items">
          {navLinks(props.items, props.active)}
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
        </div>
      </details>
    </nav>
  );
}
