// The share link's rule, held once (src/model/share-link.ts): every tag the CRM accepts makes a
// payload the bot's /start parses back to the same profile and source, within Telegram's 64
// characters; what the CRM refuses the bot does not take as a tag either.
import { describe, expect, test } from "bun:test";
import { parseStartPayload } from "../../src/bot/flows/commands.ts";
import { deepLink, isSourceTag, MAX_SOURCE_TAG, startPayload } from "../../src/model/share-link.ts";

describe("source tags", () => {
  test("letters, digits and _ up to 40 characters", () => {
    for (const tag of ["instagram", "flyer_2025", "A", "x".repeat(MAX_SOURCE_TAG)]) expect(isSourceTag(tag)).toBe(true);
    for (const tag of ["", "x".repeat(MAX_SOURCE_TAG + 1), "insta-gram", "инста", "a b", "a\u0000", "<b>"]) expect(isSourceTag(tag)).toBe(false);
  });

  test("an accepted tag comes back from the bot's /start as the source, for the largest ids too", () => {
    for (const [kind, id] of [["school", 12], ["instructor", 7], ["school", 999_999_999]] as const) {
      for (const tag of [undefined, "instagram", "z".repeat(MAX_SOURCE_TAG)]) {
        const payload = startPayload(kind, id, tag);
        expect(payload.length).toBeLessThanOrEqual(64); // Telegram's limit for a start parameter
        expect(parseStartPayload(payload)).toEqual({ kind, id, source: tag });
      }
    }
  });

  test("a refused tag is not a tag for the bot either", () => {
    for (const tag of ["insta-gram", "x".repeat(MAX_SOURCE_TAG + 1), "инста"]) expect(parseStartPayload(`s12-${tag}`)).toBeNull();
  });

  test("the deep link", () => {
    expect(deepLink("avtomat_bot", startPayload("school", 12, "flyer"))).toBe("https://t.me/avtomat_bot?start=s12-flyer");
    expect(deepLink("avtomat_bot", startPayload("instructor", 3))).toBe("https://t.me/avtomat_bot?start=i3");
  });
});
