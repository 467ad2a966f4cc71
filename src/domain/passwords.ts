// Password rules for staff accounts (CRM and admin): a minimum length and a refusal of passwords
// people commonly choose. The list is zxcvbn-ts's "passwords-common" dictionary (~49k passwords
// from public leak corpora, MIT, @zxcvbn-ts/language-common), plus a few that are common here
// (Russian keyboard layouts, the product's own name) and are missing from an English-centric list.
// Messages are Russian: they are shown on admin pages and printed by the create-admin command.

/** NIST SP 800-63B allows 8 with a blocklist; staff accounts see student phone numbers, so 10. */
export const PASSWORD_MIN_LENGTH = 10;
/** Longer inputs are refused rather than hashed (argon2 over megabytes is a denial of service). */
export const PASSWORD_MAX_LENGTH = 200;

const LOCAL_COMMON = [
  "йцукенгшщз",
  "йцукенгшщзхъ",
  "пароль1234",
  "парольпароль",
  "qwertyйцукен",
  "avtomat123",
  "avtomat2024",
  "avtomat2025",
  "avtoshkola1",
  "avtoshkola123",
  "autoschool1",
  "kazakhstan1",
  "kazakhstan123",
  "almaty2024",
  "almaty2025",
  "astana2024",
  "astana2025",
  "qazaqstan123",
];

let common: Set<string> | null = null;
/**
 * The list, loaded on the first password checked: the package holds all of zxcvbn's dictionaries
 * (~7 MB of the app's resident memory once imported), and most processes never set a password.
 */
function commonPasswords(): Set<string> {
  if (common) return common;
  const { dictionary } = require("@zxcvbn-ts/language-common") as typeof import("@zxcvbn-ts/language-common");
  return (common = new Set([...dictionary["passwords-common"], ...LOCAL_COMMON].map((p) => p.toLowerCase())));
}

/** Whether the password is on the common-password list (case does not make it safer). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/**
 * Why a new password is refused, in Russian, or null when it is acceptable. `login` (when known)
 * must not be the password or its main part.
 */
export function passwordProblem(password: string, login?: string): string | null {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) return `Пароль слишком короткий: нужно не меньше ${PASSWORD_MIN_LENGTH} символов.`;
  if (chars.length > PASSWORD_MAX_LENGTH) return `Пароль слишком длинный: не больше ${PASSWORD_MAX_LENGTH} символов.`;
  if (new Set(chars).size < 3) return "Пароль слишком простой: в нём почти одни и те же символы.";
  const lower = password.toLowerCase();
  if (isCommonPassword(password)) return "Этот пароль слишком распространён и легко подбирается. Выберите другой.";
  if (login && login.length >= 3 && lower.includes(login.toLowerCase())) return "Пароль не должен содержать логин.";
  return null;
}
