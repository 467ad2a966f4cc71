// Reviews (issue 16) end to end through the real bot and the fake Bot API, with the job's clock
// stepped by hand: a completed application gets a review request for the next local morning; the
// job asks once, reminds once after REVIEW_REMINDER_MS, then never again; the student presses the
// rating the bot really sent, a too long comment and a photo are refused (nothing kept), the
// comment and "Показать имя" save the review in one go (request closed, city marked, audited) and
// the school's card in the bot shows it; a second review, a forged button for an unfinished or
// another student's application are refused with nothing saved; the admin's Hide removes the
// comment from the card (the rating still counts) and is audited.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { reviewOpenData, reviewRateData, ratingButtons } from "../../src/bot/callback-data.ts";
import { auditLog, indexDirty, lessons, reviewRequests, reviews, schoolOffers, schools, students } from "../../src/db/schema.ts";
import { cancelLesson, markLesson, planLesson } from "../../src/domain/lessons.ts";
import { requestReview, sendDueReviewRequests } from "../../src/domain/reviews.ts";
import { changeStatus } from "../../src/domain/status.ts";
import { MAX_REVIEW_TEXT, REVIEW_REMINDER_MS, reviewDueAt } from "../../src/model/review.ts";
import { reviewRequester } from "../../src/jobs/review-requests.ts";
import { appOver } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import * as fx from "../support/fixtures.ts";
import { student } from "../support/student.ts";
import { adminSession } from "../web/admin-support.ts";

setDefaultTimeout(30_000);

const ZONE = "Asia/Almaty";
const H = 3_600_000;
let h: BotHarness;
const db = () => h.database.db;

beforeAll(async () => {
  h = await startBotHarness({ demo: false });
});
afterAll(() => h.dispose());

const job = (now: Date) => sendDueReviewRequests(db(), now, { buttons: ratingButtons });

/** A school with an offer (so its card opens), a staff account, and a student's application at `status`. */
async function schoolWithApplication(status: "studying" | "confirmed" | "completed", studentOpts: { firstName?: string } = {}) {
  const school = await fx.createSchool(db(), { name: "Жол <b>Авто</b>" });
  await db().insert(schoolOffers).values({ schoolId: school.id, category: "B", format: "in_person", priceKzt: 180_000, durationWeeks: 10 });
  const staff = await fx.createStaff(db(), { schoolId: school.id });
  const st = await fx.createStudent(db(), { firstName: studentOpts.firstName ?? "Айдана" });
  const app = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId: st.id, status });
  return { school, staff, st, app, scope: { kind: "school" as const, schoolId: school.id, accountId: staff.id } };
}

const sentTo = (chatId: number, from: number) => h.tg.calls.slice(from).filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId);

