// The one pager: "previous · Страница N · next" links under a list, in the page's language.
// `hrefOf(page)` builds each link; with `hxTarget` the links also swap just that element (htmx) and
// push the URL, so a list's paging works with and without JavaScript. Nothing is drawn when there
// is one page.
import type { Language } from "../../src/db/schema.ts";
import { componentTexts } from "../../src/i18n/crm/components.ts";

export interface PagerProps {
  page: number;
  hasMore: boolean;
  hrefOf: (page: number) => string;
  /** The page's language. */
  language: Language;
  /** Link texts (the inbox says newer/older); default: back/next in the page's language. */
  prev?: string;
  next?: string;
  /** htmx: the element the links replace (outerHTML), e.g. "#inbox". */
  hxTarget?: string;
}

function PageLink({ href, hxTarget, rel, text }: { href: string; hxTarget?: string; rel: string; text: string }) {
  return hxTarget ? (
    <a href={href} rel={rel} hx-get={href} hx-target={hxTarget} hx-swap="outerHTML" hx-push-url="true" safe>
      {text}
    </a>
  ) : (
    <a href={href} rel={rel} safe>
      {text}
    </a>
  );
}

export function Pager({ page, hasMore, hrefOf, language, prev, next, hxTarget }: PagerProps) {
  if (page <= 1 && !hasMore) return "";
  const say = componentTexts[language];
  return (
    <nav class="pager" aria-label={say.pages}>
      {page > 1 ? <PageLink href={hrefOf(page - 1)} hxTarget={hxTarget} rel="prev" text={prev ?? say.prev} /> : ""}
      <span safe>{say.page(page)}</span>
      {hasMore ? <PageLink href={hrefOf(page + 1)} hxTarget={hxTarget} rel="next" text={next ?? say.next} /> : ""}
    </nav>
  );
}
