// The conversation after applying, through the real bot, the fake Bot API and a real database:
// the student writes (text, photo, document, sticker) and the message lands in the
// application's thread and in the linked staff chat; staff answer from Telegram ("Ответить" or
// a reply to the relay) and the student receives it. Forged buttons and redelivered updates
// change nothing.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { staffReplyData, threadData } from "../../src/bot/callback-data.ts";
import { MAX_PENDING } from "../../src/bot/flows/thread.ts";
import { accounts, applicationEvents, applications, schools, students } from "../../src/db/schema.ts";
import { createLinkCode } from "../../src/domain/staff-telegram.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser, RecordedCall } from "../support/fake-telegram.ts";
import { createApplication, createStaff } from "../support/fixtures.ts";
import { applyToZhol, student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
let zhol: typeof schools.$inferSelect;
let saryarka: typeof schools.$inferSelect;
const ZHOL_STAFF: FakeUser = { id: 9001, first_name: "Менеджер", language_code: "ru" };
const SARYARKA_STAFF: FakeUser = { id: 9002, first_name: "Сарыарка", language_code: "ru" };
let zholAccountId: number;

beforeAll(async () => {
  h = await startBotHarness();
  const db = h.database.db;
  [zhol] = await db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  [saryarka] = await db.select().from(schools).where(eq(schools.name, "Автошкола «Сарыарка»"));
  zholAccountId = await linkStaff(ZHOL_STAFF, zhol!.id);
  await linkStaff(SARYARKA_STAFF, saryarka!.id);
});
afterAll(() => h.dispose());

/** A staff account of the school, linked to `user`'s chat the way staff do it: /start link_<code>. */
async function linkStaff(user: FakeUser, schoolId: number): Promise<number> {
  const account = await createStaff(h.database.db, { schoolId });
  const { code } = await createLinkCode(h.database.db, account.id);
  const m = await student(h.tg, user).send(`/start link_${code}`);
  expect(m.text).toStartWith("Telegram привязан");
  return account.id;
}

/** The newest call of `method` matching, once it happened (with the fake's answer: its message_id). */
async function waitFor(method: string, match: (p: Record<string, any>) => boolean, after = 0): Promise<RecordedCall> {
  await h.tg.waitForCall(method, match, 5000, after);
  return h.tg.calls.slice(after).findLast((c) => c.method === method && match(c.params))!;
}
const to = (user: FakeUser) => (p: Record<string, any>) => Number(p.chat_id) === user.id;
const toWith = (user: FakeUser, part: string) => (p: Record<string, any>) => to(user)(p) && String(p.text ?? p.caption ?? "").includes(part);

/** A student who has talked to the bot (so they exist) and left the flow, with open applications made directly. */
async function studentWith(user: FakeUser, targets: (typeof schools.$inferSelect)[]) {
  const s = student(h.tg, user);
  await s.send("/start");
  await s.send("/cancel");
  const [row] = await h.database.db.select().from(students).where(eq(students.telegramId, user.id));
  const apps = [];
  for (const school of targets) apps.push(await createApplication(h.database.db, { schoolId: school.id, cityId: school.cityId }, { studentId: row!.id, studentName: user.first_name }));
  return { s, apps, studentRow: row! };
}

const eventsOf = (applicationId: number, type: "message" | "reply") =>
  h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.type, type)));
const appRow = async (id: number) => (await h.database.db.select().from(applications).where(eq(applications.id, id)))[0]!;

/** Presses a button on a message the bot sent to `user`'s chat (a relay: sendMessage, sendPhoto, sendDocument). */
function press(user: FakeUser, call: RecordedCall, text: string) {
  return h.tg.pressButton(user, { message_id: call.result.message_id, reply_markup: call.params.reply_markup }, text);
}

/** Staff press "Ответить" under `relay` and write `text`; resolves with the staff chat's "Отправлено ученику: …". */
async function answerFromTelegram(staff: FakeUser, relay: RecordedCall, text: string): Promise<string> {
  await pressReply(staff, relay);
  const m = await student(h.tg, staff).send(text);
  expect(m.text).toStartWith("Отправлено ученику: ");
  return m.text;
}

