// Fetching a student's file from the Bot API (src/domain/thread-media.ts) against the fake
// Telegram server: the bytes as stored, the 20 MB cap (told by getFile or found while reading),
// a hung or failing Telegram, and no bot at all. Bounds are passed in, as the route passes its own.
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { fetchMedia } from "../../src/domain/thread-media.ts";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.ts";

setDefaultTimeout(30_000);

let tg: FakeTelegram;
const bot = () => ({ telegramApiRoot: tg.apiRoot, telegramToken: tg.token });
const bytes = (n: number) => new Uint8Array(n).fill(7);

beforeAll(async () => {
  tg = await startFakeTelegram();
  tg.addFile("small", bytes(10), "documents/small.pdf");
  tg.addFile("big", bytes(5000), "documents/big.pdf");
});
afterAll(() => tg.stop());

test("a file comes back byte for byte", async () => {
  const file = await fetchMedia(bot(), "small");
  expect(file.ok).toBe(true);
  if (file.ok) expect(new Uint8Array(await file.bytes.arrayBuffer())).toEqual(bytes(10));
});

test("over the cap: refused on getFile's size, before anything is downloaded", async () => {
  expect(await fetchMedia(bot(), "big", { maxBytes: 4999 })).toEqual({ ok: false, reason: "too_large" });
  expect(await fetchMedia(bot(), "big", { maxBytes: 5000 })).toMatchObject({ ok: true });
});

test("an unknown file, a failing or hung Telegram: unavailable, never an exception", async () => {
  expect(await fetchMedia(bot(), "nope")).toEqual({ ok: false, reason: "unavailable" });
  tg.failNext("getFile", { code: 502 });
  expect(await fetchMedia(bot(), "small")).toEqual({ ok: false, reason: "unavailable" });
  tg.failNext("getFile", { code: 400, description: "Bad Request: file is too big" });
  expect(await fetchMedia(bot(), "small")).toEqual({ ok: false, reason: "too_large" });
  tg.failNext("getFile", "hang");
  expect(await fetchMedia(bot(), "small", { timeoutMs: 200 })).toEqual({ ok: false, reason: "unavailable" });
});

test("without a bot token nothing is asked of Telegram", async () => {
  const before = tg.calls.length;
  expect(await fetchMedia({ telegramApiRoot: tg.apiRoot, telegramToken: null }, "small")).toEqual({ ok: false, reason: "no_bot" });
  expect(tg.calls.length).toBe(before);
});
