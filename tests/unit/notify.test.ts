// Every chat message is composed in src/notify/: escaped for Telegram HTML, in the reader's
// language, with the status model's labels.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { applicationStatuses, STATUS } from "../../src/model/application-status.ts";
import { applicationSummary, instructorCard, instructorsList, schoolCard, schoolsList, submitted } from "../../src/notify/catalog.ts";
import { escapeHtml } from "../../src/notify/html.ts";
import { newApplication, telegramLinked } from "../../src/notify/staff.ts";
import { PLACEHOLDERS, REASON_PLACEHOLDER, type PlaceholderValues } from "../../src/model/placeholders.ts";
import { automaticMessage, chooseLanguage, commandMenu, greeting, helpText, myApplications, staffMessage } from "../../src/notify/student.ts";

const evil = `<b>Жол & "Co"</b>`;
const escaped = "&lt;b&gt;Жол &amp; \"Co\"&lt;/b&gt;";
const langs = ["ru", "kk"] as const;

/** The built-in status message production sends when the school wrote no text (automaticMessage), as Telegram gets it. */
function statusChanged(lang: (typeof langs)[number], c: { number: string; counterpart: string; to: Exclude<(typeof applicationStatuses)[number], "new">; reason?: string }) {
  const values = { ...Object.fromEntries(Object.keys(PLACEHOLDERS).map((p) => [p, ""])), [REASON_PLACEHOLDER]: "", "{номер}": c.number } as PlaceholderValues;
  const m = automaticMessage(lang, c.to, { text: "", lang }, { values: () => values, counterpart: () => c.counterpart, reason: c.reason })!;
  expect(m.custom).toBe(false);
  expect(m.messages).toHaveLength(1);
  return m.messages[0]!;
}

describe("escapeHtml", () => {
  test("escapes what Telegram's HTML parser reads as markup", () => {
    expect(escapeHtml(evil)).toBe(escaped);
  });
  test("each of &, < and > alone is escaped; text without them comes back as it is", () => {
    expect(["&", "<", ">", "a&b", "x<y", "y>x"].map(escapeHtml)).toEqual(["&amp;", "&lt;", "&gt;", "a&amp;b", "x&lt;y", "y&gt;x"]);
    expect(escapeHtml("Автошкола «Жол», \"Co\" 'Ltd'")).toBe("Автошкола «Жол», \"Co\" 'Ltd'");
  });
});

describe("student messages", () => {
  test("a status change names the status with the status model's label for students, in ru and kk", () => {
    for (const lang of langs)
      for (const to of applicationStatuses.filter((s) => s !== "new")) {
        const { text } = statusChanged(lang, { number: "12", counterpart: "Жол", to });
        expect(text).toContain(`«${STATUS[to].student[lang]}»`);
      }
    expect(statusChanged("ru", { number: "12", counterpart: "Жол", to: "confirmed" }).text).toBe("Заявка № 12 (Жол): статус — «подтверждена».");
    expect(statusChanged("kk", { number: "12", counterpart: "Жол", to: "confirmed" }).text).toBe("№ 12 өтінім (Жол): мәртебесі — «расталды».");
  });

  test("what staff typed is escaped: the counterpart, a rejection's reason, a reply", () => {
    for (const lang of langs) {
      const rejected = statusChanged(lang, { number: "7", counterpart: evil, to: "rejected", reason: evil }).text;
      expect(rejected).not.toContain("<b>");
      expect(rejected.split(escaped)).toHaveLength(3);
      const reply = staffMessage(lang, { sender: evil, number: "7", body: evil })[0]!.text;
      expect(reply).not.toContain("<b>");
      expect(reply.endsWith(`\n\n${escaped}`)).toBe(true);
    }
  });

  test("/my: the model's labels, escaped names, a cancel button only where a cancel is allowed", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const apps = [
      { id: 1, publicNumber: "1", status: "new" as const, createdAt: at, targetName: evil },
      { id: 2, publicNumber: "2", status: "completed" as const, createdAt: at, targetName: "Жол" },
    ];
    const m = myApplications("kk", apps, { timeZone: "Asia/Almaty", cancelData: (id) => `cancel:${id}` });
    expect(m.text).toContain(`№ 1 — ${escaped}`);
    expect(m.text).toContain(STATUS.new.student.kk);
    expect(m.text).toContain(STATUS.completed.student.kk);
    expect(m.markup).toEqual({ inline_keyboard: [[{ text: "№ 1 өтінімнен бас тарту", callback_data: "cancel:1" }]] });
    expect(myApplications("ru", [], { timeZone: "Asia/Almaty", cancelData: String }).text).toStartWith("У вас пока нет заявок");
  });

  test("greeting and /lang", () => {
    expect(greeting("ru", "<Асель>")).toStartWith("Здравствуйте, &lt;Асель&gt;!");
    expect(greeting("kk", "")).toStartWith("Сәлеметсіз бе!");
    expect(chooseLanguage("ru", (l) => `lg${l}`).markup).toEqual({ inline_keyboard: [[{ text: "Русский", callback_data: "lgru" }, { text: "Қазақша", callback_data: "lgkk" }]] });
  });

  test("/help: every command of the menu with its line; support by phone, or the chat itself when none is set", () => {
    for (const lang of langs) {
      const text = helpText(lang, null);
      for (const c of commandMenu(lang)) expect(text).toContain(`\n/${c.command} — ${c.description}`);
      expect(commandMenu(lang).map((c) => c.command)).toEqual(["start", "my", "lang", "cancel", "help"]);
    }
    expect(helpText("ru", null)).toEndWith("Если вы в середине подбора, сначала нажмите /cancel.");
    expect(helpText("kk", null)).toEndWith("Таңдау ортасында болсаңыз, алдымен /cancel басыңыз.");
    expect(helpText("ru", { kind: "phone", phone: "+77272345678" })).toEndWith("Поддержка AvtoMat: +7 727 234 56 78");
    expect(helpText("kk", { kind: "telegram", username: "avtomat_help" })).toEndWith("AvtoMat қолдау қызметі: @avtomat_help");
  });
});

