// Applications in the CRM, for both areas: the inbox (with polling for new rows), one
// application's page, status changes, replies and notes. Handlers parse and render; the
// domain (inbox.ts, status.ts, templates.ts) reads and writes through the account's scope.
import { applicationStatuses, type ApplicationStatus } from "../../db/schema.ts";
import { addNote, getApplication, historyOf, inboxPage, listSince, loadInboxRow, MAX_NOTE, type InboxFilter } from "../../domain/inbox.ts";
import { changeStatus, statusesOf } from "../../domain/status.ts";
import { listTemplates, sendReply } from "../../domain/templates.ts";
import { ApplicationView, HistoryPartial, NoteForm, ReplyForm, StatusPanel } from "../../../views/pages/crm/application.tsx";
import { InboxSection, InboxTable, Poller } from "../../../views/pages/crm/inbox.tsx";
import { ApplicationRow, type RowContext } from "../../../views/partials/application-row.tsx";
import { STATUS_NAMES } from "../../../views/format.ts";
import { crmArea, formOf, fragment, idOf, page, seeOther, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { HttpError } from "../plugins/errors.tsx";
import { parseDay } from "../../model/time.ts";

const isStatus = (s: unknown): s is ApplicationStatus => typeof s === "string" && (applicationStatuses as readonly string[]).includes(s);

function filterOf(query: Record<string, string | undefined>, kind: AreaKind): InboxFilter {
  const status = query.status && isStatus(query.status) && statusesOf(kind).includes(query.status) ? query.status : undefined;
  const date = (s?: string) => (s && parseDay(s) ? s : undefined);
  const page = Number(query.page);
  return {
    status,
    from: date(query.from),
    to: date(query.to),
    q: query.q?.trim().slice(0, 100) || undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
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
    })
    .get("/applications/poll", async ({ query, scope, base }) => {
      const after = Number(query.after);
      if (!Number.isInteger(after) || after < 0) throw new HttpError(400, "Запрос не понят.");
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
    })
    .get("/applications/:id", async ({ request, params, scope, shell, base }) => {
      const id = idOf(params.id);
      const [d, row, templates] = await Promise.all([getApplication(db, scope, id), loadInboxRow(db, scope, id), listTemplates(db, scope)]);
      if (!d || !row) throw new HttpError(404, "Заявка не найдена.");
      return page(request, shell, { title: `Заявка № ${d.app.publicNumber}`, active: "applications" }, <ApplicationView d={d} row={row} base={base} zone={zone} templates={templates} />);
    })
    // The row and the status panel on their own: "cancel" on a reject form swaps them back.
    .get("/applications/:id/row", async ({ params, scope, base }) => fragment(<ApplicationRow row={await mustRow(scope, idOf(params.id))} ctx={ctxOf(base)} />))
    .get("/applications/:id/panel", async ({ params, scope, base }) => fragment(<StatusPanel row={await mustRow(scope, idOf(params.id))} base={base} />))
    .get("/applications/:id/reject", async ({ request, params, query, scope, base }) => {
      const id = idOf(params.id);
      const row = await mustRow(scope, id);
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return query.view === "panel" ? fragment(<StatusPanel row={row} base={base} rejecting />) : fragment(<ApplicationRow row={row} ctx={ctxOf(base)} rejecting />);
    })
    .post("/applications/:id/status", async ({ request, params, body, scope, base }) => {
      const id = idOf(params.id);
      const f = formOf(body);
      if (!isStatus(f.from) || !isStatus(f.to)) throw new HttpError(400, "Запрос не понят.");
      const view = f.view === "panel" ? "panel" : "row";
      const reason = (f.reason ?? "").trim();
      const render = (row: NonNullable<Awaited<ReturnType<typeof loadInboxRow>>>, extra: { notice?: string; rejecting?: boolean; rejectError?: string } = {}) =>
        view === "panel" ? <StatusPanel row={row} base={base} {...extra} /> : <ApplicationRow row={row} ctx={ctxOf(base)} {...extra} />;

      const reasonError =
        f.to !== "rejected" ? null
        : reason.length > 500 ? "Не длиннее 500 символов."
        : kind === "instructor" && !reason ? "Напишите причину: студент получит её в боте."
        : null;
      if (reasonError) return fragment(render(await mustRow(scope, id), { rejecting: true, rejectError: reasonError }), 422);
      const result = await changeStatus(db, scope, id, { from: f.from, to: f.to, reason });
      if (!result.ok && result.reason === "not_found") throw new HttpError(404, "Заявка не найдена.");
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      if (!result.ok) {
        const notice =
          result.reason === "stale"
            ? `Статус уже изменён: сейчас «${STATUS_NAMES[result.row.status] ?? result.row.status}». Проверьте и повторите.`
            : "Такой переход статуса недоступен.";
        return fragment(render(result.row, { notice }), 409);
      }
      if (view === "row") return fragment(render(result.row));
      return fragment(
        <>
          {render(result.row)}
          <HistoryPartial history={await historyOf(db, id)} zone={zone} />
        </>,
      );
    })
    .post("/applications/:id/reply", async ({ request, params, body, scope, shell, base }) => {
      const id = idOf(params.id);
      const f = formOf(body);
      const templateId = /^\d{1,9}$/.test(f.templateId ?? "") ? Number(f.templateId) : null;
      const result = await sendReply(db, scope, id, { text: f.text, templateId });
      if (!result.ok && "notFound" in result) throw new HttpError(404, "Заявка не найдена.");
      if (!wantsFragment(request) && result.ok) return seeOther(`${base}/applications/${id}`);
      const templates = await listTemplates(db, scope);
      if (!result.ok) {
        const form = <ReplyForm base={base} id={id} templates={templates} errors={result.errors} text={f.text ?? ""} templateId={f.templateId ?? ""} />;
        return page(request, shell, { title: "Ответ студенту", active: "applications", status: 422 }, form);
      }
      return fragment(
        <>
          <ReplyForm base={base} id={id} templates={templates} sent />
          <HistoryPartial history={await historyOf(db, id)} zone={zone} />
        </>,
      );
    })
    .post("/applications/:id/notes", async ({ request, params, body, scope, shell, base }) => {
      const id = idOf(params.id);
      const text = (formOf(body).text ?? "").trim();
      const error = !text ? "Напишите текст заметки." : text.length > MAX_NOTE ? `Не длиннее ${MAX_NOTE} символов.` : null;
      if (error) {
        if (!(await loadInboxRow(db, scope, id))) throw new HttpError(404, "Заявка не найдена.");
        return page(request, shell, { title: "Заметка", active: "applications", status: 422 }, <NoteForm base={base} id={id} error={error} text={text} />);
      }
      const history = await addNote(db, scope, id, text);
      if (!history) throw new HttpError(404, "Заявка не найдена.");
      if (!wantsFragment(request)) return seeOther(`${base}/applications/${id}`);
      return fragment(
        <>
          <NoteForm base={base} id={id} />
          <HistoryPartial history={history} zone={zone} />
        </>,
      );
    });
}
