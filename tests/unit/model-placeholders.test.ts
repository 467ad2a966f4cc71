// The one placeholder filler, the language choice of a bilingual text, and which automatic
// messages exist (from the status model, never a list of its own).
import { describe, expect, test } from "bun:test";
import { STATUS, statusesOf } from "../../src/model/application-status.ts";
import { autoEventsOf, isAutoEvent } from "../../src/model/auto-reply.ts";
import { fillTemplate, inLanguage, PLACEHOLDERS, REASON_PLACEHOLDER, unknownPlaceholders, type PlaceholderValues } from "../../src/model/placeholders.ts";
import { automaticMessage } from "../../src/notify/student.ts";

const values: PlaceholderValues = {
  "{имя}": "Асель",
  "{номер}": "12",
  "{курс}": "B, Очно",
  "{цена}": "180\u202f000 ₸",
  "{телефон}": "+77010000001",
  "{whatsapp}": "",
  "{название}": "Жол",
  "{kaspi}": "https://pay.kaspi.kz/pay/x",
  "{halyk}": "",
  [REASON_PLACEHOLDER]: "",
};

describe("placeholders", () => {
  test("every placeholder is filled; unknown braces stay as written; a value is never read as a placeholder again", () => {
    expect(fillTemplate("{имя}, № {номер}: {курс} за {цена}. {kaspi} {неизвестно} {}", values)).toBe("Асель, № 12: B, Очно за 180\u202f000 ₸. https://pay.kaspi.kz/pay/x {неизвестно} {}");
    expect(fillTemplate("{имя}", { ...values, "{имя}": "{номер}" })).toBe("{номер}");
    expect(fillTemplate("{constructor} {toString}", values)).toBe("{constructor} {toString}");
  });

  test("unknown placeholders are listed once each, against the allowed list", () => {
    expect(unknownPlaceholders("{имя} {фамилия} {фамилия} {причина}", Object.keys(PLACEHOLDERS))).toEqual(["{фамилия}", "{причина}"]);
    expect(unknownPlaceholders("{имя} {причина}", [...Object.keys(PLACEHOLDERS), REASON_PLACEHOLDER])).toEqual([]);
  });

  test("a bilingual text: the reader's language, else the only one written, else none", () => {
    expect(inLanguage({ ru: "Привет", kk: "Сәлем" }, "kk")).toBe("Сәлем");
    expect(inLanguage({ ru: "Привет", kk: "Сәлем" }, "ru")).toBe("Привет");
    expect(inLanguage({ ru: "Привет", kk: "  " }, "kk")).toBe("Привет");
    expect(inLanguage({ ru: "", kk: "Сәлем" }, "ru")).toBe("Сәлем");
    expect(inLanguage({ ru: "", kk: "" }, "ru")).toBe("");
  });
});

describe("automatic messages", () => {
  test("the events are the new application and every status a staff button leads to, per kind", () => {
    expect(autoEventsOf("school")).toEqual(["new", ...statusesOf("school").filter((s) => s !== "new" && STATUS[s].action)]);
    expect(autoEventsOf("instructor")).toEqual(["new", "accepted", "rejected"]);
    expect(isAutoEvent("school", "cancelled")).toBe(false);
    expect(isAutoEvent("school", "accepted")).toBe(false);
    expect(isAutoEvent("instructor", "accepted")).toBe(true);
  });

  test("a long text is split as Telegram requires, each piece escaped", () => {
    const m = automaticMessage("ru", "confirmed", `${"<b>".repeat(1500)}`, { values, counterpart: "Жол" })!;
    expect(m.text).toBe("<b>".repeat(1500));
    expect(m.messages.length).toBe(2);
    expect(m.messages.every((x) => !x.text.includes("<"))).toBe(true);
    expect(m.messages.map((x) => x.text).join("")).toBe("&lt;b&gt;".repeat(1500));
  });

  test("no text for a new application: nothing to send (the bot's confirmation says it)", () => {
    expect(automaticMessage("kk", "new", " ", { values, counterpart: "Жол" })).toBeNull();
  });
});
