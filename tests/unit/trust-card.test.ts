// Issue 16: the bot's school and instructor cards explain the trust index to the student: the
// number (or "мало данных" by the one rule) and its two strongest and two weakest parts in plain
// words, in Russian and Kazakh, from the components' measures.
import { describe, expect, test } from "bun:test";
import { instructorTrust, schoolTrust, type TrustApplication } from "../../src/analytics/trust.ts";
import { instructorCard, schoolCard, trustParts } from "../../src/notify/catalog.ts";

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = new Date("2025-03-10T12:00:00+05:00");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** 40 applications 10 days old answered in 12 min; 30 confirmed, 26 of those paid by both sides' word. */
function established(): TrustApplication[] {
  return Array.from({ length: 40 }, (_, i): TrustApplication => {
    const createdAt = ago(10 * D);
    const a: TrustApplication = { createdAt, firstResponseAt: new Date(createdAt.getTime() + 12 * MIN), status: "contacted" };
    if (i < 30) Object.assign(a, { status: "confirmed", confirmedAt: new Date(createdAt.getTime() + D) });
    if (i < 26) Object.assign(a, { status: "paid", paidAt: ago(8 * D), payment: { studentAt: ago(8 * D), staffAt: ago(8 * D), disputedAt: null } });
    return a;
  });
}

const school = { name: "Автошкола «Жол»", address: "ул. Толе би, 101", phone: "+77010000001", description: "", nameKk: "", addressKk: "", descriptionKk: "" };

describe("trust on the bot's cards", () => {
  const idx = schoolTrust({ applications: established(), reviews: { reviews: 10, ratingSum: 22, cityMean: 4.2 }, lessons: { conducted: 30, broken: 0 }, now: NOW });

  test("an established school: the number and its strongest and weakest parts in plain words (RU)", () => {
    expect(idx.enoughData).toBe(true);
    const card = schoolCard("ru", { ...school, trust: idx.value, trustIndex: idx }, []);
    expect(card).toContain(`Индекс доверия: ${idx.value}/100`);
    expect(card).toContain("Сильные стороны: отвечает в среднем за 12 мин, 87 % учеников подтвердили оплату.");
    expect(card).toContain("Слабые стороны: средняя оценка учеников — 2,2 из 5.");
  });

  test("the same in Kazakh", () => {
    const card = schoolCard("kk", { ...school, trust: idx.value, trustIndex: idx }, []);
    expect(card).toContain(`Сенім индексі: ${idx.value}/100`);
    expect(card).toContain("Күшті жақтары: орта есеппен 12 мин ішінде жауап береді, оқушылардың 87 %-ы төлемді растады.");
    expect(card).toContain("Әлсіз жақтары: оқушылардың орташа бағасы — 2,2 / 5.");
  });

  test("at most two of each, only parts with data, none named twice", () => {
    const { length } = trustParts("ru", idx);
    expect(length).toBeLessThanOrEqual(2);
    for (const line of trustParts("ru", idx)) expect(line.split(", ").length).toBeLessThanOrEqual(2);
    expect(trustParts("ru", schoolTrust({ applications: [], now: NOW }))).toEqual([]);
  });

  test("'мало данных' instead of the number, and no parts, while the one rule says so", () => {
    const fresh = schoolTrust({ applications: [{ createdAt: ago(2 * H), status: "new" }], now: NOW });
    expect(fresh.enoughData).toBe(false);
    // The catalog reads sqlShownTrust: null while the stored rule says "not enough".
    const ru = schoolCard("ru", { ...school, trust: null, trustIndex: fresh }, []);
    expect(ru).toContain("Индекс доверия: новая школа: мало данных");
    expect(ru).not.toContain("Сильные стороны");
    expect(schoolCard("kk", { ...school, trust: null, trustIndex: fresh }, [])).toContain("Сенім индексі: жаңа автомектеп: дерек аз");
    const inst = { name: "Айдар", car: "", categories: ["B"], transmission: "manual" as const, pricePerHourKzt: 5000, schoolName: null, schoolNameKk: null, meetingPoint: "", meetingPointKk: "", rating: null };
    expect(instructorCard("ru", { ...inst, trustIndex: instructorTrust({ applications: [], now: NOW }) })).toContain("рейтинг: новый инструктор: мало данных");
    expect(instructorCard("kk", inst)).toContain("рейтинг: жаңа нұсқаушы: дерек аз");
  });
});
