// Applications in the CRM, for both areas: the inbox (with polling for new rows), one
// application's page with its thread (polled for new entries), status changes, replies and notes
// (the student's files: crm-media.tsx). Handlers parse (the `t` models beside each route), call
// the domain (inbox.ts, status.ts, thread.ts, templates.ts; the status model says which reason a
// move needs) and render.
import { applicationLessons } from "../../domain/lesson-lists.ts"; // issue 15: the application's lessons
import { t } from "elysia";
import { addNote, getApplication, MAX_NOTE, inboxPage, listSince, loadInboxRow, newestStudentMessage, threadSince, type InboxFilter } from "../../domain/inbox.ts";
import { changeStatus } from "../../domain/status.ts";
import { scopedPayment } from "../../domain/payments.ts";
import { listTemplates } from "../../domain/templates.ts";
import { MAX_REPLY, markThreadRead, sendReply, type ReplyErrors } from "../../domain/thread.ts";
import type { Language } from "../../db/schema.ts";
import { applicationTexts, noteProblemText, replyProblemText } from "../../i18n/crm/application.ts";
import { inboxTexts } from "../../i18n/crm/inbox.ts";
import { applicationStatuses, isApplicationStatus, MAX_REASON, statusesOf } from "../../model/application-status.ts";
import { ApplicationView, NoteForm, ReplyForm, StatusPanel } from "../../../views/pages/crm/application.tsx";
import { cursorOf, THREAD_CHANGED, ThreadEntry, ThreadPoller } from "../../../views/partials/thread.tsx";
import { InboxSection, InboxTable, Poller } from "../../../views/pages/crm/inbox.tsx";
import { ApplicationRow, type RowContext } from "../../../views/partials/application-row.tsx";
import { statusName } from "../../../views/format.ts";
import { crmArea, fragment, page, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { dateParam, Form, IdParams, idParam, INT4_MAX, OptText, pageOf, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";

const FILTER = { status: QText(20), from: QText(20), to: QText(20), q: QText(200), waiting: QText(5), page: QText(20) };
const FilterQuery = t.Object(FILTER);
/**
 * The poll names the newest row the page has (an int4 id, 0 when the list was empty) and the
 * database's clock at the previous poll (µs since 1970): rows whose student wrote since then are
 * sent again (without it, only new rows).
 */
const PollQuery = t.Object({ ...FILTER, after: t.Integer({ minimum: 0, maximum: INT4_MAX }), since: t.Optional(t.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })) });
const Status = t.UnionEnum([...applicationStatuses]);
const StatusForm = Form({ from: Status, to: Status, view: OptText(10), reason: OptText() });
const ReplyFields = Form({ text: OptText(), templateId: OptText(20) });
const NoteFields = Form({ text: OptText() });
/**
 * The thread's poll names the newest entry the page has (0 when it had none), the newest entry's
 * time (ms) and the entries it has in the overlap window (ids, comma-separated; a malformed id is ignored).
 */
const ThreadQuery = t.Object({ after: t.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), at: t.Optional(t.Integer({ minimum: 0, maximum: 253402300799999 })), seen: QText(12_000) });
const idsOf = (list: string | undefined) => (list ?? "").split(",").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, 1000);
/** After a form added an entry, the thread's poller asks for it at once (views/partials/thread.tsx). */
const THREAD_CHANGED_HEADER = { "hx-trigger": THREAD_CHANGED };

/** Why a reason was refused, at the reject form (the rule: checkReason in the status model, applied by changeStatus). */
const reasonProblem = (problem: "too_long" | "required", language: Language) => inboxTexts[language].reasonProblems[problem](MAX_REASON);

/** A refused reply's reasons, field by field, in the page's language. */
const replyErrors = (errors: ReplyErrors, language: Language): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([field, problem]) => [field, replyProblemText(problem, language, MAX_REPLY)]));

/** The inbox filter from the query; a malformed value is simply not applied. */
function filterOf(query: typeof FilterQuery.static, kind: AreaKind): InboxFilter {
  const status = isApplicationStatus(query.status) && statusesOf(kind).includes(query.status) ? query.status : undefined;
  return { status, from: dateParam(query.from), to: dateParam(query.to), q: query.q?.trim().slice(0, 100) || undefined, waiting: query.waiting === "1" || undefined, page: pageOf(query.page) };
}

