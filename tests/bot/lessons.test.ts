// The student's schedule in the bot (issue 15), through the real bot, the fake Bot API and a real
// database, pressing the buttons the bot sent: /my lists the lessons, a lesson is cancelled (in
// time and late) and moved to a free time, a lesson inside the cut-off cannot be moved and the
// student writes to the instructor instead, refusals change nothing, and forged buttons are stale.
// The bot's clock is fixed (startBotHarness now), so the cut-off is exact.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { lessonData, lessonSlotData } from "../../src/bot/callback-data.ts";
import { applicationEvents, applications, instructorSlots, lessons, students } from "../../src/db/schema.ts";
import { isSlotOpen } from "../../src/domain/slots.ts";
import { createLinkCode } from "../../src/domain/staff-telegram.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser, RecordedCall } from "../support/fake-telegram.ts";
import { createApplication, createCity, createInstructor, createSchool, createStaff } from "../support/fixtures.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(30_000);

const almaty = (s: string) => new Date(`${s}+05:00`);
/** The bot's "now": Monday 9 December 2030, 10:00 in Almaty. */
const NOW = almaty("2030-12-09T10:00:00");
const HOUR = 3_600_000;

let h: BotHarness;
let cityId: number;
let instructorId: number;
const STAFF: FakeUser = { id: 9101, first_name: "Инструктор", language_code: "ru" };

beforeAll(async () => {
  h = await startBotHarness({ demo: false, now: () => NOW });
  const db = h.database.db;
  cityId = (await createCity(db)).id;
  instructorId = (await createInstructor(db, { cityId, name: "Ерлан <Б.>" })).id;
  // The instructor's staff chat, linked the way staff link it.
  const account = await createStaff(db, { instructorId });
  const { code } = await createLinkCode(db, account.id);
  expect((await student(h.tg, STAFF).send(`/start link_${code}`)).text).toStartWith("Telegram привязан");
});
afterAll(() => h.dispose());

/** A student who has talked to the bot, with an accepted application to the instructor. */
async function studentWithApplication(user: FakeUser) {
  const s = student(h.tg, user);
  await s.send("/start");
  await s.send("/cancel");
  const [row] = await h.database.db.select().from(students).where(eq(students.telegramId, user.id));
  const app = await createApplication(h.database.db, { instructorId, cityId }, { studentId: row!.id, studentName: user.first_name, status: "accepted" });
  return { s, studentId: row!.id, app };
}

async function addLesson(applicationId: number, startsAt: Date, more: Partial<typeof lessons.$inferInsert> = {}) {
  const [l] = await h.database.db
    .insert(lessons)
    .values({ applicationId, instructorId, startsAt, minutes: 90, state: "planned", timedAt: new Date(NOW.getTime() - 72 * HOUR), ...more })
    .returning();
  return l!;
}

async function addSlot(startsAt: Date, minutes = 90) {
  const [slot] = await h.database.db.insert(instructorSlots).values({ instructorId, startsAt, minutes, state: "free" }).returning();
  return slot!;
}

const lessonRow = async (id: number) => (await h.database.db.select().from(lessons).where(eq(lessons.id, id)))[0]!;

/** The staff chat's next message containing `part`, sent after call number `after`. */
async function staffGot(part: string, after: number): Promise<string> {
  const match = (p: Record<string, any>) => Number(p.chat_id) === STAFF.id && String(p.text).includes(part);
  await h.tg.waitForCall("sendMessage", match, 5000, after);
  return h.tg.calls.slice(after).findLast((c) => c.method === "sendMessage" && match(c.params))!.params.text;
}

/** Presses forged callback data on the student's latest message; resolves with the toasts. */
async function pressForged(s: Student, data: string): Promise<string[]> {
  const before = h.tg.calls.length;
  h.tg.pressButton(s.user, { message_id: s.last().messageId, reply_markup: { inline_keyboard: [[{ text: "forged", callback_data: data }]] } }, "forged");
  await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
  return h.tg.calls.slice(before).filter((c: RecordedCall) => c.method === "answerCallbackQuery").map((c) => c.params.text);
}

