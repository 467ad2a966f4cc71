// Issue 16, part 1: the payment the student confirms, end to end through the real bot (fake Bot
// API), the real CRM (HTTP through app.handle) and one database. A claim with a receipt and an
// amount → the school sees it pending (badge, block) → confirms → agreed and paid; a dispute and
// a claim again; the school's own "Оплачено" then the student's "Да"; an instructor's path; every
// bad input answered with nothing saved; forged buttons, a missing CSRF token, another school.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { payData } from "../../src/bot/callback-data.ts";
import { applicationEvents, applications, instructors, outbox, payments, schools, students } from "../../src/db/schema.ts";
import { createLinkCode } from "../../src/domain/staff-telegram.ts";
import { paymentState } from "../../src/model/payment.ts";
import { testConfig, type TestApp } from "../support/app.ts";
import { createApp } from "../../src/web/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";
import * as fx from "../support/fixtures.ts";
import { applyToZhol, bookFirstFreeTime, student, type Student } from "../support/student.ts";

setDefaultTimeout(120_000);

let h: BotHarness;
let web: TestApp;
let crm: fx.Session;
let rival: fx.Session;
let zholId: number;
const colleagueUser: FakeUser = { id: 8801, first_name: "Ерлан", language_code: "ru" };

beforeAll(async () => {
  h = await startBotHarness();
  // The CRM over the bot's database, with the bot's token: it fetches receipts from the fake Bot API.
  const config = testConfig({ TELEGRAM_BOT_TOKEN: h.tg.token, TELEGRAM_API_ROOT: h.tg.apiRoot });
  const app = createApp({ config, database: h.database, botState: () => "polling" });
  web = { app, database: h.database, config, request: (path, init) => app.handle(new Request(`http://localhost${path}`, init)), dispose: async () => {} };
  const [zhol] = await db().select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  zholId = zhol!.id;
  crm = await fx.loginAs(web, (await fx.createStaff(db(), { schoolId: zholId })).login, "school");
  const other = await fx.createSchool(db(), { cityId: zhol!.cityId });
  rival = await fx.loginAs(web, (await fx.createStaff(db(), { schoolId: other.id })).login, "school");
  // A colleague with Telegram linked gets the staff alert.
  const colleague = await fx.createStaff(db(), { schoolId: zholId });
  const { code } = await createLinkCode(db(), colleague.id);
  await student(h.tg, colleagueUser).send(`/start link_${code}`);
});
afterAll(() => h.dispose());

const db = () => h.database.db;
const rowOf = (page: string, id: number) => page.slice(page.indexOf(`id="app-${id}"`), page.indexOf("</tr>", page.indexOf(`id="app-${id}"`)));
const paymentRow = async (appId: number) => (await db().select().from(payments).where(eq(payments.applicationId, appId)))[0] ?? null;
const paymentEvents = async (appId: number) => db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, appId), eq(applicationEvents.type, "payment")));
const statusOf = async (appId: number) => (await db().select({ s: applications.status }).from(applications).where(eq(applications.id, appId)))[0]!.s;

async function applicationOf(user: FakeUser) {
  const [me] = await db().select().from(students).where(eq(students.telegramId, user.id));
  const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
  return app!;
}

/** Waits until the outbox delivered a message to `user` containing `text`; returns it. */
const delivered = (user: FakeUser, text: string) => h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.id && String(p.text).includes(text), 5000);

/** Sends a non-text message (photo, document, sticker…) and waits for the bot's answer. */
async function sendContent(user: FakeUser, content: Record<string, unknown>): Promise<string> {
  const before = h.tg.calls.length;
  h.tg.sendContent(user, content);
  const reply = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.id, 5000, before);
  return String(reply.text);
}

const photo = (size: number) => ({
  photo: [
    { file_id: "receipt-tiny", width: 90, height: 120, file_size: 2000 },
    { file_id: "receipt-thumb", width: 320, height: 427, file_size: 20_000 },
    { file_id: "receipt-big", width: 900, height: 1200, file_size: size },
  ],
});

