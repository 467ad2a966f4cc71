// Each kind of offer reads as what it is, in both languages (issue 18, item 2), the summary before
// Confirm says in full what the student signs up for (item 8), and the situation's SQL list is the
// model's.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { applicationSummary, offerLabel, schoolCard, schoolsList, type OfferFacts } from "../../src/notify/catalog.ts";
import { lessonPriceKzt } from "../../src/model/money.ts";
import { SITUATIONS, sqlSituationList } from "../../src/model/situation.ts";
import { t } from "../../src/i18n/index.ts";

const n = (s: string) => s.replace(/\u202f/g, " ");
const full: OfferFacts = { kind: "full_course", category: "B", format: "in_person", priceKzt: 180_000, durationWeeks: 10, hours: null, includes: "", includesKk: "" };
const practice: OfferFacts = { kind: "practice", category: "B", format: "in_person", priceKzt: 8_000, durationWeeks: 1, hours: 10, includes: "автомобиль школы, топливо", includesKk: "" };
const prep: OfferFacts = { kind: "test_prep", category: "B", format: "online_theory", priceKzt: 25_000, durationWeeks: 2, hours: null, includes: "", includesKk: "" };

describe("an offer's line, by kind", () => {
  test("Russian", () => {
    expect(n(offerLabel("ru", full))).toBe("B, Очно — 180 000 ₸, 10 нед.");
    expect(n(offerLabel("ru", practice))).toBe("Практика B, 10 ч — 8 000 ₸");
    expect(n(offerLabel("ru", { ...practice, hours: null }))).toBe("Практика B — 8 000 ₸");
    expect(n(offerLabel("ru", prep))).toBe("Подготовка к теории B — 25 000 ₸, 2 нед.");
  });

  test("Kazakh", () => {
    expect(n(offerLabel("kk", full))).toBe("B, Күндізгі — 180 000 ₸, 10 апта");
    expect(n(offerLabel("kk", practice))).toBe("Тәжірибе B, 10 сағ — 8 000 ₸");
    expect(n(offerLabel("kk", prep))).toBe("B теориясына дайындық — 25 000 ₸, 2 апта");
  });

  test("a practice offer never reads like a course of weeks", () => {
    for (const lang of ["ru", "kk"] as const) expect(offerLabel(lang, practice)).not.toMatch(/нед\.|апта|Очно|Күндізгі/);
  });

  test("a list of schools: courses by price and weeks, practice by price and hours", () => {
    const school = { name: "Драйв", address: "пр. Абая, 52", nameKk: "", addressKk: "", minPriceKzt: 75_000, durationWeeks: 2, hours: 10, trust: null };
    expect(n(schoolsList("ru", [{ ...school, kind: "full_course" }], 1, 1))).toContain("1. <b>Драйв</b> — от 75 000 ₸, 2 нед.\n");
    expect(n(schoolsList("ru", [{ ...school, kind: "practice" }], 1, 1))).toContain("1. <b>Драйв</b> — практика от 75 000 ₸, от 10 ч\n");
    expect(n(schoolsList("kk", [{ ...school, kind: "practice" }], 1, 1))).toContain("1. <b>Драйв</b> — тәжірибе 75 000 ₸-ден бастап, 10 сағаттан\n");
    expect(n(schoolsList("kk", [{ ...school, kind: "test_prep" }], 1, 1))).toContain("1. <b>Драйв</b> — 75 000 ₸-ден бастап, 2 апта\n");
  });

  test("the card lists the offers with what each price includes, escaped", () => {
    const card = n(schoolCard("ru", { name: "Жол", address: "a", phone: "p", description: "", nameKk: "", addressKk: "", descriptionKk: "", trust: null }, [full, { ...practice, includes: "<i>топливо</i>" }]));
    expect(card).toContain("• B, Очно — 180 000 ₸, 10 нед.\n• Практика B, 10 ч — 8 000 ₸\n   В цену входит: &lt;i&gt;топливо&lt;/i&gt;");
    expect(schoolCard("ru", { name: "Жол", address: "a", phone: "p", description: "", nameKk: "", addressKk: "", descriptionKk: "", trust: null }, [])).toContain(t("ru").noOffers);
  });
});

describe("the summary before Confirm", () => {
  const who = { studentName: "Асель", phone: "+77011234567" };

  test("a practice offer: kind, hours of driving, price and what is included", () => {
    const ru = n(applicationSummary("ru", { ...who, school: "Драйв", offer: practice }));
    expect(ru).toContain("Курс: Практика вождения, B\nСрок: 10 ч вождения\nЦена: 8 000 ₸\nВ цену входит: автомобиль школы, топливо\nИмя: Асель");
    const kk = n(applicationSummary("kk", { ...who, school: "Драйв", offer: practice }));
    expect(kk).toContain("Курс: Жүргізу тәжірибесі, B\nМерзімі: 10 сағат жүргізу\nБағасы: 8 000 ₸\nБағасына кіреді: автомобиль школы, топливо");
  });

  test("a full course and a test preparation: kind, format, weeks, price; nothing included is not a line", () => {
    expect(n(applicationSummary("ru", { ...who, school: "Жол", offer: full }))).toContain("Курс: Полный курс, B, Очно\nСрок: 10 нед.\nЦена: 180 000 ₸\nИмя:");
    expect(n(applicationSummary("ru", { ...who, school: "Жол", offer: prep }))).toContain("Курс: Подготовка к теоретическому экзамену, B, Теория онлайн\nСрок: 2 нед.");
  });

  test("an instructor's slot: its length, the price per hour and the slot's total", () => {
    const lesson = { instructor: "Айгерим", when: "ср, 27 нояб., 09:00", pricePerHourKzt: 9_000, minutes: 90 };
    expect(n(applicationSummary("ru", { ...who, ...lesson }))).toContain("Время: ср, 27 нояб., 09:00, 90 мин\nЦена: 9 000 ₸ за час; за занятие 90 мин — 13 500 ₸");
    expect(n(applicationSummary("kk", { ...who, ...lesson }))).toContain("Бағасы: сағатына 9 000 ₸; 90 минуттық сабақ — 13 500 ₸");
    // Without a slot (a part of the day, a waitlist wish) only the hourly price is known.
    expect(n(applicationSummary("ru", { ...who, ...lesson, when: "Вечером", minutes: null }))).toContain("Время: Вечером\nЦена: 9 000 ₸ за час\n");
  });

  test("a lesson's total is minutes/60 of the hourly price, in whole tenge", () => {
    expect(lessonPriceKzt(9_000, 90)).toBe(13_500);
    expect(lessonPriceKzt(7_000, 45)).toBe(5_250);
    expect(lessonPriceKzt(6_500, 50)).toBe(5_417); // 5 416.67
    expect(lessonPriceKzt(5_000, 60)).toBe(5_000);
  });
});

test("the migration's situation list is the model's", () => {
  const sql = readFileSync(new URL("../../drizzle/0011_offer_facts_situation.sql", import.meta.url), "utf8");
  expect(sql).toContain(`"situation" in ${sqlSituationList()}`);
  expect(sqlSituationList()).toBe(`(${SITUATIONS.map((s) => `'${s}'`).join(", ")})`);
  for (const lang of ["ru", "kk"] as const) for (const s of SITUATIONS) expect(t(lang).situationNames[s]).toBeTruthy();
});
