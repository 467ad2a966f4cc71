// Sends what the outbox holds (src/bot/delivery.ts does a round): at once again while messages
// are due, else after a second. It idles until the bot has checked its token, so a wrong token
// never burns a message's attempts. A database outage is retried quietly (it is expected and
// has its own log lines); anything else is an error worth a line.
import type { ChatBacklog } from "../bot/replies.ts";
import { deliverDue } from "../bot/delivery.ts";
import type { TelegramApi } from "../bot/telegram-api.ts";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { log } from "../log.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

const IDLE_MS = 1000;

export function outboxDelivery(api: TelegramApi, db: Db, backlog: ChatBacklog, opts: { ready?: () => boolean; sleep?: Sleep } = {}): Loop {
  const ready = opts.ready ?? (() => true);
  return loop({
    name: "outbox delivery",
    everyMs: IDLE_MS,
    sleep: opts.sleep,
    round: async () => (ready() && (await deliverDue(api, db, backlog)) > 0 ? 0 : IDLE_MS),
    onError(err) {
      if (!isDatabaseUnavailable(err)) log.error("outbox delivery failed", { err: err as Error });
      return IDLE_MS;
    },
  });
}
