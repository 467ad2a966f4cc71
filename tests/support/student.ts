// A student at the keyboard: sends texts and contacts, presses the inline buttons the bot
// really sent, and reads what the bot answered (through the fake Bot API).
//
//   const s = student(tg, { id: 1, first_name: "Асель", language_code: "ru" });
//   let screen = await s.send("/start");          // the bot's last message after going quiet
//   screen = await s.press("Нет, хочу учиться в автошколе");
//   expect(s.buttons()).toContain("Алматы");
import type { FakeTelegram, FakeUser, RecordedCall } from "./fake-telegram.ts";

export interface BotMessage {
  messageId: number;
  text: string;
  markup: any;
  method: string;
}

const SCREEN_METHODS = new Set(["sendMessage", "editMessageText"]);

export function student(tg: FakeTelegram, user: FakeUser) {
  const mine = (c: RecordedCall) => SCREEN_METHODS.has(c.method) && Number(c.params.chat_id) === user.id;
  const toMessage = (c: RecordedCall): BotMessage => ({
    messageId: c.method === "sendMessage" ? c.result.message_id : Number(c.params.message_id),
    text: c.params.text,
    markup: c.params.reply_markup,
    method: c.method,
  });
  let toasts: string[] = [];

  /** Waits until the bot said something to this chat and then stayed quiet for a moment. */
  async function answer(before: number, timeoutMs = 5000): Promise<BotMessage[]> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    let quietSince = Date.now();
    for (;;) {
      const fresh = tg.calls.slice(before);
      toasts = fresh.filter((c) => c.method === "answerCallbackQuery" && c.params.text).map((c) => c.params.text);
      const screens = fresh.filter(mine);
      if (screens.length !== seen) (seen = screens.length), (quietSince = Date.now());
      if (screens.length && Date.now() - quietSince > 150) return screens.map(toMessage);
      if (Date.now() > deadline) throw new Error(`the bot said nothing to ${user.id} within ${timeoutMs} ms`);
      await Bun.sleep(20);
    }
  }

  /** The latest version of every message the bot sent to this chat. */
  function messages(): BotMessage[] {
    const byId = new Map<number, BotMessage>();
    for (const c of tg.calls.filter(mine)) {
      const m = toMessage(c);
      byId.set(m.messageId, { ...byId.get(m.messageId), ...m, markup: c.params.reply_markup ?? (c.method === "editMessageText" ? undefined : m.markup) });
    }
    return [...byId.values()];
  }

  const last = () => messages().sort((a, b) => a.messageId - b.messageId).at(-1)!;

  return {
    user,
    messages,
    last,
    /** The latest bot message's text. */
    text: () => last().text,
    /** Inline button texts of the latest message that has inline buttons. */
    buttons(): string[] {
      const withButtons = messages().filter((m) => m.markup?.inline_keyboard?.length).sort((a, b) => a.messageId - b.messageId).at(-1);
      return (withButtons?.markup.inline_keyboard ?? []).flat().map((b: any) => b.text);
    },
    /** Toasts (answerCallbackQuery texts) from the last press. */
    toasts: () => toasts,
    async send(text: string): Promise<BotMessage> {
      const before = tg.calls.length;
      tg.sendText(user, text);
      return (await answer(before)).at(-1)!;
    },
    async shareContact(phone: string): Promise<BotMessage> {
      const before = tg.calls.length;
      tg.sendContact(user, phone);
      return (await answer(before)).at(-1)!;
    },
    /**
     * Presses the newest button with this text (on whichever message shows it). A city is pressed
     * by its name: "Алматы" presses "Алматы (3)" (the count the city list shows).
     */
    async press(label: string, opts: { expectAnswer?: boolean } = {}): Promise<BotMessage> {
      const texts = (m: BotMessage): string[] => (m.markup?.inline_keyboard ?? []).flat().map((b: any) => b.text);
      const matches = (m: BotMessage) => texts(m).includes(label) || texts(m).some((b) => b.startsWith(`${label} (`));
      const holder = messages()
        .filter(matches)
        .sort((a, b) => b.messageId - a.messageId)[0];
      if (!holder) throw new Error(`no button "${label}"; buttons now: ${this.buttons().join(" | ")}`);
      const text = texts(holder).includes(label) ? label : texts(holder).find((b) => b.startsWith(`${label} (`))!;
      const before = tg.calls.length;
      tg.pressButton(user, { message_id: holder.messageId, reply_markup: holder.markup }, text);
      if (opts.expectAnswer === false) return holder;
      return (await answer(before)).at(-1)!;
    },
    /** Presses a button and resolves once the bot answered the callback (no new screen expected). */
    async pressForToast(text: string): Promise<string[]> {
      const before = tg.calls.length;
      await this.press(text, { expectAnswer: false });
      await tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
      await Bun.sleep(100);
      return tg.calls.slice(before).filter((c) => c.method === "answerCallbackQuery" && c.params.text).map((c) => c.params.text);
    },
  };
}

export type Student = ReturnType<typeof student>;

/**
 * Flow 1 in Russian, straight through: no licence → Алматы → B → Очно → Автошкола «Жол» → its
 * full course (its button's label checked by pressing it) → the phone → the name offered (`name`:
 * pressed by its label "✓ <name>") → confirm. Returns the confirmation.
 */
export async function applyToZhol(s: Student, opts: { phone?: string; name?: string } = {}): Promise<BotMessage> {
  await s.send("/start");
  await s.press("Нет, хочу учиться в автошколе");
  await s.press("Алматы");
  await s.press("B — легковые");
  await s.press("Очно");
  await s.press("1. Автошкола «Жол»");
  await s.press("Записаться: B, Очно — 180\u202f000 ₸, 10 нед.");
  await s.shareContact(opts.phone ?? "77071234567");
  await s.press(opts.name ? `✓ ${opts.name}` : s.buttons()[0]!);
  return s.press("✅ Подтвердить");
}

/**
 * Flow 2 in the demo catalog, straight through: an instructor in Алматы, category B, automatic, the first
 * instructor (Айгерим Нурланова), her first free day and its first time, the phone typed, the name
 * offered, confirm. Works in Russian and Kazakh (the buttons past the instructor are pressed by place).
 */
export async function bookFirstFreeTime(s: Student, language: "ru" | "kk" = "ru"): Promise<BotMessage> {
  await s.send("/start");
  await s.press(language === "kk" ? "Иә, нұсқаушы керек" : "Да, нужен инструктор");
  await s.press("Алматы");
  await s.press(language === "kk" ? "B — жеңіл көліктер" : "B — легковые");
  await s.press("автомат");
  await s.press("1. Айгерим Нурланова");
  await s.press(s.buttons()[0]!); // "Choose a time" in either language
  await s.press(s.buttons()[0]!); // the first day
  await s.press(s.buttons()[0]!); // its first time
  await s.send("+77011230000");
  await s.press(s.buttons()[0]!); // the name offered
  return s.press(s.buttons()[0]!); // confirm
}
