// Automatic messages and bilingual templates through the real CRM (app.handle) and the database:
// the school's text per event reaches each student in their language (or the only one written),
// the built-in message without a text, placeholders filled and escaped, the reject reason always
// visible, every message recorded in the thread; bad input refused and nothing saved; one school
// never sees or changes another's texts; the preview shows both languages without saving.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, asc, eq, like } from "drizzle-orm";
import { applicationEvents, applications, auditLog, autoReplies, outbox, replyTemplates, schoolOffers, schools } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { autoEventsOf } from "../../src/model/auto-reply.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let offerId: number;
let s: fx.Session;

const db = () => t.database.db;

/** An application to `schoolId` (the offer of the main school) by a new student of `language`. */
async function appOf(language: "ru" | "kk", opts: { firstName?: string; schoolId?: number; status?: "new" | "contacted" } = {}) {
  const target = opts.schoolId ?? school.id;
  const student = await fx.createStudent(db(), { language, firstName: opts.firstName ?? (language === "kk" ? "Дәулет" : "Асель") });
  const app = await fx.createApplication(db(), { schoolId: target, cityId: school.cityId }, { studentId: student.id, status: opts.status });
  if (target === school.id) await db().update(applications).set({ offerId }).where(eq(applications.id, app.id));
  return { ...app, chatId: student.chatId };
}

/** The texts queued for a chat, in order (Telegram HTML, as the bot will send them). */
const sentTo = async (chatId: number) =>
  (await db().select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(asc(outbox.id))).map((r) => r.payload.params.text as string);

const autoEvents = (applicationId: number) =>
  db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.type, "auto")));

const move = (session: fx.Session, area: string, id: number, from: string, to: string, reason?: string) =>
  session.request(`/crm/${area}/applications/${id}/status`, { form: { from, to, ...(reason === undefined ? {} : { reason }) }, htmx: true });

const saveAuto = (session: fx.Session, event: string, texts: { ru?: string; kk?: string }, area = "schools") =>
  session.request(`/crm/${area}/auto-replies/${event}`, { form: { ru: texts.ru ?? "", kk: texts.kk ?? "" }, htmx: true });

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db(), { name: "Автошкола «Жол»" });
  const [offer] = await db().insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "in_person", priceKzt: 180000, durationWeeks: 10 }).returning();
  offerId = offer!.id;
  s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
});
afterAll(() => t.dispose());

