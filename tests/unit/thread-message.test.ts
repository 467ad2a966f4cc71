// A conversation message's shape and how it is cut and relayed: splitText keeps every character
// and Telegram's limit; the staff relay and a long staff reply stay within it, escaped.
import { describe, expect, test } from "bun:test";
import { contentOf, splitText, TELEGRAM_TEXT_LIMIT } from "../../src/model/thread-message.ts";
import { CAPTION_LIMIT } from "../../src/notify/message.ts";
import { studentWrote } from "../../src/notify/staff.ts";
import { staffMessage } from "../../src/notify/student.ts";

const glue = (parts: string[]) => parts.join("");
const squash = (s: string) => s.replace(/[\n ]/g, "");

describe("splitText", () => {
  test("a short text is one piece, an empty one too", () => {
    expect(splitText("Сәлем!")).toEqual(["Сәлем!"]);
    expect(splitText("")).toEqual([""]);
  });

  test("pieces stay within the limit and keep every non-space character in order", () => {
    const words = Array.from({ length: 3000 }, (_, i) => `сөз${i}`).join(" ");
    const lines = Array.from({ length: 400 }, (_, i) => `Строка ${i}: ${"а".repeat(i % 50)}`).join("\n");
    for (const text of [words, lines, "я".repeat(10_000)]) {
      const parts = splitText(text, 1000);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(1000);
      expect(squash(glue(parts))).toBe(squash(text));
    }
  });

  test("prefers a line break, and never cuts a surrogate pair", () => {
    expect(splitText(`${"а".repeat(700)}\n${"б".repeat(500)}`, 1000)).toEqual(["а".repeat(700), "б".repeat(500)]);
    const emoji = "🚗".repeat(600); // 1,200 UTF-16 units, no spaces
    const parts = splitText(emoji, 1001);
    expect(parts.every((p) => !/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p))).toBe(true);
    expect(glue(parts)).toBe(emoji);
  });
});

describe("contentOf (a stored payload read back)", () => {
  test("text, media and unsupported kinds survive the round trip; junk does not pass as media", () => {
    expect(contentOf({ text: "Можно в субботу?" })).toEqual({ text: "Можно в субботу?" });
    const media = { kind: "photo", fileId: "AgAD", size: 10 };
    expect(contentOf({ text: "чек", media })).toEqual({ text: "чек", media: { kind: "photo", fileId: "AgAD", thumbFileId: undefined, size: 10, fileName: undefined, mime: undefined } });
    expect(contentOf({ text: "", media: { ...media, thumbFileId: "AgTH" } })).toMatchObject({ media: { fileId: "AgAD", thumbFileId: "AgTH" } });
    expect(contentOf({ text: "", media: { ...media, thumbFileId: 7 } })).toMatchObject({ media: { fileId: "AgAD", thumbFileId: undefined } });
    expect(contentOf({ unsupported: "sticker" })).toEqual({ unsupported: "sticker" });
    expect(contentOf({ unsupported: "<script>", text: 5, media: { kind: "exe", fileId: "x" } })).toEqual({ text: "" });
  });
});

describe("relays", () => {
  const reply = (data: string, text = "Ответить") => ({ inline_keyboard: [[{ text, callback_data: data }]] });

  test("a student's long message reaches staff in pieces within the limit, escaped, each with the reply button", () => {
    const text = `<b>${"Вопрос про оплату & график. ".repeat(400)}`;
    const out = studentWrote("ru", { number: "12", studentName: "<i>Айгерім</i>", content: { text } }, "rp:12");
    expect(out.length).toBeGreaterThan(2);
    for (const m of out) expect(m.text.replace(/&[a-z]+;/g, "x").length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(out[0]!.text).toStartWith("💬 &lt;i&gt;Айгерім&lt;/i&gt; по заявке № 12:");
    expect(out.some((m) => m.text.includes("<b>"))).toBe(false);
    // Any piece can be answered with Telegram's reply: each carries the button.
    for (const m of out) expect(m.markup).toEqual(reply("rp:12"));
  });

  test("media go first by file_id with the header as caption; a sticker is named, in Kazakh too", () => {
    const [photo, text] = studentWrote("ru", { number: "3", studentName: "Ерлан", content: { text: "Чек", media: { kind: "photo", fileId: "F1" } } }, "rp:3");
    expect(photo!.media).toEqual({ kind: "photo", fileId: "F1" });
    expect(photo!.text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(text!.text).toBe("Чек");
    expect(text!.markup).toEqual(reply("rp:3"));
    const [doc] = studentWrote("kk", { number: "3", studentName: "Ерлан", content: { text: "", media: { kind: "document", fileId: "D1" } } }, "rp:3");
    expect(doc!.media?.kind).toBe("document");
    expect(doc!.markup).toEqual(reply("rp:3", "Жауап беру"));
    expect(studentWrote("ru", { number: "3", studentName: "Ерлан", content: { unsupported: "sticker" } }, "rp:3")[0]!.text).toContain("<i>стикер</i>");
    expect(studentWrote("kk", { number: "3", studentName: "Ерлан", content: { unsupported: "voice" } }, "rp:3")[0]!.text).toContain("<i>дауыстық хабарлама</i>");
  });

  test("a very long name never pushes the header past Telegram's caption limit: cut with …, escaped, in both languages", () => {
    const asRead = (html: string) => html.replace(/&[a-z]+;/g, "x").length;
    for (const lang of ["ru", "kk"] as const) {
      const studentName = "<Айгерім> 😀".repeat(300);
      const [photo, text] = studentWrote(lang, { number: "3", studentName, content: { text: "Чек", media: { kind: "photo", fileId: "F1" } } }, "rp:3");
      expect(asRead(photo!.text)).toBeLessThanOrEqual(CAPTION_LIMIT);
      expect(photo!.text).toContain("&lt;Айгерім&gt;");
      expect(photo!.text).not.toContain("<Айгерім>");
      expect(photo!.text).toContain("…");
      expect(photo!.text).toContain("3");
      expect(photo!.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(text!.text).toBe("Чек");
      // Without media the same header starts the text, and every piece still fits one message.
      const pieces = studentWrote(lang, { number: "3", studentName, content: { text: "Вопрос. ".repeat(600) } }, "rp:3");
      for (const m of pieces) expect(asRead(m.text)).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(pieces[0]!.text).toStartWith(photo!.text);
    }
    // A cut never leaves half of an emoji (in Russian this name is cut right after a high surrogate).
    for (const lang of ["ru", "kk"] as const) {
      const [photo] = studentWrote(lang, { number: "3", studentName: "😀".repeat(1000), content: { text: "", media: { kind: "photo", fileId: "F1" } } }, "rp:3");
      expect(photo!.text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
      expect(photo!.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(photo!.text).toContain("😀…");
    }
    // A usual name is kept whole.
    expect(studentWrote("ru", { number: "3", studentName: "Ерлан", content: { text: "", media: { kind: "photo", fileId: "F1" } } }, "rp:3")[0]!.text).toBe("💬 Ерлан по заявке № 3:");
  });

  test("a staff reply longer than one message is split: the header once, every piece within the limit", () => {
    const body = "Здравствуйте! ".repeat(700);
    for (const lang of ["ru", "kk"] as const) {
      const out = staffMessage(lang, { sender: "Автошкола «Жол»", number: "9", body });
      expect(out.length).toBe(3);
      for (const m of out) expect(m.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(out.filter((m) => m.text.includes("№ 9")).length).toBe(1);
      expect(squash(out.map((m) => m.text).join("")).endsWith(squash(body))).toBe(true);
    }
  });
});
