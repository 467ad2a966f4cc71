// The one door for callback data (src/bot/callback-data.ts): what our buttons pack comes back
// as it went out; anything else is a stale button. (An id is base 36 on the wire: "1e20" there is
// 64872, a real id, so forgeries are written with pack().)
import { describe, expect, test } from "bun:test";
import { langData, myCancelData, parseCallbackData, stepData } from "../../src/bot/callback-data.ts";

describe("parseCallbackData", () => {
  test("every shape of value our steps write parses back", () => {
    const values: [string, string][] = [
      ["licence", "cert"], ["city", "7"], ["category", "C1E"], ["category", "Tb"], ["format", "online_theory"],
      ["schools", "s12"], ["schools", "page:0"], ["schools", "page:3"], ["school", "o5"], ["instructors", "i2147483647"],
      ["slotday", "2026-12-03"], ["slot", "123"], ["daypart", "evening"], ["name", "tg"], ["summary", "back"],
    ];
    for (const [s, v] of values) expect(parseCallbackData(stepData.pack({ s, v }))).toEqual({ kind: "step", step: s as never, value: v });
    expect(parseCallbackData(langData.pack({ l: "kk" }))).toEqual({ kind: "lang", language: "kk" });
    expect(parseCallbackData(myCancelData.pack({ id: 42 }))).toEqual({ kind: "cancelApplication", applicationId: 42 });
  });

  test("anything else is stale", () => {
    const forged = [
      undefined, "", "garbage", "st", stepData.pack({ s: "nowhere", v: "1" }), stepData.pack({ s: "city", v: "2147483648" }),
      stepData.pack({ s: "city", v: "0.5" }), stepData.pack({ s: "city", v: "1e20" }), stepData.pack({ s: "city", v: "-1" }),
      stepData.pack({ s: "city", v: "007" }), stepData.pack({ s: "schools", v: "page:Infinity" }), stepData.pack({ s: "schools", v: "page:99999" }),
      stepData.pack({ s: "slotday", v: "2026-02-30" }), stepData.pack({ s: "name", v: "<b>" }), stepData.pack({ s: "city", v: "1" }) + ";2",
      langData.pack({ l: "en" }), myCancelData.pack({ id: 2 ** 31 }), myCancelData.pack({ id: 0 }), myCancelData.pack({ id: -3 }),
      myCancelData.pack({ id: 0.5 }), myCancelData.pack({ id: 1e20 }), stepData.pack({ s: "city", v: "1".repeat(80) }),
    ];
    for (const data of forged) expect({ data, press: parseCallbackData(data) }).toEqual({ data, press: { kind: "stale" } });
  });
});