describe("the automatic message on a status change", () => {
  test("'confirmed': the school's Kazakh text to a Kazakh-speaking student, its Russian text to a Russian-speaking one", async () => {
    const saved = await saveAuto(s, "confirmed", {
      ru: "{имя}, ваша заявка № {номер} подтверждена! Курс: {курс}, {цена}. Оплата: {kaspi}",
      kk: "{имя}, № {номер} өтініміңіз расталды! Курс: {курс}, {цена}. Төлем: {kaspi}",
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Сохранено.");
    const kk = await appOf("kk");
    const ru = await appOf("ru");
    expect((await move(s, "schools", kk.id, "new", "confirmed")).status).toBe(200);
    expect((await move(s, "schools", ru.id, "new", "confirmed")).status).toBe(200);
    expect(await sentTo(kk.chatId)).toEqual([`Дәулет, № ${kk.publicNumber} өтініміңіз расталды! Курс: B, Күндізгі, 180\u202f000 ₸. Төлем: https://pay.kaspi.kz/pay/x`]);
    expect(await sentTo(ru.chatId)).toEqual([`Асель, ваша заявка № ${ru.publicNumber} подтверждена! Курс: B, Очно, 180\u202f000 ₸. Оплата: https://pay.kaspi.kz/pay/x`]);
    // Recorded in the thread, in the same transaction as the status.
    const [ev] = await autoEvents(kk.id);
    expect(ev!.payload).toEqual({ event: "confirmed", text: (await sentTo(kk.chatId))[0], custom: true });
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.subject, `auto_reply:school:${school.id}:confirmed`));
    expect(audit!.after).toEqual({ ru: expect.stringContaining("подтверждена"), kk: expect.stringContaining("расталды") });
  });

  test("a text written in one language only reaches students of both languages", async () => {
    await saveAuto(s, "contacted", { ru: "{имя}, мы получили вашу заявку и скоро позвоним с номера {телефон}." });
    const kk = await appOf("kk");
    await move(s, "schools", kk.id, "new", "contacted");
    expect(await sentTo(kk.chatId)).toEqual(["Дәулет, мы получили вашу заявку и скоро позвоним с номера +7 701 000 00 01."]);
  });

  test("a Russian-only text reaches a Kazakh student wholly in Russian: the course's name and the reason line too", async () => {
    await saveAuto(s, "rejected", { ru: "{имя}, курс «{курс}» сейчас набран." });
    const kk = await appOf("kk");
    expect((await move(s, "schools", kk.id, "new", "rejected", "Группа набрана")).status).toBe(200);
    const text = "Дәулет, курс «B, Очно» сейчас набран.\n\nПричина: Группа набрана";
    expect(await sentTo(kk.chatId)).toEqual([text]);
    expect((await autoEvents(kk.id))[0]!.payload).toEqual({ event: "rejected", text, custom: true });
  });

  test("a text that fills to nothing (only {halyk}, and no Halyk link) sends the built-in message, never an empty one", async () => {
    const bare = await fx.createSchool(db(), { cityId: school.cityId, name: "Школа Без Halyk" });
    const session = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: bare.id })).login, "school");
    expect((await saveAuto(session, "contacted", { ru: " {halyk} " })).status).toBe(200);
    expect((await saveAuto(session, "new", { kk: "{halyk}" })).status).toBe(200);
    // The preview says so, in both languages.
    const page = await (await session.request("/crm/schools/auto-replies")).text();
    expect(page.match(/После подстановок текст пуст/g)?.length).toBe(4);
    const kk = await appOf("kk", { schoolId: bare.id });
    await move(session, "schools", kk.id, "new", "contacted");
    const builtIn = `№ ${kk.publicNumber} өтінім (Школа Без Halyk): мәртебесі — «сізбен хабарласты».`;
    expect(await sentTo(kk.chatId)).toEqual([builtIn]);
    expect((await autoEvents(kk.id)).map((e) => e.payload)).toEqual([{ event: "contacted", text: builtIn, custom: false }]);
  });

  test("without the school's text the built-in message is sent, in the student's language, and recorded", async () => {
    const ru = await appOf("ru", { status: "contacted" });
    const kk = await appOf("kk", { status: "contacted" });
    await db().update(applications).set({ status: "confirmed" }).where(eq(applications.id, ru.id));
    await db().update(applications).set({ status: "confirmed" }).where(eq(applications.id, kk.id));
    await move(s, "schools", ru.id, "confirmed", "paid");
    await move(s, "schools", kk.id, "confirmed", "paid");
    expect(await sentTo(ru.chatId)).toEqual([`Заявка № ${ru.publicNumber} (Автошкола «Жол»): статус — «оплачена».`]);
    expect(await sentTo(kk.chatId)).toEqual([`№ ${kk.publicNumber} өтінім (Автошкола «Жол»): мәртебесі — «төленді».`]);
    const [ev] = await autoEvents(ru.id);
    expect(ev!.payload).toEqual({ event: "paid", text: `Заявка № ${ru.publicNumber} (Автошкола «Жол»): статус — «оплачена».`, custom: false });
  });

  test("the built-in message and its preview name the school in the student's language: its Kazakh name to a Kazakh student, the Russian one to a Russian student", async () => {
    const named = await fx.createSchool(db(), { cityId: school.cityId, name: "Автошкола «Дала»" });
    await db().update(schools).set({ nameKk: "«Дала» автомектебі" }).where(eq(schools.id, named.id));
    const session = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: named.id })).login, "school");
    const ru = await appOf("ru", { schoolId: named.id });
    const kk = await appOf("kk", { schoolId: named.id });
    await move(session, "schools", ru.id, "new", "contacted");
    await move(session, "schools", kk.id, "new", "contacted");
    expect(await sentTo(ru.chatId)).toEqual([`Заявка № ${ru.publicNumber} (Автошкола «Дала»): статус — «с вами связались».`]);
    expect(await sentTo(kk.chatId)).toEqual([`№ ${kk.publicNumber} өтінім («Дала» автомектебі): мәртебесі — «сізбен хабарласты».`]);
    const preview = await (await session.request("/crm/schools/auto-replies/contacted/preview", { form: { ru: "", kk: "" }, htmx: true })).text();
    const [ruPart, kkPart] = [preview.slice(0, preview.indexOf('data-lang="kk"')), preview.slice(preview.indexOf('data-lang="kk"'))];
    expect(ruPart).toContain("(Автошкола «Дала»): статус");
    expect(kkPart).toContain("(«Дала» автомектебі): мәртебесі");
    expect(kkPart).not.toContain("Автошкола «Дала»");
  });

  test("emptying both texts goes back to the built-in message", async () => {
    const other = await fx.createSchool(db(), { cityId: school.cityId, name: "Школа Временная" });
    const session = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: other.id })).login, "school");
    await saveAuto(session, "contacted", { ru: "Свой текст" });
    await saveAuto(session, "contacted", { ru: " ", kk: "" });
    expect(await db().select().from(autoReplies).where(and(eq(autoReplies.ownerKind, "school"), eq(autoReplies.ownerId, other.id)))).toEqual([]);
    const app = await appOf("ru", { schoolId: other.id });
    await move(session, "schools", app.id, "new", "contacted");
    expect(await sentTo(app.chatId)).toEqual([`Заявка № ${app.publicNumber} (Школа Временная): статус — «с вами связались».`]);
  });

  test("placeholders are filled as text: a school name and a reason with markup arrive escaped; the reason is never lost", async () => {
    const evil = await fx.createSchool(db(), { cityId: school.cityId, name: "Школа <b>Жол</b>" });
    const session = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: evil.id })).login, "school");
    expect((await saveAuto(session, "rejected", { ru: "{имя}, {название} не может принять заявку <i>сейчас</i>.", kk: "{имя}, өкінішке орай: {причина}." })).status).toBe(200);
    const ru = await appOf("ru", { schoolId: evil.id, firstName: "<b>Ерлан</b>" });
    const kk = await appOf("kk", { schoolId: evil.id });
    await move(session, "schools", ru.id, "new", "rejected", "Нет <мест>");
    await move(session, "schools", kk.id, "new", "rejected", "Орын <жоқ>");
    // The Russian text does not place {причина}: the built-in reason line follows it.
    expect(await sentTo(ru.chatId)).toEqual(["&lt;b&gt;Ерлан&lt;/b&gt;, Школа &lt;b&gt;Жол&lt;/b&gt; не может принять заявку &lt;i&gt;сейчас&lt;/i&gt;.\n\nПричина: Нет &lt;мест&gt;"]);
    expect(await sentTo(kk.chatId)).toEqual(["Дәулет, өкінішке орай: Орын &lt;жоқ&gt;."]);
    const [ev] = await autoEvents(ru.id);
    expect(ev!.payload.text).toBe("<b>Ерлан</b>, Школа <b>Жол</b> не может принять заявку <i>сейчас</i>.\n\nПричина: Нет <мест>");
  });
});

