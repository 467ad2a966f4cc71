// /help and cancelling an application with a reason (issue 18, item 7), through the real bot, the
// fake Bot API and a real database, pressing the buttons the bot sent: /help answers in Russian and
// Kazakh with the commands and the support contact and leaves the student on their step; the
// command menu has /help in both languages; cancelling from /my asks why, "Не отменять" keeps the
// application, a reason cancels it at once and the school sees the reason on the CRM page (and the
// platform's staff in the admin panel); a forged reason code is a stale button and changes nothing.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { myCancelReasonData } from "../../src/bot/callback-data.ts";
import { applicationEvents, applications, auditLog, botConversations, schools, students } from "../../src/db/schema.ts";
import { appOver, type TestApp } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";
import { createApplication, createStaff, loginAs, type Session } from "../support/fixtures.ts";
import { applyToZhol, bookFirstFreeTime, student, type Student } from "../support/student.ts";
import { adminSession } from "../web/admin-support.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
let crm: TestApp;
let zhol: Session;

beforeAll(async () => {
  h = await startBotHarness({ env: { SUPPORT_CONTACT: "https://t.me/avtomat_help" } });
  crm = appOver(h.database);
  const [school] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  zhol = await loginAs(crm, (await createStaff(h.database.db, { schoolId: school!.id })).login, "school");
});
afterAll(() => h.dispose());

const db = () => h.database.db;

async function conversationOf(telegramId: number) {
  const [row] = await db()
    .select({ flow: botConversations.flow, step: botConversations.step, choices: botConversations.choices })
    .from(botConversations)
    .innerJoin(students, eq(students.id, botConversations.studentId))
    .where(eq(students.telegramId, telegramId));
  return row;
}

async function latestApplicationOf(telegramId: number) {
  const [row] = await db()
    .select({ app: applications })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .where(eq(students.telegramId, telegramId));
  return row!.app;
}

const statusOf = async (id: number) => (await db().select().from(applications).where(eq(applications.id, id)))[0]!.status;
const eventsOf = (id: number) => db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, id));

/** Presses forged callback data on the student's latest message; resolves with the toasts. */
async function pressForged(s: Student, data: string): Promise<string[]> {
  const before = h.tg.calls.length;
  h.tg.pressButton(s.user, { message_id: s.last().messageId, reply_markup: { inline_keyboard: [[{ text: "forged", callback_data: data }]] } }, "forged");
  await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
  await Bun.sleep(150);
  return h.tg.calls.slice(before).filter((c) => c.method === "answerCallbackQuery").map((c) => c.params.text);
}

/** The CRM history entry (an <li>) that says `words`, or "". */
const entryWith = (page: string, words: string) => page.match(/<li id="ev-\d+"[\s\S]*?<\/li>/g)?.find((li) => li.includes(words)) ?? "";

