// The conversation of one application, oldest first, in local time, saying who wrote what: the
// student's messages (with their photos and documents), the school's replies (from the CRM or
// Telegram), automatic messages, status changes, slot and lesson events and the notes only staff see. The
// page polls for newer entries (ThreadPoller); forms that add one fire THREAD_CHANGED so the
// poller asks at once. Every text is the user's: always escaped, and each entry is out of htmx's
// reach (USER_CONTENT: it holds no htmx of ours).
import { formatKzt } from "../../src/model/money.ts";
import { THREAD_OVERLAP_MS, type HistoryEntry } from "../../src/domain/inbox.ts";
import type { Language } from "../../src/db/schema.ts";
import { t } from "../../src/i18n/index.ts";
import { threadTexts } from "../../src/i18n/crm/thread.ts";
import { lessonEventLine } from "../../src/notify/lesson-event-line.ts";
import { isCancelReason } from "../../src/model/cancel-reason.ts";
import { contentOf } from "../../src/model/thread-message.ts";
import { dateTime, fileSize, statusName } from "../format.ts";
import { USER_CONTENT } from "../components/user-text.tsx";

/** The event (HX-Trigger response header) after which the page's poller asks for new entries. */
export const THREAD_CHANGED = "threadChanged";

export interface ThreadContext {
  zone: string;
  /** The page's language. */
  language: Language;
  studentName: string;
  /** The application's URL in the CRM: media links and the poll hang off it (none in the admin panel). */
  appUrl?: string;
  /** The application's lessons by id: the time of a lesson note written before lesson events had one. */
  lessons?: ReadonlyMap<number, { startsAt: Date; minutes: number }>;
}

type Side = "student" | "school" | "system" | "note";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Lesson notes written before issue 15 ('note' {lesson, state[, noShowBy]}) are lesson events without a time. */
function isLegacyLessonNote(e: HistoryEntry): boolean {
  return e.type === "note" && typeof e.payload.lesson === "number" && typeof e.payload.state === "string" && !("text" in e.payload);
}

/** A legacy lesson note as the lesson event it was (its state is the action), its time from the lesson when the page knows it. */
function legacyLessonLine(e: HistoryEntry, ctx: ThreadContext): string {
  const known = ctx.lessons?.get(e.payload.lesson as number);
  const payload = { ...e.payload, action: e.payload.state, startsAt: known?.startsAt.toISOString() ?? "", minutes: known?.minutes ?? "?" };
  return lessonEventLine(ctx.language, payload, ctx.zone) ?? threadTexts[ctx.language].lesson;
}

function systemText(e: HistoryEntry, ctx: ThreadContext): string {
  const { zone, language } = ctx;
  const say = threadTexts[language];
  if (isLegacyLessonNote(e)) return legacyLessonLine(e, ctx);
  switch (e.type) {
    case "lesson":
      return lessonEventLine(language, e.payload, zone) ?? say.lesson;
    case "created":
      return say.created;
    case "status": {
      // Staff write their reason (a rejection); a student picks one of the bot's (a cancellation).
      const given = str(e.payload.reason) || (isCancelReason(e.payload.cancelReason) ? t(language).cancelReasons[e.payload.cancelReason] : "");
      return say.status(statusName(e.fromStatus, language), statusName(e.toStatus, language)) + (given ? say.reason(given) : "");
    }
    case "slot": {
      const at = str(e.payload.startsAt) ? dateTime(new Date(str(e.payload.startsAt)), zone) : "—";
      if (e.payload.action === "waitlist") return say.waitlist(at); // waitlist (issue 15)
      return say.slotCancelled(at, str(e.payload.reason));
    }
    case "payment": {
      // domain/payments.ts writes these: the student's claim, the school's confirmation, mark or dispute.
      const amount = typeof e.payload.amountKzt === "number" ? ` ${formatKzt(e.payload.amountKzt)}` : "";
      const p = say.payment;
      if (e.payload.action === "claimed") return p.claimed(amount, Boolean(e.payload.media));
      if (e.payload.action === "confirmed") return p.confirmed;
      if (e.payload.action === "marked") return p.marked;
      if (e.payload.action === "student_agreed") return p.student_agreed;
      if (e.payload.action === "disputed") return p.disputed(str(e.payload.reason));
      return p.other;
    }
    default:
      return e.type;
  }
}

function sideOf(e: HistoryEntry): Side {
  if (e.type === "message") return "student";
  if (e.type === "reply" || e.type === "auto") return "school";
  return e.type === "note" && !isLegacyLessonNote(e) ? "note" : "system";
}

function whoOf(e: HistoryEntry, ctx: ThreadContext): string {
  const say = threadTexts[ctx.language];
  switch (e.type) {
    case "message":
      return ctx.studentName;
    case "reply":
      return `${e.actor ?? say.staff}${e.payload.via === "telegram" ? say.fromTelegram : ""}`;
    case "auto":
      return say.auto;
    case "note":
      return isLegacyLessonNote(e) ? (e.actor ?? say.system) : say.note(e.actor ?? say.noteAuthor);
    case "payment":
      return e.actor ?? ctx.studentName;
    case "status":
      // No account moved it: the student cancelled in the bot.
      return e.actor ?? (e.toStatus === "cancelled" ? ctx.studentName : say.system);
    default:
      return e.actor ?? say.system;
  }
}

