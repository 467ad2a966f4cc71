// Outside the bot's lists, card and summary, an application still reads as its offer's kind (issue
// 18): the staff alert (with the student's situation), the WhatsApp greeting and {курс}; and the
// school card always fits one Telegram message, whatever the school typed.
import { describe, expect, test } from "bun:test";
import { CARD_INCLUDES_LIMIT, courseName, courseOf, schoolCard, type OfferFacts } from "../../src/notify/catalog.ts";
import { newApplication } from "../../src/notify/staff.ts";
import { escapedWithin, escapeHtml } from "../../src/notify/html.ts";
import { TELEGRAM_TEXT_LIMIT } from "../../src/model/thread-message.ts";
import { t } from "../../src/i18n/index.ts";

const school = (kind: string | null) => ({ kind: "school" as const, category: "B", format: "in_person", transmission: null, offerKind: kind });

describe("what a school application is for, by its offer's kind", () => {
  test("Russian: a course by category and format, practice without the format, test prep named", () => {
    expect(courseName("ru", { kind: "full_course", category: "B", format: "in_person" })).toBe("B, Очно");
    expect(courseName("ru", { kind: "practice", category: "B", format: "in_person" })).toBe("Практика вождения, B");
    expect(courseName("ru", { kind: "test_prep", category: "B", format: "online_theory" })).toBe("Подготовка к теоретическому экзамену, B, Теория онлайн");
  });

  test("Kazakh", () => {
    expect(courseName("kk", { kind: "full_course", category: "B", format: "in_person" })).toBe("B, Күндізгі");
    expect(courseName("kk", { kind: "practice", category: "B", format: "in_person" })).toBe("Жүргізу тәжірибесі, B");
    expect(courseName("kk", { kind: "test_prep", category: "C", format: "in_person" })).toBe("Теориялық емтиханға дайындық, C, Күндізгі");
  });

  test("no offer, or a kind the dictionaries do not know, reads as a course", () => {
    expect(courseName("ru", { kind: null, category: "B", format: "in_person" })).toBe("B, Очно");
    expect(courseName("ru", { kind: "karting", category: "B", format: "in_person" })).toBe("B, Очно");
  });

  test("the WhatsApp greeting's course (and {курс}) follows the kind; an instructor's is the transmission and time", () => {
    expect(courseOf("ru", school("practice"), "")).toBe("Практика вождения, B");
    expect(courseOf("kk", school("practice"), "")).toBe("Жүргізу тәжірибесі, B");
    expect(courseOf("ru", school("full_course"), "")).toBe("B, Очно");
    const instructor = { kind: "instructor" as const, category: null, format: null, transmission: "manual" };
    expect(courseOf("ru", instructor, "Утром")).toBe("механика, Утром");
    expect(t("ru").whatsappText("12", courseOf("ru", school("practice"), ""))).toContain("Практика вождения, B");
  });
});

describe("the staff alert of a new application", () => {
  const base = { number: "9", studentName: "Асель", studentPhone: "+77011234567", category: "B", format: "in_person", transmission: null };
  const url = "https://crm.example/crm/schools/applications/9";

  test("practice says practice, and the student's situation, in both languages", () => {
    const practice = { ...base, kind: "school" as const, offerKind: "practice", situation: "certificate" as const };
    expect(newApplication("ru", practice, url).text).toBe("🆕 Новая заявка № 9\nАсель, +7 701 123 45 67\nПрактика вождения, B\nЕсть свидетельство автошколы, прав ещё нет");
    expect(newApplication("kk", practice, url).text).toBe("🆕 Жаңа өтінім № 9\nАсель, +7 701 123 45 67\nЖүргізу тәжірибесі, B\nАвтомектеп куәлігі бар, жүргізуші куәлігі әлі жоқ");
  });

  test("test prep is named; a course stays short; no situation (or a forged one) is no line", () => {
    const prep = newApplication("ru", { ...base, kind: "school", offerKind: "test_prep", situation: "licence" }, url).text;
    expect(prep).toEndWith("\nПодготовка к теоретическому экзамену, B, Очно\nЕсть водительское удостоверение");
    expect(newApplication("ru", { ...base, kind: "school", offerKind: "full_course", situation: null }, url).text).toEndWith("\nB, Очно");
    const forged = { ...base, kind: "school" as const, offerKind: "full_course", situation: "pilot" as unknown as "licence" };
    expect(newApplication("ru", forged, url).text).toEndWith("\nB, Очно");
  });
});

describe("escapedWithin", () => {
  test("a text that fits is only escaped", () => {
    expect(escapedWithin("a < b", 10)).toBe("a &lt; b");
  });

  test("a longer text is cut with … and its escaped length stays within the limit, never inside an escape or a surrogate pair", () => {
    expect(escapedWithin("abcdef", 4)).toBe("abc…");
    const cut = escapedWithin("ab&&&&", 8);
    expect(cut).toBe("ab&amp;…");
    expect(cut.length).toBeLessThanOrEqual(8);
    const emoji = escapedWithin("a🚗🚗🚗", 4); // a + one 2-unit emoji + …
    expect(emoji).toBe("a🚗…");
    expect(escapedWithin("abc", 0)).toBe("");
  });
});

describe("the school card always fits one Telegram message", () => {
  // The most a school may type (profile.ts: description 2000, includes 300), all of it characters that escape longest.
  const most = { name: "&".repeat(200), address: "<".repeat(300), phone: "+77011234567", description: "&".repeat(2000), nameKk: "", addressKk: "", descriptionKk: "", trust: 87 };
  const offer = (i: number): OfferFacts => ({ kind: i % 2 ? "practice" : "full_course", category: "B", format: "in_person", priceKzt: 180_000 + i, durationWeeks: 10, hours: 10, includes: "&".repeat(300), includesKk: "" });

  test("each includes is cut to about 100 characters with …; the description gets the room left", () => {
    for (const lang of ["ru", "kk"] as const) {
      const card = schoolCard(lang, most, [offer(0), offer(1), offer(2)]);
      expect(card.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      const included = card.split("\n").filter((l) => l.includes(t(lang).offerIncludes("")));
      expect(included).toHaveLength(3);
      for (const l of included) expect(l).toEndWith("…");
      expect(included[0]!.length).toBeLessThanOrEqual(`   ${t(lang).offerIncludes("")}`.length + CARD_INCLUDES_LIMIT);
      // Every offer is on the card, and the description is cut (it was 10 000 characters escaped).
      expect(card).toContain("180\u202f002");
      expect(card).toContain("&amp;&amp;…");
    }
  });

  test("with many offers the description shrinks; with hundreds, the lines are cut and the card still fits", () => {
    for (const count of [10, 30, 200]) {
      const card = schoolCard("ru", most, Array.from({ length: count }, (_, i) => offer(i)));
      expect(card.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(card).toStartWith(`<b>${escapeHtml(most.name)}</b>`);
      expect(card).toContain("Индекс доверия: 87/100");
    }
    expect(schoolCard("ru", most, Array.from({ length: 200 }, (_, i) => offer(i)))).toEndWith("\n…");
  });

  test("a short card is whole: no cut, no …", () => {
    const card = schoolCard("ru", { ...most, name: "Жол", address: "Абая, 1", description: "Лучшая школа" }, [{ ...offer(1), includes: "топливо" }]);
    expect(card).toContain("\nЛучшая школа\n");
    expect(card).toContain("В цену входит: топливо");
    expect(card).not.toContain("…");
  });
});