/** Staff press "Ответить" under `relay`: resolves once the bot asked for the answer. */
async function pressReply(staff: FakeUser, relay: RecordedCall): Promise<void> {
  const before = h.tg.calls.length;
  press(staff, relay, "Ответить");
  const ask = await waitFor("sendMessage", toWith(staff, "Напишите ответ для заявки"), before);
  expect(ask.params.reply_markup).toEqual({ force_reply: true });
}


describe("student → school", () => {
  test("after applying, a question lands in the thread and the staff chat; staff answer with «Ответить» and the student receives it", async () => {
    const user: FakeUser = { id: 7001, first_name: "Асель", last_name: "Нурлан", language_code: "ru" };
    const s = student(h.tg, user);
    expect((await applyToZhol(s, { name: "Асель Нурлан" })).text).toContain("отправлена!");
    const [studentRow] = await h.database.db.select().from(students).where(eq(students.telegramId, user.id));
    const [app] = await h.database.db.select().from(applications).where(eq(applications.studentId, studentRow!.id));

    const before = h.tg.calls.length;
    const ack = await s.send("Спасибо! А можно прийти в субботу?");
    expect(ack.text).toBe(`Отправлено: Автошкола «Жол» (заявка № ${app!.publicNumber})`);
    expect(ack.markup).toBeUndefined(); // one open application: nothing to switch to
    expect((await eventsOf(app!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Спасибо! А можно прийти в субботу?" }]);
    const waiting = await appRow(app!.id);
    expect(waiting.awaitingReplySince).not.toBeNull();
    expect(waiting.lastStudentMessageAt).not.toBeNull();

    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Спасибо!"), before);
    expect(relay.params.text).toBe(`💬 Асель Нурлан по заявке № ${app!.publicNumber}:\nСпасибо! А можно прийти в субботу?`);
    expect(h.tg.buttons(relay.params)).toEqual([["Ответить"]]);

    const beforeAnswer = h.tg.calls.length;
    expect(await answerFromTelegram(ZHOL_STAFF, relay, "Да, приходите к 10:00.")).toBe(`Отправлено ученику: Асель Нурлан, заявка № ${app!.publicNumber}`);
    const received = await waitFor("sendMessage", to(user), beforeAnswer);
    expect(received.params.text).toBe(`Автошкола «Жол» — сообщение по заявке № ${app!.publicNumber}:\n\nДа, приходите к 10:00.`);
    const replies = await eventsOf(app!.id, "reply");
    expect(replies.map((e) => [e.payload, e.accountId])).toEqual([[{ text: "Да, приходите к 10:00.", via: "telegram" }, zholAccountId]]);
    expect((await appRow(app!.id)).awaitingReplySince).toBeNull();
    const [account] = await h.database.db.select().from(accounts).where(eq(accounts.id, zholAccountId));
    expect(account!.replyApplicationId).toBeNull(); // reply mode ends with the answer

    // Out of reply mode, the staff chat is an ordinary chat again: its text reaches no student.
    const beforeChat = h.tg.calls.length;
    const staffChat = student(h.tg, ZHOL_STAFF);
    const m = await staffChat.send("Это уже не ответ");
    // One message: the hint heads the step's question.
    expect(m.text).toStartWith("Пожалуйста, выберите вариант кнопкой ниже.\n\n");
    expect(m.text).toEndWith("У вас есть водительское удостоверение?");
    expect(await eventsOf(app!.id, "reply")).toHaveLength(1);
    expect(h.tg.calls.slice(beforeChat).filter((c) => to(user)(c.params))).toEqual([]);
  });

  test("with several open applications the bot asks which one, posts the kept message there, and remembers the choice", async () => {
    const user: FakeUser = { id: 7002, first_name: "Дина", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!, saryarka!]);
    const [toZhol, toSaryarka] = apps;
    let m = await s.send("Какие документы нужны?");
    expect(m.text).toBe("У вас несколько заявок. В какую отправить сообщение?");
    // Newest first.
    expect(s.buttons()).toEqual([`№ ${toSaryarka!.publicNumber} — Автошкола «Сарыарка»`, `№ ${toZhol!.publicNumber} — Автошкола «Жол»`]);
    expect(await eventsOf(toZhol!.id, "message")).toEqual([]);
    expect(await eventsOf(toSaryarka!.id, "message")).toEqual([]);

    m = await s.press(`№ ${toSaryarka!.publicNumber} — Автошкола «Сарыарка»`);
    expect(m.method).toBe("editMessageText");
    expect(m.text).toBe(`Отправлено: Автошкола «Сарыарка» (заявка № ${toSaryarka!.publicNumber})`);
    expect(s.buttons()).toEqual(["Сменить заявку"]);
    expect((await eventsOf(toSaryarka!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Какие документы нужны?" }]);
    await waitFor("sendMessage", toWith(SARYARKA_STAFF, "Какие документы нужны?"));

    m = await s.send("И сколько стоит?");
    expect(m.text).toBe(`Отправлено: Автошкола «Сарыарка» (заявка № ${toSaryarka!.publicNumber})`);
    expect((await eventsOf(toSaryarka!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Какие документы нужны?" }, { text: "И сколько стоит?" }]);

    m = await s.press("Сменить заявку");
    expect(m.text).toBe("Куда отправлять ваши следующие сообщения?");
    expect(s.buttons()).toEqual([`✓ № ${toSaryarka!.publicNumber} — Автошкола «Сарыарка»`, `№ ${toZhol!.publicNumber} — Автошкола «Жол»`]);
    m = await s.press(`№ ${toZhol!.publicNumber} — Автошкола «Жол»`);
    expect(m.text).toBe(`Сообщения будут уходить сюда: Автошкола «Жол» (заявка № ${toZhol!.publicNumber}).`);
    m = await s.send("Вопрос для Жол");
    expect(m.text).toBe(`Отправлено: Автошкола «Жол» (заявка № ${toZhol!.publicNumber})`);
    expect((await eventsOf(toZhol!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Вопрос для Жол" }]);
    expect(await eventsOf(toSaryarka!.id, "message")).toHaveLength(2);
  });

  test("a forged choice of another student's application posts nothing and asks again", async () => {
    const user: FakeUser = { id: 7009, first_name: "Руслан", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!, saryarka!]);
    const other = await createApplication(h.database.db, { schoolId: zhol!.id, cityId: zhol!.cityId });
    const m = await s.send("Мой вопрос");
    const before = h.tg.calls.length;
    h.tg.pressButton(user, { message_id: m.messageId, reply_markup: { inline_keyboard: [[{ text: "чужая", callback_data: threadData.pack({ id: other.id }) }]] } }, "чужая");
    const toast = await waitFor("answerCallbackQuery", () => true, before);
    // Not theirs: the answer of any stale button.
    expect(toast.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    await waitFor("editMessageText", toWith(user, "В какую отправить сообщение?"), before);
    expect(await eventsOf(other.id, "message")).toEqual([]);
    // Their own application, closed since the question: said so.
    await h.database.db.update(applications).set({ status: "cancelled" }).where(eq(applications.id, apps[1]!.id));
    const beforeClosed = h.tg.calls.length;
    h.tg.pressButton(user, { message_id: m.messageId, reply_markup: { inline_keyboard: [[{ text: "закрытая", callback_data: threadData.pack({ id: apps[1]!.id }) }]] } }, "закрытая");
    expect((await waitFor("answerCallbackQuery", () => true, beforeClosed)).params.text).toBe("Эта заявка уже закрыта.");
    await waitFor("editMessageText", toWith(user, "Отправлено: Автошкола «Жол»"), beforeClosed);
    expect(await eventsOf(apps[1]!.id, "message")).toEqual([]);
    // The kept message went to the only application left open.
    expect((await eventsOf(apps[0]!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Мой вопрос" }]);
  });

  test("in the middle of a new application, typed text and a photo answer the step and reach no earlier school", async () => {
    const user: FakeUser = { id: 7020, first_name: "Ерболат", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const before = h.tg.calls.length;
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    const beforeText = h.tg.calls.length;
    let m = await s.send("Алматы");
    // One message per mistake: the hint and the same question with its buttons.
    expect(m.text).toStartWith("Пожалуйста, выберите вариант кнопкой ниже.\n\nВыберите ваш город:");
    expect(h.tg.calls.slice(beforeText).filter((c) => c.method === "sendMessage" && to(user)(c.params))).toHaveLength(1);
    expect(s.buttons()).toContain("Алматы (2)");
    const beforePhoto = h.tg.calls.length;
    h.tg.sendContent(user, { photo: [{ file_id: "p-mid", file_unique_id: "pm", width: 10, height: 10 }] });
    const photoAnswer = await waitFor("sendMessage", toWith(user, "Здесь я понимаю только текст и кнопки."), beforePhoto);
    expect(photoAnswer.params.text).toContain("Выберите ваш город:");
    expect(await eventsOf(apps[0]!.id, "message")).toEqual([]);
    // No relay of this student's text or photo (other tests' relays may still be arriving).
    expect(h.tg.calls.slice(before).filter((c) => to(ZHOL_STAFF)(c.params) && String(c.params.text ?? c.params.caption ?? "").includes("Ерболат"))).toEqual([]);
    // The flow goes on where it was.
    m = await s.press("Алматы");
    expect(m.text).not.toBe("Выберите ваш город:");
  });

  test("messages kept for «which application?» survive /start and are posted when the student chooses later", async () => {
    const user: FakeUser = { id: 7021, first_name: "Гүлнар", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!, saryarka!]);
    let m = await s.send("Сообщение до /start");
    expect(m.text).toBe("У вас несколько заявок. В какую отправить сообщение?");
    m = await s.send("/start");
    expect(m.text).toEndWith("У вас есть водительское удостоверение?");
    m = await s.press(`№ ${apps[0]!.publicNumber} — Автошкола «Жол»`);
    expect(m.text).toBe(`Отправлено: Автошкола «Жол» (заявка № ${apps[0]!.publicNumber})`);
    expect((await eventsOf(apps[0]!.id, "message")).map((e) => e.payload)).toEqual([{ text: "Сообщение до /start" }]);
    // The new flow is where /start left it.
    m = await s.press("Нет, хочу учиться в автошколе");
    expect(m.text).toStartWith("Выберите ваш город:");
  });

  test("kept messages that cannot be delivered are counted for the student: over the cap, or nothing open any more", async () => {
    const user: FakeUser = { id: 7022, first_name: "Арман", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!, saryarka!]);
    for (let i = 1; i <= MAX_PENDING; i++) await s.send(`Часть ${i}`);
    let m = await s.send("Последняя часть");
    expect(m.text).toBe(`Не отправлено сообщений: 1. Пока заявка не выбрана, я храню только последние ${MAX_PENDING}.`);
    m = await s.press(`№ ${apps[1]!.publicNumber} — Автошкола «Сарыарка»`);
    const posted = (await eventsOf(apps[1]!.id, "message")).map((e) => (e.payload as { text: string }).text);
    expect(posted).toHaveLength(MAX_PENDING);
    expect(posted[0]).toBe("Часть 2");
    expect(posted.at(-1)).toBe("Последняя часть");

    const kk = await studentWith({ id: 7023, first_name: "Бауыржан", language_code: "kk" }, [zhol!, saryarka!]);
    await kk.s.send("Жоғалмауы керек");
    await h.database.db.update(applications).set({ status: "cancelled" }).where(sql`${applications.id} in (${kk.apps[0]!.id}, ${kk.apps[1]!.id})`);
    m = await kk.s.press(`№ ${kk.apps[0]!.publicNumber} — Автошкола «Жол»`);
    expect(m.text).toBe("Жіберілмеген хабарламалар: 1. Сізде ашық өтінім қалмады.");
    // The question itself now says how to start.
    expect(kk.s.messages().map((x) => x.text)).toContain("Автомектеп немесе нұсқаушы таңдап, өтінім қалдыру үшін /start басыңыз. Өтінімдеріңіз — /my, анықтама — /help.");
    expect(await eventsOf(kk.apps[0]!.id, "message")).toEqual([]);
  });

  test("in Kazakh: the acknowledgement and the question are Kazakh", async () => {
    const user: FakeUser = { id: 7003, first_name: "Дәулет", language_code: "kk" };
    const { s, apps } = await studentWith(user, [zhol!, saryarka!]);
    let m = await s.send("Сәлеметсіз бе");
    expect(m.text).toBe("Сізде бірнеше өтінім бар. Хабарламаны қайсысына жіберейін?");
    m = await s.press(`№ ${apps[0]!.publicNumber} — Автошкола «Жол»`);
    expect(m.text).toBe(`Жіберілді: Автошкола «Жол» (№ ${apps[0]!.publicNumber} өтінім)`);
    expect(s.buttons()).toEqual(["Басқа өтінімді таңдау"]);
  });

  test("without an application: how to start after a flow, the hint and the step in the middle of one", async () => {
    const ru = student(h.tg, { id: 7004, first_name: "Ерлан", language_code: "ru" });
    await ru.send("/start");
    let m = await ru.send("Здравствуйте, есть вопрос");
    expect(m.text).toStartWith("Пожалуйста, выберите вариант кнопкой ниже.\n\n");
    expect(m.text).toEndWith("У вас есть водительское удостоверение?");
    const before = h.tg.calls.length;
    h.tg.sendContent(ru.user, { sticker: { file_id: "s", file_unique_id: "s" } });
    await waitFor("sendMessage", toWith(ru.user, "Здесь я понимаю только текст и кнопки."), before);
    await ru.send("/cancel");
    m = await ru.send("Здравствуйте, есть вопрос");
    expect(m.text).not.toContain("Я понимаю только текст и кнопки");
    expect(m.text).toBe("Чтобы подобрать автошколу или инструктора и оставить заявку, нажмите /start. Ваши заявки — /my, справка — /help.");
    m = await ru.shareContact("77070000000");
    expect(m.text).toBe("Чтобы подобрать автошколу или инструктора и оставить заявку, нажмите /start. Ваши заявки — /my, справка — /help.");

    const kk = student(h.tg, { id: 7005, first_name: "Айгүл", language_code: "kk" });
    await kk.send("/start");
    await kk.send("/cancel");
    m = await kk.send("Сұрағым бар");
    expect(m.text).toBe("Автомектеп немесе нұсқаушы таңдап, өтінім қалдыру үшін /start басыңыз. Өтінімдеріңіз — /my, анықтама — /help.");
  });

  test("a photo and a document are kept by file_id and relayed to staff with sendPhoto / sendDocument", async () => {
    const user: FakeUser = { id: 7006, first_name: "Мадина", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    let before = h.tg.calls.length;
    h.tg.sendContent(user, {
      photo: [
        { file_id: "photo-small", file_unique_id: "ps", width: 90, height: 67, file_size: 1200 },
        { file_id: "photo-large", file_unique_id: "pl", width: 1280, height: 960, file_size: 120_000 },
      ],
      caption: "Квитанция об оплате",
    });
    const photoRelay = await waitFor("sendPhoto", to(ZHOL_STAFF), before);
    expect(photoRelay.params.photo).toBe("photo-large");
    expect(photoRelay.params.caption).toBe(`💬 Мадина по заявке № ${app.publicNumber}:`);
    const captionRelay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Квитанция об оплате"), before);
    expect(h.tg.buttons(photoRelay.params)).toEqual([["Ответить"]]);
    expect(h.tg.buttons(captionRelay.params)).toEqual([["Ответить"]]);
    expect(s.text()).toBe(`Отправлено: Автошкола «Жол» (заявка № ${app.publicNumber})`);
    // A Telegram reply to the photo itself answers the student too.
    const beforeAnswer = h.tg.calls.length;
    h.tg.replyTo(ZHOL_STAFF, photoRelay.result.message_id, "Получили, спасибо");
    await waitFor("sendMessage", toWith(user, "Получили, спасибо"), beforeAnswer);

    before = h.tg.calls.length;
    h.tg.sendContent(user, { document: { file_id: "doc-1", file_unique_id: "d1", file_name: "справка.pdf", mime_type: "application/pdf", file_size: 54_321 } });
    const docRelay = await waitFor("sendDocument", to(ZHOL_STAFF), before);
    expect(docRelay.params.document).toBe("doc-1");
    expect(docRelay.params.caption).toBe(`💬 Мадина по заявке № ${app.publicNumber}:`);
    expect(h.tg.buttons(docRelay.params)).toEqual([["Ответить"]]);

    expect((await eventsOf(app.id, "message")).map((e) => e.payload)).toEqual([
      { text: "Квитанция об оплате", media: { kind: "photo", fileId: "photo-large", size: 120_000 } },
      { text: "", media: { kind: "document", fileId: "doc-1", fileName: "справка.pdf", mime: "application/pdf", size: 54_321 } },
    ]);
  });

  test("a sticker or someone else's contact is noted in the thread and for staff; the student learns what gets through", async () => {
    const user: FakeUser = { id: 7007, first_name: "Нурлан", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    const before = h.tg.calls.length;
    h.tg.sendContent(user, { sticker: { file_id: "sticker-1", file_unique_id: "s1", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } });
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "стикер"), before);
    expect(relay.params.text).toBe(`💬 Нурлан по заявке № ${app.publicNumber}:\n<i>стикер</i>`);
    await waitFor("sendMessage", toWith(user, "Отправить можно только текст, фото или файл."), before);
    expect(s.messages().slice(-2).map((x) => x.text)).toEqual([`Отправлено: Автошкола «Жол» (заявка № ${app.publicNumber})`, "Отправить можно только текст, фото или файл. Напишите, пожалуйста, текстом."]);

    const m = await s.shareContact("77015550011");
    expect(m.text).toBe("Отправить можно только текст, фото или файл. Напишите, пожалуйста, текстом.");
    expect((await eventsOf(app.id, "message")).map((e) => e.payload)).toEqual([{ unsupported: "sticker" }, { unsupported: "contact" }]);
  });

  test("HTML-looking text is shown as text both ways", async () => {
    const user: FakeUser = { id: 7008, first_name: "<b>Али</b>", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    const before = h.tg.calls.length;
    await s.send("<b>x</b>&");
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "&lt;b&gt;x&lt;/b&gt;"), before);
    expect(relay.params.text).toBe(`💬 &lt;b&gt;Али&lt;/b&gt; по заявке № ${app.publicNumber}:\n&lt;b&gt;x&lt;/b&gt;&amp;`);
    expect((await eventsOf(app.id, "message"))[0]!.payload).toEqual({ text: "<b>x</b>&" });
    const beforeAnswer = h.tg.calls.length;
    await answerFromTelegram(ZHOL_STAFF, relay, "<i>y</i> & <a href='x'>z</a>");
    const received = await waitFor("sendMessage", to(user), beforeAnswer);
    expect(received.params.text).toEndWith("\n\n&lt;i&gt;y&lt;/i&gt; &amp; &lt;a href='x'&gt;z&lt;/a&gt;");
  });
});

describe("staff answer from Telegram", () => {
  test("a long answer reaches the student split as Telegram requires, the header on the first piece", async () => {
    const user: FakeUser = { id: 7010, first_name: "Самат", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    const before = h.tg.calls.length;
    await s.send("Расскажите подробно про курс");
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Расскажите подробно"), before);
    // As long as a Telegram message can be: with the header it no longer fits in one.
    const long = "Строка. ".repeat(600).slice(0, 4095) + "!";
    expect(long.length).toBe(4096);
    const beforeAnswer = h.tg.calls.length;
    await answerFromTelegram(ZHOL_STAFF, relay, long);
    await h.tg.waitForCall("sendMessage", to(user), 5000, beforeAnswer);
    const pieces = await (async () => {
      for (;;) {
        const got = h.tg.calls.slice(beforeAnswer).filter((c) => c.method === "sendMessage" && to(user)(c.params));
        if (got.length >= 2) return got.map((c) => c.params.text as string);
        await h.tg.waitForCall("sendMessage", to(user), 5000, h.tg.calls.length);
      }
    })();
    expect(pieces).toHaveLength(2);
    const header = `Автошкола «Жол» — сообщение по заявке № ${app.publicNumber}:\n\n`;
    expect(pieces[0]).toStartWith(header);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4096);
    expect((pieces[0]!.slice(header.length) + " " + pieces[1]).replace(/\s+/g, " ")).toBe(long);
    expect((await eventsOf(app.id, "reply")).map((e) => e.payload)).toEqual([{ text: long, via: "telegram" }]);
  });

  test("a Telegram reply to the relay answers that application", async () => {
    const user: FakeUser = { id: 7011, first_name: "Жанна", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    const before = h.tg.calls.length;
    await s.send("Когда начинается группа?");
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Когда начинается группа?"), before);
    const beforeAnswer = h.tg.calls.length;
    h.tg.replyTo(ZHOL_STAFF, relay.result.message_id, "С понедельника.");
    await waitFor("sendMessage", toWith(ZHOL_STAFF, "Отправлено ученику"), beforeAnswer);
    const received = await waitFor("sendMessage", to(user), beforeAnswer);
    expect(received.params.text).toBe(`Автошкола «Жол» — сообщение по заявке № ${app.publicNumber}:\n\nС понедельника.`);
    expect((await eventsOf(app.id, "reply")).map((e) => e.payload)).toEqual([{ text: "С понедельника.", via: "telegram" }]);
  });

  test("a forged button or reply for another school's application is refused and sends nothing", async () => {
    const user: FakeUser = { id: 7012, first_name: "Тимур", language_code: "ru" };
    const { apps } = await studentWith(user, [saryarka!]);
    const foreign = apps[0]!;
    const before = h.tg.calls.length;
    h.tg.pressButton(ZHOL_STAFF, { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "Ответить", callback_data: staffReplyData.pack({ id: foreign.id }) }]] } }, "Ответить");
    const toast = await waitFor("answerCallbackQuery", () => true, before);
    expect(toast.params.text).toBe("Эта заявка недоступна вашему кабинету.");
    const [account] = await h.database.db.select().from(accounts).where(eq(accounts.id, zholAccountId));
    expect(account!.replyApplicationId).toBeNull();

    // In reply mode for its own school, a photo cannot be relayed as an answer: staff are told so.
    const own = await studentWith({ id: 7014, first_name: "Ая", language_code: "ru" }, [zhol!]);
    await own.s.send("Вопрос");
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Вопрос"), before);
    press(ZHOL_STAFF, relay, "Ответить");
    await waitFor("sendMessage", toWith(ZHOL_STAFF, "Напишите ответ для заявки"), before);
    h.tg.sendContent(ZHOL_STAFF, { photo: [{ file_id: "p", file_unique_id: "p", width: 10, height: 10 }] });
    await waitFor("sendMessage", toWith(ZHOL_STAFF, "Ответ ученику можно отправить только текстом."), before);
    expect(await eventsOf(own.apps[0]!.id, "reply")).toEqual([]);

    // Telegram's reply to a message carrying that forged keyboard.
    const beforeReply = h.tg.calls.length;
    h.tg.sendContent(ZHOL_STAFF, { text: "Чужой ответ", reply_to_message: { message_id: 1, chat: { id: ZHOL_STAFF.id, type: "private" }, date: 0, reply_markup: { inline_keyboard: [[{ text: "Ответить", callback_data: staffReplyData.pack({ id: foreign.id }) }]] } } });
    const refused = await waitFor("sendMessage", toWith(ZHOL_STAFF, "недоступна"), beforeReply);
    expect(refused.params.text).toBe("Эта заявка недоступна вашему кабинету.");
    expect(await eventsOf(foreign.id, "reply")).toEqual([]);
    expect(h.tg.calls.slice(before).filter((c) => to(user)(c.params))).toEqual([]);
  });

  test("reply mode lapses after 15 minutes, when the application is final, and on /cancel or /start", async () => {
    const aigerim = await studentWith({ id: 7015, first_name: "Айгерім", language_code: "kk" }, [zhol!]);
    const berik = await studentWith({ id: 7016, first_name: "Берік", language_code: "ru" }, [zhol!]);
    const [a12, b15] = [aigerim.apps[0]!, berik.apps[0]!];
    let before = h.tg.calls.length;
    await aigerim.s.send("Вопрос про №12");
    const relay12 = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Вопрос про №12"), before);
    const staffChat = student(h.tg, ZHOL_STAFF);
    /** The staff chat types a text that is not a Telegram reply: nobody's answer (the bot answers as to anyone). */
    const notAnAnswer = async (text: string) => {
      const m = await staffChat.send(text);
      expect(m.text).not.toStartWith("Отправлено ученику");
      expect(await eventsOf(a12.id, "reply")).toEqual([]);
      expect(await eventsOf(b15.id, "reply")).toEqual([]);
    };
    const replyMode = async () => (await h.database.db.select().from(accounts).where(eq(accounts.id, zholAccountId)))[0]!;

    // «Ответить» on №12, then 16 minutes later the relay for №15 arrives and the manager types.
    await pressReply(ZHOL_STAFF, relay12);
    expect((await replyMode()).replyStartedAt).not.toBeNull();
    await h.database.db.update(accounts).set({ replyStartedAt: sql`now() - interval '16 minutes'` }).where(eq(accounts.id, zholAccountId));
    before = h.tg.calls.length;
    await berik.s.send("Вопрос про №15");
    const relay15 = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Вопрос про №15"), before);
    await notAnAnswer("Ответ для Айгерім?");

    // The application became final after «Ответить».
    await pressReply(ZHOL_STAFF, relay15);
    await h.database.db.update(applications).set({ status: "rejected" }).where(eq(applications.id, b15.id));
    await notAnAnswer("Ответ по отклонённой");

    // /cancel and /start from the chat end reply mode, and say so.
    for (const command of ["/cancel", "/start"]) {
      await pressReply(ZHOL_STAFF, relay12);
      before = h.tg.calls.length;
      await staffChat.send(command);
      await waitFor("sendMessage", toWith(ZHOL_STAFF, "Ответ отменён"), before);
      expect((await replyMode()).replyApplicationId).toBeNull();
      await notAnAnswer(`После ${command}`);
    }

    // Within 15 minutes it answers, and the confirmation names the student and the application.
    before = h.tg.calls.length;
    expect(await answerFromTelegram(ZHOL_STAFF, relay12, "Жауап")).toBe(`Отправлено ученику: Айгерім, заявка № ${a12.publicNumber}`);
    await waitFor("sendMessage", toWith(aigerim.s.user, "Жауап"), before);
    expect((await eventsOf(a12.id, "reply")).map((e) => e.payload)).toEqual([{ text: "Жауап", via: "telegram" }]);
    expect(h.tg.calls.filter((c) => to(berik.s.user)(c.params) && String(c.params.text).includes("Ответ"))).toEqual([]);
  });

  test("redelivered updates post the student's message once and the staff answer once", async () => {
    const user: FakeUser = { id: 7013, first_name: "Алия", language_code: "ru" };
    const { s, apps } = await studentWith(user, [zhol!]);
    const app = apps[0]!;
    const before = h.tg.calls.length;
    const messageUpdate = h.tg.sendText(user, "Один раз, пожалуйста");
    const relay = await waitFor("sendMessage", toWith(ZHOL_STAFF, "Один раз, пожалуйста"), before);
    press(ZHOL_STAFF, relay, "Ответить");
    await waitFor("sendMessage", toWith(ZHOL_STAFF, "Напишите ответ для заявки"), before);
    const answerUpdate = h.tg.sendText(ZHOL_STAFF, "Ответ один раз");
    await waitFor("sendMessage", toWith(ZHOL_STAFF, "Отправлено ученику"), before);
    await waitFor("sendMessage", toWith(user, "Ответ один раз"), before);

    await h.restart(() => (h.tg.redeliver(messageUpdate), h.tg.redeliver(answerUpdate)));
    await s.send("/my"); // handled after the duplicates
    expect(await eventsOf(app.id, "message")).toHaveLength(1);
    expect(await eventsOf(app.id, "reply")).toHaveLength(1);
    expect(h.tg.calls.filter((c) => c.method === "sendMessage" && toWith(ZHOL_STAFF, "Один раз, пожалуйста")(c.params))).toHaveLength(1);
    expect(h.tg.calls.filter((c) => c.method === "sendMessage" && toWith(user, "Ответ один раз")(c.params))).toHaveLength(1);
  });
});