describe("/my", () => {
  test("lists an upcoming lesson by its own date (time in Almaty, length, instructor, place, application) and past ones with their outcome", async () => {
    const { s, app } = await studentWithApplication({ id: 7101, first_name: "Айгерим", language_code: "ru" });
    await addLesson(app.id, almaty("2030-12-12T09:00:00"), { place: "ТЦ <Мега>" });
    await addLesson(app.id, almaty("2030-12-02T09:00:00"), { state: "conducted" });
    await addLesson(app.id, almaty("2030-12-05T09:00:00"), { state: "no_show", noShowBy: "student" });
    await addLesson(app.id, almaty("2030-12-08T09:00:00"), { state: "cancelled", cancelledBy: "student", cancelledLate: true });

    const my = await s.send("/my");
    expect(my.text).toContain(`Ваши занятия:\n• чт, 12 дек. 09:00, 90 мин — инструктор Ерлан &lt;Б.&gt; (заявка № ${app.publicNumber})\n    Место: ТЦ &lt;Мега&gt;`);
    expect(my.text).toContain(
      [
        "Прошедшие и отменённые занятия:",
        `• вс, 8 дек. 09:00 (заявка № ${app.publicNumber}): отменено вами поздно (считается как пропуск)`,
        `• чт, 5 дек. 09:00 (заявка № ${app.publicNumber}): пропущено — вы не пришли`,
        `• пн, 2 дек. 09:00 (заявка № ${app.publicNumber}): проведено`,
      ].join("\n"),
    );
    expect(my.text).toContain(`Ваши заявки:\n\n№ ${app.publicNumber}`);
    // An accepted application the student has not said they paid also offers "Я оплатил(а)" (issue 16).
    expect(s.buttons()).toEqual(["📅 чт, 12 дек. 09:00", `Я оплатил(а) · № ${app.publicNumber}`, `Отменить № ${app.publicNumber}`]);

    const card = await s.press("📅 чт, 12 дек. 09:00");
    expect(card.text).toBe(`Занятие чт, 12 дек. 09:00, 90 мин\nИнструктор: Ерлан &lt;Б.&gt;\nЗаявка № ${app.publicNumber}\nМесто: ТЦ &lt;Мега&gt;`);
    expect(s.buttons()).toEqual(["Перенести", "Отменить", "← Мои занятия"]);
    expect((await s.press("← Мои занятия")).text).toStartWith("Ваши занятия:");
  });

  test("in Kazakh", async () => {
    const { s, app } = await studentWithApplication({ id: 7102, first_name: "Дана", language_code: "kk" });
    await addLesson(app.id, almaty("2030-12-12T09:00:00"));
    const my = await s.send("/my");
    expect(my.text).toStartWith(`Сіздің сабақтарыңыз:\n• 12 желтоқсан, бейсенбі, 09:00, 90 мин — нұсқаушы Ерлан &lt;Б.&gt; (№ ${app.publicNumber} өтінім)`);
    await s.press("📅 12 желтоқсан, бейсенбі, 09:00");
    expect(s.buttons()).toEqual(["Ауыстыру", "Бас тарту", "← Менің сабақтарым"]);
  });
});

