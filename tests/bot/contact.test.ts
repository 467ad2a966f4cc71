// A shared contact is the phone step's answer only when it is the student's own (issue 19):
// Telegram sets a contact's user_id to the sender's id for their own card. Someone else's contact
// is refused in one message and saves nothing; the application says whether Telegram vouched for
// the phone, and the school sees it in the CRM.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, schools, students } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(60_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const studentRow = async (telegramId: number) => (await h.database.db.select().from(students).where(eq(students.telegramId, telegramId)))[0]!;
const appsOf = async (telegramId: number) => h.database.db.select().from(applications).where(eq(applications.studentId, (await studentRow(telegramId)).id));

/** To the phone step of Жол's full course (a school's link, then the situation). */
async function toPhoneStep(s: Student, kk = false): Promise<void> {
  const [zhol] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  await s.send(`/start s${zhol!.id}`);
  await s.press(kk ? "Жазылу: B, Күндізгі — 180\u202f000 ₸, 10 апта" : "Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
  await s.press(kk ? "Жүргізуші куәлігі жоқ" : "Нет водительского удостоверения");
}

describe("a shared contact", () => {
  test("someone else's: refused in one message with the contact button again, nothing saved; then the student's own is taken as confirmed", async () => {
    const s = student(h.tg, { id: 9101, first_name: "Асель", language_code: "ru" });
    await toPhoneStep(s);
    const before = h.tg.calls.length;
    h.tg.sendContact(s.user, "+77779998877", 555_000_111); // a friend's card
    const refusal = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 9101, 5000, before);
    await Bun.sleep(200);
    expect(h.tg.calls.slice(before).filter((c) => c.method === "sendMessage" && c.params.chat_id === 9101)).toHaveLength(1);
    expect(refusal.text).toBe("Это контакт другого человека. Отправьте свой номер кнопкой ниже или введите его.\n\nОтправьте номер телефона кнопкой ниже или введите его, например +7 701 234 56 78.");
    expect(refusal.reply_markup.keyboard[0][0].request_contact).toBe(true);
    expect((await studentRow(9101)).phone).toBe("");

    const m = await s.shareContact("77011112233");
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
    expect(await studentRow(9101)).toMatchObject({ phone: "+77011112233", phoneConfirmed: true });
    await s.press("✓ Асель");
    await s.press("✅ Подтвердить");
    expect((await appsOf(9101))[0]).toMatchObject({ studentPhone: "+77011112233", phoneConfirmed: true });
  });

  test("a card without a Telegram user (no user_id) is not the student's either", async () => {
    const s = student(h.tg, { id: 9102, first_name: "Ерлан", language_code: "kk" });
    await toPhoneStep(s, true);
    const before = h.tg.calls.length;
    h.tg.sendContact(s.user, "+77770001122", 0); // 0: the fake sends no user_id
    const refusal = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 9102, 5000, before);
    expect(refusal.text).toStartWith("Бұл басқа адамның контактісі.");
    expect((await studentRow(9102)).phone).toBe("");
  });

  test("a typed phone is kept as typed: the application says Telegram did not vouch for it", async () => {
    const s = student(h.tg, { id: 9103, first_name: "Дана", language_code: "ru" });
    await toPhoneStep(s);
    await s.send("+7 701 444 55 66");
    await s.press("✓ Дана");
    await s.press("✅ Подтвердить");
    expect((await appsOf(9103))[0]).toMatchObject({ studentPhone: "+77014445566", phoneConfirmed: false });
    expect((await studentRow(9103)).phoneConfirmed).toBe(false);
  });
});