/** A student who applied to Жол, whose application the school confirmed in the CRM. */
async function confirmedAtZhol(user: FakeUser): Promise<{ s: Student; appId: number; number: string }> {
  const s = student(h.tg, user);
  await applyToZhol(s, { phone: `7707000${user.id}` });
  const app = await applicationOf(user);
  const res = await crm.request(`/crm/schools/applications/${app.id}/status`, { form: { from: "new", to: "confirmed", view: "panel" }, htmx: true });
  expect(res.status).toBe(200);
  const message = await delivered(user, "подтверждена");
  // The confirmation carries the payment links and "Я оплатил(а)".
  expect(h.tg.buttons(message).flat()).toEqual(["Оплатить через Kaspi", "Оплатить через Halyk", "Я оплатил(а)"]);
  return { s, appId: app.id, number: app.publicNumber };
}

describe("a school application", () => {
  test("claim with a photo receipt and an amount → pending in the CRM → the school confirms → agreed, paid, the student told", async () => {
    const user: FakeUser = { id: 8811, first_name: "Дана", language_code: "ru" };
    const { s, appId, number } = await confirmedAtZhol(user);

    expect((await s.press("Я оплатил(а)")).text).toContain("Пришлите чек");
    // Bad receipts: a sticker, a .docx, a video, a photo over the limit → why, and nothing saved.
    expect(await sendContent(user, { sticker: { file_id: "st-1", width: 512, height: 512 } })).toContain("Это не чек");
    expect(await sendContent(user, { document: { file_id: "doc-1", file_name: "чек.docx", mime_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", file_size: 2000 } })).toContain("Это не чек");
    expect(await sendContent(user, { video: { file_id: "v-1", width: 1, height: 1, duration: 3 } })).toContain("Это не чек");
    expect(await sendContent(user, photo(11 * 1024 * 1024))).toContain("слишком большой");
    expect(await paymentRow(appId)).toBeNull();
    // The receipt, then bad amounts → why, and nothing saved.
    expect(await sendContent(user, photo(300_000))).toContain("Сколько вы оплатили");
    for (const bad of ["abc", "0", "-5", "1e9", "99999999999"]) {
      expect((await s.send(bad)).text).toContain("Не понял сумму");
      expect(await paymentRow(appId)).toBeNull();
    }
    // A file at the amount question is not an amount (and not a message to the school).
    expect(await sendContent(user, photo(300_000))).toContain("Сейчас нужна сумма");
    expect((await s.send("150 000 тг")).text).toContain(`Вы сообщили об оплате 150\u202f000 ₸ по заявке № ${number}`);

    const claimed = (await paymentRow(appId))!;
    expect(paymentState(claimed)).toBe("claimed");
    expect(claimed.amountKzt).toBe(150_000);
    expect(claimed.receipt).toMatchObject({ kind: "photo", fileId: "receipt-big", thumbFileId: "receipt-thumb" });
    expect((await paymentEvents(appId)).map((e) => e.payload.action)).toEqual(["claimed"]);
    // The linked colleague got the alert with the receipt.
    const alert = await h.tg.waitForCall("sendPhoto", (p) => Number(p.chat_id) === colleagueUser.id && String(p.caption).includes(`№ ${number}`), 5000);
    expect(alert.photo).toBe("receipt-big");
    expect(String(alert.caption)).toContain("Ученик сообщил об оплате");
    // The student's next message goes to the school again, not to the payment.
    expect((await s.send("Спасибо!")).text).toContain("Отправлено");

    // A second press while it waits: already waiting for the school's check.
    expect(await s.pressForToast("Я оплатил(а)")).toEqual(["Вы уже сообщили об оплате: она ждёт проверки школой."]);

    // The CRM: the inbox badge and the block with the receipt and the buttons.
    const inbox = await (await crm.request("/crm/schools/applications")).text();
    expect(rowOf(inbox, appId)).toContain("ожидает проверки оплаты");
    const page = await (await crm.request(`/crm/schools/applications/${appId}`)).text();
    expect(page).toContain("Ожидает проверки оплаты");
    expect(page).toContain("150\u202f000 ₸");
    expect(page).toMatch(new RegExp(`/crm/schools/applications/${appId}/media/\\d+\\?size=thumb`));
    expect(page).toContain("Подтвердить оплату");
    // The dispute form posts through htmx (which sends the CSRF header); a plain POST would carry no token.
    expect(page).toMatch(/<form class="dispute" hx-post=/);
    expect(page).not.toMatch(/<form class="dispute"[^>]*method=/);
    // The receipt opens through the media route (the fake Bot API serves the file).
    h.tg.addFile("receipt-thumb", new Uint8Array([0xff, 0xd8, 0xff]));
    const thumb = page.match(new RegExp(`/crm/schools/applications/${appId}/media/\\d+\\?size=thumb`))![0];
    expect((await crm.request(thumb)).status).toBe(200);
    expect((await rival.request(thumb)).status).toBe(404);

    // No CSRF token: refused, nothing changed. Another school: not found, nothing changed.
    expect((await crm.request(`/crm/schools/applications/${appId}/payment/confirm`, { method: "POST", noCsrf: true, htmx: true })).status).toBe(403);
    expect((await rival.request(`/crm/schools/applications/${appId}/payment/confirm`, { method: "POST", htmx: true })).status).toBe(404);
    expect((await rival.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: "нет" }, htmx: true })).status).toBe(404);
    expect(paymentState(await paymentRow(appId))).toBe("claimed");
    expect(await statusOf(appId)).toBe("confirmed");

    // The school confirms: agreed, paid (paid_at), the student's status message without another button.
    const res = await crm.request(`/crm/schools/applications/${appId}/payment/confirm`, { method: "POST", htmx: true });
    expect(res.status).toBe(200);
    const block = await res.text();
    expect(block).toContain("Оплата подтверждена учеником и автошколой");
    expect(block).toContain('data-status="paid"');
    const agreed = (await paymentRow(appId))!;
    expect(paymentState(agreed)).toBe("agreed");
    expect(agreed.staffAccountId).not.toBeNull();
    const [app] = await db().select().from(applications).where(eq(applications.id, appId));
    expect(app!.status).toBe("paid");
    expect(app!.paidAt).not.toBeNull();
    const paidMessage = await delivered(user, "оплачена");
    expect(paidMessage.reply_markup).toBeUndefined();
    expect(rowOf(await (await crm.request("/crm/schools/applications")).text(), appId)).not.toContain("ожидает проверки оплаты");
    // A second confirm changes nothing.
    expect((await crm.request(`/crm/schools/applications/${appId}/payment/confirm`, { method: "POST", htmx: true })).status).toBe(409);
  });

  test("dispute: the reason is required, the student gets it with the button, and may claim again", async () => {
    const user: FakeUser = { id: 8812, first_name: "Алия", language_code: "ru" };
    const { s, appId } = await confirmedAtZhol(user);
    await s.press("Я оплатил(а)");
    expect((await s.press("Без чека")).text).toContain("Сколько вы оплатили");
    await s.send("180000 ₸");
    const first = (await paymentRow(appId))!;
    expect(first.receipt).toBeNull();

    // No reason, or one too long: refused, nothing changed.
    expect((await crm.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: "  " }, htmx: true })).status).toBe(422);
    expect((await crm.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: "x".repeat(501) }, htmx: true })).status).toBe(422);
    expect(paymentState(await paymentRow(appId))).toBe("claimed");

    const res = await crm.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: "Платёж <не> найден" }, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Оплата оспорена: Платёж &lt;не&gt; найден");
    const disputed = (await paymentRow(appId))!;
    expect(paymentState(disputed)).toBe("disputed");
    expect(disputed.disputeReason).toBe("Платёж <не> найден");
    const told = await delivered(user, "Платёж &lt;не&gt; найден");
    expect(h.tg.buttons(told)).toEqual([["Я оплатил(а)"]]);
    expect(await statusOf(appId)).toBe("confirmed");

    // The student claims again: the dispute is cleared, a new student_at.
    expect((await s.press("Я оплатил(а)")).text).toContain("Пришлите чек");
    await sendContent(user, { document: { file_id: "pdf-1", file_name: "kaspi.pdf", mime_type: "application/pdf", file_size: 50_000 } });
    expect((await s.send("180 000")).text).toContain("Вы сообщили об оплате");
    const again = (await paymentRow(appId))!;
    expect(paymentState(again)).toBe("claimed");
    expect(again.disputeReason).toBe("");
    expect(again.studentAt!.getTime()).toBeGreaterThan(first.studentAt!.getTime());
    expect(again.receipt).toMatchObject({ kind: "document", fileId: "pdf-1" });
    expect((await paymentEvents(appId)).map((e) => e.payload.action)).toEqual(["claimed", "disputed", "claimed"]);
  });

  test("the school's own 'Оплачено', then the student's 'Да, я оплатил(а)': agreed", async () => {
    const user: FakeUser = { id: 8813, first_name: "Марат", language_code: "ru" };
    const { s, appId } = await confirmedAtZhol(user);
    expect((await crm.request(`/crm/schools/applications/${appId}/status`, { form: { from: "confirmed", to: "paid", view: "panel" }, htmx: true })).status).toBe(200);
    const marked = (await paymentRow(appId))!;
    expect(paymentState(marked)).toBe("staff_only");
    const message = await delivered(user, "оплачена");
    expect(h.tg.buttons(message)).toEqual([["Да, я оплатил(а)"]]);
    expect((await s.press("Да, я оплатил(а)")).text).toContain("подтверждена с обеих сторон");
    expect(paymentState(await paymentRow(appId))).toBe("agreed");
    // Pressed again: already agreed, nothing more.
    expect(await s.pressForToast("Да, я оплатил(а)")).toEqual(["Оплата по этой заявке уже подтверждена."]);
    expect((await paymentEvents(appId)).map((e) => e.payload.action)).toEqual(["marked", "student_agreed"]);
  });
});

