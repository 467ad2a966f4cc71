// Applications in the CRM, for both areas: the inbox (with polling for new rows), one
// application's page with its thread (polled for new entries), status changes, replies, notes
// and the student's photos and documents. Handlers parse (the `t` models beside each route), call
// the domain (inbox.ts, status.ts, thread.ts, thread-media.ts, templates.ts; the status model says
// which reason a move needs) and render.
import { t } from "elysia";
import { addNote, getApplication, inboxPage, listSince, loadInboxRow, threadSince, type InboxFilter } from "../../domain/inbox.ts";
import { changeStatus } from "../../domain/status.ts";
import { listTemplates } from "../../domain/templates.ts";
import { markThreadRead, sendReply } from "../../domain/thread.ts";
import { fetchMedia, mediaOf, type MediaFile } from "../../domain/thread-media.ts";
import type { ThreadMedia } from "../../model/thread-message.ts";
import { applicationStatuses, isApplicationStatus, MAX_REASON, statusesOf } from "../../model/application-status.ts";
import { ApplicationView, NoteForm, ReplyForm, StatusPanel } from "../../../views/pages/crm/application.tsx";
import { lastIdOf, THREAD_CHANGED, ThreadEntry, ThreadPoller } from "../../../views/partials/thread.tsx";
import { InboxSection, InboxTable, Poller } from "../../../views/pages/crm/inbox.tsx";
import { ApplicationRow, type RowContext } from "../../../views/partials/application-row.tsx";
import { STATUS_NAMES } from "../../../views/format.ts";
import { crmArea, fragment, page, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { dateParam, Form, Id, IdParams, idParam, INT4_MAX, NOT_FOUND_ID, OptText, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

const FILTER = { status: QText(20), from: QText(20), to: QText(20), q: QText(200), waiting: QText(5), page: QText(20) };
const FilterQuery = t.Object(FILTER);
/** The poll names the newest row the page has: an int4 id (0 when the list was empty). */
const PollQuery = t.Object({ ...FILTER, after: t.Integer({ minimum: 0, maximum: INT4_MAX }) });
const Status = t.UnionEnum([...applicationStatuses]);
const StatusForm = Form({ from: Status, to: Status, view: OptText(10), reason: OptText() });
const ReplyFields = Form({ text: OptText(), templateId: OptText(20) });
const NoteFields = Form({ text: OptText() });
/** Event ids are bigserial: any safe integer; anything else is a missing page. */
const EventId = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, error: NOT_FOUND_ID });
const MediaParams = t.Object({ id: Id, eventId: EventId });
/** The thread's poll names the newest entry the page has (0 when it had none). */
const ThreadQuery = t.Object({ after: t.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) });
/** After a form added an entry, the thread's poller asks for it at once (views/partials/thread.tsx). */
const THREAD_CHANGED_HEADER = { "hx-trigger": THREAD_CHANGED };

/** Why a student's file cannot be shown, as the status and page staff get. */
const MEDIA_PROBLEMS: Record<Exclude<MediaFile, { ok: true }>["reason"], { status: number; message: string }> = {
  no_bot: { status: 503, message: "Бот не подключён (нет TELEGRAM_BOT_TOKEN): файлы из Telegram недоступны." },
  too_large: { status: 502, message: "Файл больше 20 МБ: Telegram не отдаёт такие боту. Попросите ученика прислать его иначе." },
  unavailable: { status: 502, message: "Telegram сейчас не отдаёт файл. Попробуйте через минуту." },
};

/**
 * How a student's file is served: a photo inline as the JPEG Telegram makes of it; a document
 * always as a download of opaque bytes (a student's HTML must never render on our origin).
 */
