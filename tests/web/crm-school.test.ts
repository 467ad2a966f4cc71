// The school CRM through app.handle: every page as a full page and as an htmx fragment, status
// changes (history, outbox, audit, stale refusal), tenant isolation, escaping, replies and
// templates, profile and offers with validation.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { applicationEvents, applications, auditLog, outbox, replyTemplates, schoolOffers, schools } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const XSS = "<script>alert(1)</script>";
let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let rival: Awaited<ReturnType<typeof fx.createSchool>>;
let s: fx.Session;
let rivalApp: Awaited<ReturnType<typeof fx.createApplication>>;

const db = () => t.database.db;
const newApp = (opts: Parameters<typeof fx.createApplication>[2] = {}) => fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, opts);
const statusOf = async (id: number) => (await db().select().from(applications).where(eq(applications.id, id)))[0]!.status;
const outboxFor = (chatId: number) => db().select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(outbox.id);

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db(), { name: "Автошкола «Жол»" });
  rival = await fx.createSchool(db(), { cityId: school.cityId });
  const staff = await fx.createStaff(db(), { schoolId: school.id });
  rivalApp = await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId });
  s = await fx.loginAs(t, staff.login, "school");
});
afterAll(() => t.dispose());

describe("inbox", () => {
  test("a normal request gets the whole page, an htmx request the table fragment", async () => {
    await newApp({ studentName: "Асель Нурланова" });
    const full = await (await s.request("/crm/schools/applications")).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain('<div id="inbox">');
    expect(full).toContain("Асель Нурланова");
    const frag = await s.request("/crm/schools/applications", { htmx: true });
    expect(frag.headers.get("vary")).toContain("HX-Request");
    const html = await frag.text();
    expect(html).toStartWith('<div id="inbox">');
    expect(html).not.toContain("<html");
  });

  test("only the school's own applications are listed", async () => {
    const mine = await newApp({ studentName: "Своя Заявка" });
    const html = await (await s.request("/crm/schools/applications")).text();
    expect(html).toContain(`/applications/${mine.id}"`);
    expect(html).not.toContain(`/applications/${rivalApp.id}"`);
    // The rival's staff, right after (the unfiltered page is one prepared statement for all schools).
    const rivalStaff = await fx.createStaff(db(), { schoolId: rival.id });
    const theirs = await (await (await fx.loginAs(t, rivalStaff.login, "school")).request("/crm/schools/applications")).text();
    expect(theirs).toContain(`/applications/${rivalApp.id}"`);
    expect(theirs).not.toContain(`/applications/${mine.id}"`);
  });

  test("filters by status, searches by name or phone, by date range, and pages", async () => {
    const contacted = await newApp({ studentName: "Фильтр Статусович", status: "contacted" });
    const byPhone = await newApp({ studentName: "Телефон Номеров", phone: "+77479998877" });
    const old = await newApp({ studentName: "Старая Заявка", createdAt: new Date("2024-03-10T10:00:00Z") });
    const list = async (q: string) => (await s.request(`/crm/schools/applications?${q}`, { htmx: true })).text();
    const st = await list("status=contacted");
    expect(st).toContain("Фильтр Статусович");
    expect(st).not.toContain("Телефон Номеров");
    expect(await list("q=фильтр")).toContain(`app-${contacted.id}`);
    const phone = await list(`q=${encodeURIComponent("8 747 999 88 77")}`);
    expect(phone).toContain(`app-${byPhone.id}`);
    expect(phone).not.toContain(`app-${contacted.id}`);
    const range = await list("from=2024-03-10&to=2024-03-10");
    expect(range).toContain(`app-${old.id}`);
    expect(range).not.toContain(`app-${byPhone.id}`);
    expect(await list("q=%25")).toContain("Заявок не найдено.");
    for (let i = 0; i < 26; i++) await newApp({ studentName: `Пачка ${i}` });
    const first = await list("");
    expect(first).toContain("page=2");
    expect(first.match(/<tr id="app-/g)!.length).toBe(25);
    const second = await list("page=2");
    expect(second).toContain("Страница 2");
    expect(second).not.toContain('id="inbox-poll"');
  });

  test("new applications arrive by polling: 204 when nothing is new, the new rows otherwise", async () => {
    const html = await (await s.request("/crm/schools/applications", { htmx: true })).text();
    const after = Number(html.match(/poll\?after=(\d+)/)![1]);
    expect((await s.request(`/crm/schools/applications/poll?after=${after}`, { htmx: true })).status).toBe(204);
    const fresh = await newApp({ studentName: "Новенький Студент" });
    await fx.createApplication(db(), { schoolId: rival.id, cityId: rival.cityId }, { studentName: "Чужой Студент" });
    const res = await s.request(`/crm/schools/applications/poll?after=${after}`, { htmx: true });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(`poll?after=${fresh.id}`);
    expect(body).toContain("Новенький Студент");
    expect(body).not.toContain("Чужой Студент");
  });

  test("a student's name is text everywhere: inbox, poll, application page", async () => {
    const before = await (await s.request("/crm/schools/applications", { htmx: true })).text();
    const after = Number(before.match(/poll\?after=(\d+)/)![1]);
    const app = await newApp({ studentName: XSS });
    for (const path of ["/crm/schools/applications", `/crm/schools/applications/poll?after=${after}`, `/crm/schools/applications/${app.id}`]) {
      const html = await (await s.request(path)).text();
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain(XSS);
      // And out of htmx's reach: the name sits in an hx-ignore element (views/components/user-text.tsx).
      expect(html).toContain("<span hx-ignore>&lt;script&gt;alert(1)&lt;/script&gt;</span>");
    }
  });
});

describe("status changes", () => {
  test("a click posts and gets the updated row; history, audit and the student's message are written", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "contacted", view: "row" }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith(`<tr id="app-${app.id}" data-status="contacted">`);
    expect(html).toContain('data-to="confirmed"');
    const [row] = await db().select().from(applications).where(eq(applications.id, app.id));
    expect(row!.status).toBe("contacted");
    expect(row!.firstResponseAt).not.toBeNull();
    const events = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "status")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStatus: "new", toStatus: "contacted" });
    expect(events[0]!.accountId).not.toBeNull();
    const audit = await db().select().from(auditLog).where(eq(auditLog.subject, `application:${app.id}`));
    expect(audit[0]).toMatchObject({ action: "application.status", before: { status: "new" }, after: { status: "contacted" } });
    const msgs = await outboxFor((await studentChat(app.studentId))!);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.payload.params.text).toBe(`Заявка № ${app.publicNumber} (Автошкола «Жол»): статус — «с вами связались».`);
  });

  test("the whole path new → contacted → confirmed → paid → studying → completed sets the timestamps", async () => {
    const app = await newApp();
    const path = ["new", "contacted", "confirmed", "paid", "studying", "completed"];
    for (let i = 1; i < path.length; i++)
      expect((await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: path[i - 1]!, to: path[i]! }, htmx: true })).status).toBe(200);
    const [row] = await db().select().from(applications).where(eq(applications.id, app.id));
    expect(row!.status).toBe("completed");
    expect(row!.confirmedAt).not.toBeNull();
    expect(row!.paidAt).not.toBeNull();
    // Completed is final: no buttons.
    const html = await (await s.request(`/crm/schools/applications/${app.id}/row`, { htmx: true })).text();
    expect(html).not.toContain("hx-post");
  });

  test("a stale change is refused with a message and the fresh row, and nothing is written", async () => {
    const app = await newApp();
    await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "confirmed" }, htmx: true });
    const chat = (await studentChat(app.studentId))!;
    const before = (await outboxFor(chat)).length;
    // Someone else confirmed it; this page still shows "new".
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "contacted" }, htmx: true });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('data-status="confirmed"');
    expect(html).toContain("Статус уже изменён: сейчас «Подтверждена»");
    expect(await statusOf(app.id)).toBe("confirmed");
    expect((await outboxFor(chat)).length).toBe(before);
  });

  test("a move the table does not allow is refused", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "completed" }, htmx: true });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Такой переход статуса недоступен.");
    expect(await statusOf(app.id)).toBe("new");
  });

  test("rejecting asks for an optional reason the student receives", async () => {
    const app = await newApp();
    const formRes = await s.request(`/crm/schools/applications/${app.id}/reject?view=row`, { htmx: true });
    expect(await formRes.text()).toContain('name="reason"');
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "rejected", reason: "Группа <набрана>" }, htmx: true });
    expect(res.status).toBe(200);
    const [msg] = await outboxFor((await studentChat(app.studentId))!);
    expect(msg!.payload.params.text).toContain("Причина: Группа &lt;набрана&gt;");
  });

  test("the application page's status panel answers with the panel and tells the thread to fetch the change", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "contacted", view: "panel" }, htmx: true });
    const html = await res.text();
    expect(html).toStartWith('<div id="status-panel"');
    expect(res.headers.get("hx-trigger")).toBe("threadChanged");
    const poll = await (await s.request(`/crm/schools/applications/${app.id}/thread?after=0`, { htmx: true })).text();
    expect(poll).toContain("Статус: Новая → Связались.");
  });

  test("a plain form post (no htmx) redirects back to the application", async () => {
    const app = await newApp();
    const res = await s.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "contacted" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/crm/schools/applications/${app.id}`);
  });
});

describe("tenant isolation", () => {
  test("another school's application is 404 everywhere and nothing changes", async () => {
    const id = rivalApp.id;
    for (const path of [`/crm/schools/applications/${id}`, `/crm/schools/applications/${id}/row`, `/crm/schools/applications/${id}/reject`])
      expect((await s.request(path)).status).toBe(404);
    expect((await s.request(`/crm/schools/applications/${id}/status`, { form: { from: "new", to: "contacted" }, htmx: true })).status).toBe(404);
    expect((await s.request(`/crm/schools/applications/${id}/reply`, { form: { text: "Привет" }, htmx: true })).status).toBe(404);
    expect((await s.request(`/crm/schools/applications/${id}/notes`, { form: { text: "Заметка" }, htmx: true })).status).toBe(404);
    expect(await statusOf(id)).toBe("new");
    const events = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, id));
    expect(events.map((e) => e.type)).toEqual(["created"]);
  });

  test("another school's templates and offers are 404", async () => {
    const [tpl] = await db().insert(replyTemplates).values({ ownerKind: "school", ownerId: rival.id, title: "Чужой", body: "Текст" }).returning();
    const [offer] = await db().insert(schoolOffers).values({ schoolId: rival.id, category: "B", format: "in_person", priceKzt: 100, durationWeeks: 2 }).returning();
    expect((await s.request(`/crm/schools/templates/${tpl!.id}`, { form: { title: "Мой", body: "Мой" }, htmx: true })).status).toBe(404);
    expect((await s.request(`/crm/schools/templates/${tpl!.id}/delete`, { method: "POST", htmx: true })).status).toBe(404);
    expect((await s.request(`/crm/schools/offers/${offer!.id}/delete`, { method: "POST", htmx: true })).status).toBe(404);
    expect((await db().select().from(replyTemplates).where(eq(replyTemplates.id, tpl!.id)))[0]!.title).toBe("Чужой");
    expect((await db().select().from(schoolOffers).where(eq(schoolOffers.id, offer!.id)))[0]!.active).toBe(true);
  });

  test("an instructor session cannot open the school CRM", async () => {
    const instructor = await fx.createInstructor(db());
    const staff = await fx.createStaff(db(), { instructorId: instructor.id });
    const is = await fx.loginAs(t, staff.login, "instructor");
    const res = await is.request(`/crm/schools/applications`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/schools/login/");
  });
});

describe("application page", () => {
  test("details, WhatsApp link, history; full page and fragment", async () => {
    const app = await newApp({ studentName: "Дана Ким", phone: "+77015551122" });
    const full = await (await s.request(`/crm/schools/applications/${app.id}`)).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain("Дана Ким");
    expect(full).toContain('href="https://wa.me/77015551122"');
    expect(full).toContain("Заявка создана");
    expect(full).toContain("Индекс дисциплины");
    const frag = await (await s.request(`/crm/schools/applications/${app.id}`, { htmx: true })).text();
    expect(frag).toStartWith('<div class="application">');
  });

  test("notes are kept in the history; an empty note is refused next to the field", async () => {
    const app = await newApp();
    const bad = await s.request(`/crm/schools/applications/${app.id}/notes`, { form: { text: "  " }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Напишите текст заметки.");
    const ok = await s.request(`/crm/schools/applications/${app.id}/notes`, { form: { text: "Перезвонить <вечером>" }, htmx: true });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("hx-trigger")).toBe("threadChanged");
    const page = await (await s.request(`/crm/schools/applications/${app.id}`)).text();
    expect(page).toContain("<p>Перезвонить &lt;вечером&gt;</p><small class=\"private\">Видна только сотрудникам</small>");
  });
});

describe("replies and templates", () => {
  test("templates: create, validate (input kept), edit, delete", async () => {
    const bad = await s.request("/crm/schools/templates", { form: { title: "", body: "Привет {кто}" }, htmx: true });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Укажите название шаблона.");
    expect(badHtml).toContain("Неизвестные подстановки: {кто}.");
    expect(badHtml).toContain("Привет {кто}</textarea>");
    const ok = await s.request("/crm/schools/templates", { form: { title: "Оплата", body: "{имя}, заявка № {номер}. Оплатить: {kaspi}. Тел.: {телефон}" }, htmx: true });
    expect(ok.status).toBe(200);
    const [tpl] = await db().select().from(replyTemplates).where(and(eq(replyTemplates.ownerKind, "school"), eq(replyTemplates.ownerId, school.id)));
    expect(tpl!.title).toBe("Оплата");
    const edited = await s.request(`/crm/schools/templates/${tpl!.id}`, { form: { title: "Оплата курса", body: tpl!.body }, htmx: true });
    expect(await edited.text()).toContain('value="Оплата курса"');
    const page = await (await s.request("/crm/schools/templates")).text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain("Оплата курса");
    const tmp = await s.request("/crm/schools/templates", { form: { title: "Удалить", body: "Текст" }, htmx: true });
    expect(tmp.status).toBe(200);
    const [gone] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Удалить"));
    expect((await s.request(`/crm/schools/templates/${gone!.id}/delete`, { method: "POST", htmx: true })).status).toBe(200);
    expect(await db().select().from(replyTemplates).where(eq(replyTemplates.id, gone!.id))).toHaveLength(0);
  });

  test("a template reply is filled, escaped, delivered through the outbox and recorded", async () => {
    const app = await newApp({ studentName: "Ерлан" });
    const [tpl] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Оплата курса"));
    const res = await s.request(`/crm/schools/applications/${app.id}/reply`, { form: { templateId: String(tpl!.id), text: "" }, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Сообщение отправлено в бот.");
    const [msg] = await outboxFor((await studentChat(app.studentId))!);
    const text = msg!.payload.params.text as string;
    expect(text).toStartWith(`Автошкола «Жол» — сообщение по заявке № ${app.publicNumber}:`);
    expect(text).toContain(`Ерлан, заявка № ${app.publicNumber}. Оплатить: https://pay.kaspi.kz/pay/x. Тел.: +7 701 000 00 01`);
    const [ev] = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "reply")));
    expect(ev!.payload.templateId).toBe(tpl!.id);
  });

  test("a free-text reply is escaped for Telegram; an empty one is refused", async () => {
    const app = await newApp();
    const empty = await s.request(`/crm/schools/applications/${app.id}/reply`, { form: { text: " " }, htmx: true });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Напишите сообщение или выберите шаблон.");
    await s.request(`/crm/schools/applications/${app.id}/reply`, { form: { text: "Ждём вас <b>завтра</b> & точка" }, htmx: true });
    const [msg] = await outboxFor((await studentChat(app.studentId))!);
    expect(msg!.payload.params.text).toContain("Ждём вас &lt;b&gt;завтра&lt;/b&gt; &amp; точка");
    expect(msg!.payload.params.parse_mode).toBe("HTML");
  });
});

