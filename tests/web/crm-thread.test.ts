// The conversation in the CRM through real HTTP: the thread on the application page (order, who,
// local time, escaping, notes only staff see, a blocked bot), its poll (only newer entries, 204),
// the inbox's unread marker and "waiting for our answer" filter (never another school's), and the
// student's photos and documents fetched from the fake Bot API for staff of that school only.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { applicationEvents, applications, students } from "../../src/db/schema.ts";
import { scopeOf } from "../../src/domain/scope.ts";
import { postStudentMessage, sendReply } from "../../src/domain/thread.ts";
import type { StudentContent } from "../../src/model/thread-message.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const XSS = "<script>alert(1)</script>";
let tg: FakeTelegram;
let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let rival: Awaited<ReturnType<typeof fx.createSchool>>;
let staff: Awaited<ReturnType<typeof fx.createStaff>>;
let s: fx.Session;
let rivalSession: fx.Session;

const db = () => t.database.db;
const newApp = (opts: Parameters<typeof fx.createApplication>[2] = {}) => fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, opts);
const write = (app: { id: number; studentId: number }, content: StudentContent) =>
  db().transaction((tx) => postStudentMessage(tx, app.studentId, app.id, content, (id) => `reply:${id}`));
const lastEventId = async (appId: number) =>
  (await db().select({ id: applicationEvents.id }).from(applicationEvents).where(eq(applicationEvents.applicationId, appId))).reduce((m, e) => Math.max(m, e.id), 0);
const pageOf = async (appId: number) => (await s.request(`/crm/schools/applications/${appId}`)).text();
const inbox = async (query = "") => (await s.request(`/crm/schools/applications${query}`, { htmx: true })).text();
/** The <tr> of one application in an inbox fragment. */
const rowOf = (html: string, appId: number) => html.match(new RegExp(`<tr id="app-${appId}"[^>]*>[\\s\\S]*?</tr>`))?.[0] ?? "";
/** The URL a poller element (`thread-poll` or `inbox-poll`) asks next, as the browser would. */
const pollerUrl = (html: string, id: string) => html.match(new RegExp(`id="${id}"[^>]*hx-get="([^"]+)"`))?.[1] ?? "";
const poll = (url: string) => s.request(url, { htmx: true });
/** A student's message whose transaction took id `id` early and commits now, dated `at` (SQL): as postStudentMessage writes it. */
async function lateMessage(app: { id: number }, id: number, at: ReturnType<typeof sql>, text: string) {
  await db().transaction(async (tx) => {
    await tx.insert(applicationEvents).values({ id, applicationId: app.id, type: "message", payload: { text }, at });
    await tx
      .update(applications)
      .set({ lastStudentMessageAt: sql`(select at from application_events where id = ${id})`, awaitingReplySince: sql`coalesce(${applications.awaitingReplySince}, now())` })
      .where(eq(applications.id, app.id));
  });
}
const reserveEventId = async () => Number((await queryRows<{ id: string }>(db(), sql`select nextval('application_events_id_seq')::text as id`))[0]!.id);

beforeAll(async () => {
  tg = await startFakeTelegram();
  t = await createTestApp({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot } });
  school = await fx.createSchool(db(), { name: "Автошкола «Жол»" });
  rival = await fx.createSchool(db(), { cityId: school.cityId });
  staff = await fx.createStaff(db(), { schoolId: school.id });
  s = await fx.loginAs(t, staff.login, "school");
  rivalSession = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: rival.id })).login, "school");
});
afterAll(async () => {
  await t.dispose();
  await tg.stop();
});