describe("cancelling", () => {
  test("outside the cut-off: asked, then cancelled in time; the instructor's chat is told", async () => {
    const { s, app } = await studentWithApplication({ id: 7103, first_name: "Асель", language_code: "ru" });
    const lesson = await addLesson(app.id, almaty("2030-12-12T09:00:00"));
    await s.send("/my");
    await s.press("📅 чт, 12 дек. 09:00");
    const ask = await s.press("Отменить");
    expect(ask.text).toBe("Отменить занятие чт, 12 дек. 09:00?");
    expect(s.buttons()).toEqual(["Да, отменить", "Нет, оставить"]);
    const before = h.tg.calls.length;
    const done = await s.press("Да, отменить");
    expect(done.text).toBe("Занятие чт, 12 дек. 09:00 отменено. Инструктор получит уведомление.");
    const row = await lessonRow(lesson.id);
    expect([row.state, row.cancelledBy, row.cancelledLate]).toEqual(["cancelled", "student", false]);
    expect(await staffGot("отменил занятие", before)).toBe(`Заявка № ${app.publicNumber}, Асель: ученик отменил занятие чт, 12 дек. 09:00 из бота.`);
  });

  test("inside the cut-off: the warning says it counts; confirmed, the cancellation is late", async () => {
    const { s, app } = await studentWithApplication({ id: 7104, first_name: "Бауыржан", language_code: "ru" });
    const lesson = await addLesson(app.id, new Date(NOW.getTime() + 5 * HOUR)); // 15:00 today
    await s.send("/my");
    await s.press("📅 пн, 9 дек. 15:00");
    const ask = await s.press("Отменить");
    expect(ask.text).toBe(
      "Отменить занятие пн, 9 дек. 15:00?\n\n⚠️ До занятия меньше 24 ч. Это поздняя отмена: она засчитывается как пропуск занятия, и инструктор это увидит.",
    );
    const before = h.tg.calls.length;
    expect((await s.press("Да, отменить")).text).toBe("Занятие пн, 9 дек. 15:00 отменено. Инструктор получит уведомление.\nОтмена поздняя — засчитана как пропуск.");
    const row = await lessonRow(lesson.id);
    expect([row.state, row.cancelledBy, row.cancelledLate]).toEqual(["cancelled", "student", true]);
    expect(await staffGot("Поздняя отмена", before)).toContain("Бауыржан: ученик отменил занятие пн, 9 дек. 15:00 из бота.");
    // The same button again: the lesson is no longer planned, and nothing changes.
    const again = await s.press("← Мои занятия");
    expect(again.text).toContain("отменено вами поздно");
  });
});