describe("profile and offers", () => {
  test("the profile saves valid data and shows errors next to fields, keeping the input", async () => {
    const page = await (await s.request("/crm/schools/profile")).text();
    expect(page).toContain('id="profile"');
    expect(page).toContain('id="offers"');
    const bad = await s.request("/crm/schools/profile", {
      form: { name: "", phone: "123", kaspiUrl: "https://evil.example/pay", halykUrl: "http://homebank.kz/x", description: "Описание" },
      htmx: true,
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Название: обязательно.");
    expect(html).toContain("Номер в формате +7 701 123 45 67.");
    expect(html).toContain("Ссылка https:// на kaspi.kz.");
    expect(html).toContain("Ссылка https:// на halykbank.kz или homebank.kz.");
    expect(html).toContain('value="https://evil.example/pay"');
    const ok = await s.request("/crm/schools/profile", {
      form: { name: "Автошкола «Жол»", phone: "8 701 222 33 44", whatsapp: "", address: "ул. Абая, 1", description: "", kaspiUrl: "https://pay.kaspi.kz/pay/zhol", halykUrl: "" },
      htmx: true,
    });
    expect(ok.status).toBe(200);
    const [row] = await db().select().from(schools).where(eq(schools.id, school.id));
    expect(row!.phone).toBe("+77012223344");
    expect(row!.kaspiUrl).toBe("https://pay.kaspi.kz/pay/zhol");
  });

  test("offers: add with validation, edit, withdraw", async () => {
    const bad = await s.request("/crm/schools/offers", { form: { category: "Z", format: "in_person", kind: "full_course", priceKzt: "дорого", durationWeeks: "0" }, htmx: true });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Выберите категорию.");
    expect(badHtml).toContain("Срок — от 1 до 104 недель.");
    expect(badHtml).toContain('value="дорого"');
    const ok = await s.request("/crm/schools/offers", { form: { category: "B", format: "evening", kind: "full_course", priceKzt: "180 000", durationWeeks: "10" }, htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("180\u202f000 ₸");
    const [offer] = await db().select().from(schoolOffers).where(eq(schoolOffers.schoolId, school.id));
    expect(offer!.priceKzt).toBe(180_000);
    await s.request(`/crm/schools/offers/${offer!.id}`, { form: { category: "B", format: "evening", kind: "full_course", priceKzt: "175000", durationWeeks: "10" }, htmx: true });
    expect((await db().select().from(schoolOffers).where(eq(schoolOffers.id, offer!.id)))[0]!.priceKzt).toBe(175_000);
    await s.request(`/crm/schools/offers/${offer!.id}/delete`, { method: "POST", htmx: true });
    expect((await db().select().from(schoolOffers).where(eq(schoolOffers.id, offer!.id)))[0]!.active).toBe(false);
  });

  test("offers: hours of driving (required for practice, 1..200) and what the price includes (≤ 300), refused with a message, nothing saved", async () => {
    const count = async () => (await db().select().from(schoolOffers).where(eq(schoolOffers.schoolId, school.id))).length;
    const before = await count();
    const practice = { category: "B", format: "in_person", kind: "practice", priceKzt: "8000", durationWeeks: "1" };
    const cases: [Record<string, string>, string][] = [
      [{ ...practice, hours: "" }, "Для практики укажите, сколько часов вождения."],
      [{ ...practice, hours: "0" }, "Часы вождения — целое число от 1 до 200."],
      [{ ...practice, hours: "201" }, "Часы вождения — целое число от 1 до 200."],
      [{ ...practice, hours: "десять" }, "Часы вождения — целое число от 1 до 200."],
      [{ ...practice, hours: "2147483648" }, "Часы вождения — целое число от 1 до 200."],
      [{ ...practice, hours: "10", includes: "x".repeat(301) }, "Не длиннее 300 символов."],
    ];
    for (const [form, message] of cases) {
      const res = await s.request("/crm/schools/offers", { form, htmx: true });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toContain(`value="${form.hours}"`);
    }
    expect(await count()).toBe(before);

    const ok = await s.request("/crm/schools/offers", { form: { ...practice, hours: "10", includes: 'автомобиль школы, топливо "><b>АИ-92' }, htmx: true });
    expect(ok.status).toBe(200);
    // The row reads as the bot's button does, and the typed text comes back escaped.
    const html = await ok.text();
    expect(html).toContain("Практика B, 10 ч — 8\u202f000 ₸");
    expect(html).toContain('value="автомобиль школы, топливо &#34;><b>АИ-92"');
    const [saved] = await db().select().from(schoolOffers).where(eq(schoolOffers.kind, "practice"));
    expect(saved).toMatchObject({ schoolId: school.id, hours: 10, includes: 'автомобиль школы, топливо "><b>АИ-92' });
    // A course may leave the hours empty.
    const course = await s.request(`/crm/schools/offers/${saved!.id}`, { form: { ...practice, kind: "full_course", durationWeeks: "10", hours: "", includes: "" }, htmx: true });
    expect(course.status).toBe(200);
    expect((await db().select().from(schoolOffers).where(eq(schoolOffers.id, saved!.id)))[0]).toMatchObject({ kind: "full_course", hours: null, includes: "" });
  });
});

async function studentChat(studentId: number): Promise<number | undefined> {
  const rows = await t.database.db.execute(sql`select chat_id from students where id = ${studentId}`);
  const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { chat_id: number }[] }).rows) as { chat_id: number | string }[];
  return list[0] ? Number(list[0].chat_id) : undefined;
}
