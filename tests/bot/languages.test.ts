// Issue 17 in the bot: what a school or instructor wrote comes in the student's language (its
// Kazakh columns, else the Russian text: model/content.ts inLanguage), the card cache follows an
// edit of a Kazakh column at once, and staff alerts come in the staff account's language.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, instructors, schoolOffers, schools } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { createStaff } from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
}, 120_000);
afterAll(() => h.dispose());

const db = () => h.database.db;
const schoolNamed = async (name: string) => (await db().select().from(schools).where(eq(schools.name, name)))[0]!;

describe("a school's own texts", () => {
  test("a Kazakh-speaking student reads the Kazakh name, address, description and what the price includes; a Russian-speaking one the Russian", async () => {
    const zhol = await schoolNamed("Автошкола «Жол»");
    await db()
      .update(schools)
      .set({ nameKk: "«Жол» автомектебі", addressKk: "Төле би көшесі, 101", descriptionKk: "Қазақ тілінде оқытамыз." })
      .where(eq(schools.id, zhol.id));
    await db().update(schoolOffers).set({ includes: "бензин", includesKk: "жанармай" }).where(eq(schoolOffers.schoolId, zhol.id));

    const kk = student(h.tg, { id: 9201, first_name: "Дана", language_code: "kk" });
    let card = await kk.send(`/start s${zhol.id}`);
    expect(card.text).toContain("<b>«Жол» автомектебі</b>\nТөле би көшесі, 101\n");
    expect(card.text).toContain("Қазақ тілінде оқытамыз.");
    expect(card.text).toContain("Бағасына кіреді: жанармай");
    expect(card.text).not.toContain(zhol.description);
    expect(card.text).not.toContain("бензин");

    const ru = student(h.tg, { id: 9202, first_name: "Оля", language_code: "ru" });
    card = await ru.send(`/start s${zhol.id}`);
    expect(card.text).toContain(`<b>Автошкола «Жол»</b>\n${zhol.address}\n`);
    expect(card.text).toContain(zhol.description);
    expect(card.text).toContain("В цену входит: бензин");
    expect(card.text).not.toContain("Қазақ тілінде");
  });

  test("the list shows the Kazakh name and address, and the summary names the school as it writes itself", async () => {
    const s = student(h.tg, { id: 9203, first_name: "Ерлан", language_code: "kk" });
    await s.send("/start");
    await s.press("Жоқ, автомектепте оқығым келеді");
    await s.press("Алматы");
    await s.press("B — жеңіл көліктер");
    const list = await s.press("Күндізгі");
    expect(list.text).toContain("<b>«Жол» автомектебі</b> — 180\u202f000 ₸-ден бастап, 10 апта\n    Төле би көшесі, 101");
    await s.press("1. «Жол» автомектебі");
    await s.press("Жазылу: B, Күндізгі — 180\u202f000 ₸, 10 апта");
    await s.send("+7 707 123 45 67");
    const summary = await s.press("✓ Ерлан");
    // The Kazakh name says "автомектебі" itself: no "Автомектеп: «Жол» автомектебі".
    expect(summary.text).toContain("Өтінімді тексеріңіз:\n\n<b>«Жол» автомектебі</b>\n");
    expect(summary.text).toContain("Бағасына кіреді: жанармай");
  });

  test("without Kazakh texts a Kazakh-speaking student reads the Russian ones", async () => {
    const drive = await schoolNamed("Драйв Академия");
    expect(drive.nameKk).toBe("");
    const s = student(h.tg, { id: 9204, first_name: "Нұр", language_code: "kk" });
    const card = await s.send(`/start s${drive.id}`);
    expect(card.text).toContain(`<b>Драйв Академия</b>\n${drive.address}\n`);
    expect(card.text).toContain(drive.description);
  });

  test("editing a Kazakh column shows on the very next card (the catalog's version moves with it)", async () => {
    const zhol = await schoolNamed("Автошкола «Жол»");
    const s = student(h.tg, { id: 9205, first_name: "Айгүл", language_code: "kk" });
    expect((await s.send(`/start s${zhol.id}`)).text).toContain("Қазақ тілінде оқытамыз.");
    await db().update(schools).set({ descriptionKk: "Жаңа сипаттама." }).where(eq(schools.id, zhol.id));
    const card = await s.send(`/start s${zhol.id}`);
    expect(card.text).toContain("Жаңа сипаттама.");
    expect(card.text).not.toContain("Қазақ тілінде оқытамыз.");
  });

  test("an instructor's school is named in the student's language", async () => {
    const [dmitry] = await db().select().from(instructors).where(eq(instructors.name, "Дмитрий Ким"));
    await db().update(schools).set({ nameKk: "«Сарыарқа» автомектебі" }).where(eq(schools.id, dmitry!.schoolId!));
    const s = student(h.tg, { id: 9206, first_name: "Әсем", language_code: "kk" });
    const card = await s.send(`/start i${dmitry!.id}`);
    expect(card.text).toContain("\n«Сарыарқа» автомектебі\n");
  });

  test("an instructor's meeting point is on the card in the student's language, else in the other", async () => {
    const [dmitry] = await db().select().from(instructors).where(eq(instructors.name, "Дмитрий Ким"));
    await db().update(instructors).set({ meetingPoint: "у ТЦ «Хан Шатыр»", meetingPointKk: "«Хан Шатыр» СОО жанында" }).where(eq(instructors.id, dmitry!.id));
    const kk = student(h.tg, { id: 9208, first_name: "Бекзат", language_code: "kk" });
    expect((await kk.send(`/start i${dmitry!.id}`)).text).toContain("\nКездесу орны: «Хан Шатыр» СОО жанында\n");
    const ru = student(h.tg, { id: 9209, first_name: "Игорь", language_code: "ru" });
    expect((await ru.send(`/start i${dmitry!.id}`)).text).toContain("\nМесто встречи: у ТЦ «Хан Шатыр»\n");
    await db().update(instructors).set({ meetingPointKk: "" }).where(eq(instructors.id, dmitry!.id));
    expect((await kk.send(`/start i${dmitry!.id}`)).text).toContain("\nКездесу орны: у ТЦ «Хан Шатыр»\n");
  });
});

describe("staff alerts", () => {
  test("a new application reaches a staff member who chose Kazakh in Kazakh, one who chose nothing in Russian", async () => {
    const zhol = await schoolNamed("Автошкола «Жол»");
    const kazakh = await createStaff(db(), { schoolId: zhol.id });
    const russian = await createStaff(db(), { schoolId: zhol.id });
    await db().update(accounts).set({ telegramChatId: 9301, language: "kk" }).where(eq(accounts.id, kazakh.id));
    await db().update(accounts).set({ telegramChatId: 9302 }).where(eq(accounts.id, russian.id));

    const s = student(h.tg, { id: 9207, first_name: "Марат", language_code: "ru" });
    await s.send(`/start s${zhol.id}`);
    await s.press("Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
    await s.press("Нет водительского удостоверения");
    await s.send("+7 707 765 43 21");
    await s.press("✓ Марат");
    await s.press("✅ Подтвердить");
    const kk = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 9301, 10_000);
    expect(kk.text).toStartWith("🆕 Жаңа өтінім №");
    expect(kk.text).toContain("Марат, +7 707 765 43 21");
    expect(kk.reply_markup.inline_keyboard[0][0].text).toBe("Өтінімді ашу");
    const ru = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 9302, 10_000);
    expect(ru.text).toStartWith("🆕 Новая заявка №");
  });
});
