// What every CRM route shares: the area plugin (login required, with the right role, and the
// tenant scope for the handler) and the full-page-or-fragment answer. Input is declared with
// each route's `t` model (src/web/input.ts).
import { Elysia } from "elysia";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { scopeOf, type Scope } from "../domain/scope.ts";
import { CrmLayout, type CrmShell, type NavItem } from "../../views/crm-layout.tsx";
import { htmlResponse, seeOther } from "./html.ts";
import type { Language } from "../db/schema.ts";
import { areaTexts } from "../i18n/crm/common.ts";
import { LoginRequired } from "./plugins/errors.tsx";
import type { Security } from "./plugins/security.tsx";

export interface CrmDeps {
  db: Db;
  config: Config;
  security: Security;
}

export type AreaKind = "school" | "instructor";

export const AREAS = {
  school: { base: "/crm/schools", login: "/crm/schools/login/" },
  instructor: { base: "/crm/instructors", login: "/crm/instructors/login/" },
} as const;

/** One list per area and language, built once (the nav bar renders its links once per list: views/components/area-nav.tsx). */
const navLists = new Map<string, readonly NavItem[]>();

function navFor(kind: AreaKind, language: Language): readonly NavItem[] {
  const key = `${kind}:${language}`;
  let items = navLists.get(key);
  if (!items) navLists.set(key, (items = buildNav(kind, language)));
  return items;
}

function buildNav(kind: AreaKind, language: Language): NavItem[] {
  const base = AREAS[kind].base;
  const say = areaTexts[language].nav;
  const item = (key: string, label: string, path = key): NavItem => ({ key, label, href: `${base}/${path}` });
  const own: NavItem[] =
    kind === "school"
      ? // A school's lessons are its instructors' week (issue 15).
        [item("stats", say.stats), item("week", say.lessons)]
      : [item("stats", say.stats), item("availability", say.availability), item("lessons", say.lessons), item("week", say.week)];
  return [
    item("applications", say.applications),
    ...own,
    item("templates", say.templates),
    item("auto-replies", say.autoReplies),
    item("profile", say.profile),
    // reminders (issue 15): the lesson rules and the answers' alerts
    item("lesson-rules", say.lessonRules),
    // reviews (issue 16): the students' reviews and the public answers
    item("reviews", say.reviews),
    item("telegram", say.telegram),
  ];
}

/**
 * A CRM area (schools or instructors): every route on it gets `scope` (the logged-in account's
 * tenant: all data access goes through it), `shell` (for the page layout) and `base`.
 */
export function crmArea<K extends AreaKind>(deps: CrmDeps, kind: K) {
  const area = AREAS[kind];
  return new Elysia({ prefix: area.base, strictPath: true }).use(deps.security).resolve(({ user, language, request }) => {
    if (!user || user.account.role !== kind) throw new LoginRequired(area.login);
    const scope = scopeOf(user.account) as Extract<Scope, { kind: K }> | null;
    if (!scope) throw new LoginRequired(area.login);
    const shell: CrmShell = {
      base: area.base,
      language,
      here: pathOf(request),
      areaName: areaTexts[language][kind],
      accountName: user.account.displayName || user.account.login,
      csrfToken: user.csrfToken,
      nav: navFor(kind, language),
    };
    return { scope, shell, base: area.base as string };
  });
}

/** The request's path and query: where a language switch on this page comes back to. */
export function pathOf(request: Request): string {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

/** An htmx request wants the fragment; a normal request (or a history restore) the whole page. */
export function wantsFragment(request: Request): boolean {
  return request.headers.get("hx-request") === "true" && request.headers.get("hx-history-restore-request") !== "true";
}

const noStore = { "cache-control": "no-store", vary: "HX-Request" };

/** Answers with `fragment` for htmx, or the fragment inside the CRM page otherwise. */
export function page(request: Request, shell: CrmShell, opts: { title: string; active: string; status?: number }, fragment: JSX.Element) {
  if (wantsFragment(request)) return htmlResponse(fragment, opts.status, noStore);
  return htmlResponse(
    <CrmLayout shell={shell} title={opts.title} active={opts.active}>
      {fragment}
    </CrmLayout>,
    opts.status,
    noStore,
  );
}

/** A fragment answer (htmx), e.g. a row or a form with errors. */
export function fragment(body: JSX.Element, status = 200, headers: Record<string, string> = {}) {
  return htmlResponse(body, status, { ...noStore, ...headers });
}

// The availability and lessons routes import seeOther from here.
export { seeOther };
