// Telegram keyboards for a step's screen: inline buttons carry (step, value); the phone step
// uses the reply keyboard with Telegram's "share contact" button.
import type { Texts } from "../i18n/index.ts";
import { stepData } from "./callback-data.ts";
import type { Screen, Step } from "./conversation.ts";
import type { Markup } from "../notify/message.ts";

export function stepKeyboard(step: Step, screen: Screen, text: Texts, withBack: boolean): Markup {
  if (screen.askContact)
    return {
      keyboard: [[{ text: text.shareContact, request_contact: true }], [{ text: text.back }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
  const rows = screen.buttons
    .filter((r) => r.length)
    .map((r) => r.map((b) => ("url" in b ? { text: b.text, url: b.url } : "data" in b ? { text: b.text, callback_data: b.data } : { text: b.text, callback_data: stepData.pack({ s: step, v: b.value }) })));
  if (withBack) rows.push([{ text: text.back, callback_data: stepData.pack({ s: step, v: "back" }) }]);
  return { inline_keyboard: rows };
}
