// The bot: GramIO routes updates to our dispatcher; our polling loop feeds it (polling.ts);
// replies and the outbox go out through telegram-api.ts. Start-up never takes the web side
// down: without a token the bot is off, and an unreachable Telegram is retried.
import { Bot } from "gramio";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { BOT_LAST_UPDATE, setAppState } from "../domain/app-state.ts";
import { CatalogCache } from "../domain/catalog-cache.ts";
import { t } from "../i18n/index.ts";
import { outboxDelivery } from "../jobs/outbox-delivery.ts";
import { realSleep, type Loop } from "../jobs/loop.ts";
import { log } from "../log.ts";
import { commandMenu } from "../notify/student.ts";
import type { BotState } from "../web/routes/health.ts";
import { dispatchCallback, dispatchMessage } from "./dispatch.ts";
import { floodReaction } from "./flood.ts";
import type { EngineDeps } from "./engine.ts";
import { leadership } from "./leader.ts";
import { createPoller, type RetryMarks } from "./polling.ts";
import { WEBHOOK_PATH, webhookHandler, webhookSecret } from "./webhook.ts";
import { pacedApi, type PacedApi } from "./paced-api.ts";
import { Pacer, sendPaceOf } from "./pacer.ts";
import { ReplySends } from "./reply-sends.ts";
import { ChatBacklog, directSendMs, replyHoldSeconds, SentMarks, sendReplies, type Outgoing } from "./replies.ts";
import { callWithRetry, telegramApi, type TelegramApi } from "./telegram-api.ts";

export function buildBot(deps: EngineDeps, token: string, api: PacedApi, retry: RetryMarks, backlog: ChatBacklog, marks: SentMarks, sends: ReplySends) {
  const bot = new Bot({ token, api: { baseURL: `${deps.config.telegramApiRoot}/bot` } });

  async function handle(updateId: number | undefined, route: (id: number) => Promise<Outgoing | null>) {
    if (updateId === undefined) return;
    try {
      const out = await route(updateId);
      // Committed: the replies go out after the turn (reply-sends.ts); a chat whose send failed
      // midway queues its later replies behind the outbox's, as sendReplies does.
      if (out) sends.start(updateId, () => sendReplies(api, deps.db, out, backlog, marks), () => backlog.add(out.chatId));
    } catch (err) {
      // The database being away is not the student's fault: the update is fetched again later.
      if (isDatabaseUnavailable(err)) {
        log.warn("database unavailable; update will be retried", { updateId, err: err as Error });
        retry.add(updateId);
        return;
      }
      throw err;
    }
  }

  bot.on("message", (ctx) => handle(ctx.updateId, (id) => dispatchMessage(deps, id, ctx.update!.message as never)));
  bot.on("callback_query", (ctx) => handle(ctx.updateId, (id) => dispatchCallback(deps, id, ctx.update!.callback_query as never)));

  bot.onError(async ({ context, error }) => {
    log.error("bot update failed", { err: error as Error });
    const u = (context as { update?: Record<string, any> }).update;
    const from = u?.message?.from ?? u?.callback_query?.from;
    const chatId = u?.message?.chat?.id ?? u?.callback_query?.message?.chat?.id;
    if (chatId) await api.call("sendMessage", { chat_id: chatId, text: t(from?.language_code === "kk" ? "kk" : "ru").sorry }).catch(() => {});
  });
  return bot;
}

/**
 * The default command menu in both languages (Telegram shows the one matching the app's language);
 * a student who picks a language gets that chat's own menu in it (flows/commands.ts onLangChosen).
 */
async function setCommands(api: TelegramApi): Promise<void> {
  for (const language of ["ru", "kk"] as const) {
    await callWithRetry(api, "setMyCommands", { commands: commandMenu(language), ...(language === "kk" ? { language_code: "kk" } : {}) }, 3);
  }
}

export interface BotRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): BotState;
  webhook: ReturnType<typeof webhookHandler> | null;
  /**
   * The outbox delivery job (null without a token): started and stopped with the other
   * background jobs (src/jobs/background.ts); it idles until start() has checked the token.
   */
  delivery: Loop | null;
}

