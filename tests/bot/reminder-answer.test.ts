// A reminder answered through the fake Bot API, pressing the buttons the bot really sent: "Не смогу"
// stores the answer, edits the reminder (with move / cancel offered), writes the history and
// alerts the linked staff who asked for answers (the instructor's and their school's), not those
// who did not or another instructor's; "Приду" after it changes the answer and alerts again; the
// same answer twice alerts no one again; a cancelled lesson's button says why and changes nothing.
// The Kazakh reminder's words are checked too.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { accounts, applicationEvents, instructors, lessons, outbox, students } from "../../src/db/schema.ts";
import { reminderButtons } from "../../src/bot/callback-data.ts";
import { sendDueReminders } from "../../src/domain/lesson-reminders.ts";
import { cancelLesson, planLesson } from "../../src/domain/lessons.ts";
import { lessonReminder, lessonReminderAnswered } from "../../src/notify/reminder.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import * as fx from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

const ZONE = "Asia/Almaty";
const H = 3_600_000;
let h: BotHarness;
const db = () => h.database.db;

beforeAll(async () => {
  h = await startBotHarness({ demo: false });
});
afterAll(() => h.dispose());

/** A linked staff account with answer alerts on or off. */
async function staff(who: { schoolId: number } | { instructorId: number }, chatId: number, alerts: boolean) {
  const a = await fx.createStaff(db(), who);
  await db().update(accounts).set({ telegramChatId: chatId, lessonAnswerAlerts: alerts }).where(eq(accounts.id, a.id));
  return a;
}

const textsTo = async (chatId: number) => (await db().select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(outbox.id)).map((r) => String((r.payload as unknown as { params: { text: string } }).params.text));

