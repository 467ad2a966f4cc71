// One inbox row. The full inbox renders it, and every status change answers with it so htmx can
// swap it in place (hx-target="closest tr", outerHTML). Student-supplied text is always escaped
// (and out of htmx's reach: UserText).
// It marks a thread with a message staff have not read, and how long the student waits for us.
import { checkReason, MAX_REASON, REASON_STATUS, type ApplicationKind } from "../../src/model/application-status.ts";
import type { InboxRow } from "../../src/domain/inbox.ts";
import { nextStatuses } from "../../src/model/application-status.ts";
import { formatPhone } from "../../src/model/phone.ts";
import { StatusBadge } from "../components/status-badge.tsx";
import { t } from "../../src/i18n/index.ts";
import { inboxTexts } from "../../src/i18n/crm/inbox.ts";
import { paymentTexts } from "../../src/i18n/crm/payment.ts";
import type { Language } from "../../src/db/schema.ts";
import { ago, dateTime, phoneOrigin, sourceName, statusAction, transmissionName } from "../format.ts";
import { courseName, lessonTime } from "../../src/notify/catalog.ts";
import { UserText } from "../components/user-text.tsx";

export interface RowContext {
  base: string;
  zone: string;
  now: Date;
  /** The page's language. */
  language: Language;
}

/** What the application is for: a school's in its offer's kind's words (the bot's: "Практика вождения, B"), an instructor's with the time. */
export function courseOf(row: Pick<InboxRow, "kind" | "category" | "format" | "transmission" | "slotStartsAt" | "preferredTime" | "offerKind">, zone: string, language: Language): string {
  if (row.kind === "school") return courseName(language, { kind: row.offerKind, category: row.category, format: row.format });
  return [
    row.category,
    row.transmission ? transmissionName(row.transmission, language) : "",
    row.slotStartsAt ? dateTime(row.slotStartsAt, zone) : row.preferredTime ? lessonTime(language, { daypart: row.preferredTime }) : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** The buttons for the moves allowed from the row's status. */
export function StatusActions({ row, base, target, language }: { row: InboxRow; base: string; target: string; language: Language }) {
  const url = `${base}/applications/${row.id}/status`;
  return (
    <div class="actions">
      {nextStatuses(row.kind, row.status).map((to) =>
        to === REASON_STATUS ? (
          <button type="button" class="secondary" hx-get={`${base}/applications/${row.id}/reject?view=${target === "closest tr" ? "row" : "panel"}`} hx-target={target} hx-swap="outerHTML" safe>
            {statusAction(REASON_STATUS, language)}
          </button>
        ) : (
          <button
            type="button"
            hx-post={url}
            hx-vals={JSON.stringify({ from: row.status, to, view: target === "closest tr" ? "row" : "panel" })}
            hx-target={target}
            hx-swap="outerHTML"
            data-to={to}
            safe
          >
            {statusAction(to, language)}
          </button>
        ),
      )}
    </div>
  );
}

/** Whether a move to REASON_STATUS needs a reason from this kind of account (the status model's rule). */
const reasonRequired = (kind: ApplicationKind) => !checkReason(kind, REASON_STATUS, "").ok;

/** The reject form: a reason the student receives (required or optional: see checkReason). */
export function RejectForm({ row, base, view, language, error, reason }: { row: InboxRow; base: string; view: "row" | "panel"; language: Language; error?: string; reason?: string }) {
  const say = inboxTexts[language].reject;
  const target = view === "row" ? "closest tr" : "#status-panel";
  return (
    <form class="reject" method="post" action={`${base}/applications/${row.id}/status`} hx-post={`${base}/applications/${row.id}/status`} hx-target={target} hx-swap="outerHTML">
      <input type="hidden" name="from" value={row.status} />
      <input type="hidden" name="to" value={REASON_STATUS} />
      <input type="hidden" name="view" value={view} />
      <label>
        <span safe>{reasonRequired(row.kind) ? say.reason : `${say.reason} ${say.optional}`}</span>
        <input name="reason" maxlength={String(MAX_REASON)} value={reason ?? ""} required={reasonRequired(row.kind)} placeholder={say.hint} />
      </label>
      {error ? <small class="error" role="alert" safe>{error}</small> : ""}
      <button type="submit" safe>
        {say.submit}
      </button>{" "}
      <button type="button" class="secondary" hx-get={`${base}/applications/${row.id}/${view}`} hx-target={target} hx-swap="outerHTML" safe>
        {say.cancel}
      </button>
    </form>
  );
}

/** `oob`: the inbox poll sends a row the page has again (a new message), to replace itself by id. */
export function ApplicationRow({ row, ctx, notice, rejecting, rejectError, oob }: { row: InboxRow; ctx: RowContext; notice?: string; rejecting?: boolean; rejectError?: string; oob?: boolean }) {
  const { language } = ctx;
  const say = inboxTexts[language];
  return (
    <tr id={`app-${row.id}`} hx-swap-oob={oob ? "true" : undefined} data-status={row.status} data-unread={row.unread ? "true" : undefined} class={row.unread ? "unread" : undefined}>
      <td>
        <a href={`${ctx.base}/applications/${row.id}`} safe>
          {`№ ${row.publicNumber}`}
        </a>
        {row.unread ? (
          <span class="unread-mark" title={say.unreadTitle} safe>
            {say.unreadMark}
          </span>
        ) : (
          ""
        )}
      </td>
      <td class="nowrap" safe>{dateTime(row.createdAt, ctx.zone)}</td>
      <td>
        <UserText text={row.studentName} />
      </td>
      <td class="nowrap">
        <span safe>{formatPhone(row.studentPhone)}</span>
        {row.phoneConfirmed ? (
          <span class="muted" title={phoneOrigin(true, language)} aria-label={phoneOrigin(true, language)} data-phone-confirmed="true">
            {" ✓"}
          </span>
        ) : (
          ""
        )}
      </td>
      <td>
        <span safe>{courseOf(row, ctx.zone, language)}</span>
        {row.situation ? (
          <small class="muted situation" data-situation={row.situation} safe>
            {` · ${t(language).situationShort[row.situation]}`}
          </small>
        ) : (
          ""
        )}
      </td>
      <td safe>{sourceName(row.source, language)}</td>
      <td>
        <StatusBadge status={row.status} language={language} />
        {row.paymentClaimed ? (
          <span class="badge payment-claimed" data-payment="claimed" title={say.paymentClaimedTitle} safe>
            {` ${paymentTexts[language].pendingBadge}`}
          </span>
        ) : (
          ""
        )}
        {notice ? (
          <div class="notice" role="alert" safe>
            {notice}
          </div>
        ) : (
          ""
        )}
      </td>
      <td class="nowrap">
        {row.awaitingReplySince ? (
          <span class="waiting" title={say.waitingTitle} safe>
            {say.waitingFor(ago(row.awaitingReplySince, ctx.now, language))}
          </span>
        ) : (
          <span safe>{ago(row.createdAt, ctx.now, language)}</span>
        )}
      </td>
      <td>{rejecting ? <RejectForm row={row} base={ctx.base} view="row" language={language} error={rejectError} /> : <StatusActions row={row} base={ctx.base} target="closest tr" language={language} />}</td>
    </tr>
  );
}