describe("a school application after the school's own mark", () => {
  test("'Я оплатил(а)' on a payment the school marked is the agreement: the agreement's texts, no 'проверьте' alert", async () => {
    const user: FakeUser = { id: 8814, first_name: "Сауле", language_code: "ru" };
    const { s, appId, number } = await confirmedAtZhol(user);
    expect((await crm.request(`/crm/schools/applications/${appId}/status`, { form: { from: "confirmed", to: "paid", view: "panel" }, htmx: true })).status).toBe(200);
    await delivered(user, "оплачена");
    expect(paymentState(await paymentRow(appId))).toBe("staff_only");
    // The confirmation's "Я оплатил(а)" (the newest holder of that button) pressed after the mark.
    expect((await s.press("Я оплатил(а)")).text).toContain("подтверждена с обеих сторон");
    expect(paymentState(await paymentRow(appId))).toBe("agreed");
    expect((await paymentEvents(appId)).map((e) => e.payload.action)).toEqual(["marked", "student_agreed"]);
    // Staff were not asked to check a payment that is already agreed.
    const alerts = (await db().select().from(outbox).where(eq(outbox.chatId, colleagueUser.id)).orderBy(outbox.id)).filter((m) => JSON.stringify(m.payload).includes(`№ ${number}`) && JSON.stringify(m.payload).includes("сообщил об оплате"));
    expect(alerts).toEqual([]);
  });

  test("a forged 'Да' from another student changes nothing; later status messages do not ask again; no mark made after 'paid'", async () => {
    const user: FakeUser = { id: 8815, first_name: "Бекзат", language_code: "ru" };
    const { appId } = await confirmedAtZhol(user);
    expect((await crm.request(`/crm/schools/applications/${appId}/status`, { form: { from: "confirmed", to: "paid", view: "panel" }, htmx: true })).status).toBe(200);
    const marked = (await paymentRow(appId))!;
    expect(h.tg.buttons(await delivered(user, "оплачена"))).toEqual([["Да, я оплатил(а)"]]);

    const intruder: FakeUser = { id: 8824, first_name: "Чужой", language_code: "ru" };
    await student(h.tg, intruder).send("/start");
    const before = h.tg.calls.length;
    h.tg.pressButton(intruder, { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "Да, я оплатил(а)", callback_data: payData.pack({ id: appId, a: "agree" }) }]] } }, "Да, я оплатил(а)");
    const toast = await h.tg.waitForCall("answerCallbackQuery", (p) => !!p.text, 5000, before);
    expect(toast.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(await paymentRow(appId)).toEqual(marked);
    expect((await paymentEvents(appId)).map((e) => e.payload.action)).toEqual(["marked"]);

    // Studying: the message does not repeat "Да, я оплатил(а)", and the school's mark keeps its date.
    expect((await crm.request(`/crm/schools/applications/${appId}/status`, { form: { from: "paid", to: "studying", view: "panel" }, htmx: true })).status).toBe(200);
    expect((await delivered(user, "идёт обучение")).reply_markup).toBeUndefined();
    expect(await paymentRow(appId)).toEqual(marked);

    // An application already paid with no payments row (before the feature) moved on: no school mark dated now.
    const [zhol] = await db().select().from(schools).where(eq(schools.id, zholId));
    const old = await fx.createApplication(db(), { schoolId: zholId, cityId: zhol!.cityId }, { status: "paid" });
    expect((await crm.request(`/crm/schools/applications/${old.id}/status`, { form: { from: "paid", to: "studying", view: "panel" }, htmx: true })).status).toBe(200);
    expect(await paymentRow(old.id)).toBeNull();
  });
});

