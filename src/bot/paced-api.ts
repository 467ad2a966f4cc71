// The Bot API through the pacer (src/bot/pacer.ts): calls that send or edit a message wait for
// their slot; everything else (answerCallbackQuery, getMe, setMyCommands, getFile…) goes at once,
// as Telegram does not count it against the message limits. A 429 pauses the whole sender.
import { PaceDeadline, Pacer, type Slot, type WaitOptions } from "./pacer.ts";
import { TelegramApiError, type TelegramApi } from "./telegram-api.ts";

/** The Bot API methods that send or edit a message: the ones Telegram's limits count (and the fakes in tests and the bench). */
export const PACED_METHODS: ReadonlySet<string> = new Set([
  "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation", "sendVideoNote",
  "sendSticker", "sendMediaGroup", "sendLocation", "sendVenue", "sendContact", "sendPoll", "sendDice", "sendInvoice",
  "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
  "editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup", "editMessageLiveLocation",
]);

export interface PacedApi extends TelegramApi {
  readonly pacer: Pacer;
  /** For a direct reply: a paced call that could not start within `directMs` from now throws PaceDeadline instead (the outbox sends it). */
  direct(): TelegramApi;
  /**
   * For an outbox message: its first paced call goes at `slot` (claimed with the row), later ones
   * take their own. `ready` runs after each wait, just before the call (it throws to stop it: the
   * row's claim was lost while waiting); `signal` ends the waits (the delivery stopping).
   */
  at(slot: Slot, opts?: WaitOptions): TelegramApi;
}

export function pacedApi(api: TelegramApi, pacer: Pacer, opts: { directMs: number }): PacedApi {
  /**
   * Sends through the pacer: `wait` gets the slot for this call. A 429 pauses the sender; a call
   * with a `deadline` the pause outlasts gives up at once (PaceDeadline) rather than have its
   * retry wait past it.
   */
  async function paced<T>(
    method: string,
    params: Record<string, unknown>,
    wait: (chatId: number) => Promise<void>,
    deadline = Infinity,
  ): Promise<T> {
    if (!PACED_METHODS.has(method)) return api.call<T>(method, params);
    const chatId = Number(params.chat_id);
    await wait(chatId);
    try {
      return await api.call<T>(method, params);
    } catch (err) {
      if (!(err instanceof TelegramApiError) || err.code !== 429) throw err;
      await pacer.pause(err.retryAfter ?? 1);
      if (pacer.pausedUntil > deadline) throw new PaceDeadline(chatId);
      throw err;
    }
  }
  return {
    pacer,
    call: (method, params) => paced(method, params, (chatId) => pacer.interactive(chatId)),
    direct() {
      const deadline = pacer.now() + opts.directMs;
      return { call: (method, params) => paced(method, params, (chatId) => pacer.interactive(chatId, deadline), deadline) };
    },
    at(slot, opts = {}) {
      let first: Slot | null = slot;
      return {
        call: (method, params) =>
          paced(method, params, (chatId) => {
            const mine = first;
            first = null;
            return mine ? pacer.at(mine, chatId, opts) : pacer.interactive(chatId, Infinity, opts);
          }),
      };
    },
  };
}