describe("/help", () => {
  test("in Russian: what the bot does, each command with a line, the support contact", async () => {
    const s = student(h.tg, { id: 8101, first_name: "Асель", language_code: "ru" });
    const m = await s.send("/help");
    expect(m.text).toStartWith("AvtoMat помогает найти автошколу или инструктора по вождению в Казахстане.");
    expect(m.text).toContain(
      "Команды:\n/start — Подобрать автошколу или инструктора\n/my — Мои занятия и заявки\n/lang — Язык / Тіл\n/cancel — Остановить подбор\n/help — Справка и поддержка",
    );
    // The configured t.me link is shown as the @username Telegram links.
    expect(m.text).toEndWith("Поддержка AvtoMat: @avtomat_help");
  });

  test("in Kazakh", async () => {
    const s = student(h.tg, { id: 8102, first_name: "Ерлан", language_code: "kk" });
    const m = await s.send("/help");
    expect(m.text).toStartWith("AvtoMat Қазақстанда автомектеп немесе жүргізуді үйрететін нұсқаушы табуға көмектеседі.");
    expect(m.text).toContain("Командалар:\n/start — Автомектеп не нұсқаушы таңдау\n/my — Менің сабақтарым мен өтінімдерім");
    expect(m.text).toContain("/help — Анықтама және қолдау");
    expect(m.text).toEndWith("AvtoMat қолдау қызметі: @avtomat_help");
  });

  test("mid-flow it leaves the student on their step: the step's buttons still work", async () => {
    // Buttons are pressed by place: the flows' wording is not what this test is about.
    const s = student(h.tg, { id: 8103, first_name: "Тимур", language_code: "ru" });
    await s.send("/start");
    const step = await s.press(s.buttons()[0]!);
    const before = await conversationOf(8103);
    expect((await s.send("/help")).text).toContain("/help — Справка и поддержка");
    expect(await conversationOf(8103)).toEqual(before!);
    // The step's message above the help is still the current one: its first choice goes on, not stale.
    await s.press(step.markup.inline_keyboard[0][0].text);
    expect(s.toasts()).toEqual([]);
    expect((await conversationOf(8103))!.step).not.toBe(before!.step);
  });

  test("the command menu set at start has /help in both languages", () => {
    const calls = h.tg.calls.filter((c) => c.method === "setMyCommands");
    const menu = (lang: string | undefined) => calls.find((c) => c.params.language_code === lang)!.params.commands;
    expect(menu(undefined).map((c: { command: string }) => c.command)).toEqual(["start", "my", "lang", "cancel", "help"]);
    expect(menu(undefined)).toContainEqual({ command: "help", description: "Справка и поддержка" });
    expect(menu("kk")).toContainEqual({ command: "help", description: "Анықтама және қолдау" });
  });

  test("the hint for a student with nothing going on mentions /help", async () => {
    const s = student(h.tg, { id: 8104, first_name: "Оля", language_code: "ru" });
    await s.send("/start");
    await s.send("/cancel");
    expect((await s.send("/foo")).text).toBe("Чтобы подобрать автошколу или инструктора и оставить заявку, нажмите /start. Ваши заявки — /my, справка — /help.");
  });
});

