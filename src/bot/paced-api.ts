// The Bot API through the pacer (src/bot/pacer.ts): calls that send or edit a message wait for
// their slot; everything else (answerCallbackQuery, getMe, setMyCommands, getFile…) goes at once,
// as Telegram does not count it against the message limits. A 429 pauses the whole sender.
import { Pacer, type Slot } from "./pacer.ts";
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
  /** For a direct reply: paced calls that would start later than `directMs` from now throw PaceDeadline instead. */
  direct(): TelegramApi;
  /** For an outbox message: its first paced call goes at `slot` (claimed with the row), later ones take their own. */
  at(slot: Slot): TelegramApi;
}

export function pacedApi(api: TelegramApi, pacer: Pacer, opts: { directMs: number }): PacedApi {
  /** Sends through the pacer; `wait` gets the slot for this call. */
  async function paced<T>(method: string, params: Record<string, unknown>, wait: (chatId: number) => Promise<void>): Promise<T> {
    if (!PACED_METHODS.has(method)) return api.call<T>(method, params);
    await wait(Number(params.chat_id));
    try {
      return await api.call<T>(method, params);
    } catch (err) {
      if (err instanceof TelegramApiError && err.code === 429) await pacer.pause(err.retryAfter ?? 1);
      throw err;
    }
  }
  const interactive = (deadline?: number) => (chatId: number) => pacer.interactive(chatId, deadline);
  return {
    pacer,
    call: (method, params) => paced(method, params, interactive()),
    direct() {
      const deadline = pacer.now() + opts.directMs;
      return { call: (method, params) => paced(method, params, interactive(deadline)) };
    },
    at(slot) {
      let first: Slot | null = slot;
      return {
        call: (method, params) =>
          paced(method, params, (chatId) => {
            const mine = first;
            first = null;
            return mine ? pacer.at(mine, chatId) : pacer.interactive(chatId);
          }),
      };
    },
  };
}