describe("a rejected application", () => {
  test("its claim gets no badge, staff may not confirm or dispute it, and the bot refuses a claim", async () => {
    const user: FakeUser = { id: 8816, first_name: "Нурлан", language_code: "ru" };
    const { s, appId } = await confirmedAtZhol(user);
    await s.press("Я оплатил(а)");
    await s.press("Без чека");
    await s.send("150000");
    expect(paymentState(await paymentRow(appId))).toBe("claimed");
    expect((await crm.request(`/crm/schools/applications/${appId}/status`, { form: { from: "confirmed", to: "rejected", reason: "Группа набрана", view: "panel" }, htmx: true })).status).toBe(200);
    await delivered(user, "Группа набрана");

    expect(rowOf(await (await crm.request("/crm/schools/applications")).text(), appId)).not.toContain("ожидает проверки оплаты");
    const page = await (await crm.request(`/crm/schools/applications/${appId}`)).text();
    expect(page).not.toContain("Подтвердить оплату");
    const confirm = await crm.request(`/crm/schools/applications/${appId}/payment/confirm`, { method: "POST", htmx: true });
    expect(confirm.status).toBe(409);
    expect(await confirm.text()).toContain("Заявка отменена или отклонена");
    const dispute = await crm.request(`/crm/schools/applications/${appId}/payment/dispute`, { form: { reason: "нет" }, htmx: true });
    expect(dispute.status).toBe(409);
    expect(await dispute.text()).toContain("Заявка отменена или отклонена");
    expect(paymentState(await paymentRow(appId))).toBe("claimed");
    expect(await statusOf(appId)).toBe("rejected");

    // The bot: "Я оплатил(а)" on the rejected application is refused, nothing saved.
    const row = await paymentRow(appId);
    expect(await s.pressForToast("Я оплатил(а)")).toEqual(["Сообщить об оплате можно только по подтверждённой заявке."]);
    expect(await paymentRow(appId)).toEqual(row);
  });
});

