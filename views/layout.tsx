// The shared page shell: every page renders through it, htmx is served from public/.
import type { PropsWithChildren } from "@kitajs/html";

export interface LayoutProps {
  title: string;
  /** The session's CSRF token; htmx sends it with every request (hx-headers:inherited). */
  csrfToken?: string;
}

export function Layout({ title, csrfToken, children }: PropsWithChildren<LayoutProps>) {
  const headers = csrfToken ? JSON.stringify({ "X-CSRF-Token": csrfToken }) : undefined;
  return (
    <>
      {"<!doctype html>"}
      <html lang="ru">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title} · AvtoMat</title>
          <link rel="stylesheet" href="/public/app.css" />
          <script src="/public/htmx.min.js" defer></script>
        </head>
        <body hx-headers:inherited={headers}>
          <header class="top">
            <a href="/" class="brand">
              AvtoMat
            </a>
          </header>
          <main>{children}</main>
        </body>
      </html>
    </>
  );
}
