// GramIO setup: handlers that call the flows, our polling loop (polling.ts), and a start/stop
// that never takes the web side down with it.
import { Bot } from "gramio";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { TelegramPerson } from "../domain/students.ts";
import { log } from "../log.ts";
import type { BotState } from "../web/routes/health.ts";
import { cityData } from "./callback-data.ts";
import { onCity, onStart } from "./flows/start.ts";
import { languageFromTelegram, t } from "../i18n/index.ts";
import { createPoller, type RetryMarks } from "./polling.ts";
import { sendReplies } from "./replies.ts";

interface From {
  id: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

function person(from: From, chatId: number): TelegramPerson {
  return {
    telegramId: from.id,
    chatId,
    firstName: from.firstName,
    lastName: from.lastName,
    username: from.username,
    language: languageFromTelegram(from.languageCode),
  };
}

export function buildBot(config: Config, db: Db, token: string, retry: RetryMarks) {
  const bot = new Bot({ token, api: { baseURL: `${config.telegramApiRoot}/bot` } });

  // The database being away is not the student's fault: handle the update again later.
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || ctx.updateId === undefined) throw err;
      log.warn("database unavailable; update will be retried", { updateId: ctx.updateId });
      retry.add(ctx.updateId);
    }
  });

  bot.command("start", async (ctx) => {
    if (!ctx.from || ctx.updateId === undefined) return;
    await sendReplies(ctx, await onStart(db, ctx.updateId, person(ctx.from, ctx.chat.id)));
  });

  bot.callbackQuery(cityData, async (ctx) => {
    if (ctx.updateId === undefined) return;
    const chatId = ctx.message?.chat.id ?? ctx.from.id;
    await sendReplies(ctx, await onCity(db, ctx.updateId, person(ctx.from, chatId), ctx.queryData.id));
  });

  bot.onError(async ({ context, error }) => {
    log.error("bot update failed", { err: error as Error });
    const lang = languageFromTelegram((context as { from?: From }).from?.languageCode);
    if ("send" in context && typeof context.send === "function") await context.send(t(lang).sorry).catch(() => {});
  });
  return bot;
}

/** Runs the bot when a token is set; keeps retrying start-up (e.g. Telegram unreachable) until stopped. */
export function botRunner(config: Config, db: Db) {
  const token = config.telegramToken;
  let state: BotState = token ? "starting" : "off";
  if (!token) return { start: async () => {}, stop: async () => {}, state: () => state };

  const retry: RetryMarks = new Set();
  const bot = buildBot(config, db, token, retry);
  const poller = createPoller(bot, config.telegramApiRoot, token, retry);
  let stopping = false;

  async function start() {
    for (let delay = 1000; !stopping; delay = Math.min(delay * 2, 30_000)) {
      try {
        await bot.init(); // getMe: checks the token
        if (stopping) return;
        poller.start();
        state = "polling";
        log.info("bot is polling", { username: bot.info?.username, apiRoot: config.telegramApiRoot });
        return;
      } catch (err) {
        state = "failed";
        log.warn("bot could not start, retrying", { err: err as Error, inMs: delay });
        await Bun.sleep(delay);
      }
    }
  }

  async function stop() {
    stopping = true;
    if (state === "polling") {
      state = "stopping";
      await poller.stop();
    }
    state = "stopped";
  }

  return { start, stop, state: () => state };
}
