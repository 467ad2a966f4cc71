// After confirming a practice application, the done screen's WhatsApp greeting names practice
// (its offer's kind), not the offer's meaningless format (issue 18), in both languages: through the
// fake Bot API on the demo data, pressing the buttons the bot sent.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, schools, students } from "../../src/db/schema.ts";
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

for (const [id, lang, name, offer, course] of [
  [5101, "ru", "Нурбол", "Записаться: Практика B, 10 ч — 75\u202f000 ₸", "Практика вождения, B"],
  [5102, "kk", "Дәулет", "Жазылу: Тәжірибе B, 10 сағ — 75\u202f000 ₸", "Жүргізу тәжірибесі, B"],
] as const) {
  test(`the WhatsApp greeting of a practice application says practice (${lang})`, async () => {
    const [drive] = await db().select().from(schools).where(eq(schools.name, "Драйв Академия"));
    const s = student(h.tg, { id, first_name: name, language_code: lang });
    await s.send(`/start s${drive!.id}`);
    await s.press(offer);
    await s.send(`+7700123${id}`);
    await s.press(`✓ ${name}`);
    const done = await s.press(lang === "ru" ? "✅ Подтвердить" : "✅ Растау");
    const [me] = await db().select().from(students).where(eq(students.telegramId, id));
    const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
    const text = greeting(done.markup);
    expect(text).toContain(`№ ${app!.publicNumber}`);
    expect(text).toEndWith(`: ${course}.`);
    expect(text).not.toMatch(/Очно|Күндізгі|Ускоренный|Жеделдетілген/);
  });
}
