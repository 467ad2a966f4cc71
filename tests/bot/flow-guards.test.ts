// The flow's guards, through the fake Bot API: no accidental second application, instructors by
// the category the student needs, forged buttons treated as stale, one message per mistake, and
// changing the phone on the summary returns to the summary.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, botConversations, cities, instructors, instructorSlots, schoolOffers, schools, students } from "../../src/db/schema.ts";
import { stepData } from "../../src/bot/callback-data.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { applyToZhol, student, type Student } from "../support/student.ts";

setDefaultTimeout(60_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const appsOf = async (telegramId: number) => {
  const [s] = await h.database.db.select().from(students).where(eq(students.telegramId, telegramId));
  return s ? h.database.db.select().from(applications).where(eq(applications.studentId, s.id)) : [];
};

/** Presses a button the bot never sent: `data` packed as our own step buttons are, on the student's latest screen. */
async function pressForged(s: Student, step: string, value: string) {
  const before = h.tg.calls.length;
  const screen = s.last();
  h.tg.pressButton(s.user, { message_id: screen.messageId, reply_markup: { inline_keyboard: [[{ text: "forged", callback_data: stepData.pack({ s: step, v: value }) }]] } }, "forged");
  await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
  await Bun.sleep(200);
  return h.tg.calls.slice(before);
}

describe("no accidental duplicates", () => {
  test("applying again to the same school asks about the open application; «open» shows it, «another» goes on", async () => {
    const s = student(h.tg, { id: 8101, first_name: "Дана", language_code: "ru" });
    await applyToZhol(s);
    const [first] = await appsOf(8101);
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Вечерние группы", "1. Автошкола «Жол»"]) await s.press(label);
    let m = await s.press(s.buttons()[0]!); // its evening course: another offer of the same school
    expect(m.text).toBe(`У вас уже есть заявка № ${first!.publicNumber} сюда (статус: новая). Открыть её?`);
    expect(s.buttons()).toEqual([`Открыть заявку № ${first!.publicNumber}`, "Подать ещё одну заявку", "← Назад"]);
    m = await s.press(`Открыть заявку № ${first!.publicNumber}`);
    expect(m.text).toStartWith(`Ваша заявка № ${first!.publicNumber}, статус: новая.`);
    expect(m.text).toContain("Автошкола «Жол»");
    expect(await appsOf(8101)).toHaveLength(1);

    // Asked again, the student may mean it: a second application, made on purpose.
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Вечерние группы", "1. Автошкола «Жол»"]) await s.press(label);
    await s.press(s.buttons()[0]!);
    m = await s.press("Подать ещё одну заявку");
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое."); // the phone is known
    await s.press("✓ Дана");
    await s.press("✅ Подтвердить");
    expect(await appsOf(8101)).toHaveLength(2);
  });

  test("a cancelled application does not count: no question", async () => {
    const s = student(h.tg, { id: 8102, first_name: "Ерік", language_code: "ru" });
    await applyToZhol(s);
    const [first] = await appsOf(8102);
    await h.database.db.update(applications).set({ status: "cancelled" }).where(eq(applications.id, first!.id));
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Очно", "1. Автошкола «Жол»"]) await s.press(label);
    const m = await s.press("Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
  });
});

describe("instructors by category", () => {
  test("only instructors teaching the chosen category are listed; the card says categories and transmission", async () => {
    const db = h.database.db;
    const [almaty] = await db.select().from(cities).where(eq(cities.nameRu, "Алматы"));
    await db.insert(instructors).values({ cityId: almaty!.id, name: "Сергей Грузовой", transmission: "manual", car: "КамАЗ", pricePerHourKzt: 12_000, categories: ["C", "CE"] });
    const s = student(h.tg, { id: 8201, first_name: "Алмас", language_code: "ru" });
    await s.send("/start");
    await s.press("Да, нужен инструктор");
    await s.press("Алматы");
    // The categories some Almaty instructor teaches, in the law's order.
    expect(s.buttons().map((b) => b.split(" — ")[0])).toEqual(["B", "C", "CE", "← Назад"]);
    await s.press("C — грузовые");
    expect(s.buttons()).toEqual(["механика", "← Назад"]); // nobody teaches C on an automatic
    let m = await s.press("механика");
    expect(m.text).toContain("Сергей Грузовой");
    expect(m.text).not.toContain("Ерлан Сапаров"); // manual, but B only
    m = await s.press("1. Сергей Грузовой");
    expect(m.text).toContain("C, CE");
    expect(m.text).toContain("механика");
    // The category the student chose is on the summary and on the application (he teaches two).
    await s.press("Выбрать время");
    await s.press("Утром");
    await s.send("+7 701 555 00 01");
    m = await s.press("✓ Алмас");
    expect(m.text).toContain("Инструктор: <b>Сергей Грузовой</b>\nКатегория: C\n");
    await s.press("✅ Подтвердить");
    expect((await appsOf(8201))[0]).toMatchObject({ kind: "instructor", category: "C", situation: "licence", preferredTime: "morning" });
    await s.send("/start");
    await s.press("Да, нужен инструктор");
    await s.press("Алматы");

    // The same student asking for B sees the B instructors and not him.
    await s.press("B — легковые");
    m = await s.press("механика");
    expect(m.text).toContain("Ерлан Сапаров");
    expect(m.text).not.toContain("Сергей Грузовой");
  });
});

describe("forged buttons are stale", () => {
  test("a school outside the chosen city and filter, an instructor outside the list, a hidden city: outdated, nothing moves", async () => {
    const db = h.database.db;
    const [saryarka] = await db.select().from(schools).where(eq(schools.name, "Автошкола «Сарыарка»"));
    const [oskemen] = await db.select().from(cities).where(eq(cities.nameRu, "Усть-Каменогорск"));
    const s = student(h.tg, { id: 8301, first_name: "Ира", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    // A city with no school is not on the list, and a forged press for it is stale.
    let calls = await pressForged(s, "city", String(oskemen!.id));
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(s.text()).toStartWith("Выберите ваш город:");
    for (const label of ["Алматы", "B — легковые", "Очно"]) await s.press(label);
    const list = s.text();
    calls = await pressForged(s, "schools", `s${saryarka!.id}`); // an Astana school
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(s.text()).toBe(list);
    // A word where an id belongs (the shape a step value may take) is stale too, not a failed update.
    calls = await pressForged(s, "schools", "sabc");
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(s.text()).toBe(list);
    expect(s.text()).not.toContain("Сарыарка");

    const [dmitry] = await db.select().from(instructors).where(eq(instructors.name, "Дмитрий Ким"));
    const i = student(h.tg, { id: 8302, first_name: "Олжас", language_code: "ru" });
    await i.send("/start");
    for (const label of ["Да, нужен инструктор", "Алматы", "B — легковые", "автомат"]) await i.press(label);
    const instructorsList = i.text();
    calls = await pressForged(i, "instructors", `i${dmitry!.id}`); // Astana
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(i.text()).toBe(instructorsList);
    calls = await pressForged(i, "instructors", "iabc");
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    for (const label of ["1. Айгерим Нурланова", "Выбрать время"]) await i.press(label);
    await i.press(i.buttons()[0]!);
    const times = i.text();
    calls = await pressForged(i, "slot", "abc");
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Это время только что заняли. Выберите другое:");
    expect(i.text()).toBe(times);
  });
});

describe("one message per mistake", () => {
  test("a wrong phone: one message with the reason and the contact button; then the flow goes on", async () => {
    const s = student(h.tg, { id: 8401, first_name: "Жанна", language_code: "ru" });
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Очно", "1. Автошкола «Жол»", "Записаться: B, Очно — 180\u202f000 ₸, 10 нед."]) await s.press(label);
    const before = h.tg.calls.length;
    const m = await s.send("123");
    const sent = h.tg.calls.slice(before).filter((c) => c.method === "sendMessage" && c.params.chat_id === 8401);
    expect(sent).toHaveLength(1);
    expect(m.text).toBe("Не похоже на казахстанский номер. Введите, например, +7 701 234 56 78 или 8 701 234 56 78.\n\nОтправьте номер телефона кнопкой ниже или введите его, например +7 701 234 56 78.");
    expect(m.markup.keyboard[0][0].request_contact).toBe(true);
    expect((await s.send("+7 701 111 22 33")).text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
  });

  test("in Kazakh too: a name that is no name", async () => {
    const s = student(h.tg, { id: 8402, first_name: "1", language_code: "kk" });
    await s.send("/start");
    for (const label of ["Жоқ, автомектепте оқығым келеді", "Алматы", "B — жеңіл көліктер", "Күндізгі", "1. Автошкола «Жол»"]) await s.press(label);
    await s.press(s.buttons()[0]!);
    await s.send("+7 701 111 22 44");
    const before = h.tg.calls.length;
    const m = await s.send("<>");
    expect(h.tg.calls.slice(before).filter((c) => c.method === "sendMessage" && c.params.chat_id === 8402)).toHaveLength(1);
    expect(m.text).toStartWith("Атыңызды әріптермен жазыңыз");
    expect(m.text).toContain("Сізді қалай атайық?");
  });
});

describe("the summary", () => {
  test("changing the phone returns to the summary with the name kept; Back from there goes to the name", async () => {
    const s = student(h.tg, { id: 8501, first_name: "Марат", language_code: "ru" });
    await s.send("/start");
    for (const label of ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Очно", "1. Автошкола «Жол»", "Записаться: B, Очно — 180\u202f000 ₸, 10 нед."]) await s.press(label);
    await s.send("+7 701 000 00 01");
    await s.send("Марат Иванов");
    let m = await s.press("Изменить телефон");
    expect(m.text).toStartWith("Отправьте номер телефона");
    m = await s.send("+7 701 000 00 02");
    expect(m.text).toContain("Проверьте заявку");
    expect(m.text).toContain("Имя: Марат Иванов");
    expect(m.text).toContain("+7 701 000 00 02");
    m = await s.press("Изменить имя");
    m = await s.send("Марат И.");
    expect(m.text).toContain("Имя: Марат И.");
    expect(m.text).toContain("+7 701 000 00 02");
    m = await s.press("← Назад");
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
    m = await s.send("Марат");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(8501);
    expect(app).toMatchObject({ studentName: "Марат", studentPhone: "+77010000002" });
  });
});

describe("paths the straight walks do not take", () => {
  test("a city link whose city has nothing for the chosen path asks for the city instead of a dead end", async () => {
    const [shymkent] = await h.database.db.select().from(cities).where(eq(cities.nameRu, "Шымкент"));
    const s = student(h.tg, { id: 8601, first_name: "Сабина", language_code: "ru" });
    await s.send(`/start c${shymkent!.id}`);
    await s.press("Есть свидетельство автошколы, прав ещё нет");
    const m = await s.press("Подготовка к теоретическому экзамену"); // no Shymkent school offers it
    expect(m.text).toStartWith("Выберите ваш город:");
    expect(s.buttons()).toEqual(["Астана (1)", "Алматы (1)", "← Назад"]);
    // A path the city has: the link's city is taken as answered.
    await s.press("← Назад");
    expect((await s.press("Полный курс в автошколе")).text).toBe("Какая категория прав вам нужна?");
  });

  test("a conversation saved before the path existed starts over at the first question; the old choices cannot leak", async () => {
    const s = student(h.tg, { id: 8602, first_name: "Старый", language_code: "ru" });
    await s.send("/start");
    const [me] = await h.database.db.select().from(students).where(eq(students.telegramId, 8602));
    const [zhol] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
    const [offer] = await h.database.db.select().from(schoolOffers).where(eq(schoolOffers.schoolId, zhol!.id));
    const old = { path: "school", cityId: zhol!.cityId, category: "B", format: "in_person", schoolId: zhol!.id, offerId: offer!.id, phone: "+77010000099", nonce: "old", stack: ["licence", "city", "category", "format", "schools", "school"] };
    await h.database.db.update(botConversations).set({ step: "name", choices: old }).where(eq(botConversations.studentId, me!.id));
    const calls = await pressForged(s, "name", "tg"); // a button of the old name screen
    expect(calls.find((c) => c.method === "answerCallbackQuery")!.params.text).toBe("Эта кнопка устарела — показываю актуальный шаг.");
    expect(s.text()).toContain("У вас есть водительское удостоверение?");
    for (const label of ["Да, нужен инструктор", "Алматы", "B — легковые", "автомат", "1. Айгерим Нурланова", "Выбрать время"]) await s.press(label);
    await s.press(s.buttons()[0]!);
    await s.press(s.buttons()[0]!);
    await s.send("+7 701 555 00 02");
    const summary = await s.press("✓ Старый");
    expect(summary.text).toContain("Инструктор: <b>Айгерим Нурланова</b>");
    expect(summary.text).not.toContain("Автошкола");
  });

  test("the day's times gone while choosing: the days are shown and a day pressed there opens its times", async () => {
    const s = student(h.tg, { id: 8603, first_name: "Тоғжан", language_code: "ru" });
    await s.send("/start");
    for (const label of ["Да, нужен инструктор", "Алматы", "B — легковые", "автомат", "1. Айгерим Нурланова", "Выбрать время"]) await s.press(label);
    const days = s.buttons().filter((b) => /\(\d+\)$/.test(b));
    await s.press(days[0]!);
    const firstTime = s.buttons()[0]!;
    // Every time of that day is withdrawn meanwhile.
    const [aigerim] = await h.database.db.select().from(instructors).where(eq(instructors.name, "Айгерим Нурланова"));
    const slots = await h.database.db.select().from(instructorSlots).where(eq(instructorSlots.instructorId, aigerim!.id));
    // The first day offered is the day of the first slot still ahead (the bot offers no past time).
    const dayStart = slots.map((x) => x.startsAt).filter((d) => d.getTime() > Date.now()).sort((a, b) => a.getTime() - b.getTime())[0]!;
    const sameDay = (d: Date) => d.toLocaleDateString("ru", { timeZone: "Asia/Almaty" }) === dayStart.toLocaleDateString("ru", { timeZone: "Asia/Almaty" });
    for (const slot of slots.filter((x) => sameDay(x.startsAt))) await h.database.db.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.id, slot.id));
    const toasts = await s.pressForToast(firstTime);
    expect(toasts).toEqual(["Это время только что заняли. Выберите другое:"]);
    expect(s.text()).toBe("Выберите день занятия (время местное):");
    const m = await s.press(s.buttons()[0]!); // the next day, pressed on the fallen-back screen
    expect(m.text).toContain(": выберите время.");
  });
});
