// The waitlist through the fake Bot API: two students join an instructor's waitlist for a day
// without free time (Sundays have no demo slots), the instructor adds a time that day, the job's
// round offers it to both in join order, the first to press "Записаться" gets it, the second is
// told it is gone and keeps waiting, and the next round does not offer it again; when the first
// then cancels, the time is offered to the second again and they take it.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { applications, instructors, instructorSlots, outbox, students, waitlistEntries, waitlistOffers } from "../../src/db/schema.ts";
import { cancelByStudent } from "../../src/domain/status.ts";
import { waitlistRound } from "../../src/jobs/waitlist.ts";
import { localToUtc, parseDay } from "../../src/model/time.ts";
import { waitlistDay } from "../../src/notify/waitlist.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(60_000);

const ZONE = "Asia/Almaty";
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const db = () => h.database.db;

async function applicationOf(telegramId: number) {
  const [s] = await db().select().from(students).where(eq(students.telegramId, telegramId));
  const [a] = await db().select().from(applications).where(eq(applications.studentId, s!.id));
  return a!;
}

/** Flow 2 up to the day screen of Айгерим Нурланова (automatic, Almaty), in the student's language. */
async function toDays(s: Student, kk: boolean) {
  await s.send("/start");
  await s.press(kk ? "Иә, нұсқаушы керек" : "Да, нужен инструктор");
  await s.press("Алматы");
  await s.press(kk ? "B — жеңіл көліктер" : "B — легковые");
  await s.press("автомат");
  await s.press("1. Айгерим Нурланова");
  return s.press(kk ? "Уақыт таңдау" : "Выбрать время");
}

