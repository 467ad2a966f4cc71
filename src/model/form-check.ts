// One checker for the forms schools, instructors and staff fill in (profiles, offers, catalog,
// accounts): each method reads one field, records a message for it in the reader's language when it
// is wrong, and returns the cleaned value, so a form is re-rendered with every message next to its input.
import { bilingual } from "./bilingual.ts";
import { parseAmount } from "./money.ts";
import { paymentLink } from "./payment-link.ts";
import { normalizePhone } from "./phone.ts";

export type FieldErrors = Record<string, string>;
export type Form = Record<string, string>;
export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const formTexts = bilingual({
  ru: {
    required: (label?: string) => (label ? `${label}: обязательно.` : "Обязательное поле."),
    tooLong: (max: number) => `Не длиннее ${max} символов.`,
    phoneMissing: "Укажите телефон.",
    phoneFormat: "Номер в формате +7 701 123 45 67.",
    link: (hosts: string) => `Ссылка https:// на ${hosts}.`,
    or: " или ",
    amount: (max: string) => `Целое число тенге от 0 до ${max}.`,
    int: (min: number, max: number) => `Целое число от ${min} до ${max}.`,
    pick: "Выберите значение из списка.",
  },
  kk: {
    required: (label?: string) => (label ? `${label}: міндетті.` : "Міндетті өріс."),
    tooLong: (max: number) => `${max} таңбадан аспауы керек.`,
    phoneMissing: "Телефонды көрсетіңіз.",
    phoneFormat: "Нөмір +7 701 123 45 67 пішімінде.",
    link: (hosts: string) => `${hosts} сайтына https:// сілтеме.`,
    or: " немесе ",
    // A range, not "N-ден M-ге": a number's case ending depends on how it is read aloud.
    amount: (max: string) => `Теңгемен бүтін сан енгізіңіз: 0–${max}.`,
    int: (min: number, max: number) => `Бүтін сан енгізіңіз: ${min}–${max}.`,
    pick: "Тізімнен мән таңдаңыз.",
  },
});

export class FormCheck {
  errors: FieldErrors = {};
  private readonly say: (typeof formTexts)["ru"];
  /** `language`: the reader's, for the messages (a form-specific message is passed in already in it). */
  constructor(
    readonly form: Form,
    readonly language: "ru" | "kk",
  ) {
    this.say = formTexts[language];
  }

  /** Trimmed text up to `max` characters; a `label` names the field in the "required" message. */
  text(key: string, max: number, required = false, label?: string): string {
    const v = (this.form[key] ?? "").trim();
    if (required && !v) this.errors[key] = this.say.required(label);
    else if (v.length > max) this.errors[key] = this.say.tooLong(max);
    return v;
  }

  /** A contact number of a school or an instructor: a Kazakh mobile or landline (an office phone), as +77XXXXXXXXX. */
  phone(key: string, required: boolean): string {
    const v = (this.form[key] ?? "").trim();
    if (!v) {
      if (required) this.errors[key] = this.say.phoneMissing;
      return "";
    }
    const p = normalizePhone(v, { landline: true });
    if (!p) this.errors[key] = this.say.phoneFormat;
    return p ?? v;
  }

  /** An optional https link on one of `hosts`. */
  link(key: string, hosts: readonly string[]): string {
    const v = (this.form[key] ?? "").trim();
    if (!v) return "";
    const l = paymentLink(v, hosts);
    if (!l) this.errors[key] = this.say.link(hosts.join(this.say.or));
    return l ?? v;
  }

  /** Whole tenge from 0 to `max`. */
  amount(key: string, max: number): number {
    const n = parseAmount(this.form[key] ?? "", max);
    if (n === null) this.errors[key] = this.say.amount(max.toLocaleString("ru-RU"));
    return n ?? 0;
  }

  int(key: string, min: number, max: number): number {
    const raw = (this.form[key] ?? "").trim();
    const n = /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) this.errors[key] = this.say.int(min, max);
    return Number.isInteger(n) ? n : min;
  }

  /** An id picked from a list: a positive integer or nothing. */
  id(key: string, required: boolean, message = this.say.pick): number | null {
    const raw = (this.form[key] ?? "").trim();
    if (!raw) {
      if (required) this.errors[key] = message;
      return null;
    }
    if (!/^\d{1,9}$/.test(raw)) {
      this.errors[key] = message;
      return null;
    }
    return Number(raw);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], message: string): T {
    const v = this.form[key] as T;
    if (!allowed.includes(v)) this.errors[key] = message;
    return v;
  }

  checkbox(key: string): boolean {
    const v = this.form[key];
    return v === "on" || v === "1" || v === "true";
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}