/**
 * Runs the bot when a token is set: checks the token (retrying while Telegram is unreachable)
 * and polls only while this instance is the leader. Every instance delivers the outbox through
 * `delivery`, which the caller runs beside the bot.
 */
export function botRunner(config: Config, db: Db, opts: { apiTimeoutMs?: number; now?: () => Date } = {}): BotRunner {
  const token = config.telegramToken;
  let state: BotState = token ? "starting" : "off";
  if (!token) return { start: async () => {}, stop: async () => {}, state: () => state, webhook: null, delivery: null };

  const apiTimeoutMs = opts.apiTimeoutMs ?? 10_000;
  // Every message goes through the pacer: Telegram's limits, shared by all instances (pacer.ts).
  const api = pacedApi(telegramApi(config.telegramApiRoot, token, apiTimeoutMs), new Pacer(db, sendPaceOf(config)), { directMs: directSendMs(apiTimeoutMs) });
  const retry: RetryMarks = new Set();
  const backlog = new ChatBacklog();
  const marks = new SentMarks(db);
  const sends = new ReplySends();
  const bot = buildBot({ db, config, catalog: new CatalogCache(), replyHoldSeconds: replyHoldSeconds(apiTimeoutMs), now: opts.now }, token, api, retry, backlog, marks, sends);
  const onDrop = floodReaction(api, config.botChatQueueCap);
  const onBatch = () => setAppState(db, BOT_LAST_UPDATE, new Date().toISOString());
  const poller = createPoller({ bot, apiRoot: config.telegramApiRoot, token, db, retry, sends, cap: config.botChatQueueCap, onDrop, onBatch });
  let checked = false; // the token answered getMe
  const delivery = outboxDelivery(api, db, backlog, { ready: () => checked && !stopping });
  const leader = leadership(config.database);
  let stopping = false;
  const stopSignal = new AbortController(); // ends start()'s retry pause at once
  let leading: Promise<void> | null = null;

  function poll() {
    poller.start();
    state = "polling";
    log.info("bot is polling (this instance is the poller)", { username: bot.info?.username, apiRoot: config.telegramApiRoot });
  }

  /** Polls while leader; on losing the lock stops polling and waits to lead again. */
  async function lead(isLeader: boolean) {
    while (!stopping) {
      if (!isLeader) {
        state = "standby";
        await leader.acquire();
        if (stopping) return;
      }
      poll();
      await leader.lost();
      if (stopping) return;
      log.warn("lost the poller lock; polling stops until this instance leads again");
      await poller.stop();
      isLeader = false;
    }
  }

  async function start() {
    for (let delay = 1000; !stopping; delay = Math.min(delay * 2, 30_000)) {
      try {
        await bot.init(); // getMe: checks the token
        await setCommands(api).catch((err) => log.warn("setMyCommands failed", { err: err as Error }));
        break;
      } catch (err) {
        state = "failed";
        log.warn("bot could not start, retrying", { err: err as Error, inMs: delay });
        await realSleep(delay, stopSignal.signal);
      }
    }
    if (stopping) return;
    checked = true;
    if (config.botMode === "webhook") return listenForWebhook();
    const isLeader = await leader.tryNow();
    leading = lead(isLeader); // a first-try leader is polling when start() returns
  }

  /** Every instance tells Telegram the same address and secret; any of them may receive an update. */
  async function listenForWebhook() {
    const url = `${config.publicUrl}${WEBHOOK_PATH}`;
    await callWithRetry(api, "setWebhook", { url, secret_token: webhookSecret(config.secretKey), allowed_updates: ["message", "callback_query", "my_chat_member"] }, 5)
      .then(() => ((state = "webhook"), log.info("bot receives updates by webhook", { url })))
      .catch((err) => ((state = "failed"), log.error("setWebhook failed", { err: err as Error })));
  }

  async function stop() {
    stopping = true;
    stopSignal.abort();
    state = "stopping";
    await leader.release(); // wakes the leadership loop
    await leading;
    await poller.stop(); // a no-op when this instance never polled
    await marks.flush();
    state = "stopped";
  }

  return { start, stop, state: () => state, webhook: config.botMode === "webhook" ? webhookHandler(bot, retry, sends, config.botChatQueueCap, onDrop) : null, delivery };
}
