// Phone numbers: the ways people and Telegram write Kazakh numbers, what is refused, and the
// display format; properties over every mobile and landline number.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatPhone, normalizePhone, phoneSearchDigits } from "../../src/model/phone.ts";

describe("normalizePhone", () => {
  test.each([
    ["+7 701 234 56 01", "+77012345601"],
    ["+77012345601", "+77012345601"],
    ["8 701 234 56 01", "+77012345601"],
    ["8 (701) 234-56-01", "+77012345601"],
    ["+7 (701) 234-56-01", "+77012345601"],
    ["77012345601", "+77012345601"], // Telegram's shared contact, without the +
    ["7012345601", "+77012345601"], // ten digits, no country code
    ["  8-747-111-22-33  ", "+77471112233"],
    ["+7 777 000 00 00", "+77770000000"],
    ["+7 762 123 45 67", "+77621234567"],
    ["+7 785 123 45 67", "+77851234567"],
  ])("%p is the mobile %p", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
    expect(normalizePhone(input, { landline: true })).toBe(expected);
  });

  test.each([
    ["+7 7172 12 34 56", "+77172123456"], // Astana
    ["8 (727) 250-00-00", "+77272500000"], // Almaty
    ["8 72772 1 23 45", "+77277212345"], // Konaev
  ])("the landline %p is a school's office number, never a student's", (input, expected) => {
    expect(normalizePhone(input, { landline: true })).toBe(expected);
    expect(normalizePhone(input)).toBeNull();
  });

  test.each([
    "",
    "701 234 56", // too short
    "+7 701 234 56 012", // too long
    "+7 916 123 45 67", // Russia
    "8 916 123 45 67",
    "+1 212 555 0123",
    "+8 701 234 56 01", // +8 is no country code
    "+701 234 56 01", // + without a country code
    "+7 730 123 45 67", // zone code of nothing
    "+7 757 123 45 67", // non-geographic services
    "тел. 8 701 234 56 01",
    "8 701 234 56 01, 8 702 000 00 00",
    "8.701.234.56.01",
    "+7 701 234 56 01\u0000",
  ])("%p is refused", (input) => {
    expect(normalizePhone(input)).toBeNull();
    expect(normalizePhone(input, { landline: true })).toBeNull();
  });

  test("a 5 kB string of digits is refused", () => {
    expect(normalizePhone("7".repeat(5000), { landline: true })).toBeNull();
  });
});

/** Zone codes written out by hand (not by the module's pattern), so a wrong pattern fails here. */
const MOBILE_CODES = ["700", "701", "702", "703", "704", "705", "706", "707", "708", "709", "747", "760", "761", "762", "763", "764", "770", "771", "772", "773", "774", "775", "776", "777", "778", "779", "785"];
const LANDLINE_CODES = Array.from({ length: 20 }, (_, i) => String(710 + i));
const seven = fc.stringMatching(/^\d{7}$/);
const mobile = fc.tuple(fc.constantFrom(...MOBILE_CODES), seven).map(([c, r]) => c + r);
const landline = fc.tuple(fc.constantFrom(...LANDLINE_CODES), seven).map(([c, r]) => c + r);
const national = fc.stringMatching(/^7\d{9}$/);

/** The ways one national number (10 digits, 7XX…) may be written. */
const written = (n: string) =>
  fc.constantFrom(
    `+7${n}`,
    `8${n}`,
    `7${n}`,
    n,
    `+7 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6, 8)} ${n.slice(8)}`,
    `8 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
  );

describe("normalizePhone properties", () => {
  test("every way of writing a mobile gives +7 and its ten digits", () => {
    fc.assert(fc.property(mobile.chain((n) => fc.tuple(fc.constant(n), written(n))), ([n, w]) => normalizePhone(w) === `+7${n}`));
  });

  test("a number is a student's only if it is a mobile; a landline only with the option", () => {
    fc.assert(
      fc.property(national, (n) => {
        const isMobile = MOBILE_CODES.includes(n.slice(0, 3));
        const isLandline = LANDLINE_CODES.includes(n.slice(0, 3));
        return normalizePhone(`+7${n}`) === (isMobile ? `+7${n}` : null) && normalizePhone(`+7${n}`, { landline: true }) === (isMobile || isLandline ? `+7${n}` : null);
      }),
    );
  });

  test("a landline, written any way, is accepted with the option only", () => {
    fc.assert(fc.property(landline.chain((n) => fc.tuple(fc.constant(n), written(n))), ([n, w]) => normalizePhone(w, { landline: true }) === `+7${n}` && normalizePhone(w) === null));
  });

  test("the result is a fixed point, and survives being shown and typed back", () => {
    fc.assert(
      fc.property(fc.oneof(mobile, landline).chain(written), (w) => {
        const once = normalizePhone(w, { landline: true })!;
        return /^\+77\d{9}$/.test(once) && normalizePhone(once, { landline: true }) === once && normalizePhone(formatPhone(once), { landline: true }) === once;
      }),
    );
  });

  test("nothing but digits, spaces, brackets, dashes and a leading + gets through", () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => normalizePhone(s, { landline: true }) === null || /^\+?[\d\s()-]+$/.test(s.trim())));
  });

  test("a letter anywhere refuses the input", () => {
    fc.assert(fc.property(mobile, fc.nat(12), fc.constantFrom("a", "я", "x", "#", "."), (n, at, ch) => normalizePhone(`+7${n}`.slice(0, at) + ch + `+7${n}`.slice(at)) === null));
  });
});

describe("formatPhone", () => {
  test("groups a stored number as people read it", () => {
    expect(formatPhone("+77012345601")).toBe("+7 701 234 56 01");
    expect(formatPhone("+77172123456")).toBe("+7 717 212 34 56");
  });

  test("shows anything else as it is", () => {
    expect(formatPhone("")).toBe("");
    expect(formatPhone("+79161234567")).toBe("+7 916 123 45 67");
    expect(formatPhone("8 701 234 56 01")).toBe("8 701 234 56 01");
    expect(formatPhone("+1 212 555 0123")).toBe("+1 212 555 0123");
  });
});

describe("phoneSearchDigits", () => {
  test.each([
    ["701 11", "70111"],
    ["8 (701) 111-22-33", "7011112233"],
    ["+7 701 111 22 33", "7011112233"],
    ["77011112233", "7011112233"],
    ["2233", "2233"],
  ])("%p looks for %p", (typed, digits) => {
    expect(phoneSearchDigits(typed)).toBe(digits);
  });

  test.each(["", "70", "Айгерим", "701 Айгерим", "100%", "1".repeat(16)])("%p is not a number", (typed) => {
    expect(phoneSearchDigits(typed)).toBeNull();
  });

  test("every way of writing a number finds its stored form", () => {
    fc.assert(fc.property(fc.oneof(mobile, landline).chain((n) => fc.tuple(fc.constant(n), written(n))), ([n, w]) => `+7${n}`.includes(phoneSearchDigits(w)!)));
  });
});
