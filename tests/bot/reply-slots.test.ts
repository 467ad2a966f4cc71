// A reply waiting for a send slot holds no worker slot (issue 19): an update's turn ends at its
// commit and its replies are sent after it (src/bot/reply-sends.ts). Here every chat may get one
// message per 8 s (TELEGRAM_CHAT_RATE=0.125: under the 10 s a direct reply may wait before the
// outbox takes it, and long enough for all the first replies on a busy machine), CONCURRENCY chats
// each have a second reply waiting out that interval, and another chat's /start is still answered before any of them: asserted on
// the order the fake Telegram received them, not on time.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { CONCURRENCY } from "../../src/bot/polling.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";

setDefaultTimeout(120_000);

let h: BotHarness;
// A long API timeout: a reply waiting its chat's interval must not be handed to the outbox for it.
beforeAll(async () => void (h = await startBotHarness({ env: { TELEGRAM_SEND_RATE: "1000", TELEGRAM_CHAT_RATE: "0.125" }, apiTimeoutMs: 10_000 })));
afterAll(() => h.dispose());

const replies = (chat: number) => h.tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === chat);

test("CONCURRENCY chats whose second reply waits for its chat's interval do not stall another chat's /start", async () => {
  const waiting = Array.from({ length: CONCURRENCY }, (_, i): FakeUser => ({ id: 6500 + i, first_name: `Ждущий${i}`, language_code: "ru" }));
  for (const u of waiting) h.tg.sendText(u, "/start"), h.tg.sendText(u, "/help");
  // Every first reply is out: each chat's second now waits about 8 s for its send slot.
  for (const u of waiting) await h.tg.waitForCall("sendMessage", (p) => p.chat_id === u.id, 60_000);
  expect(waiting.filter((u) => replies(u.id).length > 1)).toEqual([]);

  const bystander: FakeUser = { id: 6599, first_name: "Мимо", language_code: "ru" };
  h.tg.sendText(bystander, "/start");
  const answer = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === bystander.id, 60_000);
  expect(answer.text).toContain("Здравствуйте, Мимо!");
  // Received before any of the waiting chats' second replies.
  expect(waiting.filter((u) => replies(u.id).length > 1)).toEqual([]);
  // And those come too, each after its chat's first.
  for (const u of waiting) await h.tg.waitForCall("sendMessage", (p) => p.chat_id === u.id, 60_000, h.tg.calls.indexOf(replies(u.id)[0]!) + 1);
});