describe("cancelling an application with a reason", () => {
  test("asks why; «Не отменять» keeps it; a reason cancels at once and the school sees it", async () => {
    const user: FakeUser = { id: 8201, first_name: "Алия", language_code: "ru" };
    const s = student(h.tg, user);
    await applyToZhol(s);
    const app = await latestApplicationOf(user.id);
    await s.send("/my");
    const ask = await s.press(`Отменить № ${app.publicNumber}`);
    expect(ask.text).toBe(
      `Отменить заявку № ${app.publicNumber} (Автошкола «Жол»)? Запланированные занятия по ней тоже отменятся.\n\n` +
        "Почему отменяете? Причину увидит Автошкола «Жол». Заявка отменится сразу, как только вы выберете ответ.",
    );
    expect(s.buttons()).toEqual(["Нашлась другая автошкола", "Не подходит время", "Дорого", "Планы изменились", "Отменить без причины", "Не отменять"]);
    expect(await statusOf(app.id)).toBe("new");

    // "Не отменять": back to the list, nothing changed.
    const eventsBefore = (await eventsOf(app.id)).length;
    expect((await s.press("Не отменять")).text).toContain(`№ ${app.publicNumber} — Автошкола «Жол»`);
    expect(await statusOf(app.id)).toBe("new");
    expect(await eventsOf(app.id)).toHaveLength(eventsBefore);

    await s.press(`Отменить № ${app.publicNumber}`);
    const list = await s.press("Дорого");
    expect(s.toasts()).toEqual([`Заявка № ${app.publicNumber} отменена.`]);
    expect(list.text).toContain(": отменена");
    expect(await statusOf(app.id)).toBe("cancelled");
    const cancel = (await eventsOf(app.id)).find((e) => e.type === "status" && e.toStatus === "cancelled")!;
    expect(cancel).toMatchObject({ accountId: null, fromStatus: "new", payload: { cancelReason: "price" } });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.subject, `application:${app.id}`), eq(auditLog.action, "application.cancel_by_student")));
    expect(audit!.after).toEqual({ status: "cancelled", cancelReason: "price" });

    // The school's application page: who cancelled and why, in the CRM's Russian.
    const page = await (await zhol.request(`/crm/schools/applications/${app.id}`)).text();
    const line = entryWith(page, "Причина: Дорого");
    expect(line).toContain("Статус: Новая → Отменена учеником. Причина: Дорого");
    expect(line).toContain(`<span class="who">${app.studentName}</span>`);
    // The platform's staff see the same history in the admin panel.
    const { session: admin } = await adminSession(crm);
    expect(await (await admin.request(`/admin/applications/${app.id}`)).text()).toContain("Отменена учеником. Причина: Дорого");
  });

  test("a forged reason code is a stale button and changes nothing; «Отменить без причины» cancels without one", async () => {
    const user: FakeUser = { id: 8202, first_name: "Марат", language_code: "ru" };
    const s = student(h.tg, user);
    await applyToZhol(s);
    const app = await latestApplicationOf(user.id);
    await s.send("/my");
    await s.press(`Отменить № ${app.publicNumber}`);
    const eventsBefore = await eventsOf(app.id);
    // A stale button after applying is answered with the latest application (commands.ts stale()).
    const staleAnswer = `Эта заявка уже отправлена (№ ${app.publicNumber}). Все заявки — /my.`;
    for (const r of ["bogus", "none", "PRICE", "price;1", "other_school "]) {
      expect(await pressForged(s, myCancelReasonData.pack({ id: app.id, r }))).toEqual([staleAnswer]);
    }
    expect(await statusOf(app.id)).toBe("new");
    expect(await eventsOf(app.id)).toEqual(eventsBefore);
    // A real reason on someone else's open application: refused (the list is shown again), nothing changes there.
    const other = await createApplication(db(), { schoolId: app.schoolId!, cityId: app.cityId });
    expect(await pressForged(s, myCancelReasonData.pack({ id: other.id, r: "time" }))).toEqual(["Эту заявку уже нельзя отменить."]);
    expect(await statusOf(other.id)).toBe("new");

    await s.press(`Отменить № ${app.publicNumber}`);
    expect(await s.pressForToast("Отменить без причины")).toEqual([`Заявка № ${app.publicNumber} отменена.`]);
    expect(await statusOf(app.id)).toBe("cancelled");
    const cancel = (await eventsOf(app.id)).find((e) => e.type === "status" && e.toStatus === "cancelled")!;
    expect(cancel.payload).toEqual({});
    const page = await (await zhol.request(`/crm/schools/applications/${app.id}`)).text();
    expect(page).toContain("Статус: Новая → Отменена учеником.</p>");
  });

  test("in Kazakh, for an instructor: the instructor's reasons, the toast in Kazakh", async () => {
    const user: FakeUser = { id: 8203, first_name: "Дана", language_code: "kk" };
    const s = student(h.tg, user);
    await bookFirstFreeTime(s, "kk");
    const app = await latestApplicationOf(user.id);
    expect(app.kind).toBe("instructor");
    await s.send("/my");
    const ask = await s.press(`№ ${app.publicNumber} өтінімнен бас тарту`);
    expect(ask.text).toContain("Неге бас тартасыз?");
    expect(s.buttons()).toEqual(["Басқа нұсқаушы табылды", "Уақыты сәйкес келмейді", "Қымбат", "Жоспарым өзгерді", "Себебін айтпай бас тарту", "Өтінімді қалдыру"]);
    await s.press("Уақыты сәйкес келмейді");
    expect(s.toasts()).toEqual([`№ ${app.publicNumber} өтінімнен бас тарттыңыз.`]);
    expect(await statusOf(app.id)).toBe("cancelled");
    expect((await eventsOf(app.id)).find((e) => e.toStatus === "cancelled")!.payload).toEqual({ cancelReason: "time" });
  });
});
