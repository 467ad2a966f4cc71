// Tenge: one way to write an amount (bot and CRM alike) and to read one back from a form.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatKzt, parseAmount } from "../../src/model/money.ts";

describe("formatKzt", () => {
  test.each([
    [0, "0 ₸"],
    [999, "999 ₸"],
    [1000, "1\u202f000 ₸"],
    [180_000, "180\u202f000 ₸"],
    [5_000_000, "5\u202f000\u202f000 ₸"],
    [9000.4, "9\u202f000 ₸"], // whole tenge
  ])("%p → %p", (amount, text) => {
    expect(formatKzt(amount)).toBe(text);
  });

  test("no breakable space inside the number, so a price never wraps", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => !/ /.test(formatKzt(n).slice(0, -2))));
  });

  test("what is written reads back as the same amount", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => parseAmount(formatKzt(n), 999_999_999) === n));
  });
});

describe("parseAmount", () => {
  test.each([
    ["180000", 180_000],
    ["180 000", 180_000],
    ["180\u00a0000 ₸", 180_000],
    ["0", 0],
    ["200000", 200_000],
  ])("%p → %p", (raw, n) => {
    expect(parseAmount(raw, 200_000)).toBe(n);
  });

  test.each(["", "200001", "-5", "12,5", "1e5", "сто", "1".repeat(10)])("%p is refused", (raw) => {
    expect(parseAmount(raw, 200_000)).toBeNull();
  });
});
