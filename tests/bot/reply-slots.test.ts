// A reply still being sent holds no worker slot (issue 19): an update's turn ends at its commit and
// its replies are sent after it (src/bot/reply-sends.ts). Here CONCURRENCY chats each have a reply
// stuck on its way to Telegram (the fake holds their sendMessage calls: a Telegram slow for them,
// or a reply waiting for its send slot), and another chat's /start is still answered while they
// are stuck. No timings: the held calls stay held until the bystander has its answer.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { CONCURRENCY } from "../../src/bot/polling.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";

setDefaultTimeout(120_000);

let h: BotHarness;
// An API timeout above the test's length: a held call must not time out and be handed to the outbox.
beforeAll(async () => void (h = await startBotHarness({ apiTimeoutMs: 100_000 })));
afterAll(() => h.dispose());

test("CONCURRENCY chats whose replies are stuck on their way to Telegram do not stall another chat's /start", async () => {
  const waiting = Array.from({ length: CONCURRENCY }, (_, i): FakeUser => ({ id: 6500 + i, first_name: `Ждущий${i}`, language_code: "ru" }));
  const ids = new Set(waiting.map((u) => u.id));
  const held = h.tg.hold("sendMessage", (p) => ids.has(p.chat_id));
  for (const u of waiting) h.tg.sendText(u, "/start");
  // Every one of them is stuck in a send (without the fix each would hold a worker slot).
  for (let i = 0; held.waiting() < CONCURRENCY && i < 600; i++) await Bun.sleep(100);
  expect(held.waiting()).toBe(CONCURRENCY);

  const bystander: FakeUser = { id: 6599, first_name: "Мимо", language_code: "ru" };
  h.tg.sendText(bystander, "/start");
  const answer = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === bystander.id, 60_000);
  expect(answer.text).toContain("Здравствуйте, Мимо!");
  expect(held.waiting()).toBe(CONCURRENCY); // still stuck: the bystander did not wait for them

  held.release();
  for (const u of waiting) await h.tg.waitForCall("sendMessage", (p) => p.chat_id === u.id, 60_000);
});
