// The school's own message for a new application, through the real bot and the fake Bot API:
// it follows the bot's confirmation, in the student's language, stored in the same update's
// transaction and recorded in the thread; a school without one sends only the confirmation.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applicationEvents, applications, schools, students } from "../../src/db/schema.ts";
import { saveAutoReply } from "../../src/domain/auto-replies.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { createStaff } from "../support/fixtures.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
  const [zhol] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  const staff = await createStaff(h.database.db, { schoolId: zhol!.id });
  const saved = await saveAutoReply(h.database.db, { kind: "school", schoolId: zhol!.id, accountId: staff.id }, "new", {
    ru: "{имя}, спасибо за заявку № {номер} на курс {курс} ({цена})! Мы перезвоним сегодня. <Жол>",
    kk: "{имя}, № {номер} өтінім үшін рақмет! Курс: {курс} ({цена}). Бүгін хабарласамыз.",
  });
  expect(saved.ok).toBe(true);
});
afterAll(() => h.dispose());

const appOf = async (telegramId: number) => {
  const [s] = await h.database.db.select().from(students).where(eq(students.telegramId, telegramId));
  const [a] = await h.database.db.select().from(applications).where(eq(applications.studentId, s!.id));
  return a!;
};

/** Everything the bot said to this chat after `from`, in the order it was sent. */
const saidTo = (chatId: number, from: number) =>
  h.tg.calls.slice(from).filter((c) => ["sendMessage", "editMessageText"].includes(c.method) && Number(c.params.chat_id) === chatId).map((c) => c.params.text as string);

async function applyToZhol(s: Student, lang: "ru" | "kk"): Promise<number> {
  const ru = lang === "ru";
  await s.send("/start");
  await s.press(ru ? "Нет, хочу учиться в автошколе" : "Жоқ, автомектепте оқығым келеді");
  await s.press("Алматы");
  await s.press(ru ? "B — легковые" : "B — жеңіл көліктер");
  await s.press(ru ? "Очно" : "Күндізгі");
  await s.press("1. Автошкола «Жол»");
  await s.press(ru ? "Записаться: B, Очно — 180\u202f000 ₸, 10 нед." : "Жазылу: B, Күндізгі — 180\u202f000 ₸, 10 апта");
  await s.send("+7 707 123 45 67");
  await s.press(`✓ ${s.user.first_name}`);
  const before = h.tg.calls.length;
  await s.press(ru ? "✅ Подтвердить" : "✅ Растау");
  return before;
}

describe("the school's message for a new application", () => {
  test("follows the confirmation, in Russian for a Russian-speaking student, escaped, and is recorded in the thread", async () => {
    const s = student(h.tg, { id: 3001, first_name: "Асель", language_code: "ru" });
    const before = await applyToZhol(s, "ru");
    const app = await appOf(3001);
    const said = saidTo(3001, before);
    expect(said).toHaveLength(2);
    expect(said[0]).toStartWith(`Заявка № ${app.publicNumber} отправлена!`);
    expect(said[1]).toBe(`Асель, спасибо за заявку № ${app.publicNumber} на курс B, Очно (180\u202f000 ₸)! Мы перезвоним сегодня. &lt;Жол&gt;`);
    const events = await h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "auto")));
    expect(events.map((e) => e.payload)).toEqual([
      { event: "new", text: `Асель, спасибо за заявку № ${app.publicNumber} на курс B, Очно (180\u202f000 ₸)! Мы перезвоним сегодня. <Жол>`, custom: true },
    ]);
  });

  test("in Kazakh for a Kazakh-speaking student", async () => {
    const s = student(h.tg, { id: 3002, first_name: "Дәулет", language_code: "kk" });
    const before = await applyToZhol(s, "kk");
    const app = await appOf(3002);
    const said = saidTo(3002, before);
    expect(said).toHaveLength(2);
    expect(said[0]).toStartWith(`№ ${app.publicNumber} өтінім жіберілді!`);
    expect(said[1]).toBe(`Дәулет, № ${app.publicNumber} өтінім үшін рақмет! Курс: B, Күндізгі (180\u202f000 ₸). Бүгін хабарласамыз.`);
  });

  test("a school without its own text: only the bot's confirmation, nothing recorded", async () => {
    const [drive] = await h.database.db.select().from(schools).where(eq(schools.name, "Драйв Академия"));
    const s = student(h.tg, { id: 3003, first_name: "Алия", language_code: "ru" });
    await s.send(`/start s${drive!.id}`);
    await s.press("Записаться: B, Ускоренный курс — 230\u202f000 ₸, 5 нед.");
    await s.press("Нет водительского удостоверения"); // the link skipped the first question
    await s.send("+77001234567");
    await s.press("✓ Алия");
    const before = h.tg.calls.length;
    await s.press("✅ Подтвердить");
    const app = await appOf(3003);
    const said = saidTo(3003, before);
    expect(said).toHaveLength(1);
    expect(said[0]).toStartWith(`Заявка № ${app.publicNumber} отправлена!`);
    expect(await h.database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "auto")))).toEqual([]);
  });
});