describe("the thread on the application page", () => {
  test("everything in order, who wrote it, escaped; notes marked as only for staff", async () => {
    const app = await newApp({ studentName: "Дана Ким" });
    await write(app, { text: `${XSS} Можно в субботу?` });
    await s.request(`/crm/schools/applications/${app.id}/reply`, { form: { text: "Да, <b>ждём</b>" }, htmx: true });
    await db().insert(applicationEvents).values({ applicationId: app.id, type: "auto", payload: { event: "confirmed", text: "Заявка подтверждена автошколой", custom: false } });
    await sendReply(db(), scopeOf(staff)!, app.id, { text: "Ответ из чата" }, "telegram");
    await write(app, { unsupported: "sticker" });
    await s.request(`/crm/schools/applications/${app.id}/notes`, { form: { text: "Перезвонить" }, htmx: true });
    await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "contacted", view: "panel" }, htmx: true });

    const html = await pageOf(app.id);
    expect(html).toContain("<h2>Переписка</h2>");
    expect(html).not.toContain(XSS);
    const order = [
      "Заявка создана",
      "&lt;script&gt;alert(1)&lt;/script&gt; Можно в субботу?",
      "Да, &lt;b&gt;ждём&lt;/b&gt;",
      "Заявка подтверждена автошколой",
      "Ответ из чата",
      "Ученик отправил: стикер",
      "Перезвонить",
      "Статус: Новая → Связались.",
    ];
    const at = order.map((text) => html.indexOf(text));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Who: the student by name, staff by their name (and where they wrote), the automatic message, the note's author.
    const thread = html.slice(html.indexOf('<ol id="thread"'));
    expect(thread).toMatch(/<li id="ev-\d+" class="entry from-student" data-type="message" hx-ignore><div class="meta"><span class="who">Дана Ким<\/span>/);
    expect(thread).toContain(`<span class="who">${staff.displayName}</span>`);
    expect(thread).toContain(`<span class="who">${staff.displayName} · из Telegram</span>`);
    expect(thread).toContain('<span class="who">Автоматическое сообщение</span>');
    expect(thread).toContain(`<span class="who">Заметка · ${staff.displayName}</span>`);
    expect(thread).toContain("<p>Перезвонить</p><small class=\"private\">Видна только сотрудникам</small>");
    expect(thread).toMatch(/class="entry from-school" data-type="reply"/);
    expect(thread).not.toContain("Ученик заблокировал бота");
  });

  test("times are local (Asia/Almaty, UTC+5)", async () => {
    const app = await newApp();
    await db().update(applicationEvents).set({ at: new Date("2026-03-10T05:07:00Z") }).where(eq(applicationEvents.applicationId, app.id));
    expect(await pageOf(app.id)).toContain('<time datetime="2026-03-10T05:07:00.000Z">10.03.2026 10:07</time>');
  });

  test("a student who blocked the bot: the thread says the messages do not reach them", async () => {
    const app = await newApp();
    await db().update(students).set({ unreachableAt: new Date() }).where(eq(students.id, app.studentId));
    expect(await pageOf(app.id)).toContain("Ученик заблокировал бота: сообщения не доходят");
  });

  test("the reply form still works without JavaScript: a plain post redirects back to the thread", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/schools/applications/${app.id}/reply`, { form: { text: "Без скриптов" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/crm/schools/applications/${app.id}`);
    expect(await pageOf(app.id)).toContain("<p>Без скриптов</p>");
  });
});

