// The one door for callback data (src/bot/callback-data.ts): what our buttons pack comes back
// as it went out; anything else is a stale button. (An id is base 36 on the wire: "1e20" there is
// 64872, a real id, so forgeries are written with pack().)
import { describe, expect, test } from "bun:test";
import { CANCEL_REASONS } from "../../src/model/cancel-reason.ts";
import { langData, myCancelData, myCancelReasonData, myCancelYesData, myListData, parseCallbackData, staffReplyData, staffReplyIdOf, stepData, threadData, threadSwitchData } from "../../src/bot/callback-data.ts";

describe("parseCallbackData", () => {
  test("every shape of value our steps write parses back", () => {
    const values: [string, string][] = [
      ["licence", "cert"], ["city", "7"], ["category", "C1E"], ["category", "Tb"], ["format", "online_theory"],
      ["schools", "s12"], ["schools", "page:0"], ["schools", "page:3"], ["school", "o5"], ["instructors", "i2147483647"],
      ["slotday", "2026-12-03"], ["slot", "123"], ["daypart", "evening"], ["name", "tg"], ["summary", "back"],
    ];
    for (const [s, v] of values) expect(parseCallbackData(stepData.pack({ s, v }))).toEqual({ kind: "step", step: s as never, value: v });
    expect(parseCallbackData(langData.pack({ l: "kk" }))).toEqual({ kind: "lang", language: "kk" });
    expect(parseCallbackData(myCancelData.pack({ id: 42 }))).toEqual({ kind: "cancelApplication", applicationId: 42, confirmed: false });
    expect(parseCallbackData(myCancelYesData.pack({ id: 42 }))).toEqual({ kind: "cancelApplication", applicationId: 42, confirmed: true });
    for (const r of CANCEL_REASONS)
      expect(parseCallbackData(myCancelReasonData.pack({ id: 42, r }))).toEqual({ kind: "cancelApplication", applicationId: 42, confirmed: true, reason: r });
    expect(parseCallbackData(myListData.pack({ edit: 0 }))).toEqual({ kind: "myList", edit: false });
    expect(parseCallbackData(myListData.pack({ edit: 1 }))).toEqual({ kind: "myList", edit: true });
    expect(parseCallbackData(threadData.pack({ id: 7 }))).toEqual({ kind: "chooseThread", applicationId: 7 });
    expect(parseCallbackData(threadSwitchData.pack({ from: 8 }))).toEqual({ kind: "switchThread", fromApplicationId: 8 });
    expect(parseCallbackData(staffReplyData.pack({ id: 2 ** 31 - 1 }))).toEqual({ kind: "staffReply", applicationId: 2 ** 31 - 1 });
  });

  test("anything else is stale", () => {
    const forged = [
      undefined, "", "garbage", "st", stepData.pack({ s: "nowhere", v: "1" }), stepData.pack({ s: "city", v: "2147483648" }),
      stepData.pack({ s: "city", v: "0.5" }), stepData.pack({ s: "city", v: "1e20" }), stepData.pack({ s: "city", v: "-1" }),
      stepData.pack({ s: "city", v: "007" }), stepData.pack({ s: "schools", v: "page:Infinity" }), stepData.pack({ s: "schools", v: "page:99999" }),
      stepData.pack({ s: "slotday", v: "2026-02-30" }), stepData.pack({ s: "name", v: "<b>" }), stepData.pack({ s: "city", v: "1" }) + ";2",
      langData.pack({ l: "en" }), myCancelData.pack({ id: 2 ** 31 }), myCancelData.pack({ id: 0 }), myCancelData.pack({ id: -3 }),
      myCancelData.pack({ id: 0.5 }), myCancelData.pack({ id: 1e20 }), stepData.pack({ s: "city", v: "1".repeat(80) }),
      ...[threadData, staffReplyData].flatMap((d) => [d.pack({ id: 2 ** 31 }), d.pack({ id: 0 }), d.pack({ id: -3 }), d.pack({ id: 0.5 }), d.pack({ id: 1e20 })]),
      threadSwitchData.pack({ from: 0 }), threadSwitchData.pack({ from: -1 }), staffReplyData.pack({ id: 5 }) + ";1",
      myListData.pack({ edit: 2 }), myListData.pack({ edit: -1 }), myCancelYesData.pack({ id: 0 }), myCancelYesData.pack({ id: 2 ** 31 }),
      // A reason is one of the model's codes, exactly; the id as everywhere.
      myCancelReasonData.pack({ id: 42, r: "bogus" }), myCancelReasonData.pack({ id: 42, r: "Price" }),
      myCancelReasonData.pack({ id: 42, r: "price " }), myCancelReasonData.pack({ id: 0, r: "price" }), myCancelReasonData.pack({ id: 2 ** 31, r: "price" }),
      myCancelReasonData.pack({ id: 42, r: "price" }) + ";1", myCancelReasonData.pack({ id: 42, r: "__proto__" }),
    ];
    for (const data of forged) expect({ data, press: parseCallbackData(data) }).toEqual({ data, press: { kind: "stale" } });
  });
});

describe("staffReplyIdOf: the application of the relay a staff member replied to", () => {
  test("reads the reply button through the one parser; other or forged keyboards give nothing", () => {
    const row = (callback_data: string) => ({ inline_keyboard: [[{ text: "x", callback_data }]] });
    expect(staffReplyIdOf(row(staffReplyData.pack({ id: 12 })))).toBe(12);
    expect(staffReplyIdOf({ inline_keyboard: [[{ text: "WhatsApp" }], [{ text: "Ответить", callback_data: staffReplyData.pack({ id: 3 }) }]] })).toBe(3);
    expect(staffReplyIdOf(undefined)).toBeNull();
    expect(staffReplyIdOf(row(myCancelData.pack({ id: 12 })))).toBeNull();
    expect(staffReplyIdOf(row(staffReplyData.pack({ id: -12 })))).toBeNull();
    expect(staffReplyIdOf(row("sr;12"))).toBeNull();
  });
});
