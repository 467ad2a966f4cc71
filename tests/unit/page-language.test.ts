// Which language a staff page speaks (src/web/language.ts) and which written text a reader gets
// (src/model/content.ts): the account's choice, the cookie, the browser, Russian; the reader's
// language's text, else the other.
import { describe, expect, test } from "bun:test";
import { inLanguage } from "../../src/model/content.ts";
import { languageCookie, languageFromAcceptLanguage, languageFromCookie, requestLanguage, safeBackPath } from "../../src/web/language.ts";

const req = (headers: Record<string, string>) => new Request("http://localhost/crm/schools/applications", { headers });

describe("Accept-Language", () => {
  test("the highest-weighted of ours wins, whatever the order and region", () => {
    expect(languageFromAcceptLanguage("kk-KZ,kk;q=0.9,ru;q=0.8,en;q=0.7")).toBe("kk");
    expect(languageFromAcceptLanguage("ru-RU,ru;q=0.9,kk;q=0.8")).toBe("ru");
    expect(languageFromAcceptLanguage("en-US, ru;q=0.5, kk;q=0.6")).toBe("kk");
    expect(languageFromAcceptLanguage("KK")).toBe("kk");
  });
  test("neither of ours, nothing, garbage or q=0: Russian", () => {
    expect(languageFromAcceptLanguage("en-US,en;q=0.9")).toBe("ru");
    expect(languageFromAcceptLanguage(null)).toBe("ru");
    expect(languageFromAcceptLanguage(";;;,=,q=")).toBe("ru");
    expect(languageFromAcceptLanguage("kk;q=0, ru;q=0.1")).toBe("ru");
    expect(languageFromAcceptLanguage("kk;q=abc")).toBe("ru");
  });
});

describe("the page's language", () => {
  test("account choice, then cookie, then browser", () => {
    const all = req({ cookie: "avtomat_session=x; avtomat_lang=ru", "accept-language": "kk" });
    expect(requestLanguage(all, "kk")).toBe("kk");
    expect(requestLanguage(all, null)).toBe("ru");
    expect(requestLanguage(req({ "accept-language": "kk" }), null)).toBe("kk");
    expect(requestLanguage(req({}), null)).toBe("ru");
  });
  test("the cookie is read only when it holds one of ours", () => {
    expect(languageFromCookie("avtomat_lang=kk")).toBe("kk");
    expect(languageFromCookie("a=1; avtomat_lang=kk; b=2")).toBe("kk");
    expect(languageFromCookie("avtomat_lang=en")).toBeNull();
    expect(languageFromCookie("xavtomat_lang=kk")).toBeNull();
    expect(languageCookie("kk", true)).toBe("avtomat_lang=kk; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly; Secure");
  });
  test("the switch comes back only to our own pages", () => {
    expect(safeBackPath("/crm/schools/applications?status=new")).toBe("/crm/schools/applications?status=new");
    for (const bad of [undefined, "", "//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/x\r\nSet-Cookie: a=b", "/\t/evil.example", "/\u0000x", "/a\\b"]) expect(safeBackPath(bad)).toBe("/");
  });
});

describe("a written text in the reader's language", () => {
  test("theirs when written, else the other, else nothing", () => {
    expect(inLanguage("kk", "Автошкола «Жол»", "«Жол» автомектебі")).toBe("«Жол» автомектебі");
    expect(inLanguage("ru", "Автошкола «Жол»", "«Жол» автомектебі")).toBe("Автошкола «Жол»");
    expect(inLanguage("kk", "Автошкола «Жол»", "  ")).toBe("Автошкола «Жол»");
    expect(inLanguage("ru", "", "«Жол» автомектебі")).toBe("«Жол» автомектебі");
    expect(inLanguage("kk", "", "")).toBe("");
  });
});
