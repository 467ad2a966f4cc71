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

  test("a bilingual text: the reader's language, else the only one written, else none; and the language used", () => {
    expect(inLanguage({ ru: "Привет", kk: "Сәлем" }, "kk")).toEqual({ text: "Сәлем", lang: "kk" });
    expect(inLanguage({ ru: "Привет", kk: "Сәлем" }, "ru")).toEqual({ text: "Привет", lang: "ru" });
    expect(inLanguage({ ru: "Привет", kk: "  " }, "kk")).toEqual({ text: "Привет", lang: "ru" });
    expect(inLanguage({ ru: "", kk: "Сәлем" }, "ru")).toEqual({ text: "Сәлем", lang: "kk" });
    expect(inLanguage({ ru: "", kk: "" }, "ru")).toEqual({ text: "", lang: "ru" });
  });
});

/** The values per language: only the course's name differs (as domain/templates.ts placeholderValues gives it). */
const perLanguage = (lang: "ru" | "kk"): PlaceholderValues => ({ ...values, "{курс}": lang === "kk" ? "B, Күндізгі" : "B, Очно" });
const facts = { values: perLanguage, counterpart: () => "Жол" };

describe("automatic messages", () => {
  test("the events are the new application and every status a staff button leads to, per kind", () => {
    expect(autoEventsOf("school")).toEqual(["new", ...statusesOf("school").filter((s) => s !== "new" && STATUS[s].action)]);
    expect(autoEventsOf("instructor")).toEqual(["new", "accepted", "rejected"]);
    expect(isAutoEvent("school", "cancelled")).toBe(false);
    expect(isAutoEvent("school", "accepted")).toBe(false);
    expect(isAutoEvent("instructor", "accepted")).toBe(true);
  });

  test("a long text is split as Telegram requires, each piece escaped", () => {
    const m = automaticMessage("ru", "confirmed", { text: "<b>".repeat(1500), lang: "ru" }, facts)!;
    expect(m.text).toBe("<b>".repeat(1500));
    expect(m.messages.length).toBe(2);
    expect(m.messages.every((x) => !x.text.includes("<"))).toBe(true);
    expect(m.messages.map((x) => x.text).join("")).toBe("&lt;b&gt;".repeat(1500));
  });

  test("no text for a new application: nothing to send (the bot's confirmation says it)", () => {
    expect(automaticMessage("kk", "new", { text: " ", lang: "kk" }, facts)).toBeNull();
  });

  test("a text written only in Russian reaches a Kazakh reader in Russian only: its placeholders and the reason line too", () => {
    const own = { ru: "{имя}, курс {курс}: мест нет.", kk: "" };
    const m = automaticMessage("kk", "rejected", inLanguage(own, "kk"), { ...facts, reason: "Группа набрана" })!;
    expect(m).toMatchObject({ custom: true, lang: "ru" });
    expect(m.text).toBe("Асель, курс B, Очно: мест нет.\n\nПричина: Группа набрана");
    // And the other way round: a Kazakh-only text to a Russian reader stays Kazakh.
    const kk = automaticMessage("ru", "rejected", inLanguage({ ru: "", kk: "{курс}: орын жоқ." }, "ru"), { ...facts, reason: "Топ толды" })!;
    expect(kk.lang).toBe("kk");
    expect(kk.text).toBe("B, Күндізгі: орын жоқ.\n\nСебебі: Топ толды");
  });

  test("a text that fills to nothing is no text: the built-in message goes (Telegram refuses an empty one), or nothing for a new application", () => {
    const onlyKaspi = { text: " {kaspi} {halyk} ", lang: "ru" as const };
    const noLinks = { ...facts, values: (lang: "ru" | "kk") => ({ ...perLanguage(lang), "{kaspi}": "", "{halyk}": "" }) };
    const m = automaticMessage("kk", "paid", onlyKaspi, noLinks)!;
    expect(m).toMatchObject({ custom: false, lang: "kk", text: "№ 12 өтінім (Жол): мәртебесі — «төленді»." });
    expect(m.messages.every((x) => x.text.trim() !== "")).toBe(true);
    // A rejection's reason is not a text of the school's: the built-in message carries it.
    expect(automaticMessage("ru", "rejected", { text: "{kaspi}", lang: "ru" }, { ...noLinks, reason: "Нет мест" })!.text).toBe("Заявка № 12 (Жол): статус — «отклонена».\nПричина: Нет мест");
    expect(automaticMessage("ru", "new", onlyKaspi, noLinks)).toBeNull();
    // With the link the same text is the school's.
    expect(automaticMessage("ru", "paid", onlyKaspi, facts)).toMatchObject({ custom: true, text: "https://pay.kaspi.kz/pay/x" });
  });
});