describe("buttons that are not the student's to press", () => {
  test("a forged claim on another student's application is a stale button; on an unconfirmed one, refused; nothing saved", async () => {
    const owner: FakeUser = { id: 8821, first_name: "Асель", language_code: "ru" };
    const ownerStudent = student(h.tg, owner);
    await applyToZhol(ownerStudent, { phone: "77070008821" });
    const app = await applicationOf(owner);
    const forged = { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "Я оплатил(а)", callback_data: payData.pack({ id: app.id, a: "claim" }) }]] } };

    // Not confirmed yet: the owner is told it is too early.
    let before = h.tg.calls.length;
    h.tg.pressButton(owner, forged, "Я оплатил(а)");
    let toast = await h.tg.waitForCall("answerCallbackQuery", (p) => !!p.text, 5000, before);
    expect(toast.text).toBe("Сообщить об оплате можно только по подтверждённой заявке.");

    // Someone else: the stale-button answer, and their next text is no amount.
    const intruder: FakeUser = { id: 8822, first_name: "Чужой", language_code: "ru" };
    await student(h.tg, intruder).send("/start");
    before = h.tg.calls.length;
    h.tg.pressButton(intruder, forged, "Я оплатил(а)");
    toast = await h.tg.waitForCall("answerCallbackQuery", (p) => !!p.text, 5000, before);
    expect(toast.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    // A forged "Без чека" with no question open: stale too.
    before = h.tg.calls.length;
    h.tg.pressButton(intruder, { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "Без чека", callback_data: payData.pack({ id: app.id, a: "skip" }) }]] } }, "Без чека");
    toast = await h.tg.waitForCall("answerCallbackQuery", (p) => !!p.text, 5000, before);
    expect(toast.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(await paymentRow(app.id)).toBeNull();
  });

  test("/my offers the button too; /start leaves the payment questions: the next number is not an amount", async () => {
    const user: FakeUser = { id: 8831, first_name: "Ерж", language_code: "ru" };
    const { s, appId, number } = await confirmedAtZhol(user);
    await s.send("/my");
    expect(s.buttons()).toContain(`Я оплатил(а) · № ${number}`);
    expect((await s.press(`Я оплатил(а) · № ${number}`)).text).toContain("Пришлите чек");
    await s.press("Без чека");
    await s.send("/start");
    await s.send("150000");
    expect(await paymentRow(appId)).toBeNull();
  });
});

