// The three sign-up flows from /start to the automatic reply, in Russian and Kazakh, driven
// through the fake Bot API by pressing the buttons the bot really sent.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, instructors, instructorSlots, outbox, schools, students } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const appsOf = async (telegramId: number) => {
  const [s] = await h.database.db.select().from(students).where(eq(students.telegramId, telegramId));
  return s ? h.database.db.select().from(applications).where(eq(applications.studentId, s.id)) : [];
};
const urlButtons = (markup: any): { text: string; url: string }[] => (markup?.inline_keyboard ?? []).flat().filter((b: any) => b.url);

describe("flow 1: no licence → a school", () => {
  test("in Russian, from /start to the automatic reply with WhatsApp and payment links", async () => {
    const s = student(h.tg, { id: 1001, first_name: "Асель", last_name: "Нурлан", language_code: "ru" });
    let m = await s.send("/start");
    expect(m.text).toContain("Здравствуйте, Асель!");
    expect(m.text).toContain("У вас есть водительское удостоверение?");
    m = await s.press("Нет, хочу учиться в автошколе");
    expect(m.text).toStartWith("Выберите ваш город:\n<i>в скобках — сколько автошкол;");
    expect(m.method).toBe("editMessageText");
    // Only the cities with schools, each with how many (the demo has schools in three of 23).
    expect(s.buttons()).toEqual(["Астана (1)", "Алматы (2)", "Шымкент (1)", "← Назад"]);
    m = await s.press("Алматы");
    expect(m.text).toBe("Какая категория прав вам нужна?");
    // Only categories some Almaty school offers as a full course.
    expect(s.buttons()).toEqual(["A — мотоциклы", "B — легковые", "C — грузовые", "← Назад"]);
    m = await s.press("B — легковые");
    expect(s.buttons()).toEqual(["Очно", "Вечерние группы", "Группы выходного дня", "Ускоренный курс", "← Назад"]);
    m = await s.press("Очно");
    expect(m.text).toContain("Автошколы (1–1 из 1):");
    expect(m.text).toContain("<b>Автошкола «Жол»</b> — от 180\u202f000 ₸, 10 нед.");
    expect(m.text).toContain("Индекс доверия: новая школа");
    m = await s.press("1. Автошкола «Жол»");
    expect(m.text).toContain("ул. Толе би, 101");
    m = await s.press("Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
    expect(m.text).toContain("Отправьте номер телефона");
    expect(m.markup.keyboard[0][0]).toEqual({ text: "📱 Отправить мой номер", request_contact: true });
    m = await s.shareContact("77071234567");
    expect(s.messages().some((x) => x.text === "Номер +7 707 123 45 67 сохранён." && x.markup?.remove_keyboard)).toBe(true);
    expect(m.text).toBe("Как к вам обращаться? Нажмите на имя или напишите другое.");
    m = await s.press("✓ Асель Нурлан");
    // The name already says "Автошкола": no "Автошкола: Автошкола «Жол»".
    expect(m.text).toContain("\n<b>Автошкола «Жол»</b>\n");
    expect(m.text).not.toContain("Автошкола: ");
    expect(m.text).toContain("Телефон: +7 707 123 45 67");
    m = await s.press("✅ Подтвердить");
    const [app] = await appsOf(1001);
    expect(app).toMatchObject({ kind: "school", status: "new", category: "B", format: "in_person", studentName: "Асель Нурлан", studentPhone: "+77071234567", source: "bot" });
    expect(m.text).toStartWith(`Заявка № ${app!.publicNumber} отправлена!`);
    expect(m.text).toContain("Телефон: +7 701 234 56 01");
    const links = urlButtons(m.markup);
    const wa = links.find((b) => b.text === "Написать в WhatsApp")!;
    expect(wa.url).toStartWith("https://wa.me/77012345601?text=");
    expect(decodeURIComponent(wa.url.split("text=")[1]!)).toBe(`Здравствуйте! Пишу по заявке № ${app!.publicNumber} из AvtoMat: B, Очно.`);
    expect(links.map((b) => b.text)).toEqual(["Написать в WhatsApp", "Оплатить через Kaspi", "Оплатить через Halyk"]);
    // "Мои занятия" under the confirmation: the list as a new message, the contacts stay.
    const my = await s.press("Мои занятия");
    expect(my.messageId).not.toBe(m.messageId);
    expect(my.text).toContain(`Ваши заявки:\n\n№ ${app!.publicNumber} — Автошкола «Жол»`);
    expect(s.messages().find((x) => x.messageId === m.messageId)!.text).toStartWith(`Заявка № ${app!.publicNumber} отправлена!`);
  });

  test("in Kazakh, with Kazakh names of cities, categories and formats", async () => {
    const s = student(h.tg, { id: 1002, first_name: "Дәулет", language_code: "kk" });
    let m = await s.send("/start");
    expect(m.text).toContain("Сәлеметсіз бе, Дәулет!");
    await s.press("Жоқ, автомектепте оқығым келеді");
    expect(s.buttons()).toContain("Астана (1)");
    expect(s.buttons()).not.toContain("Өскемен"); // no school there: not offered
    await s.press("Астана");
    await s.press("B — жеңіл көліктер");
    await s.press("Күндізгі");
    m = await s.press("1. Автошкола «Сарыарка»");
    m = await s.press("Жазылу: B, Күндізгі — 170\u202f000 ₸, 10 апта");
    m = await s.send("+7 702 111 22 33");
    expect(m.text).toBe("Сізді қалай атайық? Атыңызды басыңыз немесе басқасын жазыңыз.");
    m = await s.send("Дәулет Серікұлы");
    expect(m.text).toContain("Өтінімді тексеріңіз");
    m = await s.press("✅ Растау");
    const [app] = await appsOf(1002);
    expect(m.text).toStartWith(`№ ${app!.publicNumber} өтінім жіберілді!`);
    const wa = urlButtons(m.markup).find((b) => b.text === "WhatsApp-қа жазу")!;
    expect(decodeURIComponent(wa.url.split("text=")[1]!)).toContain(`№ ${app!.publicNumber} өтінім қалдырдым`);
    expect(app).toMatchObject({ studentName: "Дәулет Серікұлы", studentPhone: "+77021112233" });
  });
});

describe("flow 2: licence → an instructor and a time slot", () => {
  test("books a slot in local time and holds it", async () => {
    const s = student(h.tg, { id: 1003, first_name: "Ержан", language_code: "ru" });
    await s.send("/start");
    await s.press("Да, нужен инструктор");
    await s.press("Алматы");
    await s.press("B — легковые");
    expect(s.buttons()).toEqual(["автомат", "механика", "← Назад"]);
    let m = await s.press("автомат");
    expect(m.text).toContain("<b>Айгерим Нурланова</b> — Hyundai Accent, 9\u202f000 ₸/час");
    expect(m.text).toContain("частный инструктор, рейтинг: новый");
    await s.press("1. Айгерим Нурланова");
    m = await s.press("Выбрать время");
    expect(m.text).toBe("Выберите день занятия (время местное):");
    const day = s.buttons()[0]!;
    m = await s.press(day);
    expect(s.buttons().slice(0, 4)).toEqual(["09:00", "11:00", "15:00", "18:00"]);
    await s.press("11:00");
    await s.send("8 (701) 555-44-33");
    await s.press("✓ Ержан");
    m = await s.press("✅ Подтвердить");
    expect(m.text).toContain("Заявка №");
    const [app] = await appsOf(1003);
    expect(app).toMatchObject({ kind: "instructor", transmission: "automatic", studentPhone: "+77015554433" });
    expect(app!.slotId).not.toBeNull();
    // The slot is no longer offered to another student.
    const other = student(h.tg, { id: 1004, first_name: "Другой", language_code: "ru" });
    await other.send("/start");
    await other.press("Да, нужен инструктор");
    await other.press("Алматы");
    await other.press("B — легковые");
    await other.press("автомат");
    await other.press("1. Айгерим Нурланова");
    await other.press("Выбрать время");
    await other.press(day.replace("(4)", "(3)")); // one slot fewer that day
    expect(other.buttons()).not.toContain("11:00");
    expect(other.buttons()).toContain("09:00");
  });

  test("an instructor without free slots offers a part of the day", async () => {
    const s = student(h.tg, { id: 1005, first_name: "Мадина", language_code: "ru" });
    // Gulnara (Shymkent) has no free time any more.
    const [gulnara] = await h.database.db.select().from(instructors).where(eq(instructors.name, "Гульнара Оспанова"));
    await h.database.db.update(instructorSlots).set({ state: "cancelled" }).where(eq(instructorSlots.instructorId, gulnara!.id));
    await s.send("/start");
    await s.press("Да, нужен инструктор");
    await s.press("Шымкент");
    await s.press("B — легковые");
    await s.press("автомат");
    await s.press("1. Гульнара Оспанова");
    const m = await s.press("Выбрать время");
    expect(m.text).toContain("Свободных окон в ближайшие две недели нет");
    expect(s.buttons()).toEqual(["Утром", "Днём", "Вечером", "Нет подходящего времени — в лист ожидания", "← Назад"]);
    await s.press("Вечером");
    await s.send("+77770001122");
    await s.press("✓ Мадина");
    const summary = s.text();
    expect(summary).toContain("Время: Вечером");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(1005);
    expect(app).toMatchObject({ preferredTime: "evening", slotId: null });
  });
});

describe("flow 3: school certificate", () => {
  test("theory test preparation lists schools with test prep, then applies as flow 1", async () => {
    const s = student(h.tg, { id: 1006, first_name: "Айдана", language_code: "ru" });
    await s.send("/start");
    await s.press("Есть свидетельство автошколы, прав ещё нет");
    expect(s.buttons()).toEqual([
      "Дополнительная практика вождения",
      "Полный курс в автошколе",
      "Подготовка к теоретическому экзамену",
      "← Назад",
    ]);
    await s.press("Подготовка к теоретическому экзамену");
    const m = await s.press("Алматы");
    expect(m.text).toContain("Автошкола «Жол»</b> — от 25\u202f000 ₸, 2 нед.");
    expect(m.text).not.toContain("Драйв Академия");
    await s.press("1. Автошкола «Жол»");
    await s.press("Записаться: Подготовка к теории B — 25\u202f000 ₸, 2 нед.");
    await s.send("87011112233");
    await s.press("✓ Айдана");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(1006);
    expect(app).toMatchObject({ kind: "school", format: "online_theory" });
  });

  test("extra practice: a category, then a school's practice or an instructor (only those the city has); a full course as flow 1", async () => {
    const s = student(h.tg, { id: 1007, first_name: "Нурбол", language_code: "ru" });
    await s.send("/start");
    await s.press("Есть свидетельство автошколы, прав ещё нет");
    await s.press("Дополнительная практика вождения");
    let m = await s.press("Астана");
    expect(m.text).toBe("На какой категории нужна практика?");
    m = await s.press("B — легковые");
    // No Astana school offers practice; its two instructors teach B.
    expect(m.text).toBe("Практика категории B. Где заниматься?");
    expect(s.buttons()).toEqual(["С инструктором (2)", "← Назад"]);
    m = await s.press("С инструктором (2)");
    expect(m.text).toBe("Какая коробка передач?");
    await s.send("/start");
    await s.press("Есть свидетельство автошколы, прав ещё нет");
    await s.press("Полный курс в автошколе");
    m = await s.press("Астана");
    expect(m.text).toBe("Какая категория прав вам нужна?");
    expect(s.buttons()).toContain("D — автобусы");
  });
});

describe("flows 2 and 3 in Kazakh", () => {
  test("an instructor and a slot, from /start to the automatic reply", async () => {
    const s = student(h.tg, { id: 1020, first_name: "Асқар", language_code: "kk" });
    await s.send("/start");
    await s.press("Иә, нұсқаушы керек");
    await s.press("Алматы");
    await s.press("B — жеңіл көліктер");
    let m = await s.press("автомат");
    expect(m.text).toContain("Нұсқаушылар (1 ішінен 1–1):");
    expect(m.text).toContain("жеке нұсқаушы, рейтинг: жаңа");
    await s.press("1. Айгерим Нурланова");
    m = await s.press("Уақыт таңдау");
    expect(m.text).toBe("Сабақ күнін таңдаңыз (уақыт жергілікті):");
    await s.press(s.buttons()[1]!);
    await s.press(s.buttons()[0]!);
    await s.send("87015550011");
    await s.press("✓ Асқар");
    m = await s.press("✅ Растау");
    const [app] = await appsOf(1020);
    expect(m.text).toStartWith(`№ ${app!.publicNumber} өтінім жіберілді!`);
    expect(urlButtons(m.markup).map((b) => b.text)).toEqual(["WhatsApp-қа жазу"]); // no payment links set
    expect(app).toMatchObject({ kind: "instructor", studentPhone: "+77015550011" });
  });

  test("theory test preparation with a school certificate, from /start to the automatic reply", async () => {
    const s = student(h.tg, { id: 1021, first_name: "Әйгерім", language_code: "kk" });
    await s.send("/start");
    await s.press("Автомектеп куәлігі бар, жүргізуші куәлігі әлі жоқ");
    await s.press("Теориялық емтиханға дайындық");
    const list = await s.press("Алматы");
    expect(list.text).toContain("Автомектептер (1 ішінен 1–1):");
    await s.press("1. Автошкола «Жол»");
    await s.press("Жазылу: B теориясына дайындық — 25\u202f000 ₸, 2 апта");
    await s.send("+7 705 000 11 22");
    await s.press("✓ Әйгерім");
    const m = await s.press("✅ Растау");
    const [app] = await appsOf(1021);
    expect(m.text).toContain(`№ ${app!.publicNumber} өтінім жіберілді!`);
    expect(urlButtons(m.markup).map((b) => b.text)).toEqual(["WhatsApp-қа жазу", "Kaspi арқылы төлеу", "Halyk арқылы төлеу"]);
  });
});

describe("around the flows", () => {
  test("Back on every step returns to the previous step with its choices", async () => {
    const s = student(h.tg, { id: 1010, first_name: "Бек", language_code: "ru" });
    await s.send("/start");
    const path = ["Нет, хочу учиться в автошколе", "Алматы", "B — легковые", "Очно", "1. Автошкола «Жол»"];
    const screens: string[] = [s.text()];
    for (const b of path) screens.push((await s.press(b)).text);
    await s.press("Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
    // From the phone step (reply keyboard) Back is typed.
    let m = await s.send("← Назад");
    expect(m.text).toBe(screens.at(-1)!);
    for (let i = screens.length - 2; i >= 0; i--) {
      m = await s.press("← Назад");
      expect(m.text).toBe(screens[i]!);
    }
    expect(s.buttons()).not.toContain("← Назад");
  });

  test("a restart of the bot in the middle of a flow loses nothing", async () => {
    const s = student(h.tg, { id: 1011, first_name: "Сая", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    await s.press("Шымкент");
    await h.restart();
    const m = await s.press("B — легковые");
    expect(m.text).toBe("Категория B. Какой формат обучения удобнее?");
  });

  test("deep links open a school, an instructor or a city; the source tag is kept; a bad payload starts normally", async () => {
    const [drive] = await h.database.db.select().from(schools).where(eq(schools.name, "Драйв Академия"));
    const s = student(h.tg, { id: 1012, first_name: "Алия", language_code: "ru" });
    let m = await s.send(`/start s${drive!.id}-insta`);
    expect(m.text).toContain("<b>Драйв Академия</b>");
    expect(s.buttons()).toContain("Записаться: B, Ускоренный курс — 230\u202f000 ₸, 5 нед.");
    m = await s.press("Записаться: B, Ускоренный курс — 230\u202f000 ₸, 5 нед.");
    // The link skipped the first question: it is asked now, for the school to see.
    expect(m.text).toBe("У вас есть водительское удостоверение?");
    await s.press("Нет водительского удостоверения");
    await s.send("+77001234567");
    await s.press("✓ Алия");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(1012);
    expect(app).toMatchObject({ schoolId: drive!.id, source: "insta", situation: "no_licence" });

    const i = student(h.tg, { id: 1013, first_name: "Тимур", language_code: "ru" });
    const [dmitry] = await h.database.db.select().from(instructors).where(eq(instructors.name, "Дмитрий Ким"));
    m = await i.send(`/start i${dmitry!.id}`);
    expect(m.text).toContain("<b>Дмитрий Ким</b>");
    // The school's name says what it is: shown as written, not inside "автошкола «…»" again.
    expect(m.text).toContain("\nАвтошкола «Сарыарка»\n");
    expect(m.text).not.toContain("«Автошкола «");

    const c = student(h.tg, { id: 1014, first_name: "Жан", language_code: "ru" });
    m = await c.send("/start c2");
    expect(m.text).toContain("У вас есть водительское удостоверение?");
    m = await c.press("Нет, хочу учиться в автошколе");
    expect(m.text).toBe("Какая категория прав вам нужна?"); // the city came with the link

    const bad = student(h.tg, { id: 1015, first_name: "Ы", language_code: "ru" });
    m = await bad.send("/start s1;drop table");
    expect(m.text).toContain("У вас есть водительское удостоверение?");
    m = await bad.press("Нет, хочу учиться в автошколе");
    expect(m.text).toStartWith("Выберите ваш город:");
  });

  test("/my lists the applications and cancels an open one (after asking why)", async () => {
    const s = student(h.tg, { id: 1001, first_name: "Асель", last_name: "Нурлан", language_code: "ru" });
    const [app] = await appsOf(1001);
    let m = await s.send("/my");
    expect(m.text).toContain(`№ ${app!.publicNumber} — Автошкола «Жол»`);
    expect(m.text).toContain(": новая");
    m = await s.press(`Отменить № ${app!.publicNumber}`);
    expect(m.text).toStartWith(`Отменить заявку № ${app!.publicNumber} (Автошкола «Жол»)?`);
    expect((await appsOf(1001))[0]!.status).toBe("new");
    const toasts = await s.pressForToast("Отменить без причины");
    expect(toasts).toEqual([`Заявка № ${app!.publicNumber} отменена.`]);
    const [after] = await appsOf(1001);
    expect(after!.status).toBe("cancelled");
    m = s.last();
    expect(m.text).toContain(": отменена");
    expect((m.markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text)).not.toContain(`Отменить № ${app!.publicNumber}`);
  });

  test("/lang switches the language and shows the current step again", async () => {
    const s = student(h.tg, { id: 1016, first_name: "Ерік", language_code: "ru" });
    await s.send("/start");
    await s.send("/lang");
    const m = await s.press("Қазақша");
    expect(m.text).toContain("Жүргізуші куәлігіңіз бар ма?");
    const [row] = await h.database.db.select().from(students).where(eq(students.telegramId, 1016));
    expect(row!.language).toBe("kk");
  });

  test("choosing a language sets that chat's command menu in it (the menu follows the choice, not the app)", async () => {
    const s = student(h.tg, { id: 1018, first_name: "Айгүл", language_code: "ru" });
    await s.send("/start");
    const chatMenu = () => h.tg.waitForCall("setMyCommands", (p) => p.scope?.chat_id === 1018, 5000, h.tg.calls.length);
    await s.send("/lang");
    let set = chatMenu();
    await s.press("Қазақша");
    let call = await set;
    expect(call.scope).toEqual({ type: "chat", chat_id: 1018 });
    expect(call.language_code).toBeUndefined();
    expect(call.commands.map((c: { command: string }) => c.command)).toEqual(["start", "my", "lang", "cancel", "help"]);
    expect(call.commands).toContainEqual({ command: "my", description: "Менің сабақтарым мен өтінімдерім" });
    await s.send("/lang");
    set = chatMenu();
    await s.press("Русский");
    call = await set;
    expect(call.scope).toEqual({ type: "chat", chat_id: 1018 });
    expect(call.commands).toContainEqual({ command: "help", description: "Справка и поддержка" });
  });

  test("a failed menu call does not hold up the chat: the language is set and the step is shown", async () => {
    const s = student(h.tg, { id: 1019, first_name: "Нұрлан", language_code: "ru" });
    await s.send("/start");
    await s.send("/lang");
    h.tg.failNext("setMyCommands", { code: 400, description: "Bad Request: chat not found" });
    const m = await s.press("Қазақша");
    expect(m.text).toContain("Жүргізуші куәлігіңіз бар ма?");
    // Given up at once (logged), not retried ahead of the chat's next messages.
    const rows = await h.database.db.select().from(outbox).where(eq(outbox.chatId, 1019)).orderBy(outbox.id);
    expect(rows.filter((r) => r.payload.method === "setMyCommands").map((r) => r.state)).toEqual(["failed"]);
    expect((await s.send("/help")).text).toContain("/help — Анықтама және қолдау");
  });

  test("/cancel ends the flow and records the abandon", async () => {
    const s = student(h.tg, { id: 1017, first_name: "Оля", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    const m = await s.send("/cancel");
    expect(m.text).toBe("Хорошо, остановились. Чтобы начать заново, нажмите /start.");
    const toasts = await s.pressForToast("Алматы");
    expect(toasts[0]).toBe("Эта кнопка устарела — показываю актуальный шаг.");
  });

  test("the command menu is set in both languages", async () => {
    const calls = h.tg.calls.filter((c) => c.method === "setMyCommands");
    expect(calls.map((c) => c.params.language_code ?? "default")).toEqual(expect.arrayContaining(["default", "kk"]));
    expect(calls.find((c) => c.params.language_code === "kk")!.params.commands[1]).toEqual({ command: "my", description: "Менің сабақтарым мен өтінімдерім" });
  });
});