describe("bad input", () => {
  const rows = () => db().select().from(autoReplies).where(and(eq(autoReplies.ownerKind, "school"), eq(autoReplies.ownerId, school.id)));
  const audits = () => db().select().from(auditLog).where(like(auditLog.subject, `auto_reply:school:${school.id}:%`));

  test("an unknown placeholder, the reason outside a rejection or a too long text: 422 with the message, the input kept, nothing saved", async () => {
    const before = { rows: await rows(), audits: (await audits()).length };
    const unknown = await saveAuto(s, "studying", { ru: "Привет, {фамилия}!", kk: "Сәлем {имя}" });
    expect(unknown.status).toBe(422);
    const html = await unknown.text();
    expect(html).toContain("Неизвестные подстановки: {фамилия}.");
    expect(html).toContain("Привет, {фамилия}!</textarea>");
    expect(html).toStartWith('<form class="auto-reply" id="auto-studying"');
    const reason = await saveAuto(s, "studying", { kk: "Себебі: {причина}" });
    expect(reason.status).toBe(422);
    expect(await reason.text()).toContain("Неизвестные подстановки: {причина}.");
    const long = await saveAuto(s, "studying", { ru: "я".repeat(3001) });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain("Не длиннее 3000 символов.");
    // A plain form post gets the whole page with the message.
    const plain = await s.request("/crm/schools/auto-replies/studying", { form: { ru: "{кто}", kk: "", _csrf: s.csrf } });
    expect(plain.status).toBe(422);
    expect(await plain.text()).toContain("<!doctype html>");
    expect(await rows()).toEqual(before.rows);
    expect((await audits()).length).toBe(before.audits);
  });

  test("an event the school does not have, or malformed input, is refused and changes nothing", async () => {
    const before = await rows();
    for (const event of ["accepted", "cancelled", "bogus", "new;drop"]) expect((await saveAuto(s, event, { ru: "x" })).status).toBe(404);
    expect((await s.request("/crm/schools/auto-replies/confirmed", { form: { ru: "a\u0000b" }, htmx: true })).status).toBe(400);
    const json = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ru: "\uD800" }), htmx: true };
    expect((await s.request("/crm/schools/auto-replies/confirmed", json)).status).toBe(400);
    expect((await s.request("/crm/schools/auto-replies/confirmed/preview", { form: { ru: "x".repeat(6000) }, htmx: true })).status).toBe(400);
    // Without the CSRF token (the security plugin) nothing is saved either.
    expect((await s.request("/crm/schools/auto-replies/confirmed", { form: { ru: "Подделка" }, htmx: true, noCsrf: true })).status).toBe(403);
    expect(await rows()).toEqual(before);
  });
});