describe("the waitlist", () => {
  test("join for a day, get the freed time offered in join order; the first to confirm gets it", async () => {
    // A Russian student: no suitable time → a Sunday → any time → phone, name → confirm.
    const first = student(h.tg, { id: 5101, first_name: "Асель", language_code: "ru" });
    await toDays(first, false);
    expect(first.buttons()).toContain("Нет подходящего времени — в лист ожидания");
    let m = await first.press("Нет подходящего времени — в лист ожидания");
    expect(m.text).toBe("Лист ожидания: выберите день (время местное).");
    expect(first.buttons()).toHaveLength(14 + 1); // two weeks of days and Back
    // The later Sunday: a week or more ahead, so the time added below is ahead whatever day the test runs.
    const sunday = first.buttons().filter((b) => b.startsWith("вс,")).at(-1)!;
    m = await first.press(sunday);
    expect(m.text).toBe(`${sunday}: какое время вам подойдёт?`);
    expect(first.buttons()).toEqual(["Утро", "День", "Вечер", "Любое время", "← Назад"]);
    // Back works: the day screen again, then forward.
    m = await first.press("← Назад");
    expect(m.text).toBe("Лист ожидания: выберите день (время местное).");
    await first.press(sunday);
    await first.press("Любое время");
    await first.send("+7 701 555 11 22");
    m = await first.press("✓ Асель");
    expect(m.text).toContain(`Время: лист ожидания: ${sunday}, любое время`);
    m = await first.press("✅ Подтвердить");
    expect(m.text).toContain(`Вы в листе ожидания к инструктору Айгерим Нурланова: ${sunday}, любое время.`);
    const firstApp = await applicationOf(5101);
    expect(firstApp).toMatchObject({ slotId: null, status: "new", preferredTime: `лист ожидания: ${sunday}, любое время` });
    const [firstEntry] = await db().select().from(waitlistEntries).where(eq(waitlistEntries.applicationId, firstApp.id));
    expect(firstEntry).toMatchObject({ daypart: "day", state: "waiting" });

    // A Kazakh student joins the same day's morning from the same screen, later.
    const second = student(h.tg, { id: 5102, first_name: "Дәулет", language_code: "kk" });
    await toDays(second, true);
    await second.press("Қолайлы уақыт жоқ — күту тізіміне");
    await second.press(waitlistDay("kk", firstEntry!.day, ZONE));
    await second.press("Таңертең");
    await second.send("+7 702 555 11 33");
    m = await second.press("✓ Дәулет");
    m = await second.press("✅ Растау");
    expect(m.text).toContain("күту тізіміндесіз");
    const secondApp = await applicationOf(5102);
    const [secondEntry] = await db().select().from(waitlistEntries).where(eq(waitlistEntries.applicationId, secondApp.id));
    expect(secondEntry).toMatchObject({ day: firstEntry!.day, daypart: "morning", state: "waiting" });

    // The instructor adds a time that Sunday morning; the job's round (its clock injected) offers it.
    const [aigerim] = await db().select().from(instructors).where(eq(instructors.name, "Айгерим Нурланова"));
    const day = parseDay(firstEntry!.day)!;
    const [slot] = await db()
      .insert(instructorSlots)
      .values({ instructorId: aigerim!.id, startsAt: localToUtc(ZONE, day.y, day.m, day.d, 10), minutes: 90 })
      .returning();
    const before = h.tg.calls.length;
    const round = await waitlistRound(db(), new Date(), ZONE);
    expect(round.offered).toBe(2);
    // In join order: the first student's offer is queued before the second's.
    const queued = await db().select().from(outbox).where(inArray(outbox.chatId, [5101, 5102])).orderBy(outbox.id);
    const offers = queued.filter((q) => (q.payload.params as { reply_markup?: unknown }).reply_markup);
    expect(offers.map((q) => q.chatId).slice(-2)).toEqual([5101, 5102]);
    h.bot.delivery?.wake();
    const offerRu = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5101 && String(p.text).includes("Освободилось время"), 5000, before);
    expect(offerRu.text).toContain("Айгерим Нурланова");
    expect(offerRu.text).toContain("10:00");
    await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5102 && String(p.text).includes("уақыт босады"), 5000, before);

    // The first presses "Записаться": the application holds the time; the offer says so.
    m = await first.press("Записаться");
    expect(m.text).toContain("Готово: вы записаны к инструктору Айгерим Нурланова");
    expect((await applicationOf(5101)).slotId).toBe(slot!.id);
    // The second is told it is gone and stays on the waitlist.
    const gone = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5102 && String(p.text).includes("алып қойды"), 5000, before);
    expect(gone.text).toContain("Сіз күту тізімінде қаласыз.");
    const [stillWaiting] = await db().select().from(waitlistEntries).where(eq(waitlistEntries.id, secondEntry!.id));
    expect(stillWaiting!.state).toBe("waiting");
    // Pressing the old offer's "Жазылу" now: refused in Kazakh, the offer message edited to say so.
    m = await second.press("Жазылу");
    expect(m.text).toBe("Бұл уақытты басқа біреу алып қойды. Сіз күту тізімінде қаласыз.");
    expect((await applicationOf(5102)).slotId).toBeNull();

    // The next round offers that time to no one again.
    const again = await waitlistRound(db(), new Date(), ZONE);
    expect(again.offered).toBe(0);
    const rows = await db().select().from(waitlistOffers).where(eq(waitlistOffers.slotId, slot!.id));
    expect(Object.fromEntries(rows.map((r) => [r.entryId, r.state]))).toEqual({ [firstEntry!.id]: "taken", [secondEntry!.id]: "gone" });

    // The first cancels their application: the time is free again, the second is offered it again and takes it.
    const firstStudent = (await applicationOf(5101)).studentId;
    expect((await cancelByStudent(db(), firstApp.id, firstStudent)).ok).toBe(true);
    const beforeAgain = h.tg.calls.length;
    expect((await waitlistRound(db(), new Date(), ZONE)).offered).toBe(1);
    h.bot.delivery?.wake();
    await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5102 && String(p.text).includes("уақыт босады"), 5000, beforeAgain);
    m = await second.press("Жазылу");
    expect(m.text).toContain("Дайын: сіз Айгерим Нурланова нұсқаушысына");
    expect((await applicationOf(5102)).slotId).toBe(slot!.id);
  });

  test("leaving from an offer", async () => {
    const s = student(h.tg, { id: 5103, first_name: "Ерлан", language_code: "ru" });
    await toDays(s, false);
    await s.press("Нет подходящего времени — в лист ожидания");
    const sunday = s.buttons().filter((b) => b.startsWith("вс,")).at(-1)!;
    await s.press(sunday);
    await s.press("Вечер");
    await s.send("+7 701 555 11 44");
    await s.press("✓ Ерлан");
    await s.press("✅ Подтвердить");
    const app = await applicationOf(5103);
    const [entry] = await db().select().from(waitlistEntries).where(eq(waitlistEntries.applicationId, app.id));
    const [aigerim] = await db().select().from(instructors).where(eq(instructors.name, "Айгерим Нурланова"));
    const day = parseDay(entry!.day)!;
    await db().insert(instructorSlots).values({ instructorId: aigerim!.id, startsAt: localToUtc(ZONE, day.y, day.m, day.d, 19), minutes: 60 });
    const before = h.tg.calls.length;
    await waitlistRound(db(), new Date(), ZONE);
    h.bot.delivery?.wake();
    await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5103 && String(p.text).includes("Освободилось время"), 5000, before);
    const m = await s.press("Выйти из листа ожидания");
    expect(m.text).toBe("Вы вышли из листа ожидания.");
    const [left] = await db().select().from(waitlistEntries).where(and(eq(waitlistEntries.id, entry!.id)));
    expect(left!.state).toBe("left");
  });
});