describe("moving", () => {
  test("outside the cut-off: a free day, a time, the confirmation; the lesson moves and its old slot is open again", async () => {
    const { s, app } = await studentWithApplication({ id: 7105, first_name: "Нурлан", language_code: "ru" });
    const old = await addSlot(almaty("2030-12-13T10:00:00"));
    await h.database.db.update(applications).set({ slotId: old.id }).where(eq(applications.id, app.id)); // the booking's slot
    const lesson = await addLesson(app.id, old.startsAt, { slotId: old.id });
    const target = await addSlot(almaty("2030-12-14T11:00:00"), 60);
    await addSlot(almaty("2030-12-14T14:00:00"), 60);
    expect(await isSlotOpen(h.database.db, old.id)).toBe(false);

    await s.send("/my");
    await s.press("📅 пт, 13 дек. 10:00");
    const days = await s.press("Перенести");
    expect(days.text).toBe("Перенос занятия пт, 13 дек. 10:00. Выберите новый день (время местное):");
    expect(s.buttons()).toEqual(["сб, 14 дек. (2)", "← Назад"]);
    const times = await s.press("сб, 14 дек. (2)");
    expect(times.text).toBe("сб, 14 дек.: выберите время.");
    expect(s.buttons()).toEqual(["11:00", "14:00", "← Назад"]);
    const ask = await s.press("11:00");
    expect(ask.text).toBe("Перенести занятие с пт, 13 дек. 10:00 на сб, 14 дек. 11:00?");
    const before = h.tg.calls.length;
    const done = await s.press("Да, перенести");
    expect(done.text).toBe("Занятие перенесено на сб, 14 дек. 11:00, 60 мин. Инструктор получит уведомление.");

    const row = await lessonRow(lesson.id);
    expect([row.startsAt.getTime(), row.slotId, row.minutes, row.state]).toEqual([target.startsAt.getTime(), target.id, 60, "planned"]);
    expect(await isSlotOpen(h.database.db, old.id)).toBe(true);
    expect(await isSlotOpen(h.database.db, target.id)).toBe(false);
    expect(await staffGot("перенёс занятие", before)).toBe(`Заявка № ${app.publicNumber}, Нурлан: ученик перенёс занятие из бота — было пт, 13 дек. 10:00, теперь сб, 14 дек. 11:00.`);
    const moved = (await h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "lesson")))).map((e) => e.payload);
    expect(moved).toContainEqual(expect.objectContaining({ action: "moved", by: "student" }));
  });

  test("a time taken meanwhile is refused in words; the lesson stays where it was", async () => {
    const { s, app } = await studentWithApplication({ id: 7106, first_name: "Марат", language_code: "ru" });
    const lesson = await addLesson(app.id, almaty("2030-12-16T10:00:00"));
    const slot = await addSlot(almaty("2030-12-17T18:00:00"));
    await s.send("/my");
    await s.press("📅 пн, 16 дек. 10:00");
    await s.press("Перенести");
    await s.press("вт, 17 дек. (1)");
    await s.press("18:00");
    // Someone else's lesson takes the time before the student confirms.
    const other = await studentWithApplication({ id: 7107, first_name: "Другой", language_code: "ru" });
    await addLesson(other.app.id, slot.startsAt);
    const refused = await s.press("Да, перенести");
    expect(refused.text).toBe("Это время только что заняли. Выберите другое.");
    expect(s.buttons()).toEqual(["Выбрать другое время", "← Мои занятия"]);
    expect((await lessonRow(lesson.id)).startsAt.getTime()).toBe(lesson.startsAt.getTime());
    // The instructor withdraws every other free time: the student is told and offered to write.
    await h.database.db.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.instructorId, instructorId));
    const none = await s.press("Выбрать другое время");
    expect(none.text).toBe("У инструктора нет свободных окон в ближайшие две недели. Напишите инструктору, чтобы договориться о другом времени.");
    expect(s.buttons()).toEqual(["Написать инструктору", "← Мои занятия"]);
  });

  test("inside the cut-off: refused with the cut-off in hours; «Написать инструктору» sends the next message to that application", async () => {
    const { s, studentId, app } = await studentWithApplication({ id: 7108, first_name: "Жанна", language_code: "ru" });
    // A second open application: without the button the bot would ask which one a message is for.
    const schoolApp = await createApplication(h.database.db, { schoolId: (await createSchool(h.database.db, { cityId })).id, cityId }, { studentId });
    const lesson = await addLesson(app.id, new Date(NOW.getTime() + 20 * HOUR)); // tomorrow 06:00
    await addSlot(almaty("2030-12-18T10:00:00"));
    await s.send("/my");
    await s.press("📅 вт, 10 дек. 06:00");
    const refused = await s.press("Перенести");
    expect(refused.text).toBe("Перенести это занятие уже нельзя: до него меньше 24 ч. Напишите инструктору, чтобы договориться.");
    const prompt = await s.press("Написать инструктору");
    expect(prompt.text).toBe(`Напишите сообщение — инструктор Ерлан &lt;Б.&gt; его получит (заявка № ${app.publicNumber}).`);
    const before = h.tg.calls.length;
    expect((await s.send("Можно перенести на четверг?")).text).toStartWith("Отправлено: Ерлан");
    expect(await staffGot("Можно перенести на четверг?", before)).toContain(`по заявке № ${app.publicNumber}`);
    const messages = await h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "message")));
    expect(messages.map((e) => e.payload)).toEqual([{ text: "Можно перенести на четверг?" }]);
    expect(await h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, schoolApp.id), eq(applicationEvents.type, "message")))).toEqual([]);
    expect((await lessonRow(lesson.id)).startsAt.getTime()).toBe(lesson.startsAt.getTime());
  });
});

