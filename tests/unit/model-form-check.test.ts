// The one form checker: every field's value cleaned, every wrong field with its message.
import { describe, expect, test } from "bun:test";
import { FormCheck } from "../../src/model/form-check.ts";
import { PAYMENT_HOSTS } from "../../src/model/payment-link.ts";

describe("FormCheck", () => {
  test("a correct form: cleaned values, no errors", () => {
    const c = new FormCheck({ name: "  Жол  ", phone: "8 (701) 234-56-01", office: "+7 7172 12 34 56", kaspi: "https://pay.kaspi.kz/pay/zhol", price: "180 000", sort: "5", city: "7", on: "on" }, "ru");
    expect(c.text("name", 10, true)).toBe("Жол");
    expect(c.phone("phone", true)).toBe("+77012345601");
    expect(c.phone("office", true)).toBe("+77172123456"); // a school's office may be a landline
    expect(c.phone("whatsapp", false)).toBe("");
    expect(c.link("kaspi", PAYMENT_HOSTS.kaspi)).toBe("https://pay.kaspi.kz/pay/zhol");
    expect(c.link("halyk", PAYMENT_HOSTS.halyk)).toBe("");
    expect(c.amount("price", 200_000)).toBe(180_000);
    expect(c.int("sort", 0, 10)).toBe(5);
    expect(c.id("city", true)).toBe(7);
    expect(c.id("school", false)).toBeNull();
    expect(c.checkbox("on")).toBe(true);
    expect(c.checkbox("off")).toBe(false);
    expect(c.oneOf("kind", ["a", "b"] as const, "Выберите.")).toBeUndefined();
    expect(c.errors).toEqual({ kind: "Выберите." });
    expect(c.ok).toBe(false);
  });

  test("each wrong field gets its own message; the typed value is kept", () => {
    const c = new FormCheck({ name: "", car: "", long: "x".repeat(11), phone: "+7 916 123 45 67", kaspi: "http://kaspi.kz/x", halyk: "https://evil.kz", price: "12,5", sort: "11", city: "abc" }, "ru");
    c.text("name", 10, true);
    c.text("car", 10, true, "Автомобиль");
    c.text("long", 10);
    expect(c.phone("phone", true)).toBe("+7 916 123 45 67");
    c.phone("whatsapp", true);
    expect(c.link("kaspi", PAYMENT_HOSTS.kaspi)).toBe("http://kaspi.kz/x");
    c.link("halyk", PAYMENT_HOSTS.halyk);
    c.amount("price", 200_000);
    c.int("sort", 0, 10);
    c.id("city", true, "Выберите город.");
    expect(c.errors).toEqual({
      name: "Обязательное поле.",
      car: "Автомобиль: обязательно.",
      long: "Не длиннее 10 символов.",
      phone: "Номер в формате +7 701 123 45 67.",
      whatsapp: "Укажите телефон.",
      kaspi: "Ссылка https:// на kaspi.kz.",
      halyk: "Ссылка https:// на halykbank.kz или homebank.kz.",
      price: "Целое число тенге от 0 до 200\u00a0000.",
      sort: "Целое число от 0 до 10.",
      city: "Выберите город.",
    });
    expect(c.ok).toBe(false);
  });

  test("in Kazakh for a Kazakh reader (issue 17): the same fields, the messages in Kazakh", () => {
    const c = new FormCheck({ name: "", long: "x".repeat(11), phone: "123", halyk: "https://evil.kz", price: "-1", sort: "x", city: "abc" }, "kk");
    c.text("name", 10, true);
    c.text("long", 10);
    c.phone("phone", true);
    c.link("halyk", PAYMENT_HOSTS.halyk);
    c.amount("price", 200_000);
    c.int("sort", 0, 10);
    c.id("city", true);
    expect(c.errors).toEqual({
      name: "Міндетті өріс.",
      long: "10 таңбадан аспауы керек.",
      phone: "Нөмір +7 701 123 45 67 пішімінде.",
      halyk: "halykbank.kz немесе homebank.kz сайтына https:// сілтеме.",
      price: "Теңгемен бүтін сан енгізіңіз: 0–200\u00a0000.",
      sort: "Бүтін сан енгізіңіз: 0–10.",
      city: "Тізімнен мән таңдаңыз.",
    });
  });
});