describe("the thread's poll", () => {
  test("204 when nothing is new; only the newer entries, in order, with the next poller", async () => {
    const app = await newApp();
    await write(app, { text: "Первое сообщение" });
    const seen = await lastEventId(app.id);
    const page = await pageOf(app.id);
    const first = pollerUrl(page, "thread-poll");
    expect(first).toStartWith(`/crm/schools/applications/${app.id}/thread?after=${seen}&at=`);
    expect((await poll(first)).status).toBe(204);

    await write(app, { text: "Второе <i>сообщение</i>" });
    await write(app, { text: "Третье" });
    const res = await poll(first);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("Первое сообщение");
    expect(html).toContain("Второе &lt;i&gt;сообщение&lt;/i&gt;");
    expect(html.indexOf("Второе")).toBeLessThan(html.indexOf("Третье"));
    const newest = await lastEventId(app.id);
    // The poller comes last, so the next answer is appended after these entries; an error answer swaps nothing.
    expect(html).toMatch(new RegExp(`<li id="thread-poll" class="poll" hx-get="/crm/schools/applications/${app.id}/thread\\?after=${newest}&at=\\d+&seen=[\\d%C]+" hx-trigger="every 5s, threadChanged from:body" hx-swap="outerHTML" hx-sync="this:replace" hx-status:4xx="swap:none" hx-status:5xx="swap:none" aria-hidden="true"></li>$`));
    // The entries of the last seconds come back in the window, but the page has them: nothing new.
    expect((await poll(pollerUrl(html, "thread-poll"))).status).toBe(204);
  });

  test("a message committed late (lower id and time than an entry shown) comes in the next poll, once; a message not shown stays unread", async () => {
    const app = await newApp();
    await write(app, { text: "Первое" });
    const page = await pageOf(app.id);
    // The student's transaction takes its id (and time) now, but commits only after staff saw the note below.
    const lateId = await reserveEventId();
    await s.request(`/crm/schools/applications/${app.id}/notes`, { form: { text: "Ответ школы" }, htmx: true });
    const res = await poll(pollerUrl(page, "thread-poll"));
    const html = await res.text();
    expect(html).toContain("Ответ школы");
    await lateMessage(app, lateId, sql`(select at - interval '1 microsecond' from application_events where application_id = ${app.id} and type = 'note')`, "Опоздавшее");
    // Staff have not seen it: the inbox says so, even though a later entry was shown.
    expect(rowOf(await inbox(), app.id)).toContain('data-unread="true"');
    const late = await poll(pollerUrl(html, "thread-poll"));
    expect(late.status).toBe(200);
    const lateHtml = await late.text();
    expect(lateHtml).toContain("Опоздавшее");
    expect(lateHtml).not.toContain("Ответ школы");
    expect(lateHtml.match(/<li id="ev-/g)).toHaveLength(1);
    // Shown now, so read; and the next poll has nothing twice.
    expect(rowOf(await inbox(), app.id)).not.toContain("data-unread");
    expect((await poll(pollerUrl(lateHtml, "thread-poll"))).status).toBe(204);
  });

  test("opening the page reads up to the newest message it shows, not up to now", async () => {
    const app = await newApp();
    await write(app, { text: "Первое" });
    const lateId = await reserveEventId();
    await pageOf(app.id);
    // A message dated before the page was opened, committed after: the page did not show it.
    await lateMessage(app, lateId, sql`now() - interval '1 millisecond'`, "В пути");
    expect(rowOf(await inbox(), app.id)).toContain('data-unread="true"');
    expect(await pageOf(app.id)).toContain("В пути");
    expect(rowOf(await inbox(), app.id)).not.toContain("data-unread");
  });

  test("another school's thread is 404; a malformed position is a 400; nothing is marked read", async () => {
    const theirs = await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId });
    await write(theirs, { text: "Чужой вопрос" });
    const res = await s.request(`/crm/schools/applications/${theirs.id}/thread?after=0`, { htmx: true });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Чужой вопрос");
    expect((await s.request(`/crm/schools/applications/${theirs.id}`)).status).toBe(404);
    const [row] = await db().select().from(applications).where(eq(applications.id, theirs.id));
    expect(row!.staffReadAt).toBeNull();
    const mine = await newApp();
    for (const after of ["abc", "-1", "1.5", "1e400", ""]) expect((await s.request(`/crm/schools/applications/${mine.id}/thread?after=${after}`, { htmx: true })).status).toBe(400);
  });
});