describe("asking for a review", () => {
  test("completed → a request for the next morning; asked once, reminded once, then never; closed when answered", async () => {
    const { st, app, scope, school } = await schoolWithApplication("studying");
    const completedAt = new Date("2026-12-04T18:50:00Z"); // 23:50 in Almaty
    const changed = await changeStatus(db(), scope, app.id, { from: "studying", to: "completed" }, { now: completedAt, timeZone: ZONE });
    expect(changed.ok).toBe(true);
    const [request] = await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id));
    const due = reviewDueAt(completedAt, ZONE);
    expect(request!.dueAt.toISOString()).toBe("2026-12-05T06:00:00.000Z"); // the next day, 11:00 local
    expect(request!.dueAt.getTime()).toBe(due.getTime());

    // Not before it is due; at its time once; not again the same day.
    expect((await job(new Date(due.getTime() - 60_000))).asked).toBe(0);
    const before = h.tg.calls.length;
    expect(await job(due)).toMatchObject({ asked: 1, reminded: 0 });
    expect(await job(new Date(due.getTime() + H))).toMatchObject({ asked: 0, reminded: 0 });
    h.bot.delivery!.wake();
    const ask = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st.chatId && String(p.text).includes("Оцените"), 5000, before);
    expect(ask.text).toContain("Оцените автошколу «Жол &lt;b&gt;Авто&lt;/b&gt;»");
    expect(ask.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(["1", "2", "3", "4", "5 ★"]);

    // One reminder after REVIEW_REMINDER_MS, then never again.
    expect((await job(new Date(due.getTime() + REVIEW_REMINDER_MS - 60_000))).reminded).toBe(0);
    expect(await job(new Date(due.getTime() + REVIEW_REMINDER_MS))).toMatchObject({ asked: 0, reminded: 1 });
    expect(await job(new Date(due.getTime() + 5 * REVIEW_REMINDER_MS))).toMatchObject({ asked: 0, reminded: 0 });
    h.bot.delivery!.wake();
    await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st.chatId && String(p.text).startsWith("Напоминаем"), 5000, before);
    expect(sentTo(st.chatId, before).filter((c) => /Оцените|оцените/.test(String(c.params.text)))).toHaveLength(2);

    // The student answers through the buttons the bot really sent.
    const s = student(h.tg, { id: st.telegramId, first_name: "Айдана", language_code: "ru" });
    const comment = await s.press("4");
    expect(comment.method).toBe("editMessageText");
    expect(comment.text).toContain("Ваша оценка: ★★★★");
    expect(s.buttons()).toEqual(["Без комментария"]);

    // Too long: said, asked again, nothing kept. A photo: refused, asked again.
    const tooLong = await s.send("а".repeat(MAX_REVIEW_TEXT + 1));
    expect(tooLong.text).toContain(`Комментарий слишком длинный: ${MAX_REVIEW_TEXT + 1} символов, можно до ${MAX_REVIEW_TEXT}`);
    const photoBefore = h.tg.calls.length;
    h.tg.sendContent(s.user, { photo: [{ file_id: "p1", file_unique_id: "u1", width: 10, height: 10 }] });
    const refused = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st.chatId, 5000, photoBefore);
    expect(refused.text).toContain("Комментарий принимается только текстом");
    expect(await db().select().from(reviews).where(eq(reviews.studentId, st.id))).toEqual([]);

    const name = await s.send("Хорошие <b>инструкторы</b>, но мало практики");
    expect(name.text).toContain("Показать ваше имя рядом с отзывом?");
    const thanks = await s.press("Показать имя");
    expect(thanks.text).toContain("Спасибо за отзыв!");

    const [saved] = await db().select().from(reviews).where(eq(reviews.studentId, st.id));
    expect(saved).toMatchObject({ applicationId: app.id, schoolId: school.id, instructorId: null, cityId: school.cityId, rating: 4, comment: "Хорошие <b>инструкторы</b>, но мало практики", showName: true, hiddenAt: null });
    expect((await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id)))[0]!.closedAt).not.toBeNull();
    expect(await db().select().from(indexDirty).where(and(eq(indexDirty.subjectKind, "school"), eq(indexDirty.subjectId, school.id)))).toHaveLength(1);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "review.create"), eq(auditLog.subject, `review:${saved!.id}`)))).toHaveLength(1);

    // Closed: the job never asks again.
    expect(await job(new Date(due.getTime() + 10 * REVIEW_REMINDER_MS))).toMatchObject({ asked: 0, reminded: 0 });

    // The school's card in the bot shows it: average with a decimal comma, count, the comment escaped, the first name.
    const card = await s.send(`/start s${school.id}`);
    expect(card.text).toContain("⭐ Отзывы: 4,0 из 5 (1)");
    expect(card.text).toContain("«Хорошие &lt;b&gt;инструкторы&lt;/b&gt;, но мало практики» — Айдана, ★★★★");

    // A second review of the same school: refused, nothing saved.
    expect(await s.pressForToast("5 ★")).toEqual(["Вы уже оставили отзыв."]);
    expect(await db().select().from(reviews).where(eq(reviews.studentId, st.id))).toHaveLength(1);

    // The admin hides it: audited; the card keeps the rating in the average but not the words.
    const web = appOver(h.database);
    const admin = await adminSession(web);
    const noCsrf = await admin.session.request(`/admin/reviews/${saved!.id}/hide`, { method: "POST", noCsrf: true });
    expect(noCsrf.status).toBe(403);
    expect((await db().select().from(reviews).where(eq(reviews.id, saved!.id)))[0]!.hiddenAt).toBeNull();
    const hide = await admin.session.request(`/admin/reviews/${saved!.id}/hide`, { form: { _csrf: admin.session.csrf } });
    expect(hide.status).toBe(303);
    expect((await db().select().from(reviews).where(eq(reviews.id, saved!.id)))[0]!.hiddenAt).not.toBeNull();
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "review.hide"), eq(auditLog.subject, `review:${saved!.id}`)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.accountId).toBe(admin.id);
    const hiddenCard = await s.send(`/start s${school.id}`);
    expect(hiddenCard.text).toContain("⭐ Отзывы: 4,0 из 5 (1)");
    expect(hiddenCard.text).not.toContain("инструкторы");
    expect(hiddenCard.text).not.toContain("Айдана,");
    const list = await (await admin.session.request(`/admin/reviews?schoolId=${school.id}`)).text();
    expect(list).toContain("скрыт");
  });

  test("a blocked student is not asked: the request is closed", async () => {
    const { st, app, scope } = await schoolWithApplication("studying");
    const now = new Date("2026-12-04T06:00:00Z");
    await changeStatus(db(), scope, app.id, { from: "studying", to: "completed" }, { now, timeZone: ZONE });
    await db().update(students).set({ blocked: true }).where(eq(students.id, st.id));
    const round = await job(reviewDueAt(now, ZONE));
    expect(round.asked).toBe(0);
    expect((await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id)))[0]!.closedAt).not.toBeNull();
  });

  test("the job's loop runs a round on its injected clock without waiting", async () => {
    const { app, scope } = await schoolWithApplication("studying");
    const now = new Date("2026-12-06T06:00:00Z");
    await changeStatus(db(), scope, app.id, { from: "studying", to: "completed" }, { now, timeZone: ZONE });
    // firstAfterMs 0: the round runs at once, and the pause after it resolves `roundOver` and
    // then waits for stop(). No polling, no timing.
    let firstRoundDone!: () => void;
    const roundOver = new Promise<void>((r) => (firstRoundDone = r));
    const sleep = async (_ms: number, signal: AbortSignal) => {
      firstRoundDone();
      await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
    };
    const loop = reviewRequester(db(), { now: () => reviewDueAt(now, ZONE), firstAfterMs: 0, sleep });
    loop.start();
    await roundOver;
    await loop.stop();
    expect((await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id)))[0]!.askedAt).not.toBeNull();
  });

  test("an instructor application: asked after its last planned lesson is held, not before", async () => {
    const instructor = await fx.createInstructor(db(), { name: "Ерлан" });
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
    const past = new Date(Date.now() - 30 * 24 * H);
    const first = await planLesson(db(), instructor.id, app.id, new Date(past.getTime() + 24 * H), 60, { now: past, timeZone: ZONE });
    const second = await planLesson(db(), instructor.id, app.id, new Date(past.getTime() + 48 * H), 60, { now: past, timeZone: ZONE });
    await markLesson(db(), instructor.id, first.id, "conducted", null, { timeZone: ZONE });
    expect(await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id))).toEqual([]);
    await markLesson(db(), instructor.id, second.id, "conducted", null, { timeZone: ZONE });
    expect(await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id))).toHaveLength(1);
    expect((await db().select().from(lessons).where(eq(lessons.applicationId, app.id))).every((l) => l.state === "conducted")).toBe(true);
  });

  test("an instructor application booked one lesson at a time: a lesson planned again before the ask postpones it", async () => {
    const instructor = await fx.createInstructor(db(), { name: "Арман" });
    const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
    const past = new Date(Date.now() - 30 * 24 * H);
    const first = await planLesson(db(), instructor.id, app.id, new Date(past.getTime() + 24 * H), 60, { now: past, timeZone: ZONE });
    await markLesson(db(), instructor.id, first.id, "conducted", null, { timeZone: ZONE });
    const [request] = await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id));
    // The next lesson booked before the question goes out: the round asks nothing, and moves the
    // question to the morning after that lesson.
    const nextAt = new Date(Date.now() + 3 * 24 * H);
    await planLesson(db(), instructor.id, app.id, nextAt, 60, { timeZone: ZONE });
    // (The database is shared with the other tests: only this application's row is looked at.)
    expect((await job(request!.dueAt)).postponed).toBeGreaterThanOrEqual(1);
    const [moved] = await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id));
    expect(moved!.askedAt).toBeNull();
    expect(moved!.dueAt.getTime()).toBe(reviewDueAt(nextAt, ZONE).getTime());
  });

  test("an instructor application whose last planned lesson is cancelled, or missed, after held ones: asked", async () => {
    for (const ending of ["cancelled", "no_show"] as const) {
      const instructor = await fx.createInstructor(db(), { name: `Нурлан ${ending}` });
      const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
      const past = new Date(Date.now() - 30 * 24 * H);
      const first = await planLesson(db(), instructor.id, app.id, new Date(past.getTime() + 24 * H), 60, { now: past, timeZone: ZONE });
      const lastAt = ending === "cancelled" ? new Date(Date.now() + 5 * 24 * H) : new Date(past.getTime() + 48 * H);
      const last = await planLesson(db(), instructor.id, app.id, lastAt, 60, ending === "cancelled" ? { timeZone: ZONE } : { now: past, timeZone: ZONE });
      await markLesson(db(), instructor.id, first.id, "conducted", null, { timeZone: ZONE });
      expect(await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id))).toEqual([]);
      if (ending === "cancelled") await cancelLesson(db(), { kind: "instructor", instructorId: instructor.id, accountId: null }, last.id, { timeZone: ZONE });
      else await markLesson(db(), instructor.id, last.id, "no_show", "student", { timeZone: ZONE });
      expect(await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, app.id))).toHaveLength(1);
    }
  });

  test("two finished applications at one school: one question and one reminder to the student", async () => {
    const { st, app, school } = await schoolWithApplication("completed");
    const second = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId: st.id, status: "completed" });
    const now = new Date("2026-12-10T06:00:00Z");
    await requestReview(db(), app.id, now, ZONE);
    await requestReview(db(), second.id, now, ZONE);
    const due = reviewDueAt(now, ZONE);
    // (The database is shared with the other tests: only this student's rows and messages count.)
    const before = h.tg.calls.length;
    await job(due);
    await job(new Date(due.getTime() + REVIEW_REMINDER_MS));
    await job(new Date(due.getTime() + 3 * REVIEW_REMINDER_MS));
    const [first, other] = await Promise.all([app.id, second.id].map(async (id) => (await db().select().from(reviewRequests).where(eq(reviewRequests.applicationId, id)))[0]!));
    expect(first!.askedAt).not.toBeNull();
    expect(first!.remindedAt).not.toBeNull();
    expect(other!.closedAt).not.toBeNull();
    expect(other!.askedAt).toBeNull();
    h.bot.delivery!.wake();
    await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st.chatId && String(p.text).startsWith("Напоминаем"), 5000, before);
    expect(sentTo(st.chatId, before).filter((c) => /Оцените|оцените/.test(String(c.params.text)))).toHaveLength(2);
  });
});