describe("forged and stale buttons", () => {
  test("another student's lesson: every action is a stale button and nothing changes", async () => {
    const owner = await studentWithApplication({ id: 7109, first_name: "Владелец", language_code: "ru" });
    const theirs = await addLesson(owner.app.id, almaty("2030-12-19T10:00:00"));
    const slot = await addSlot(almaty("2030-12-20T10:00:00"));
    const { s } = await studentWithApplication({ id: 7110, first_name: "Чужой", language_code: "ru" });
    await s.send("/my");
    for (const data of [
      lessonData.pack({ id: theirs.id, a: "cancel_yes" }),
      lessonData.pack({ id: theirs.id, a: "open" }),
      lessonData.pack({ id: theirs.id, a: "write" }),
      lessonSlotData.pack({ id: theirs.id, slot: slot.id, ok: 1 }),
      lessonData.pack({ id: 2 ** 31 - 1, a: "cancel" }),
    ]) {
      const toasts = await pressForged(s, data);
      expect(toasts).toHaveLength(1);
      expect(toasts[0]).toMatch(/^(Эта кнопка устарела|Эта заявка уже отправлена)/);
    }
    const row = await lessonRow(theirs.id);
    expect([row.state, row.startsAt.getTime(), row.slotId]).toEqual(["planned", theirs.startsAt.getTime(), null]);
    expect(await isSlotOpen(h.database.db, slot.id)).toBe(true);
  });
});

describe("refusals", () => {
  test("a lesson no longer planned, or already started, is refused in words (not as a stale button) and nothing changes", async () => {
    const { s, app } = await studentWithApplication({ id: 7112, first_name: "Ержан", language_code: "ru" });
    const cancelled = await addLesson(app.id, almaty("2030-12-21T10:00:00"), { state: "cancelled", cancelledBy: "instructor" });
    const started = await addLesson(app.id, new Date(NOW.getTime() - HOUR));
    await s.send("/my");
    for (const [lesson, action, words] of [
      [cancelled, "cancel_yes", "Это занятие уже отменено или проведено."],
      [cancelled, "move", "Это занятие уже отменено или проведено."],
      [started, "cancel", "Это занятие уже началось или прошло."],
      [started, "move", "Это занятие уже началось или прошло."],
    ] as const) {
      const before = h.tg.calls.length;
      h.tg.pressButton(s.user, { message_id: s.last().messageId, reply_markup: { inline_keyboard: [[{ text: "old", callback_data: lessonData.pack({ id: lesson.id, a: action }) }]] } }, "old");
      const shown = await h.tg.waitForCall("editMessageText", (p) => Number(p.chat_id) === s.user.id, 5000, before);
      expect(shown.text).toBe(words);
    }
    expect(await lessonRow(cancelled.id)).toMatchObject({ state: "cancelled", cancelledBy: "instructor" });
    expect(await lessonRow(started.id)).toMatchObject({ state: "planned", startsAt: started.startsAt });
  });
});

describe("cancelling an application", () => {
  test("asks first; a reason given, the application and its planned lessons are cancelled", async () => {
    const { s, app } = await studentWithApplication({ id: 7111, first_name: "Алия", language_code: "ru" });
    const lesson = await addLesson(app.id, almaty("2030-12-20T10:00:00"));
    await s.send("/my");
    const ask = await s.press(`Отменить № ${app.publicNumber}`);
    expect(ask.text).toBe(
      `Отменить заявку № ${app.publicNumber} (Ерлан &lt;Б.&gt;)? Запланированные занятия по ней тоже отменятся.\n\n` +
        "Почему отменяете? Причину увидит Ерлан &lt;Б.&gt;. Заявка отменится сразу, как только вы выберете ответ.",
    );
    expect((await h.database.db.select().from(applications).where(eq(applications.id, app.id)))[0]!.status).toBe("accepted");
    // "Не отменять" goes back to the list, nothing changed.
    expect((await s.press("Не отменять")).text).toStartWith("Ваши занятия:");
    await s.press(`Отменить № ${app.publicNumber}`);
    const done = await s.press("Планы изменились");
    expect(s.toasts()).toEqual([`Заявка № ${app.publicNumber} отменена.`]);
    expect(done.text).toContain("отменено вами");
    expect((await h.database.db.select().from(applications).where(eq(applications.id, app.id)))[0]!.status).toBe("cancelled");
    expect(await lessonRow(lesson.id)).toMatchObject({ state: "cancelled", cancelledBy: "student" });
  });
});