describe("an instructor's application", () => {
  test("accepted → claim with a PDF → the instructor confirms; a second application: the instructor's own mark, then the student agrees", async () => {
    const user: FakeUser = { id: 8841, first_name: "Тимур", language_code: "kk" };
    const s = student(h.tg, user);
    await bookFirstFreeTime(s, "kk");
    const app = await applicationOf(user);
    const [aigerim] = await db().select().from(instructors).where(eq(instructors.id, app.instructorId!));
    const inst = await fx.loginAs(web, (await fx.createStaff(db(), { instructorId: aigerim!.id })).login, "instructor");
    expect((await inst.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "accepted", view: "panel" }, htmx: true })).status).toBe(200);
    const accepted = await delivered(user, "қабылданды");
    expect(h.tg.buttons(accepted).flat()).toContain("Мен төледім");

    expect((await s.press("Мен төледім")).text).toContain("Чекті жіберіңіз");
    expect(await sendContent(user, { document: { file_id: "pdf-2", file_name: "чек.pdf", mime_type: "application/pdf", file_size: 80_000 } })).toContain("Қанша төледіңіз");
    expect((await s.send("12 000 теңге")).text).toContain("Рахмет!");
    expect(paymentState(await paymentRow(app.id))).toBe("claimed");

    // The instructor sees it pending and confirms: staff_at only (no paid status), the student told in Kazakh.
    const page = await (await inst.request(`/crm/instructors/applications/${app.id}`)).text();
    expect(page).toContain("Ожидает проверки оплаты");
    expect(page).toContain("чек.pdf");
    const res = await inst.request(`/crm/instructors/applications/${app.id}/payment/confirm`, { method: "POST", htmx: true });
    expect(res.status).toBe(200);
    expect(paymentState(await paymentRow(app.id))).toBe("agreed");
    expect(await statusOf(app.id)).toBe("accepted");
    await delivered(user, "төлеміңіз расталды");
    // A school's route cannot reach an instructor's application.
    expect((await crm.request(`/crm/schools/applications/${app.id}/payment/confirm`, { method: "POST", htmx: true })).status).toBe(404);
  });

  test("the instructor's own 'Оплачено' on an accepted application, then the student's 'Да'", async () => {
    const user: FakeUser = { id: 8842, first_name: "Айгүл", language_code: "ru" };
    const s = student(h.tg, user);
    await bookFirstFreeTime(s, "ru");
    const app = await applicationOf(user);
    const inst = await fx.loginAs(web, (await fx.createStaff(db(), { instructorId: app.instructorId! })).login, "instructor");
    // Not accepted yet: no mark.
    expect((await inst.request(`/crm/instructors/applications/${app.id}/payment/mark`, { method: "POST", htmx: true })).status).toBe(409);
    await inst.request(`/crm/instructors/applications/${app.id}/status`, { form: { from: "new", to: "accepted", view: "panel" }, htmx: true });
    expect(await (await inst.request(`/crm/instructors/applications/${app.id}`)).text()).toContain("mark-paid");
    expect((await inst.request(`/crm/instructors/applications/${app.id}/payment/mark`, { method: "POST", noCsrf: true, htmx: true })).status).toBe(403);
    expect(await paymentRow(app.id)).toBeNull();
    expect((await inst.request(`/crm/instructors/applications/${app.id}/payment/mark`, { method: "POST", htmx: true })).status).toBe(200);
    expect(paymentState(await paymentRow(app.id))).toBe("staff_only");
    const told = await delivered(user, "отмечена как оплаченная");
    expect(h.tg.buttons(told)).toEqual([["Да, я оплатил(а)"]]);
    await s.press("Да, я оплатил(а)");
    expect(paymentState(await paymentRow(app.id))).toBe("agreed");
  });
});
