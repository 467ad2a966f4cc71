// The inbox: filters (with "waiting for our answer": longest wait first), the table of
// applications (newest first), paging, and a poller that brings new applications in without a reload.
import type { InboxFilter, InboxRow } from "../../../src/domain/inbox.ts";
import type { ApplicationStatus, Language } from "../../../src/db/schema.ts";
import { inboxTexts } from "../../../src/i18n/crm/inbox.ts";
import { statusName } from "../../format.ts";
import { ApplicationRow, type RowContext } from "../../partials/application-row.tsx";
import { Pager } from "../../components/pager.tsx";
import { KEEP_ON_ERROR } from "../../partials/thread.tsx";
import { CsvExportLink } from "../../components/export-link.tsx";

export function filterQuery(f: InboxFilter, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.q) p.set("q", f.q);
  if (f.waiting) p.set("waiting", "1");
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * New applications and new messages arrive by polling (not server-sent events): one cheap
 * indexed query every 10 s per open inbox, no long-lived connections to manage behind proxies.
 * The poller asks for rows newer than the newest id it has seen and for rows whose student wrote
 * since `since` (the database's clock at the previous poll); the server answers 204 when there
 * are none. An error answer changes nothing and the poller keeps asking.
 */
export function Poller({ ctx, filter, after, since }: { ctx: RowContext; filter: InboxFilter; after: number; since: number }) {
  return (
    <tr
      id="inbox-poll"
      class="poll"
      hx-get={`${ctx.base}/applications/poll${filterQuery(filter, { after, since })}`}
      hx-trigger="every 10s"
      hx-swap="outerHTML"
      {...KEEP_ON_ERROR}
      aria-hidden="true"
    ></tr>
  );
}

export function InboxTable({ rows, ctx, filter, page, hasMore, latest, now }: { rows: InboxRow[]; ctx: RowContext; filter: InboxFilter; page: number; hasMore: boolean; latest: number; now: number }) {
  const say = inboxTexts[ctx.language];
  const c = say.columns;
  return (
    <div id="inbox">
      <table class="inbox">
        <thead>
          <tr>
            <th safe>{c.number}</th>
            <th safe>{c.when}</th>
            <th safe>{c.student}</th>
            <th safe>{c.phone}</th>
            <th safe>{c.course}</th>
            <th safe>{c.source}</th>
            <th safe>{c.status}</th>
            <th safe>{c.waits}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {page === 1 ? <Poller ctx={ctx} filter={filter} after={latest} since={now} /> : ""}
          {rows.map((row) => (
            <ApplicationRow row={row} ctx={ctx} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? (
        <p class="empty" safe>
          {say.empty}
        </p>
      ) : (
        ""
      )}
      <Pager page={page} hasMore={hasMore} hrefOf={(p) => `${ctx.base}/applications${filterQuery(filter, { page: p })}`} language={ctx.language} prev={say.newer} next={say.older} hxTarget="#inbox" />
    </div>
  );
}

/** The status choices, rendered once per language, area (its statuses) and choice: a handful in all. */
const renderedOptions = new Map<string, string>();

function statusOptions(statuses: readonly ApplicationStatus[], selected: ApplicationStatus | undefined, language: Language): JSX.Element {
  const key = `${language}:${statuses.join(",")}:${selected ?? ""}`;
  let html = renderedOptions.get(key);
  if (html === undefined) {
    html = (
      <>
        <option value="" safe>
          {inboxTexts[language].filter.all}
        </option>
        {statuses.map((s) => (
          <option value={s} selected={selected === s} safe>
            {statusName(s, language)}
          </option>
        ))}
      </>
    ) as string;
    renderedOptions.set(key, html);
  }
  return html;
}

export function InboxFilters({ base, filter, statuses, language }: { base: string; filter: InboxFilter; statuses: readonly ApplicationStatus[]; language: Language }) {
  const say = inboxTexts[language].filter;
  return (
    <form class="filters" method="get" action={`${base}/applications`} hx-get={`${base}/applications`} hx-target="#inbox" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change, keyup delay:500ms">
      <label>
        <span safe>{say.status}</span>
        <select name="status">{statusOptions(statuses, filter.status, language)}</select>
      </label>
      <label>
        <span safe>{say.from}</span>
        <input type="date" name="from" value={filter.from ?? ""} />
      </label>
      <label>
        <span safe>{say.to}</span>
        <input type="date" name="to" value={filter.to ?? ""} />
      </label>
      <label class="check">
        <input type="checkbox" name="waiting" value="1" checked={filter.waiting === true} />
        <span safe>{say.waiting}</span>
      </label>
      <label class="grow">
        <span safe>{say.search}</span>
        <input type="search" name="q" value={filter.q ?? ""} placeholder={say.searchHint} maxlength="100" />
      </label>
      <button type="submit" safe>
        {say.find}
      </button>
    </form>
  );
}

export function InboxSection(props: { rows: InboxRow[]; ctx: RowContext; filter: InboxFilter; page: number; hasMore: boolean; latest: number; now: number; statuses: readonly ApplicationStatus[] }) {
  return (
    <section class="card">
      <h1 safe>{inboxTexts[props.ctx.language].title}</h1>
      <InboxFilters base={props.ctx.base} filter={props.filter} statuses={props.statuses} language={props.ctx.language} />
      <InboxTable {...props} />
      <CsvExportLink ctx={props.ctx} filter={props.filter} />
    </section>
  );
}