export function applicationRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  const zone = config.timeZone;
  const ctxOf = (base: string, language: Language): RowContext => ({ base, zone, now: new Date(), language });
  const notFound = () => new HttpError(404, said("applicationNotFound"));
  const mustRow = async (scope: Parameters<typeof loadInboxRow>[1], id: number, language: Language) => {
    const row = await loadInboxRow(db, scope, id);
    if (!row) throw notFound();
    return row;
  };

  return crmArea(deps, kind)
    .get("/", ({ base }) => seeOther(`${base}/applications`))
    .get("/applications", async ({ request, query, scope, shell, base }) => {
      const filter = filterOf(query, kind);
      const { rows, hasMore, page: p, latest, now } = await inboxPage(db, scope, filter, zone);
      const ctx = ctxOf(base, shell.language);
      const props = { rows, ctx, filter, page: p, hasMore, latest, now };
      // The filter form and the pager swap just the table; opening the URL gives the whole page.
      if (wantsFragment(request)) return fragment(<InboxTable {...props} />);
      return page(request, shell, { title: inboxTexts[shell.language].title, active: "applications" }, <InboxSection {...props} statuses={statusesOf(kind)} />);
    }, { query: FilterQuery })
    .get("/applications/poll", async ({ query, scope, shell, base }) => {
      const { after } = query;
      const since = query.since ?? Number.MAX_SAFE_INTEGER;
      const filter = filterOf(query, kind);
      const { rows, now } = await listSince(db, scope, after, since, filter, zone);
      if (!rows.length) return new Response(null, { status: 204 });
      const ctx = ctxOf(base, shell.language);
      const newest = Math.max(after, ...rows.map((r) => r.id));
      // New rows go on top; rows the page has (a new message: the unread mark) replace themselves by id.
      return fragment(
        <>
          <Poller ctx={ctx} filter={filter} after={newest} since={now ?? since} />
          {rows.map((row) => (
            <ApplicationRow row={row} ctx={ctx} oob={row.id <= after} />
          ))}
        </>,
      );
    }, { query: PollQuery })
    .get("/applications/:id", async ({ request, params, scope, shell, base }) => {
      const id = params.id;
      const [d, row, templates, lessons, payment] = await Promise.all([getApplication(db, scope, id), loadInboxRow(db, scope, id), listTemplates(db, scope), applicationLessons(db, scope, id), scopedPayment(db, scope, id)]);
      if (!d || !row) throw notFound();
      const read = newestStudentMessage(d.history);
      if (read) await markThreadRead(db, scope, id, read);
      return page(request, shell, { title: applicationTexts[shell.language].title(d.app.publicNumber), active: "applications" }, <ApplicationView d={d} row={row} base={base} zone={zone} language={shell.language} templates={templates} lessons={lessons} payment={payment} />);
    }, { params: IdParams })
    // The thread's poll: entries after the page's cursor that it does not show yet (204 when none); seeing them reads them.
    .get("/applications/:id/thread", async ({ params, query, scope, shell, base }) => {
      const prev = { after: query.after, at: query.at ?? 0, seen: idsOf(query.seen) };
      const thread = await threadSince(db, scope, params.id, { afterId: prev.after, atMs: prev.at });
      if (!thread) throw notFound();
      const seen = new Set(prev.seen);
      const fresh = thread.entries.filter((e) => !seen.has(e.id));
      if (!fresh.length) return new Response(null, { status: 204 });
      const read = newestStudentMessage(fresh);
      if (read) await markThreadRead(db, scope, params.id, read);
      const appUrl = `${base}/applications/${params.id}`;
      const ctx = { zone, language: shell.language, studentName: thread.studentName, appUrl };
      return fragment(
        <>
          {fresh.map((e) => (
            <ThreadEntry e={e} ctx={ctx} />
          ))}
          <ThreadPoller appUrl={appUrl} cursor={cursorOf(thread.entries, prev)} />
        </>,
      );
    }, { params: IdParams, query: ThreadQuery })
    // The row and the status panel on their own: "cancel" on a reject form swaps them back.
    .get("/applications/:id/row", async ({ params, scope, shell, base }) => fragment(<ApplicationRow row={await mustRow(scope, params.id, shell.language)} ctx={ctxOf(base, shell.language)} />), { params: IdParams })
    .get("/applications/:id/panel", async ({ params, scope, shell, base }) => fragment(<StatusPanel row={await mustRow(scope, params.id, shell.language)} base={base} language={shell.language} />), { params: IdParams })
    .get("/applications/:id/reject", async ({ request, params, query, scope, shell, base }) => {
      const id = params.id;
      const row = await mustRow(scope, id, shell.language);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return query.view === "panel" ? fragment(<StatusPanel row={row} base={base} language={shell.language} rejecting />) : fragment(<ApplicationRow row={row} ctx={ctxOf(base, shell.language)} rejecting />);
    }, { params: IdParams, query: t.Object({ view: QText(10) }) })
    .post("/applications/:id/status", async ({ request, params, body: f, scope, shell, base }) => {
      const id = params.id;
      const { language } = shell;
      const say = inboxTexts[language];
      const view = f.view === "panel" ? "panel" : "row";
      const render = (row: NonNullable<Awaited<ReturnType<typeof loadInboxRow>>>, extra: { notice?: string; rejecting?: boolean; rejectError?: string } = {}) =>
        view === "panel" ? <StatusPanel row={row} base={base} language={language} {...extra} /> : <ApplicationRow row={row} ctx={ctxOf(base, language)} {...extra} />;

      const result = await changeStatus(db, scope, id, { from: f.from, to: f.to, reason: f.reason }, { timeZone: config.timeZone });
      if (!result.ok && result.reason === "not_found") throw notFound();
      if (!result.ok && result.reason === "bad_reason") return fragment(render(result.row, { rejecting: true, rejectError: reasonProblem(result.problem, language) }), 422);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      if (!result.ok) {
        const notice = result.reason === "stale" ? say.stale(statusName(result.row.status, language)) : say.notAllowed;
        return fragment(render(result.row, { notice }), 409);
      }
      return fragment(render(result.row), 200, view === "panel" ? THREAD_CHANGED_HEADER : {});
    }, { params: IdParams, body: StatusForm })
    .post("/applications/:id/reply", async ({ request, params, body: f, scope, shell, base }) => {
      const id = params.id;
      const templateId = idParam(f.templateId) ?? null;
      const result = await sendReply(db, scope, id, { text: f.text, templateId });
      const { language } = shell;
      if (!result.ok && "notFound" in result) throw notFound();
      if (!wantsFragment(request) && result.ok) return seeOther(`${base}/applications/${id}`);
      const templates = await listTemplates(db, scope);
      if (!result.ok) {
        const form = <ReplyForm base={base} id={id} templates={templates} language={language} errors={replyErrors(result.errors, language)} text={f.text ?? ""} templateId={f.templateId ?? ""} />;
        return page(request, shell, { title: applicationTexts[language].reply.pageTitle, active: "applications", status: 422 }, form);
      }
      return fragment(<ReplyForm base={base} id={id} templates={templates} language={language} sent />, 200, THREAD_CHANGED_HEADER);
    }, { params: IdParams, body: ReplyFields })
    .post("/applications/:id/notes", async ({ request, params, body, scope, shell, base }) => {
      const id = params.id;
      const { language } = shell;
      const result = await addNote(db, scope, id, body.text ?? "");
      if (!result.ok && "notFound" in result) throw notFound();
      if (!result.ok) {
        const form = <NoteForm base={base} id={id} language={language} error={noteProblemText(result.error, language, MAX_NOTE)} text={result.text} />;
        return page(request, shell, { title: applicationTexts[language].note.title, active: "applications", status: 422 }, form);
      }
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return fragment(<NoteForm base={base} id={id} language={language} />, 200, THREAD_CHANGED_HEADER);
    }, { params: IdParams, body: NoteFields });
}