describe("tenant isolation", () => {
  test("another school neither reads nor changes this school's texts, and its students get its own", async () => {
    const rival = await fx.createSchool(db(), { cityId: school.cityId, name: "Соседняя школа" });
    const r = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: rival.id })).login, "school");
    const theirPage = await (await r.request("/crm/schools/auto-replies")).text();
    expect(theirPage).not.toContain("подтверждена! Курс");
    expect((await saveAuto(r, "confirmed", { ru: "У соседей: {название}" })).status).toBe(200);
    const [ours] = await db().select().from(autoReplies).where(and(eq(autoReplies.ownerId, school.id), eq(autoReplies.event, "confirmed")));
    expect(ours!.bodyRu).toStartWith("{имя}, ваша заявка № {номер} подтверждена!");
    // Their preview and their page show their text, never ours; our page still shows ours.
    expect(await (await r.request("/crm/schools/auto-replies")).text()).toContain("У соседей: Соседняя школа");
    expect(await (await s.request("/crm/schools/auto-replies")).text()).not.toContain("У соседей");
    const app = await appOf("ru", { schoolId: rival.id });
    await move(r, "schools", app.id, "new", "confirmed");
    expect(await sentTo(app.chatId)).toEqual(["У соседей: Соседняя школа"]);
    // An instructor session cannot open a school's page.
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId });
    const i = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: instructor.id })).login, "instructor");
    expect((await i.request("/crm/schools/auto-replies")).status).not.toBe(200);
  });
});

