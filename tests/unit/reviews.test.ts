// Reviews (issue 16), the pure parts: the review buttons through the one callback parser (a
// rating outside 1–5, a flag other than 0/1, a bad id are stale), when a request falls due (the
// next local day at REVIEW_ASK_HOUR), the rating's format per language, and the card's review
// block (escaped, "Ученик"/"Оқушы" for an anonymous author, the answer under its comment, cut to
// fit one Telegram message).
import { describe, expect, test } from "bun:test";
import { parseCallbackData, ratingButtons, reviewNameData, reviewNoCommentData, reviewOpenData, reviewRateData } from "../../src/bot/callback-data.ts";
import { formatRating, reviewDueAt } from "../../src/model/review.ts";
import { TELEGRAM_TEXT_LIMIT } from "../../src/model/thread-message.ts";
import { reviewAsk, reviewBlock, withReviews } from "../../src/notify/review.ts";

describe("review buttons", () => {
  test("what we pack parses back", () => {
    for (let r = 1; r <= 5; r++) expect(parseCallbackData(ratingButtons(42)(r))).toEqual({ kind: "reviewRate", applicationId: 42, rating: r });
    expect(parseCallbackData(reviewNoCommentData.pack({ id: 7 }))).toEqual({ kind: "reviewNoComment", applicationId: 7 });
    expect(parseCallbackData(reviewNameData.pack({ id: 7, show: 1 }))).toEqual({ kind: "reviewName", applicationId: 7, show: true });
    expect(parseCallbackData(reviewNameData.pack({ id: 7, show: 0 }))).toEqual({ kind: "reviewName", applicationId: 7, show: false });
    expect(parseCallbackData(reviewOpenData.pack({ id: 2 ** 31 - 1 }))).toEqual({ kind: "reviewOpen", applicationId: 2 ** 31 - 1 });
  });
  test("forgeries are stale", () => {
    for (const data of [reviewRateData.pack({ id: 1, r: 0 }), reviewRateData.pack({ id: 1, r: 6 }), reviewRateData.pack({ id: 0, r: 5 }), reviewRateData.pack({ id: 2 ** 31, r: 5 }), reviewNameData.pack({ id: 1, show: 2 }), reviewOpenData.pack({ id: -1 }), "rv", "rvx_1"])
      expect(parseCallbackData(data)).toEqual({ kind: "stale" });
  });
});

describe("when to ask", () => {
  test("the next local day at 11:00, whatever the hour it finished", () => {
    const zone = "Asia/Almaty";
    expect(reviewDueAt(new Date("2026-12-04T18:50:00Z"), zone).toISOString()).toBe("2026-12-05T06:00:00.000Z"); // 23:50 local
    expect(reviewDueAt(new Date("2026-12-04T19:10:00Z"), zone).toISOString()).toBe("2026-12-06T06:00:00.000Z"); // 00:10 local, Dec 5
    expect(reviewDueAt(new Date("2026-12-04T03:00:00Z"), zone).toISOString()).toBe("2026-12-05T06:00:00.000Z"); // 08:00 local
  });
  test("the average reads with one decimal and a comma in both languages", () => {
    expect(formatRating(4.25, "ru")).toBe("4,3");
    expect(formatRating(5, "ru")).toBe("5,0");
    expect(formatRating(3.5, "kk")).toBe("3,5");
  });
});

describe("the card's review block", () => {
  const summary = {
    average: 4.5,
    count: 12,
    latest: [
      { rating: 5, comment: "Отлично <b>всё</b>", author: "Дана", reply: "Спасибо & до встречи" },
      { rating: 4, comment: "Хорошо", author: null, reply: null },
    ],
  };
  test("Russian and Kazakh: average, count, comments escaped, the anonymous author, the answer", () => {
    const ru = reviewBlock("ru", "school", summary);
    expect(ru).toBe(
      "⭐ Отзывы: 4,5 из 5 (12)\n«Отлично &lt;b&gt;всё&lt;/b&gt;» — Дана, ★★★★★\n   ↳ Ответ автошколы: Спасибо &amp; до встречи\n«Хорошо» — Ученик, ★★★★",
    );
    const kk = reviewBlock("kk", "instructor", summary);
    expect(kk).toContain("⭐ Пікірлер: 5-тен 4,5 (12)");
    expect(kk).toContain("— Оқушы, ★★★★");
    expect(kk).toContain("Нұсқаушының жауабы");
  });
  test("a card near Telegram's limit keeps the average and drops the comments that do not fit", () => {
    const block = reviewBlock("ru", "school", summary);
    expect(withReviews("card", null)).toBe("card");
    expect(withReviews("card", block)).toBe(`card\n\n${block}`);
    const big = "x".repeat(TELEGRAM_TEXT_LIMIT - 40);
    const fitted = withReviews(big, block);
    expect(fitted.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(fitted).toContain("⭐ Отзывы: 4,5 из 5 (12)");
    expect(fitted).not.toContain("Хорошо");
    expect(withReviews("x".repeat(TELEGRAM_TEXT_LIMIT), block)).toBe("x".repeat(TELEGRAM_TEXT_LIMIT));
  });
  test("the question escapes the name and carries five buttons", () => {
    const m = reviewAsk("kk", { number: "12", kind: "school", name: "<Жол>", reminder: false }, ratingButtons(3));
    expect(m.text).toContain("«&lt;Жол&gt;» автомектебін");
    expect((m.markup as { inline_keyboard: unknown[][] }).inline_keyboard[0]).toHaveLength(5);
  });
});