describe("the inbox: unread and waiting", () => {
  test("a student's message marks the row unread until staff open the thread (or its poll shows it)", async () => {
    const app = await newApp();
    expect(rowOf(await inbox(), app.id)).not.toContain("data-unread");
    await write(app, { text: "Есть вопрос" });
    const row = rowOf(await inbox(), app.id);
    expect(row).toContain('data-unread="true"');
    expect(row).toContain("новое сообщение");
    await pageOf(app.id);
    expect(rowOf(await inbox(), app.id)).not.toContain("data-unread");

    const seen = await lastEventId(app.id);
    await write(app, { text: "И ещё один" });
    expect(rowOf(await inbox(), app.id)).toContain('data-unread="true"');
    expect((await s.request(`/crm/schools/applications/${app.id}/thread?after=${seen}`, { htmx: true })).status).toBe(200);
    expect(rowOf(await inbox(), app.id)).not.toContain("data-unread");
  });

  test("the inbox poll brings a new message's unread mark to a row the page has (by its id), and new rows on top", async () => {
    const app = await newApp({ studentName: "Пишет Сейчас" });
    const quiet = await newApp({ studentName: "Молчит Пока" });
    const page = await inbox();
    const first = pollerUrl(page, "inbox-poll");
    expect(first).toMatch(/^\/crm\/schools\/applications\/poll\?after=\d+&since=\d+$/);
    // (Rows whose student wrote in the last seconds may come again: the poll looks back POLL_OVERLAP_MICROS.)
    expect(await (await poll(first)).text()).not.toContain(`id="app-${app.id}"`);

    await write(app, { text: "Вы тут?" });
    const res = await poll(first);
    expect(res.status).toBe(200);
    const html = await res.text();
    const row = rowOf(html, app.id);
    expect(row).toContain('hx-swap-oob="true"');
    expect(row).toContain('data-unread="true"');
    expect(html).not.toContain(`id="app-${quiet.id}"`);
    // Another school's student writing changes nothing here.
    const theirs = await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId });
    await write(theirs, { text: "Чужое" });
    const next = pollerUrl(html, "inbox-poll");
    expect(next).not.toBe(first);
    // A new application arrives as a plain row (on top, after the poller); read rows come back without the mark.
    await pageOf(app.id);
    const fresh = await newApp({ studentName: "Новая Заявка" });
    const later = await (await poll(next)).text();
    expect(later).not.toContain(`id="app-${theirs.id}"`);
    expect(rowOf(later, fresh.id)).toContain("Новая Заявка");
    expect(rowOf(later, fresh.id)).not.toContain("hx-swap-oob");
    expect(rowOf(later, app.id)).not.toContain("data-unread");
    // The filter holds: searching another name, the writer is not sent.
    const filtered = pollerUrl(await inbox("?q=" + encodeURIComponent("Молчит")), "inbox-poll");
    await write(app, { text: "Ещё вопрос" });
    expect((await poll(filtered)).status).toBe(204);
  });

  test("a waiting application that becomes final leaves 'Ждут нашего ответа' and stops waiting", async () => {
    const app = await newApp({ studentName: "Отклонят Скоро" });
    await write(app, { text: "Жду ответа" });
    expect(await inbox("?waiting=1")).toContain(`id="app-${app.id}"`);
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "rejected", reason: "Мест нет" }, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("ждёт ответа");
    expect(await inbox("?waiting=1")).not.toContain(`id="app-${app.id}"`);
    const [row] = await db().select().from(applications).where(eq(applications.id, app.id));
    expect(row!.awaitingReplySince).toBeNull();
    // A row finalised before the column was cleared (a stale value) is not waiting either.
    const old = await newApp({ studentName: "Старая Отменённая" });
    await write(old, { text: "Вопрос" });
    await db().update(applications).set({ status: "cancelled" }).where(eq(applications.id, old.id));
    expect(await inbox("?waiting=1")).not.toContain(`id="app-${old.id}"`);
    expect(rowOf(await inbox(), old.id)).not.toContain("ждёт ответа");
  });

  test("'Ждут нашего ответа' lists only this school's waiting applications, longest wait first, with how long", async () => {
    const older = await newApp({ studentName: "Ждёт Давно" });
    const newer = await newApp({ studentName: "Ждёт Недавно" });
    const answered = await newApp({ studentName: "Уже Ответили" });
    const quiet = await newApp({ studentName: "Молчит" });
    const theirs = await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId }, { studentName: "Чужой Ждёт" });
    for (const app of [older, newer, answered, theirs]) await write(app, { text: "Ответьте, пожалуйста" });
    await db().update(applications).set({ awaitingReplySince: sql`now() - interval '3 hours'` }).where(eq(applications.id, older.id));
    await s.request(`/crm/schools/applications/${answered.id}/reply`, { form: { text: "Ответили" }, htmx: true });

    const html = await inbox("?waiting=1");
    expect(html).toContain(`app-${older.id}"`);
    expect(html).toContain(`app-${newer.id}"`);
    expect(html).not.toContain(`app-${answered.id}"`);
    expect(html).not.toContain(`app-${quiet.id}"`);
    expect(html).not.toContain(`app-${theirs.id}"`);
    expect(html.indexOf(`app-${older.id}"`)).toBeLessThan(html.indexOf(`app-${newer.id}"`));
    expect(rowOf(html, older.id)).toContain('<span class="waiting" title="Ученик ждёт нашего ответа">ждёт ответа 3 ч</span>');
    // The pager and the poller keep the filter; the full page shows the box ticked.
    expect(html).toContain("waiting=1");
    const full = await (await s.request("/crm/schools/applications?waiting=1")).text();
    expect(full).toContain('<input type="checkbox" name="waiting" value="1" checked');
    // The rival school sees its own waiting application, never ours.
    const rivals = await (await rivalSession.request("/crm/schools/applications?waiting=1", { htmx: true })).text();
    expect(rivals).toContain(`app-${theirs.id}"`);
    expect(rivals).not.toContain(`app-${older.id}"`);
    // Any other value is no filter.
    expect(await inbox("?waiting=yes")).toContain(`app-${quiet.id}"`);
  });
});