describe("the page and its preview", () => {
  test("the page lists the new application and every status a school sets, from the status model, in the menu of both areas", async () => {
    const page = await (await s.request("/crm/schools/auto-replies")).text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain('href="/crm/schools/auto-replies"');
    const forms = [...page.matchAll(/<form class="auto-reply" id="auto-([a-z]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual(["new", "contacted", "confirmed", "paid", "studying", "completed", "rejected"]);
    // The saved texts are in their fields, escaped.
    expect(page).toContain("{имя}, ваша заявка № {номер} подтверждена!");
  });

  test("the preview shows both languages as each student will read them, fills placeholders, escapes, and saves nothing", async () => {
    const before = await db().select().from(autoReplies);
    const preview = () => s.request("/crm/schools/auto-replies/paid/preview", { form: { ru: "Спасибо, {имя}! Оплата <b>{цена}</b> получена.", kk: "Рақмет, {имя}!" }, htmx: true });
    expect((await preview()).status).toBe(200);
    // The school's latest application is the example: its student's name and its offer's price.
    await appOf("kk", { firstName: "Самал" });
    const html = await (await preview()).text();
    const ruPart = html.slice(html.indexOf('data-lang="ru"'), html.indexOf('data-lang="kk"'));
    expect(ruPart).toContain("Спасибо, Самал! Оплата &lt;b&gt;180\u202f000 ₸&lt;/b&gt; получена.");
    expect(html.slice(html.indexOf('data-lang="kk"'))).toContain("Рақмет, Самал!");
    expect(await db().select().from(autoReplies)).toEqual(before);

    const one = await (await s.request("/crm/schools/auto-replies/paid/preview", { form: { ru: "Только по-русски", kk: "" }, htmx: true })).text();
    const kkPart = one.slice(one.indexOf('data-lang="kk"'));
    expect(kkPart).toContain("Текста на этом языке нет: ученик получит текст на русском.");
    expect(kkPart).toContain("Только по-русски");

    const builtIn = await (await s.request("/crm/schools/auto-replies/paid/preview", { form: { ru: "", kk: "" }, htmx: true })).text();
    expect(builtIn).toContain("статус — «оплачена».");
    expect(builtIn).toContain("мәртебесі — «төленді».");
    const rejected = await (await s.request("/crm/schools/auto-replies/rejected/preview", { form: { ru: "Увы.", kk: "Өкінішке орай: {причина}" }, htmx: true })).text();
    expect(rejected).toContain("Увы.\n\nПричина: Группа на этот месяц уже набрана");
    // The sample reason is in the preview's language: nothing Russian in the Kazakh student's bubble.
    const rejectedKk = rejected.slice(rejected.indexOf('data-lang="kk"'));
    expect(rejectedKk).toContain("Өкінішке орай: Осы айға топ толып қалды");
    expect(rejectedKk).not.toContain("Группа на этот месяц");
  });

  test("the page shows every event's preview in both languages, each filled from the school's latest application", async () => {
    const own = await fx.createSchool(db(), { cityId: school.cityId, name: "Школа Превью" });
    const [offer] = await db().insert(schoolOffers).values({ schoolId: own.id, category: "B", format: "in_person", priceKzt: 150000, durationWeeks: 8 }).returning();
    const session = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: own.id })).login, "school");
    const app = await appOf("ru", { schoolId: own.id, firstName: "Нурлан" });
    await db().update(applications).set({ offerId: offer!.id }).where(eq(applications.id, app.id));
    const events = autoEventsOf("school");
    for (const event of events) expect((await saveAuto(session, event, { ru: `${event}: {имя}, {цена}`, kk: `${event} kk: {имя}, {курс}` })).status).toBe(200);
    const page = await (await session.request("/crm/schools/auto-replies")).text();
    for (const event of events) {
      const start = page.indexOf(`<form class="auto-reply" id="auto-${event}"`);
      const form = page.slice(start, page.indexOf("</form>", start));
      const bubbles = [...form.matchAll(/<div class="bubble" data-event="([a-z]+)" lang="([a-z]+)" hx-ignore>([^<]*)<\/div>/g)].map((m) => m.slice(1));
      // A rejection's preview adds its sample reason, in the text's language.
      const reason = (line: string) => (event === "rejected" ? `\n\n${line}` : "");
      expect(bubbles).toEqual([
        [event, "ru", `${event}: Нурлан, 150\u202f000 ₸${reason("Причина: Группа на этот месяц уже набрана")}`],
        [event, "kk", `${event} kk: Нурлан, B, Күндізгі${reason("Себебі: Осы айға топ толып қалды")}`],
      ]);
    }
  });

  test("an instructor's page has the new application and its own statuses; a new instructor previews on a sample application", async () => {
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId, name: "Серик <Инструктор>" });
    const i = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: instructor.id })).login, "instructor");
    const page = await (await i.request("/crm/instructors/auto-replies")).text();
    expect([...page.matchAll(/<form class="auto-reply" id="auto-([a-z]+)"/g)].map((m) => m[1])).toEqual(["new", "accepted", "rejected"]);
    expect(page).toContain('href="/crm/instructors/auto-replies"');
    const preview = await (await i.request("/crm/instructors/auto-replies/accepted/preview", { form: { ru: "{имя}, {название}: {курс}, {цена} за час", kk: "" }, htmx: true })).text();
    expect(preview).toContain("Айдана, Серик &lt;Инструктор&gt;: автомат, 8\u202f000 ₸ за час");
    expect((await saveAuto(i, "accepted", { kk: "{имя}, {название} өтініміңізді қабылдады." }, "instructors")).status).toBe(200);
    const student = await fx.createStudent(db(), { language: "kk", firstName: "Айгерім" });
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: school.cityId }, { studentId: student.id });
    await move(i, "instructors", app.id, "new", "accepted");
    expect(await sentTo(student.chatId)).toEqual(["Айгерім, Серик &lt;Инструктор&gt; өтініміңізді қабылдады."]);
  });
});

