// The student's schedule messages (src/notify/schedule.ts): outcomes in both languages, escaping,
// and the buttons the bot packs.
import { describe, expect, test } from "bun:test";
import type { StudentLesson } from "../../src/domain/student-lessons.ts";
import { cannotMove, confirmLessonCancel, lessonCard, lessonOutcome, scheduleSection } from "../../src/notify/schedule.ts";

const TZ = "Asia/Almaty";
const lesson = (more: Partial<StudentLesson> = {}): StudentLesson => ({
  id: 5,
  applicationId: 9,
  publicNumber: "A12",
  instructorId: 3,
  instructorName: "Ерлан <b>",
  startsAt: new Date("2030-12-12T09:00:00+05:00"),
  minutes: 90,
  place: "",
  state: "planned",
  noShowBy: null,
  cancelledBy: null,
  cancelledLate: false,
  ...more,
});
const buttons = (m: { markup?: Record<string, unknown> }) => (m.markup!.inline_keyboard as { text: string; callback_data: string }[][]).map((r) => r.map((b) => `${b.text}=${b.callback_data}`));

describe("lessonOutcome", () => {
  test("says how it went and who missed or cancelled, in both languages", () => {
    const cases: [Partial<StudentLesson>, string, string][] = [
      [{ state: "conducted" }, "проведено", "өтті"],
      [{ state: "no_show", noShowBy: "student" }, "пропущено — вы не пришли", "өтпеді — сіз келмедіңіз"],
      [{ state: "no_show", noShowBy: "instructor" }, "пропущено — неявка инструктора", "өтпеді — нұсқаушы келмеді"],
      [{ state: "no_show" }, "пропущено", "өтпеді"],
      [{ state: "cancelled", cancelledBy: "student" }, "отменено вами", "сіз бас тарттыңыз"],
      [{ state: "cancelled", cancelledBy: "student", cancelledLate: true }, "отменено вами поздно (считается как пропуск)", "сіз кеш бас тарттыңыз (сабаққа келмеу болып есептеледі)"],
      [{ state: "cancelled", cancelledBy: "instructor" }, "отменено инструктором", "нұсқаушы тоқтатты"],
      [{ state: "cancelled", cancelledBy: "school" }, "отменено автошколой", "автомектеп тоқтатты"],
      [{ state: "planned" }, "ждёт отметки инструктора", "нұсқаушының белгісін күтуде"],
    ];
    for (const [l, ru, kk] of cases) expect([lessonOutcome("ru", lesson(l)), lessonOutcome("kk", lesson(l))]).toEqual([ru, kk]);
  });
});

describe("messages", () => {
  test("the /my section escapes names and places and has a button per upcoming lesson", () => {
    const s = scheduleSection("ru", { upcoming: [lesson({ place: "ТЦ <Мега> & парковка" })], past: [lesson({ id: 4, state: "conducted", startsAt: new Date("2030-12-02T09:00:00+05:00") })] }, { timeZone: TZ, openData: (id) => `open:${id}` });
    expect(s.text).toBe(
      "Ваши занятия:\n• чт, 12 дек. 09:00, 90 мин — инструктор Ерлан &lt;b&gt; (заявка № A12)\n    Место: ТЦ &lt;Мега&gt; &amp; парковка\n\nПрошедшие и отменённые занятия:\n• пн, 2 дек. 09:00 (заявка № A12): проведено",
    );
    expect(s.buttons).toEqual([[{ text: "📅 чт, 12 дек. 09:00", callback_data: "open:5" }]]);
    expect(scheduleSection("kk", { upcoming: [], past: [] }, { timeZone: TZ, openData: String })).toEqual({ text: "", buttons: [] });
  });

  test("a past lesson's card shows its outcome and no actions", () => {
    const card = lessonCard("ru", lesson({ state: "cancelled", cancelledBy: "instructor" }), { timeZone: TZ, upcoming: false, moveData: "m", cancelData: "c", backData: "b" });
    expect(card.text).toEndWith("\n\nотменено инструктором");
    expect(buttons(card)).toEqual([["← Мои занятия=b"]]);
  });

  test("the cancel question warns only inside the cut-off; moving is refused with the hours, or for want of free time", () => {
    expect(confirmLessonCancel("ru", lesson(), { timeZone: TZ, lateWithin: null, yesData: "y", noData: "n" }).text).toBe("Отменить занятие чт, 12 дек. 09:00?");
    expect(confirmLessonCancel("kk", lesson(), { timeZone: TZ, lateWithin: 12, yesData: "y", noData: "n" }).text).toContain("Сабаққа 12 сағаттан аз қалды.");
    expect(cannotMove("ru", 24, { writeData: "w", backData: "b" }).text).toContain("до него меньше 24 ч");
    const none = cannotMove("kk", null, { writeData: "w", backData: "b" });
    expect(none.text).toStartWith("Нұсқаушының алдағы екі аптада бос уақыты жоқ.");
    expect(buttons(none)).toEqual([["Нұсқаушыға жазу=w"], ["← Менің сабақтарым=b"]]);
  });
});
