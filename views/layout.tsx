// The shared page shell: every page renders through it, htmx is served from public/.
// htmx is configured here and guarded by public/htmx-guard.js (loaded first): requests only to the
// page's own area, the CSRF token only on state changes (docs/security.md, "htmx").
// public/table-labels.js names each table cell's column, for the phone's card layout (public/app.css).
import type { PropsWithChildren } from "@kitajs/html";
import type { Language } from "../src/db/schema.ts";

export interface LayoutProps {
  title: string;
  /** The page's language (the html element's lang: screen readers, hyphenation). */
  language: Language;
  /** The session's CSRF token; htmx-guard.js adds it to htmx's state-changing requests. */
  csrfToken?: string;
  /** The path prefix this page's htmx may request (its area, e.g. "/crm/schools/"); none: htmx requests nothing. */
  htmxPaths?: string;
}

/**
 * htmx's own settings: no `data-hx-*` aliases (one spelling to escape and to review), the rest as
 * htmx 4 ships it (fetch mode same-origin, no implicit inheritance, no history snapshots kept).
 */
export const HTMX_CONFIG = JSON.stringify({ prefix: "" });

// What every page's head and top bar hold whatever the page: rendered once, not per request.
const HEAD_START: JSX.Element = (
  <>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </>
);
const HEAD_END: JSX.Element = (
  <>
    <link rel="icon" href="/public/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/public/app.css" />
    <script src="/public/htmx-guard.js" defer></script>
    <script src="/public/htmx.min.js" defer></script>
    <script src="/public/table-labels.js" defer></script>
  </>
);
const HTMX_CONFIG_META: JSX.Element = (<meta name="htmx-config" content={HTMX_CONFIG} />);
const TOP_BAR: JSX.Element = (
  <header class="top">
    <a href="/" class="brand">
      AvtoMat
    </a>
  </header>
);

export function Layout({ title, language, csrfToken, htmxPaths, children }: PropsWithChildren<LayoutProps>) {
  return (
    <>
      {"<!doctype html>"}
      <html lang={language}>
        <head>
          {HEAD_START}
          <title safe>{title} · AvtoMat</title>
          {HTMX_CONFIG_META}
          {htmxPaths ? <meta name="htmx-paths" content={htmxPaths} /> : ""}
          {csrfToken ? <meta name="csrf-token" content={csrfToken} /> : ""}
          {HEAD_END}
        </head>
        <body>
          {TOP_BAR}
          <main>{children}</main>
        </body>
      </html>
    </>
  );
}