describe("the review question names the school in the student's language", () => {
  test("its Kazakh name to a Kazakh student, the Russian one to a Russian student and where no Kazakh name is written", async () => {
    const named = await fx.createSchool(db(), { name: "Горизонт" });
    await db().update(schools).set({ nameKk: "Көкжиек" }).where(eq(schools.id, named.id));
    const plain = await fx.createSchool(db(), { cityId: named.cityId, name: "Меридиан" });
    const now = new Date("2026-12-12T06:00:00Z");
    const asked = async (school: { id: number; cityId: number }, language: "ru" | "kk") => {
      const st = await fx.createStudent(db(), { language });
      const app = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId: st.id, status: "completed" });
      await requestReview(db(), app.id, now, ZONE);
      return st;
    };
    const [kk, ru, kkPlain] = [await asked(named, "kk"), await asked(named, "ru"), await asked(plain, "kk")];
    const before = h.tg.calls.length;
    await job(reviewDueAt(now, ZONE));
    h.bot.delivery!.wake();
    const textTo = async (chatId: number) => String((await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === chatId, 5000, before)).text);
    expect(await textTo(kk.chatId)).toContain("«Көкжиек» автомектебін 1-ден 5-ке дейін бағалаңыз");
    expect(await textTo(ru.chatId)).toContain("Оцените автошколу «Горизонт»");
    expect(await textTo(kkPlain.chatId)).toContain("«Меридиан» автомектебін");
  });
});

