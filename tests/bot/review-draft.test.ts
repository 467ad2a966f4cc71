// A review draft waiting for its comment takes only the very next message (issue 16 review,
// finding 1): any other update in between (/help, /my, another button) leaves it, and the
// application flow's own typed input (phone, name) wins over it. So a later message to the
// school, a photo for the school, or a phone typed on the phone step is never taken for a
// review comment.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applicationEvents, botConversations, reviewRequests, reviews, students } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import * as fx from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
const db = () => h.database.db;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

/** A student with a completed application (reviewable) and an open one (their messages go to its school). */
async function finishedAndOpen(opts: { phone?: string } = {}) {
  const school = await fx.createSchool(db(), { name: "Жол Авто" });
  const st = await fx.createStudent(db());
  if (opts.phone !== undefined) await db().update(students).set({ phone: opts.phone }).where(eq(students.id, st.id));
  const done = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId: st.id, status: "completed" });
  const open = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId: st.id, status: "confirmed" });
  await db().insert(reviewRequests).values({ applicationId: done.id, dueAt: new Date() });
  const s = student(h.tg, { id: st.telegramId, first_name: "Айдана", language_code: "ru" });
  await s.send("/cancel"); // a conversation past its flow, as after applying
  return { st, done, open, s };
}

const draftOf = async (studentId: number) => {
  const [row] = await db().select().from(botConversations).where(eq(botConversations.studentId, studentId));
  return (row?.choices as { review?: unknown } | undefined)?.review;
};

/** /my → «Оставить отзыв» → the rating question; `rating` pressed: the comment is asked for. */
async function rate(s: ReturnType<typeof student>, number: string, rating = "4") {
  await s.send("/my");
  await s.press(`Оставить отзыв (№ ${number})`);
  const ask = await s.press(rating);
  expect(ask.text).toContain("Ваша оценка");
}

describe("a review draft takes only the very next message", () => {
  test("rating, then /help and /my, then a message to the school: it goes to the school, not into the review", async () => {
    const { st, done, open, s } = await finishedAndOpen();
    await rate(s, done.publicNumber);
    await s.send("/help");
    await s.send("/my");
    expect(await draftOf(st.id)).toBeUndefined();
    const m = await s.send("Здравствуйте, когда первое занятие?");
    expect(m.text).not.toContain("Показать ваше имя рядом с отзывом?");
    expect(m.text).toContain("Жол Авто");
    const posted = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, open.id), eq(applicationEvents.type, "message")));
    expect(posted.map((e) => e.payload)).toEqual([{ text: "Здравствуйте, когда первое занятие?" }]);
    expect(await db().select().from(reviews).where(eq(reviews.studentId, st.id))).toEqual([]);
  });

  test("rating pressed on an older question while on the phone step: the typed phone is the flow's answer", async () => {
    const { st, done, s } = await finishedAndOpen({ phone: "" });
    await s.send("/my");
    await s.press(`Оставить отзыв (№ ${done.publicNumber})`);
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Очно", "1. Автошкола «Жол»", "Записаться: B, Очно — 180\u202f000 ₸, 10 нед."]) await s.press(label);
    const comment = await s.press("4");
    expect(comment.text).toContain("Ваша оценка");
    const m = await s.send("+77011230000");
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
    expect((await db().select().from(students).where(eq(students.id, st.id)))[0]!.phone).toBe("+77011230000");
    expect(await draftOf(st.id)).toBeUndefined();
    expect(await db().select().from(reviews).where(eq(reviews.studentId, st.id))).toEqual([]);
  });

  test("rating, then /help, then a photo for the school: relayed, not refused as a comment", async () => {
    const { st, done, s } = await finishedAndOpen();
    await rate(s, done.publicNumber);
    await s.send("/help");
    const before = h.tg.calls.length;
    h.tg.sendContent(s.user, { photo: [{ file_id: "p9", file_unique_id: "u9", width: 10, height: 10 }] });
    const reply = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === st.chatId, 5000, before);
    expect(reply.text).not.toContain("Комментарий принимается только текстом");
    expect(reply.text).toContain("Жол Авто");
    expect(await draftOf(st.id)).toBeUndefined();
  });

  test("the very next message after the rating is still the comment", async () => {
    const { st, done, s } = await finishedAndOpen();
    await rate(s, done.publicNumber);
    const m = await s.send("Хорошая школа");
    expect(m.text).toContain("Показать ваше имя рядом с отзывом?");
    expect((await s.press("Анонимно")).text).toContain("Спасибо за отзыв!");
    expect((await db().select().from(reviews).where(eq(reviews.studentId, st.id)))[0]).toMatchObject({ comment: "Хорошая школа", rating: 4 });
  });
});
