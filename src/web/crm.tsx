// What every CRM route shares: the area plugin (login required, with the right role, and the
// tenant scope for the handler) and the full-page-or-fragment answer. Input is declared with
// each route's `t` model (src/web/input.ts).
import { Elysia } from "elysia";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { scopeOf, type Scope } from "../domain/scope.ts";
import { CrmLayout, type CrmShell, type NavItem } from "../../views/crm-layout.tsx";
import { htmlResponse, seeOther } from "./html.ts";
import { LoginRequired } from "./plugins/errors.tsx";
import type { Security } from "./plugins/security.tsx";

export interface CrmDeps {
  db: Db;
  config: Config;
  security: Security;
  /** Extra sections (statistics, availability, lessons) when their modules exist. */
  extraNav?: NavItem[];
}

export type AreaKind = "school" | "instructor";

export const AREAS = {
  school: { base: "/crm/schools", name: "Автошкола", login: "/crm/schools/login/" },
  instructor: { base: "/crm/instructors", name: "Инструктор", login: "/crm/instructors/login/" },
} as const;

function navFor(kind: AreaKind, extra: NavItem[] = []): NavItem[] {
  const base = AREAS[kind].base;
  const own: NavItem[] =
    kind === "school"
      ? [
          { key: "stats", label: "Статистика", href: `${base}/stats` },
          // A school's lessons are its instructors' week (issue 15).
          { key: "week", label: "Занятия", href: `${base}/week` },
        ]
      : [
          { key: "stats", label: "Статистика", href: `${base}/stats` },
          { key: "availability", label: "Расписание", href: `${base}/availability` },
          { key: "lessons", label: "Занятия", href: `${base}/lessons` },
          { key: "week", label: "Неделя", href: `${base}/week` },
        ];
  return [
    { key: "applications", label: "Заявки", href: `${base}/applications` },
    ...own,
    { key: "templates", label: "Шаблоны", href: `${base}/templates` },
    { key: "auto-replies", label: "Автосообщения", href: `${base}/auto-replies` },
    { key: "profile", label: "Профиль", href: `${base}/profile` },
    // reminders (issue 15): the lesson rules and the answers' alerts
    { key: "lesson-rules", label: "Правила занятий", href: `${base}/lesson-rules` },
    // reviews (issue 16): the students' reviews and the public answers
    { key: "reviews", label: "Отзывы", href: `${base}/reviews` },
    ...extra,
    { key: "telegram", label: "Telegram", href: `${base}/telegram` },
  ];
}

/**
 * A CRM area (schools or instructors): every route on it gets `scope` (the logged-in account's
 * tenant: all data access goes through it), `shell` (for the page layout) and `base`.
 */
export function crmArea<K extends AreaKind>(deps: CrmDeps, kind: K) {
  const area = AREAS[kind];
  return new Elysia({ prefix: area.base, strictPath: true }).use(deps.security).resolve(({ user }) => {
    if (!user || user.account.role !== kind) throw new LoginRequired(area.login);
    const scope = scopeOf(user.account) as Extract<Scope, { kind: K }> | null;
    if (!scope) throw new LoginRequired(area.login);
    const shell: CrmShell = {
      base: area.base,
      areaName: area.name,
      accountName: user.account.displayName || user.account.login,
      csrfToken: user.csrfToken,
      nav: navFor(kind, kind === "school" ? deps.extraNav : deps.extraNav),
    };
    return { scope, shell, base: area.base as string };
  });
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