describe("catalog screens", () => {
  test("everything a school or instructor typed is escaped, in both languages", () => {
    for (const lang of langs) {
      const texts = [
        schoolsList(lang, [{ name: evil, address: evil, nameKk: "", addressKk: "", minPriceKzt: 180000, durationWeeks: 10, trust: null }], 1, 1),
        schoolCard(lang, { name: evil, address: evil, phone: evil, description: evil, nameKk: "", addressKk: "", descriptionKk: "", trust: 80 }, []),
        instructorCard(lang, { name: evil, car: evil, pricePerHourKzt: 5000, schoolName: evil, schoolNameKk: "", meetingPoint: "", meetingPointKk: "", rating: null, transmission: "manual", categories: ["B"] }),
        applicationSummary(lang, { studentName: evil, phone: "+77011234567", school: evil, offer: { kind: "practice", category: "B", format: "in_person", priceKzt: 1, durationWeeks: 1, hours: 2, includes: evil, includesKk: "" } }),
        schoolCard(lang, { name: evil, address: evil, phone: evil, description: evil, nameKk: "", addressKk: "", descriptionKk: "", trust: null }, [{ kind: "practice", category: "B", format: "in_person", priceKzt: 1, durationWeeks: 1, hours: 2, includes: evil, includesKk: "" }]),
        submitted(lang, "5", { name: evil, address: evil, phone: evil }),
      ];
      for (const text of texts) {
        expect(text).not.toContain(evil);
        expect(text).toContain(escaped);
        expect(text.replace(/<\/?b>/g, "")).not.toMatch(/[<>]/); // only our own bold tags
      }
    }
  });
});

describe("instructor screens say what the instructor teaches", () => {
  const one = { name: "Серик", car: "Kia Rio", pricePerHourKzt: 8000, schoolName: null, schoolNameKk: null, meetingPoint: "", meetingPointKk: "", rating: null, transmission: "manual", categories: ["C", "B"] };

  test("the card and the list line: categories in the law's order and the transmission, in both languages", () => {
    expect(instructorCard("ru", one)).toBe("<b>Серик</b>\nKia Rio\nКатегории: B, C · Коробка: механика\n8\u202f000 ₸ за час\nчастный инструктор\nрейтинг: новый инструктор: мало данных");
    expect(instructorCard("kk", one)).toContain("\nСанаттары: B, C · Беріліс қорабы: механика\n");
    expect(instructorsList("ru", [one], 1, 1)).toContain("1. <b>Серик</b> — Kia Rio, 8\u202f000 ₸/час\n    Категории: B, C · Коробка: механика\n    частный инструктор, рейтинг: новый инструктор: мало данных");
    expect(instructorsList("kk", [{ ...one, transmission: "automatic" }], 1, 1)).toContain("\n    Санаттары: B, C · Беріліс қорабы: автомат\n");
  });

  test("a card without a car has no empty line; a code the law does not know is not shown", () => {
    expect(instructorCard("ru", { ...one, car: "", categories: ["B", "<i>"] })).toStartWith("<b>Серик</b>\nКатегории: B · Коробка: механика\n");
  });
});

describe("staff messages", () => {
  const app = { number: "9", studentName: evil, studentPhone: "+77011234567", kind: "school" as const, category: "B", format: "in_person", transmission: null };

  test("a new application: escaped, with a button to the CRM", () => {
    const m = newApplication("ru", app, "https://crm.example/crm/schools/applications/9");
    expect(m.text).toBe(`🆕 Новая заявка № 9\n${escaped}, +7 701 123 45 67\nB, Очно`);
    expect(m.markup).toEqual({ inline_keyboard: [[{ text: "Открыть заявку", url: "https://crm.example/crm/schools/applications/9" }]] });
  });

  test("Telegram refuses localhost buttons: the link goes in the text", () => {
    const m = newApplication("kk", app, "http://localhost:3000/crm/schools/applications/9");
    expect(m.markup).toBeUndefined();
    expect(m.text).toStartWith("🆕 Жаңа өтінім № 9");
    expect(m.text).toEndWith("\nhttp://localhost:3000/crm/schools/applications/9");
  });

  test("linking names the account, escaped", () => {
    expect(telegramLinked("ru", evil).text).toContain(`«${escaped}»`);
  });
});

test("notify is pure: it imports neither domain/ nor bot/ (both use it), only dictionaries, the model, the (pure) analytics and types", () => {
  const dir = join(import.meta.dir, "../../src/notify");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const src = readFileSync(join(dir, file), "utf8");
    for (const m of src.matchAll(/import (type )?.*from\s+"([^"]+)"/g)) {
      // The schema only for its types (Language): no tables, no driver.
      // analytics/ is pure like model/ (no db, no clock): the trust card's words come from its components.
      const allowed = m[1] ? /^(\.\/[\w-]+|\.\.\/(i18n|model|analytics)\/[\w-]+|\.\.\/db\/schema)\.ts$/ : /^(\.\/[\w-]+|\.\.\/(i18n|model|analytics)\/[\w-]+)\.ts$/;
      expect({ file, from: m[2] }).toEqual({ file, from: expect.stringMatching(allowed) });
    }
  }
});