describe("reply templates in both languages", () => {
  test("a template is sent in the student's language, or in the only one written", async () => {
    const bad = await s.request("/crm/schools/templates", { form: { title: "Плохой", body: "Текст", bodyKk: "Сәлем {кім}" }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Неизвестные подстановки: {кім}.");
    expect(await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Плохой"))).toEqual([]);

    expect((await s.request("/crm/schools/templates", { form: { title: "Адрес", body: "{имя}, ждём вас по заявке № {номер} ({курс}).", bodyKk: "{имя}, № {номер} өтінім бойынша күтеміз ({курс})." }, htmx: true })).status).toBe(200);
    expect((await s.request("/crm/schools/templates", { form: { title: "Только русский", body: "{имя}, позвоните нам: {телефон}.", bodyKk: "" }, htmx: true })).status).toBe(200);
    const [both] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Адрес"));
    const [ruOnly] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Только русский"));
    expect(both!.bodyKk).toBe("{имя}, № {номер} өтінім бойынша күтеміз ({курс}).");
    // The edit form shows the Kazakh text.
    expect(await (await s.request("/crm/schools/templates")).text()).toContain("{имя}, № {номер} өтінім бойынша күтеміз ({курс}).</textarea>");

    const kk = await appOf("kk");
    const ru = await appOf("ru");
    // The reply form says which templates go out in the student's language.
    const appPage = await (await s.request(`/crm/schools/applications/${kk.id}`)).text();
    expect(appPage).toContain(`<option value="${both!.id}">Адрес (рус./қаз.)</option>`);
    expect(appPage).toContain(`<option value="${ruOnly!.id}">Только русский</option>`);
    const reply = (id: number, templateId: number) => s.request(`/crm/schools/applications/${id}/reply`, { form: { templateId: String(templateId), text: "" }, htmx: true });
    expect((await reply(kk.id, both!.id)).status).toBe(200);
    expect((await reply(ru.id, both!.id)).status).toBe(200);
    expect((await reply(kk.id, ruOnly!.id)).status).toBe(200);
    const [kkFirst, kkSecond] = await sentTo(kk.chatId);
    expect(kkFirst).toBe(`Автошкола «Жол» — № ${kk.publicNumber} өтінім бойынша хабарлама:\n\nДәулет, № ${kk.publicNumber} өтінім бойынша күтеміз (B, Күндізгі).`);
    expect(kkSecond).toEndWith("\n\nДәулет, позвоните нам: +7 701 000 00 01.");
    expect(await sentTo(ru.chatId)).toEqual([`Автошкола «Жол» — сообщение по заявке № ${ru.publicNumber}:\n\nАсель, ждём вас по заявке № ${ru.publicNumber} (B, Очно).`]);
  });

  test("a Russian-only template reaches a Kazakh student with its placeholders in Russian", async () => {
    expect((await s.request("/crm/schools/templates", { form: { title: "Курс", body: "{имя}, ваш курс: {курс}.", bodyKk: "" }, htmx: true })).status).toBe(200);
    const [template] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Курс"));
    const kk = await appOf("kk");
    expect((await s.request(`/crm/schools/applications/${kk.id}/reply`, { form: { templateId: String(template!.id), text: "" }, htmx: true })).status).toBe(200);
    expect(await sentTo(kk.chatId)).toEqual([`Автошкола «Жол» — № ${kk.publicNumber} өтінім бойынша хабарлама:\n\nДәулет, ваш курс: B, Очно.`]);
  });

  test("a template that fills to nothing (only {halyk}, and no Halyk link) is refused with the form's message; nothing is sent or recorded", async () => {
    expect((await s.request("/crm/schools/templates", { form: { title: "Halyk", body: "{halyk}", bodyKk: " {halyk} " }, htmx: true })).status).toBe(200);
    const [template] = await db().select().from(replyTemplates).where(eq(replyTemplates.title, "Halyk"));
    const ru = await appOf("ru");
    const res = await s.request(`/crm/schools/applications/${ru.id}/reply`, { form: { templateId: String(template!.id), text: "" }, htmx: true });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("После подстановок шаблон пуст (например, в профиле нет ссылки Kaspi): напишите сообщение или выберите другой шаблон.");
    expect(await sentTo(ru.chatId)).toEqual([]);
    expect(await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, ru.id), eq(applicationEvents.type, "reply")))).toEqual([]);
  });
});
