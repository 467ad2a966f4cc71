// After confirming a practice application, the done screen's WhatsApp greeting names practice
// (its offer's kind), not the offer's meaningless format (issue 18), in both languages, and the
// school's linked staff get an alert that says practice and the student's situation: through the
// fake Bot API on the demo data, pressing the buttons the bot sent.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, applications, schools, students } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const db = () => h.database.db;
const greeting = (markup: any): string => {
  const wa = (markup?.inline_keyboard ?? []).flat().find((b: any) => typeof b.url === "string" && b.url.startsWith("https://wa.me/"));
  return decodeURIComponent(wa.url.split("text=")[1]);
};

const STAFF_CHAT = 9_100;

for (const [id, lang, name, offer, situation, course] of [
  [5101, "ru", "Нурбол", "Записаться: Практика B, 10 ч — 75\u202f000 ₸", "Есть свидетельство автошколы, прав ещё нет", "Практика вождения, B"],
  [5102, "kk", "Дәулет", "Жазылу: Тәжірибе B, 10 сағ — 75\u202f000 ₸", "Автомектеп куәлігі бар, жүргізуші куәлігі әлі жоқ", "Жүргізу тәжірибесі, B"],
] as const) {
  test(`a practice application says practice in the WhatsApp greeting (${lang}) and in the staff alert, with the situation`, async () => {
    const [drive] = await db().select().from(schools).where(eq(schools.name, "Драйв Академия"));
    await db().update(accounts).set({ telegramChatId: STAFF_CHAT }).where(eq(accounts.schoolId, drive!.id));
    const s = student(h.tg, { id, first_name: name, language_code: lang });
    await s.send(`/start s${drive!.id}`);
    await s.press(offer);
    await s.press(situation); // the link skipped the first question
    await s.send(`+7700123${id}`);
    await s.press(`✓ ${name}`);
    const done = await s.press(lang === "ru" ? "✅ Подтвердить" : "✅ Растау");
    const [me] = await db().select().from(students).where(eq(students.telegramId, id));
    const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
    const text = greeting(done.markup);
    expect(text).toContain(`№ ${app!.publicNumber}`);
    expect(text).toEndWith(`: ${course}.`);
    expect(text).not.toMatch(/Очно|Күндізгі|Ускоренный|Жеделдетілген/);
    // The staff alert is in the CRM's Russian whatever the student's language.
    const alert = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === STAFF_CHAT && String(p.text).includes(`№ ${app!.publicNumber}\n`), 10_000);
    expect(alert.text).toContain("\nПрактика вождения, B\nЕсть свидетельство автошколы, прав ещё нет");
  });
}