function mediaHeaders(media: ThreadMedia): Record<string, string> {
  const common = { "x-content-type-options": "nosniff", "cache-control": "private, max-age=3600" };
  if (media.kind === "photo") return { ...common, "content-type": "image/jpeg", "content-disposition": 'inline; filename="photo.jpg"' };
  const name = media.fileName || "document";
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return { ...common, "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}` };
}

/** Why a reason was refused, at the reject form (the rule: checkReason in the status model, applied by changeStatus). */
const REASON_PROBLEMS = {
  too_long: `Не длиннее ${MAX_REASON} символов.`,
  required: "Напишите причину: студент получит её в боте.",
} as const;

/** The inbox filter from the query; a malformed value is simply not applied. */
function filterOf(query: typeof FilterQuery.static, kind: AreaKind): InboxFilter {
  const status = isApplicationStatus(query.status) && statusesOf(kind).includes(query.status) ? query.status : undefined;
  return { status, from: dateParam(query.from), to: dateParam(query.to), q: query.q?.trim().slice(0, 100) || undefined, waiting: query.waiting === "1" || undefined, page: pageOf(query.page) };
}

export function applicationRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const zone = config.timeZone;
  const ctxOf = (base: string): RowContext => ({ base, zone, now: new Date() });
  const mustRow = async (scope: Parameters<typeof loadInboxRow>[1], id: number) => {
    const row = await loadInboxRow(db, scope, id);
    if (!row) throw new HttpError(404, "Заявка не найдена.");
    return row;
  };

  return crmArea(deps, kind)
    .get("/", ({ base }) => seeOther(`${base}/applications`))
    .get("/applications", async ({ request, query, scope, shell, base }) => {
      const filter = filterOf(query, kind);
      const { rows, hasMore, page: p, latest } = await inboxPage(db, scope, filter, zone);
      const ctx = ctxOf(base);
      const props = { rows, ctx, filter, page: p, hasMore, latest };
      // The filter form and the pager swap just the table; opening the URL gives the whole page.
      if (wantsFragment(request)) return fragment(<InboxTable {...props} />);
      return page(request, shell, { title: "Заявки", active: "applications" }, <InboxSection {...props} statuses={statusesOf(kind)} />);
    }, { query: FilterQuery })
    .get("/applications/poll", async ({ query, scope, base }) => {
      const after = query.after;
      const filter = filterOf(query, kind);
      const rows = await listSince(db, scope, after, filter, zone);
      if (!rows.length) return new Response(null, { status: 204 });
      const ctx = ctxOf(base);
      const newest = Math.max(after, ...rows.map((r) => r.id));
      return fragment(
        <>
          <Poller ctx={ctx} filter={filter} after={newest} />
          {rows.map((row) => (
            <ApplicationRow row={row} ctx={ctx} />
          ))}
        </>,
      );
    }, { query: PollQuery })
    .get("/applications/:id", async ({ request, params, scope, shell, base }) => {
      const id = params.id;
      const [d, row, templates] = await Promise.all([getApplication(db, scope, id), loadInboxRow(db, scope, id), listTemplates(db, scope)]);
      if (!d || !row) throw new HttpError(404, "Заявка не найдена.");
      await markThreadRead(db, scope, id);
      return page(request, shell, { title: `Заявка № ${d.app.publicNumber}`, active: "applications" }, <ApplicationView d={d} row={row} base={base} zone={zone} templates={templates} />);
    }, { params: IdParams })
    // The thread's poll: entries after the newest the page has (204 when none); seeing them reads them.
    .get("/applications/:id/thread", async ({ params, query, scope, base }) => {
      const thread = await threadSince(db, scope, params.id, query.after);
      if (!thread) throw new HttpError(404, "Заявка не найдена.");
      await markThreadRead(db, scope, params.id);
      const { entries, studentName } = thread;
      if (!entries.length) return new Response(null, { status: 204 });
      const appUrl = `${base}/applications/${params.id}`;
      const ctx = { zone, studentName, appUrl };
      return fragment(
        <>
          {entries.map((e) => (
            <ThreadEntry e={e} ctx={ctx} />
          ))}
          <ThreadPoller appUrl={appUrl} after={lastIdOf(entries, query.after)} />
        </>,
      );
    }, { params: IdParams, query: ThreadQuery })
    // A photo or document the student sent, fetched from Telegram for staff of this application only.
    .get("/applications/:id/media/:eventId", async ({ params, scope }) => {
      const media = await mediaOf(db, scope, params.id, params.eventId);
      if (!media) throw new HttpError(404, "Файл не найден.");
      const file = await fetchMedia(config, media.fileId);
      if (!file.ok) throw new HttpError(MEDIA_PROBLEMS[file.reason].status, MEDIA_PROBLEMS[file.reason].message);
      return new Response(file.bytes, { headers: mediaHeaders(media) });
    }, { params: MediaParams })
    // The row and the status panel on their own: "cancel" on a reject form swaps them back.
    .get("/applications/:id/row", async ({ params, scope, base }) => fragment(<ApplicationRow row={await mustRow(scope, params.id)} ctx={ctxOf(base)} />), { params: IdParams })
    .get("/applications/:id/panel", async ({ params, scope, base }) => fragment(<StatusPanel row={await mustRow(scope, params.id)} base={base} />), { params: IdParams })
    .get("/applications/:id/reject", async ({ request, params, query, scope, base }) => {
      const id = params.id;
      const row = await mustRow(scope, id);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return query.view === "panel" ? fragment(<StatusPanel row={row} base={base} rejecting />) : fragment(<ApplicationRow row={row} ctx={ctxOf(base)} rejecting />);
    }, { params: IdParams, query: t.Object({ view: QText(10) }) })
    .post("/applications/:id/status", async ({ request, params, body: f, scope, base }) => {
      const id = params.id;
      const view = f.view === "panel" ? "panel" : "row";
      const render = (row: NonNullable<Awaited<ReturnType<typeof loadInboxRow>>>, extra: { notice?: string; rejecting?: boolean; rejectError?: string } = {}) =>
        view === "panel" ? <StatusPanel row={row} base={base} {...extra} /> : <ApplicationRow row={row} ctx={ctxOf(base)} {...extra} />;

      const result = await changeStatus(db, scope, id, { from: f.from, to: f.to, reason: f.reason });
      if (!result.ok && result.reason === "not_found") throw new HttpError(404, "Заявка не найдена.");
      if (!result.ok && result.reason === "bad_reason") return fragment(render(result.row, { rejecting: true, rejectError: REASON_PROBLEMS[result.problem] }), 422);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      if (!result.ok) {
        const notice =
          result.reason === "stale"
            ? `Статус уже изменён: сейчас «${STATUS_NAMES[result.row.status] ?? result.row.status}». Проверьте и повторите.`
            : "Такой переход статуса недоступен.";
        return fragment(render(result.row, { notice }), 409);
      }
      return fragment(render(result.row), 200, view === "panel" ? THREAD_CHANGED_HEADER : {});
    }, { params: IdParams, body: StatusForm })
    .post("/applications/:id/reply", async ({ request, params, body: f, scope, shell, base }) => {
      const id = params.id;
      const templateId = idParam(f.templateId) ?? null;
      const result = await sendReply(db, scope, id, { text: f.text, templateId });
      if (!result.ok && "notFound" in result) throw new HttpError(404, "Заявка не найдена.");
      if (!wantsFragment(request) && result.ok) return seeOther(`${base}/applications/${id}`);
      const templates = await listTemplates(db, scope);
      if (!result.ok) {
        const form = <ReplyForm base={base} id={id} templates={templates} errors={result.errors} text={f.text ?? ""} templateId={f.templateId ?? ""} />;
        return page(request, shell, { title: "Ответ студенту", active: "applications", status: 422 }, form);
      }
      return fragment(<ReplyForm base={base} id={id} templates={templates} sent />, 200, THREAD_CHANGED_HEADER);
    }, { params: IdParams, body: ReplyFields })
    .post("/applications/:id/notes", async ({ request, params, body, scope, shell, base }) => {
      const id = params.id;
      const result = await addNote(db, scope, id, body.text ?? "");
      if (!result.ok && "notFound" in result) throw new HttpError(404, "Заявка не найдена.");
      if (!result.ok) return page(request, shell, { title: "Заметка", active: "applications", status: 422 }, <NoteForm base={base} id={id} error={result.error} text={result.text} />);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return fragment(<NoteForm base={base} id={id} />, 200, THREAD_CHANGED_HEADER);
    }, { params: IdParams, body: NoteFields });
}
