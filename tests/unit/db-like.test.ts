// LIKE patterns from typed text: the wildcards a person types are literal characters.
import { expect, test } from "bun:test";
import { escapeLike, likePattern } from "../../src/db/like.ts";

test("%, _ and the escape character itself are escaped; other text is kept", () => {
  expect(escapeLike("100%_a\\b")).toBe("100\\%\\_a\\\\b");
  expect(escapeLike("Жол")).toBe("Жол");
  expect(likePattern("50%")).toBe("%50\\%%");
});
