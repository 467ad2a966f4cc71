// Sends what the outbox holds (src/bot/delivery.ts does a round): the next round when the pace
// allows more (the round says when), else after a second. It idles until the bot has checked its
// token, so a wrong token never burns a message's attempts. A database outage is retried quietly
// (it is expected and has its own log lines); anything else is an error worth a line. Stopping
// ends the waits for slots (a 429 pause can outlast any shutdown budget; those rows go back to the
// outbox unsent) and waits for the messages already being sent.
import { deliverDue, InFlight } from "../bot/delivery.ts";
import type { PacedApi } from "../bot/paced-api.ts";
import type { ChatBacklog } from "../bot/replies.ts";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { log } from "../log.ts";
import { loop, type Loop, type Sleep } from "./loop.ts";

const IDLE_MS = 1000;

export function outboxDelivery(api: PacedApi, db: Db, backlog: ChatBacklog, opts: { ready?: () => boolean; sleep?: Sleep } = {}): Loop {
  const ready = opts.ready ?? (() => true);
  const inFlight = new InFlight();
  const rounds = loop({
    name: "outbox delivery",
    everyMs: IDLE_MS,
    sleep: opts.sleep,
    async round() {
      if (!ready()) return IDLE_MS;
      return (await deliverDue(api, db, backlog, inFlight)).nextInMs ?? IDLE_MS;
    },
    onError(err) {
      if (!isDatabaseUnavailable(err)) log.error("outbox delivery failed", { err: err as Error });
      return IDLE_MS;
    },
  });
  return {
    name: rounds.name,
    start: () => rounds.start(),
    wake: () => rounds.wake(),
    stop: () => rounds.stop().then(inFlight.stop),
    get running() {
      return rounds.running;
    },
  };
}
