// Kazakh phone numbers: one rule for every door (the bot's phone step, the CRM's and the admin
// panel's profile forms) and one way to show them. Kazakhstan shares +7 with Russia; its numbers
// are +7 7XX XXX XX XX, where the zone code says what the number is (numbering plan, 2006):
// 710–729 landlines, 70x and 77x mobiles (kazakhstan.md also lists 747, 760–764 and 785).

/** Mobile zone codes: the plan's 70x and 77x blocks plus the codes kazakhstan.md lists. */
const MOBILE = /^7(0\d|47|6[0-4]|7\d|85)\d{7}$/;
/** Landline zone codes 710–729 (a school's office, a regional number). */
const LANDLINE = /^7[12]\d{8}$/;

export interface PhoneRule {
  /**
   * Also accept landlines. A school's office may be a landline, so the CRM's and the admin's
   * contact fields pass true; a student must give a mobile (the school calls or writes on WhatsApp).
   */
  landline?: boolean;
}

/**
 * A Kazakh number as `+77XXXXXXXXX`, or null. Accepts what people type and what Telegram's
 * "share contact" sends: `+7 701 234 56 01`, `8 (701) 234-56-01`, `77012345601`, `7012345601`
 * (ten digits, without the country code). Only digits, spaces, brackets, dashes and one leading
 * `+` are allowed, so a stray word or a second number is refused rather than guessed at.
 * Russian and other countries' numbers are refused: the product serves Kazakhstan.
 */
export function normalizePhone(input: string, rule: PhoneRule = {}): string | null {
  const text = input.trim();
  if (!/^\+?[\d\s()-]{10,24}$/.test(text)) return null;
  const digits = text.replace(/\D/g, "");
  let national: string;
  if (digits.length === 10) {
    if (text.startsWith("+")) return null; // "+701…" is no country code we know
    national = digits;
  } else if (digits.length === 11 && (digits[0] === "7" || (digits[0] === "8" && !text.startsWith("+")))) {
    national = digits.slice(1); // +7 / 7 (country code) or 8 (the trunk prefix)
  } else return null;
  if (MOBILE.test(national) || (rule.landline && LANDLINE.test(national))) return "+7" + national;
  return null;
}

/**
 * "+7 701 234 56 01" for showing a number stored as +7XXXXXXXXXX; anything else (an older or
 * foreign value) is shown as it is. Landlines get the same grouping: their area codes vary in
 * length (727, 7172, 72772), so no grouping fits them all.
 */
export function formatPhone(phone: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}

/**
 * What to look for in stored numbers when someone searches by phone: the digits of a typed
 * fragment ("701 11", "8 (701) 111-22-33"), or null when the text is not a number (3 to 15
 * digits with spaces, brackets, dashes or a + between). From ten digits on it is the national
 * number (the last ten), so "8 701…", "7701…" and "+7 701…" all find +7701….
 */
export function phoneSearchDigits(typed: string): string | null {
  const digits = typed.trim().replace(/[\s()+-]/g, "");
  if (!/^\d{3,15}$/.test(digits)) return null;
  return digits.length >= 10 ? digits.slice(-10) : digits;
}