describe("no review without a finished application of one's own", () => {
  test("a forged rating for a confirmed (unfinished) application, or another student's finished one, saves nothing", async () => {
    const { st, app } = await schoolWithApplication("confirmed");
    const s = student(h.tg, { id: st.telegramId, first_name: "Айдана", language_code: "ru" });
    const press = async (data: string) => {
      const before = h.tg.calls.length;
      h.tg.pressButton(s.user, { message_id: 1, reply_markup: { inline_keyboard: [[{ text: "5", callback_data: data }]] } }, "5");
      return (await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before)).text;
    };
    expect(await press(reviewRateData.pack({ id: app.id, r: 5 }))).toBe("Отзыв можно оставить только после завершённого обучения.");
    expect(await press(reviewOpenData.pack({ id: app.id }))).toBe("Отзыв можно оставить только после завершённого обучения.");

    // Another student's completed application: not theirs, a stale button.
    const other = await schoolWithApplication("studying");
    await changeStatus(db(), other.scope, other.app.id, { from: "studying", to: "completed" }, { timeZone: ZONE });
    const stale = await press(reviewRateData.pack({ id: other.app.id, r: 5 }));
    expect(stale).not.toBe("Вы уже оставили отзыв.");
    expect(stale).toBeTruthy();
    // A rating outside 1–5 is no button of ours.
    expect(await press(`rv_${other.app.id}_9`)).toBeTruthy();
    expect(await db().select().from(reviews).where(eq(reviews.studentId, st.id))).toEqual([]);
    expect(await db().select().from(reviews).where(eq(reviews.studentId, other.st.id))).toEqual([]);
  });

  test("/my offers «Оставить отзыв» on a finished application, anonymously saved without a comment; then not any more", async () => {
    // Completed from the start, its request made directly: no status message racing the /my reply.
    const { st, app, school } = await schoolWithApplication("completed", { firstName: "Бота" });
    await requestReview(db(), app.id, new Date(), ZONE);
    const s = student(h.tg, { id: st.telegramId, first_name: "Бота", language_code: "kk" });
    await db().update(students).set({ language: "kk" }).where(eq(students.id, st.id));
    await s.send("/my");
    expect(s.buttons()).toContain(`Пікір қалдыру (№ ${app.publicNumber})`);
    const ask = await s.press(`Пікір қалдыру (№ ${app.publicNumber})`);
    expect(ask.text).toContain("бағалаңыз");
    await s.press("5 ★");
    await s.press("Пікірсіз");
    const done = await s.press("Жасырын");
    expect(done.text).toContain("Пікіріңізге рақмет!");
    const [saved] = await db().select().from(reviews).where(eq(reviews.studentId, st.id));
    expect(saved).toMatchObject({ rating: 5, comment: "", showName: false, schoolId: school.id });
    const after = await s.send("/my");
    const buttons = (after.markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text);
    expect(buttons.some((b: string) => b.startsWith("Пікір қалдыру"))).toBe(false);
  });
});
