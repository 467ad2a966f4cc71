// What the student reads before signing up (issue 18, items 2 and 8), through the fake Bot API on
// the demo data: a school's practice offer reads as practice with its hours (never as a course of
// weeks), and the summary before Confirm says in full what the student signs up for.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, instructors, instructorSlots, schoolOffers, schools, students } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const db = () => h.database.db;
const appsOf = async (telegramId: number) => {
  const [s] = await db().select().from(students).where(eq(students.telegramId, telegramId));
  return s ? db().select().from(applications).where(eq(applications.studentId, s.id)) : [];
};
const drive = async () => (await db().select().from(schools).where(eq(schools.name, "Драйв Академия")))[0]!;

test("a school's deep link: the practice offer reads as practice with its hours, the course as a course; the summary says what is included", async () => {
  const s = student(h.tg, { id: 5001, first_name: "Нурбол", language_code: "ru" });
  await s.send(`/start s${(await drive()).id}`);
  expect(s.buttons()).toContain("Записаться: B, Ускоренный курс — 230\u202f000 ₸, 5 нед.");
  expect(s.buttons()).toContain("Записаться: Практика B, 10 ч — 75\u202f000 ₸");
  expect(s.buttons().join("\n")).not.toMatch(/Практика.*нед\.|Очно — 75/);
  await s.press("Записаться: Практика B, 10 ч — 75\u202f000 ₸");
  await s.press("Есть свидетельство автошколы, прав ещё нет"); // the link skipped the first question
  await s.send("+77001234567");
  const summary = await s.press("✓ Нурбол");
  expect(summary.text).toBe(
    [
      "Проверьте заявку:",
      "",
      "Автошкола: <b>Драйв Академия</b>",
      "Курс: Практика вождения, B",
      "Срок: 10 ч вождения",
      "Цена: 75\u202f000 ₸",
      "В цену входит: автомобиль школы, топливо, автодром",
      "Имя: Нурбол",
      "Телефон: +7 700 123 45 67",
    ].join("\n"),
  );
  await s.press("✅ Подтвердить");
  const [practice] = await db().select().from(schoolOffers).where(eq(schoolOffers.kind, "practice"));
  expect((await appsOf(5001))[0]).toMatchObject({ kind: "school", offerId: practice!.id, situation: "certificate" });
});

test("in Kazakh the practice offer has its own words too", async () => {
  const s = student(h.tg, { id: 5002, first_name: "Дәулет", language_code: "kk" });
  await s.send(`/start s${(await drive()).id}`);
  expect(s.buttons()).toContain("Жазылу: Тәжірибе B, 10 сағ — 75\u202f000 ₸");
  expect(s.buttons()).toContain("Жазылу: B, Жеделдетілген курс — 230\u202f000 ₸, 5 апта");
  await s.press("Жазылу: Тәжірибе B, 10 сағ — 75\u202f000 ₸");
  await s.press("Автомектеп куәлігі бар, жүргізуші куәлігі әлі жоқ");
  await s.send("+77001234568");
  const summary = await s.press("✓ Дәулет");
  expect(summary.text).toContain("Курс: Жүргізу тәжірибесі, B\nМерзімі: 10 сағат жүргізу\nБағасы: 75\u202f000 ₸\nБағасына кіреді: автомобиль школы, топливо, автодром");
});

test("a full course's summary: kind, format, weeks and price", async () => {
  const s = student(h.tg, { id: 5003, first_name: "Алия", language_code: "ru" });
  await s.send(`/start s${(await drive()).id}`);
  await s.press("Записаться: B, Ускоренный курс — 230\u202f000 ₸, 5 нед.");
  await s.press("Нет водительского удостоверения");
  await s.send("+77001234569");
  const summary = await s.press("✓ Алия");
  expect(summary.text).toContain("Курс: Полный курс, B, Ускоренный курс\nСрок: 5 нед.\nЦена: 230\u202f000 ₸\nИмя: Алия");
});

test("an instructor's slot: the summary shows the time with the slot's length, the price per hour and the slot's total", async () => {
  const [aigerim] = await db().select().from(instructors).where(eq(instructors.name, "Айгерим Нурланова"));
  expect(aigerim!.pricePerHourKzt).toBe(9_000);
  for (const [id, lang, name] of [[5004, "ru", "Асель"], [5005, "kk", "Асқар"]] as const) {
    const s = student(h.tg, { id, first_name: name, language_code: lang });
    await s.send(`/start i${aigerim!.id}`);
    await s.press(lang === "ru" ? "Выбрать время" : "Уақыт таңдау");
    await s.press(s.buttons()[0]!);
    const time = s.buttons()[0]!;
    await s.press(time);
    await s.press(lang === "ru" ? "Есть водительское удостоверение" : "Жүргізуші куәлігі бар");
    await s.send(`+7700123450${id % 10}`);
    const summary = await s.press(`✓ ${name}`);
    const slots = await db().select().from(instructorSlots).where(eq(instructorSlots.instructorId, aigerim!.id));
    expect(slots.every((slot) => slot.minutes === 90)).toBe(true); // the demo's slots
    if (lang === "ru") {
      expect(summary.text).toMatch(new RegExp(`\\nВремя: [^\\n]*${time}, 90 мин\\nЦена: 9\u202f000 ₸ за час; за занятие 90 мин — 13\u202f500 ₸\\n`));
    } else {
      expect(summary.text).toMatch(new RegExp(`\\nУақыты: [^\\n]*${time}, 90 мин\\nБағасы: сағатына 9\u202f000 ₸; 90 минуттық сабақ — 13\u202f500 ₸\\n`));
    }
  }
});

test("certificate → practice at a school: the list and the card read as practice, the application keeps the situation", async () => {
  const s = student(h.tg, { id: 5006, first_name: "Айдана", language_code: "ru" });
  await s.send("/start");
  await s.press("Есть свидетельство автошколы, прав ещё нет");
  await s.press("Дополнительная практика вождения");
  await s.press("Алматы");
  await s.press("B — легковые");
  const list = await s.press("В автошколе");
  expect(list.text).toContain("<b>Драйв Академия</b> — практика от 75\u202f000 ₸, от 10 ч");
  expect(list.text).not.toContain("нед.");
  await s.press("1. Драйв Академия");
  expect(s.buttons()).toEqual(["Записаться: Практика B, 10 ч — 75\u202f000 ₸", "← Назад"]);
  await s.press("Записаться: Практика B, 10 ч — 75\u202f000 ₸");
  await s.send("+77001234570");
  await s.press("✓ Айдана");
  await s.press("✅ Подтвердить");
  expect((await appsOf(5006))[0]).toMatchObject({ kind: "school", situation: "certificate" });
});
