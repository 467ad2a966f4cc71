// The WhatsApp deep link: digits with the country code, an optional url-encoded text.
import { describe, expect, test } from "bun:test";
import { whatsappLink } from "../../src/model/whatsapp.ts";

describe("whatsappLink", () => {
  test("digits with the country code, and the text url-encoded", () => {
    expect(whatsappLink("+77012345601", "Заявка № 3 & вопрос?")).toBe(`https://wa.me/77012345601?text=${encodeURIComponent("Заявка № 3 & вопрос?")}`);
    expect(whatsappLink("+77012345601", "a b")).toBe("https://wa.me/77012345601?text=a%20b");
  });

  test("without a text, no query", () => {
    expect(whatsappLink("+77012345601")).toBe("https://wa.me/77012345601");
    expect(whatsappLink("8 (701) 234-56-01", "")).toBe("https://wa.me/77012345601");
  });

  test("a school's landline gets a link too; something undiallable gets none", () => {
    expect(whatsappLink("+77172123456")).toBe("https://wa.me/77172123456");
    expect(whatsappLink("")).toBeNull();
    expect(whatsappLink("12345")).toBeNull();
    expect(whatsappLink("+79161234567")).toBeNull();
  });
});