describe("a student's photos and documents", () => {
  const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
  const THUMB = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9]);
  const HTML = new TextEncoder().encode("<html><script>alert(1)</script></html>");
  let app: Awaited<ReturnType<typeof newApp>>;
  let photoId: number;
  let docId: number;

  beforeAll(async () => {
    tg.addFile("photo-1", JPEG, "photos/file_1.jpg");
    tg.addFile("photo-1-thumb", THUMB, "photos/file_1_320.jpg");
    tg.addFile("doc-1", HTML, "documents/file_2.html");
    app = await newApp();
    await write(app, { text: "Чек об оплате", media: { kind: "photo", fileId: "photo-1", thumbFileId: "photo-1-thumb" } });
    photoId = await lastEventId(app.id);
    await write(app, { text: "", media: { kind: "document", fileId: "doc-1", fileName: "справка <1>.html", mime: "text/html", size: 2500 } });
    docId = await lastEventId(app.id);
  });

  test("the thread shows the photo as a thumbnail and the document as a link with its name and size", async () => {
    const html = await pageOf(app.id);
    // The thumbnail is the photo's small size; the link around it opens the full photo.
    expect(html).toContain(
      `<a href="/crm/schools/applications/${app.id}/media/${photoId}" target="_blank" rel="noopener" title="Открыть фото целиком"><img class="thumb" src="/crm/schools/applications/${app.id}/media/${photoId}?size=thumb" alt="Фото от ученика" loading="lazy"/></a>`,
    );
    expect(html).toContain("<p>Чек об оплате</p>");
    expect(html).toContain(`<a href="/crm/schools/applications/${app.id}/media/${docId}" download="">📎 справка &lt;1&gt;.html (2 КБ)</a>`);
  });

  test("staff of the school get the file from Telegram: a photo inline as JPEG, a document only as a download", async () => {
    const photo = await s.request(`/crm/schools/applications/${app.id}/media/${photoId}`);
    expect(photo.status).toBe(200);
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(JPEG);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect(photo.headers.get("content-disposition")).toStartWith("inline");
    expect(photo.headers.get("x-content-type-options")).toBe("nosniff");
    expect(photo.headers.get("cache-control")).toStartWith("private");
    const calls = tg.calls.filter((c) => c.method === "getFile");
    expect(calls.at(-1)!.params.file_id).toBe("photo-1");

    const thumb = await s.request(`/crm/schools/applications/${app.id}/media/${photoId}?size=thumb`);
    expect(thumb.status).toBe(200);
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(THUMB);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    // A photo stored without a small size: its thumbnail is the full photo; a document ignores the size.
    const old = await newApp();
    await write(old, { text: "", media: { kind: "photo", fileId: "photo-1" } });
    expect(new Uint8Array(await (await s.request(`/crm/schools/applications/${old.id}/media/${await lastEventId(old.id)}?size=thumb`)).arrayBuffer())).toEqual(JPEG);
    expect(new Uint8Array(await (await s.request(`/crm/schools/applications/${app.id}/media/${docId}?size=thumb`)).arrayBuffer())).toEqual(HTML);

    const doc = await s.request(`/crm/schools/applications/${app.id}/media/${docId}`);
    expect(doc.status).toBe(200);
    expect(new Uint8Array(await doc.arrayBuffer())).toEqual(HTML);
    expect(doc.headers.get("content-type")).toBe("application/octet-stream");
    expect(doc.headers.get("content-disposition")).toBe(`attachment; filename="_________1_.html"; filename*=UTF-8''${encodeURIComponent("справка <1>.html")}`);
    expect(doc.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("404 for another school's staff, for an event of another application, and for an event without media", async () => {
    const getFiles = tg.calls.filter((c) => c.method === "getFile").length;
    expect((await rivalSession.request(`/crm/schools/applications/${app.id}/media/${photoId}`)).status).toBe(404);
    const other = await newApp();
    expect((await s.request(`/crm/schools/applications/${other.id}/media/${photoId}`)).status).toBe(404);
    await write(other, { text: "Просто текст" });
    expect((await s.request(`/crm/schools/applications/${other.id}/media/${await lastEventId(other.id)}`)).status).toBe(404);
    for (const bad of ["abc", "0", "99999999999999999999"]) expect((await s.request(`/crm/schools/applications/${app.id}/media/${bad}`)).status).toBe(404);
    // Nothing was asked of Telegram for any of them.
    expect(tg.calls.filter((c) => c.method === "getFile").length).toBe(getFiles);
  });

  test("Telegram failing or unreachable is a clear 502 page that does not show the token", async () => {
    tg.failNext("getFile", { code: 500 });
    const failed = await s.request(`/crm/schools/applications/${app.id}/media/${photoId}`);
    expect(failed.status).toBe(502);
    const body = await failed.text();
    expect(body).toContain("Telegram сейчас не отдаёт файл");
    expect(body).not.toContain(tg.token);

    const down = await startFakeTelegram();
    await down.stop();
    const offline = await createTestApp({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: down.apiRoot } });
    try {
      const { session, path } = await photoInAnotherApp(offline);
      const res = await session.request(path);
      expect(res.status).toBe(502);
      expect(await res.text()).not.toContain(tg.token);
    } finally {
      await offline.dispose();
    }
  });

  test("without a bot token the files are unavailable with a message", async () => {
    const noBot = await createTestApp();
    try {
      const { session, path } = await photoInAnotherApp(noBot);
      const res = await session.request(path);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain("Бот не подключён");
    } finally {
      await noBot.dispose();
    }
  });
});