/** A student's message: its text, its photo (a small size; the link opens the full one) or document (a download link), or what kind it was. */
function StudentMessage({ e, ctx }: { e: HistoryEntry; ctx: ThreadContext }) {
  const say = threadTexts[ctx.language];
  const content = contentOf(e.payload);
  if ("unsupported" in content) return <p class="unsupported" safe>{say.unsupported(t(ctx.language).unsupportedNames[content.unsupported])}</p>;
  const { media, text } = content;
  const url = ctx.appUrl ? `${ctx.appUrl}/media/${e.id}` : null;
  return (
    <>
      {media?.kind === "photo" ? (
        url ? (
          <a href={url} target="_blank" rel="noopener" title={say.openPhoto}>
            <img class="thumb" src={`${url}?size=thumb`} alt={say.photoAlt} loading="lazy" />
          </a>
        ) : (
          <p class="muted" safe>
            {say.photo}
          </p>
        )
      ) : (
        ""
      )}
      {media?.kind === "document" ? (
        <p class="file">
          {url ? (
            <a href={url} download="" safe>
              {`📎 ${media.fileName || say.document}${media.size ? ` (${fileSize(media.size, ctx.language)})` : ""}`}
            </a>
          ) : (
            <span safe>{`📎 ${media.fileName || say.document}`}</span>
          )}
        </p>
      ) : (
        ""
      )}
      {text ? <p safe>{text}</p> : ""}
    </>
  );
}

export function ThreadEntry({ e, ctx }: { e: HistoryEntry; ctx: ThreadContext }) {
  const side = sideOf(e);
  return (
    <li id={`ev-${e.id}`} class={`entry from-${side}`} data-type={e.type} {...USER_CONTENT}>
      <div class="meta">
        <span class="who" safe>
          {whoOf(e, ctx)}
        </span>{" "}
        <time datetime={e.at.toISOString()} safe>
          {dateTime(e.at, ctx.zone)}
        </time>
      </div>
      {side === "student" ? <StudentMessage e={e} ctx={ctx} /> : side === "system" ? <p safe>{systemText(e, ctx)}</p> : <p safe>{str(e.payload.text)}</p>}
      {side === "note" ? (
        <small class="private" safe>
          {threadTexts[ctx.language].privateNote}
        </small>
      ) : (
        ""
      )}
    </li>
  );
}

/** What a thread's poll sends back: the newest id and time the page has, and the ids it shows in the overlap window. */
export interface PollCursor {
  after: number;
  /** The newest entry's time, ms since 1970. */
  at: number;
  /** Entries the page has that the next poll's window (THREAD_OVERLAP_MS before `at`) finds again. */
  seen: number[];
}

/**
 * The cursor after the page has `entries` (all those of the last poll's window, shown now or
 * before) on top of `prev`. The seen ids reach 1 ms further back than the window (times here are
 * whole ms, the database's are µs), so an entry the window finds again is always among them.
 */
export function cursorOf(entries: HistoryEntry[], prev: PollCursor = { after: 0, at: 0, seen: [] }): PollCursor {
  const after = entries.reduce((max, e) => Math.max(max, e.id), prev.after);
  const at = entries.reduce((max, e) => Math.max(max, e.at.getTime()), prev.at);
  const seen = entries.filter((e) => e.at.getTime() >= at - THREAD_OVERLAP_MS - 1).map((e) => e.id);
  return { after, at, seen };
}

/** Poll answers that are errors (a restart, an expired session) leave the page and the poller as they are; the poller tries again. */
export const KEEP_ON_ERROR = { "hx-status:4xx": "swap:none", "hx-status:5xx": "swap:none" };

/**
 * Asks for entries newer than the cursor every few seconds (and at once after THREAD_CHANGED);
 * the answer is those entries and a new poller, or 204 when there are none. Polling rather than
 * server-sent events, as the inbox does: no long-lived connections behind proxies. A new trigger
 * replaces a poll in flight (hx-sync), and the server leaves out the `seen` entries, so no entry
 * is appended twice.
 */
export function ThreadPoller({ appUrl, cursor }: { appUrl: string; cursor: PollCursor }) {
  const q = new URLSearchParams({ after: String(cursor.after), at: String(cursor.at) });
  if (cursor.seen.length) q.set("seen", cursor.seen.join(","));
  return (
    <li
      id="thread-poll"
      class="poll"
      hx-get={`${appUrl}/thread?${q}`}
      hx-trigger={`every 5s, ${THREAD_CHANGED} from:body`}
      hx-swap="outerHTML"
      hx-sync="this:replace"
      {...KEEP_ON_ERROR}
      aria-hidden="true"
    ></li>
  );
}

export function Thread({ entries, ctx, unreachable }: { entries: HistoryEntry[]; ctx: ThreadContext; unreachable?: boolean }) {
  const say = threadTexts[ctx.language];
  return (
    <>
      {unreachable ? (
        <p class="notice unreachable" role="status" safe>
          {say.unreachable}
        </p>
      ) : (
        ""
      )}
      <ol id="thread" class="thread">
        {entries.length === 0 ? (
          <li class="empty" safe>
            {say.empty}
          </li>
        ) : (
          ""
        )}
        {entries.map((e) => (
          <ThreadEntry e={e} ctx={ctx} />
        ))}
        {ctx.appUrl ? <ThreadPoller appUrl={ctx.appUrl} cursor={cursorOf(entries)} /> : ""}
      </ol>
    </>
  );
}
