// A slot booked through the bot is never cancelled silently by its instructor: cancelling it or
// taking its day off keeps the booking unless the instructor gives a reason; with a reason the
// booking is released, the student is told in their language and the history says so.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { applicationEvents, applications, instructors, instructorSlots, students } from "../../src/db/schema.ts";
import { freeSlots } from "../../src/domain/slots.ts";
import { localDate } from "../../src/model/time.ts";
import { appOver, type TestApp } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import * as fx from "../support/fixtures.ts";
import { bookFirstFreeTime, student } from "../support/student.ts";

setDefaultTimeout(60_000);

let h: BotHarness;
let web: TestApp;
beforeAll(async () => {
  h = await startBotHarness();
  web = appOver(h.database);
});
afterAll(() => h.dispose());

const db = () => h.database.db;

async function bookThroughTheBot(id: number, language: "ru" | "kk") {
  const s = student(h.tg, { id, first_name: "Айжан", language_code: language });
  await bookFirstFreeTime(s, language);
  const [me] = await db().select().from(students).where(eq(students.telegramId, id));
  const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
  expect(app?.slotId).not.toBeNull();
  return { s, app: app! };
}

const slotOf = async (id: number) => (await db().select().from(instructorSlots).where(eq(instructorSlots.id, id)))[0]!;
const appRow = async (id: number) => (await db().select().from(applications).where(eq(applications.id, id)))[0]!;

describe("a slot booked in the bot, withdrawn by its instructor", () => {
  test("kept without a reason; released with one, the student told in Kazakh and the history written", async () => {
    const { app } = await bookThroughTheBot(5101, "kk");
    const slotId = app.slotId!;
    const slot = await slotOf(slotId);
    const [aigerim] = await db().select().from(instructors).where(eq(instructors.id, app.instructorId!));
    const staff = await fx.createStaff(db(), { instructorId: aigerim!.id });
    const s = await fx.loginAs(web, staff.login, "instructor");

    // The schedule shows the slot as booked, with a "cancel the booking…" button, not "cancel the slot".
    const page = await (await s.request("/crm/instructors/availability")).text();
    const row = page.slice(page.indexOf(`id="slot-${slotId}"`), page.indexOf("</tr>", page.indexOf(`id="slot-${slotId}"`)));
    expect(row).toContain('data-state="booked"');
    expect(row).toContain(`заявкой № ${app.publicNumber}`);
    expect(row).toContain("Отменить запись…");
    expect(row).not.toContain("Отменить окно");

    // Cancelling without a reason is refused: the reason form comes back, nothing changes.
    const refused = await s.request(`/crm/instructors/availability/slots/${slotId}/cancel`, { form: { reason: "" }, htmx: true });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('name="reason"');
    expect((await slotOf(slotId)).state).toBe("free");
    expect((await appRow(app.id)).slotId).toBe(slotId);

    // Taking the day off keeps the booking and says so.
    const day = localDate("Asia/Almaty", slot.startsAt);
    const iso = `${day.y}-${String(day.m).padStart(2, "0")}-${String(day.d).padStart(2, "0")}`;
    const kept = await s.request("/crm/instructors/availability/block", { form: { day: iso }, htmx: true });
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain(`Записи учеников остались`);
    expect((await slotOf(slotId)).state).toBe("free");
    expect((await appRow(app.id)).slotId).toBe(slotId);

    // Cancelling the bookings of the day needs a reason too.
    const noReason = await s.request("/crm/instructors/availability/block", { form: { day: iso, bookings: "cancel", reason: "  " }, htmx: true });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Напишите причину");
    expect((await appRow(app.id)).slotId).toBe(slotId);

    // With a reason: released, told, recorded.
    const done = await s.request("/crm/instructors/availability/block", { form: { day: iso, bookings: "cancel", reason: "Машина <в ремонте>" }, htmx: true });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Отменено записей: 1");
    expect((await slotOf(slotId)).state).toBe("cancelled");
    const after = await appRow(app.id);
    expect(after).toMatchObject({ slotId: null, status: "new" });
    const [event] = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.type, "slot")));
    expect(event!.payload).toMatchObject({ action: "cancelled", slotId, reason: "Машина <в ремонте>" });
    const told = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5101 && String(p.text).includes("сабағын тоқтатты"), 20_000);
    expect(told.text).toContain(`№ ${app.publicNumber} өтінім`);
    expect(told.text).toContain("Себебі: Машина &lt;в ремонте&gt;");
    const history = await (await s.request(`/crm/instructors/applications/${app.id}`)).text();
    expect(history).toContain("Инструктор отменил запись");
    expect(history).toContain("Машина &lt;в ремонте&gt;");
    // The freed time is not offered again: the instructor closed the day.
    expect((await freeSlots(db(), aigerim!.id, new Date())).map((x) => x.id)).not.toContain(slotId);
  });

  test("a single booked slot cancelled with a reason: the student is told in Russian", async () => {
    const { app } = await bookThroughTheBot(5103, "ru");
    const slotId = app.slotId!;
    const staff = await fx.createStaff(db(), { instructorId: app.instructorId! });
    const s = await fx.loginAs(web, staff.login, "instructor");
    const form = await s.request(`/crm/instructors/availability/slots/${slotId}/cancel`, { htmx: true });
    expect(await form.text()).toContain("Причина для ученика");
    const res = await s.request(`/crm/instructors/availability/slots/${slotId}/cancel`, { form: { reason: "Заболел" }, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-state="cancelled"');
    expect(html).toContain(`Запись № ${app.publicNumber} отменена`);
    expect((await appRow(app.id)).slotId).toBeNull();
    const told = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 5103 && String(p.text).includes("отменено, инструктор —"), 20_000);
    expect(told.text).toContain("Причина: Заболел");
    expect(told.text).toContain("Айгерим Нурланова");
  });
});