/** In another app (another configuration): a school's staff session and the media path of a student's photo. */
async function photoInAnotherApp(other: TestApp) {
  const d = other.database.db;
  const sch = await fx.createSchool(d);
  const account = await fx.createStaff(d, { schoolId: sch.id });
  const a = await fx.createApplication(d, { schoolId: sch.id, cityId: sch.cityId });
  await d.transaction((tx) => postStudentMessage(tx, a.studentId, a.id, { text: "", media: { kind: "photo", fileId: "photo-1" } }, () => "x"));
  const [ev] = await d.select({ id: applicationEvents.id }).from(applicationEvents).where(eq(applicationEvents.type, "message"));
  return { session: await fx.loginAs(other, account.login, "school"), path: `/crm/schools/applications/${a.id}/media/${ev!.id}` };
}

describe("an independent instructor", () => {
  test("has the same thread, unread marker, waiting filter and media, and only for their own applications", async () => {
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId });
    const is = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: instructor.id })).login, "instructor");
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { studentName: "Ерлан" });
    tg.addFile("photo-i", new Uint8Array([0xff, 0xd8, 9]), "photos/file_i.jpg");
    await write(app, { text: "Можно завтра в 10?", media: { kind: "photo", fileId: "photo-i" } });
    const eventId = await lastEventId(app.id);

    const waiting = await (await is.request("/crm/instructors/applications?waiting=1", { htmx: true })).text();
    expect(rowOf(waiting, app.id)).toContain('data-unread="true"');
    const page = await (await is.request(`/crm/instructors/applications/${app.id}`)).text();
    expect(page).toContain("<p>Можно завтра в 10?</p>");
    expect(page).toContain(`href="/crm/instructors/applications/${app.id}/media/${eventId}"`);
    expect((await is.request(`/crm/instructors/applications/${app.id}/media/${eventId}`)).status).toBe(200);
    // The school's staff reach none of it, through either area.
    expect((await s.request(`/crm/schools/applications/${app.id}/media/${eventId}`)).status).toBe(404);
    expect((await s.request(`/crm/schools/applications/${app.id}/thread?after=0`)).status).toBe(404);
    expect(await inbox("?waiting=1")).not.toContain(`app-${app.id}"`);
  });
});