describe("answering a reminder", () => {
  test("Не смогу → stored, shown, staff with alerts told; Приду changes it; the same answer twice alerts once", async () => {
    const school = await fx.createSchool(db());
    const instructor = await fx.createInstructor(db(), { cityId: school.cityId, name: "Ерлан" });
    await db().update(instructors).set({ schoolId: school.id }).where(eq(instructors.id, instructor.id));
    const otherInstructor = await fx.createInstructor(db());
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted", studentName: "Дана <i>Ким</i>" });
    const [st] = await db().select().from(students).where(eq(students.id, app.studentId));
    await staff({ instructorId: instructor.id }, 7001, true);
    await staff({ schoolId: school.id }, 7002, true);
    await staff({ schoolId: school.id }, 7003, false);
    await staff({ instructorId: otherInstructor.id }, 7004, true);

    // Planned 5 h ago for 20 h from now: the first reminder (T−24h) is due.
    const lesson = await planLesson(db(), instructor.id, app.id, new Date(Date.now() + 20 * H), 60, { now: new Date(Date.now() - 5 * H), timeZone: ZONE, place: "Абая 1" });
    expect((await sendDueReminders(db(), new Date(), { timeZone: ZONE, buttons: reminderButtons })).sent).toBeGreaterThanOrEqual(1);
    h.bot.delivery!.wake();
    await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st!.chatId && String(p.text).includes("Напоминание о занятии"));

    const s = student(h.tg, { id: st!.telegramId, first_name: "Айдана", language_code: "ru" });
    expect(s.buttons()).toEqual(["Приду", "Не смогу"]);
    const edited = await s.press("Не смогу");
    expect(edited.method).toBe("editMessageText");
    expect(edited.text).toContain("Ваш ответ: «Не смогу». Инструктор увидит ваш ответ.");
    expect(edited.text).toContain("Место: Абая 1");
    expect(s.buttons()).toEqual(["Приду", "Не смогу", "Перенести", "Отменить"]);
    expect(s.toasts()).toEqual(["Ответ сохранён."]);

    const stored = (await db().select().from(lessons).where(eq(lessons.id, lesson.id)))[0]!;
    expect(stored.studentAnswer).toBe("not_coming");
    expect(stored.answeredAt).not.toBeNull();
    const events = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "lesson")));
    expect(events.map((e) => e.payload.action)).toEqual(["planned", "answered"]);
    expect(events[1]!.payload).toMatchObject({ lesson: lesson.id, answer: "not_coming", startsAt: lesson.startsAt.toISOString() });

    // The alert goes to the instructor's and the school's staff who asked, escaped; not to the others.
    h.bot.delivery!.wake();
    const alert = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === 7001);
    expect(alert.text).toContain("ученик Дана &lt;i&gt;Ким&lt;/i&gt; ответил(а) на напоминание");
    expect(alert.text).toContain("«Не смогу»");
    expect(await textsTo(7002)).toHaveLength(1);
    expect(await textsTo(7003)).toEqual([]);
    expect(await textsTo(7004)).toEqual([]);

    // Changing the answer: stored and told; the "move / cancel" offer goes away.
    const again = await s.press("Приду");
    expect(again.text).toContain("Ваш ответ: «Приду».");
    expect(s.buttons()).toEqual(["Приду", "Не смогу"]);
    expect((await db().select().from(lessons).where(eq(lessons.id, lesson.id)))[0]!.studentAnswer).toBe("coming");
    expect((await textsTo(7001)).map((t) => t.includes("«Приду»"))).toEqual([false, true]);

    // The same answer again: nothing new for staff, no new history line.
    await s.press("Приду");
    expect(await textsTo(7001)).toHaveLength(2);
    const after = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "lesson")));
    expect(after).toHaveLength(3);

    // Cancelled meanwhile: the button says why and changes nothing.
    await cancelLesson(db(), { kind: "instructor", instructorId: instructor.id, accountId: null }, lesson.id, { timeZone: ZONE });
    expect(await s.pressForToast("Не смогу")).toEqual(["Это занятие уже отменено или прошло."]);
    expect((await db().select().from(lessons).where(eq(lessons.id, lesson.id)))[0]!.studentAnswer).toBe("coming");
    expect(await textsTo(7001)).toHaveLength(2);
  });

  test("another student's lesson cannot be answered (forged button)", async () => {
    const instructor = await fx.createInstructor(db());
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
    const lesson = await planLesson(db(), instructor.id, app.id, new Date(Date.now() + 20 * H), 60, { timeZone: ZONE });
    const intruder = await fx.createStudent(db());
    const s = student(h.tg, { id: intruder.telegramId, first_name: "X", language_code: "ru" });
    const before = h.tg.calls.length;
    h.tg.pressButton(s.user, { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "Приду", callback_data: reminderButtons(lesson.id).answer("coming") }]] } }, "Приду");
    const toast = await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
    expect(toast.text).toBe("Занятие не найдено.");
    expect((await db().select().from(lessons).where(eq(lessons.id, lesson.id)))[0]!.studentAnswer).toBeNull();
  });
});

describe("the reminder's words", () => {
  test("in Kazakh: the question and the answers", () => {
    const facts = { number: "42", instructor: "Ерлан", startsAt: new Date("2026-12-10T04:00:00Z"), minutes: 60, place: "", timeZone: ZONE };
    const m = lessonReminder("kk", facts, reminderButtons(5));
    expect(m.text).toContain("Сабақ туралы еске салу");
    expect(m.text).toContain("09:00");
    expect(m.text).not.toContain("Орны");
    expect((m.markup!.inline_keyboard as { text: string }[][]).flat().map((b) => b.text)).toEqual(["Келемін", "Келе алмаймын"]);
    const answered = lessonReminderAnswered("kk", facts, "not_coming", reminderButtons(5));
    expect((answered.markup!.inline_keyboard as { text: string }[][]).flat().map((b) => b.text)).toEqual(["Келемін", "Келе алмаймын", "Ауыстыру", "Бас тарту"]);
  });
});
