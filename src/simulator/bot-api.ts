// An in-process Telegram Bot API for the bot simulator. The real bot (bot.ts, polling.ts,
// delivery.ts) is pointed at it through TELEGRAM_API_ROOT and cannot tell it from Telegram: it
// speaks the same HTTP protocol the tests fake (POST /bot<token>/<method>, JSON or form in,
// {ok, result} or {ok: false, error_code, description} out), with long-polling getUpdates whose
// offset confirms and forgets earlier updates.
//
// It listens on 127.0.0.1 on its own port, not on the web app: the bot's calls carry no Origin,
// no session and no CSRF token, so on the web app the security guard would (rightly) refuse
// them, and in production the admin-only gate would too. A loopback listener is reachable only
// from this machine, and the token is random per process.
//
// The browser side (src/web/routes/simulator.tsx) calls the methods of `Simulator` directly:
// a student's text, button press or shared contact becomes an update in the queue the bot polls,
// and the bot's sendMessage/editMessageText/... change the chat transcript the page shows.
import { randomBytes } from "node:crypto";
import { log } from "../log.ts";
import { displayPhone, isSimulatedId, phoneOf, SIMULATED_STUDENTS, type SimLanguage, type SimStudent } from "./students.ts";

// ---- what the page sees ---------------------------------------------------------------------

export interface InlineButton {
  text: string;
  /** callback_data, for buttons that send a callback query. */
  data?: string;
  /** url, for link buttons (WhatsApp, payment). */
  url?: string;
}

export interface ReplyButton {
  text: string;
  /** A "share my phone number" button. */
  contact: boolean;
}

export interface ChatMessage {
  id: number;
  from: "bot" | "student";
  /** Bot messages: the text in Telegram's HTML parse mode (the page renders a strict subset). */
  html?: string;
  /** Student messages: plain text. */
  text?: string;
  /** The student shared their contact (the number is in `text`). */
  contact?: boolean;
  inline: InlineButton[][];
  edited: boolean;
  date: number;
}

export interface Transcript {
  version: number;
  student: SimStudent & { phone: string };
  messages: ChatMessage[];
  /** The reply keyboard the bot set (null after remove_keyboard, or when hidden after one use). */
  keyboard: { rows: ReplyButton[][]; placeholder?: string } | null;
  /** The latest answerCallbackQuery text (a toast), with a sequence number to show it once. */
  toast: { seq: number; text: string; alert: boolean } | null;
  commands: { command: string; description: string }[];
}

interface Chat {
  student: SimStudent;
  messages: ChatMessage[];
  keyboard: { rows: ReplyButton[][]; placeholder?: string; oneTime: boolean } | null;
  toast: Transcript["toast"];
  version: number;
  nextMessageId: number;
}

// ---- the protocol ---------------------------------------------------------------------------

export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const bad = (what: string) => new BotApiError(400, `Bad Request: ${what}`);

/** Telegram keeps at most this many unconfirmed updates (we keep a bound too). */
const MAX_QUEUE = 1000;
/** A transcript keeps its latest messages only. */
const MAX_MESSAGES = 300;
/** Telegram's own limits. */
const MAX_TEXT = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;
/** The longest getUpdates long-poll we hold open (Telegram allows 50 s). */
const MAX_POLL_SECONDS = 50;

/** Tags Telegram's HTML parse mode accepts; anything else is refused as Telegram refuses it. */
const TELEGRAM_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);

function checkHtml(text: string): void {
  const tags = /<\/?([a-zA-Z][\w-]*)[^>]*>|</g;
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    if (!m[1]) throw bad(`can't parse entities: unexpected "<" at byte offset ${m.index}`);
    if (!TELEGRAM_TAGS.has(m[1].toLowerCase())) throw bad(`can't parse entities: Unsupported start tag "${m[1]}" at byte offset ${m.index}`);
  }
}

/** Plain text of an HTML-mode message, as Telegram returns it in Message.text. */
function plain(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, "&");
}

function inlineOf(markup: unknown): InlineButton[][] {
  const rows = (markup as { inline_keyboard?: unknown })?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => {
    if (!Array.isArray(row)) throw bad("can't parse inline keyboard button: InlineKeyboardButton row must be an Array");
    return row.map((b: Record<string, unknown>) => {
      if (typeof b?.text !== "string" || !b.text) throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (typeof b.callback_data === "string") {
        if (Buffer.byteLength(b.callback_data) > MAX_CALLBACK_DATA_BYTES || !b.callback_data) throw bad("BUTTON_DATA_INVALID");
        return { text: b.text, data: b.callback_data };
      }
      if (typeof b.url === "string") {
        if (!/^(https?|tg):\/\/\S+$/i.test(b.url)) throw bad(`inline keyboard button URL '${b.url}' is invalid: Wrong HTTP URL`);
        return { text: b.text, url: b.url };
      }
      throw bad("can't parse inline keyboard button: a button needs callback_data or url here");
    });
  });
}

const BOT_ID = 990_000_000;

export interface SimulatorOptions {
  /** The bot's @username shown by getMe. */
  username?: string;
}

export function createSimulator(opts: SimulatorOptions = {}) {
  const token = `${BOT_ID}:${randomBytes(18).toString("base64url")}`;
  const botInfo = { id: BOT_ID, is_bot: true, first_name: "AvtoMat", username: opts.username ?? "avtomat_simulator_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  const chats = new Map<number, Chat>();
  const queue: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  let version = 0;
  let toastSeq = 0;
  let commands: Transcript["commands"] = [];
  const warned = new Set<string>();
  const updateWaiters = new Set<() => void>();
  const chatWaiters = new Set<() => void>();
  let closed = false;
  let apiStopped = false;

  const wakeAll = (set: Set<() => void>) => [...set].forEach((w) => w());

  /** Resolves when `set` is woken, after `ms`, or when `signal` aborts. */
  function waitOn(set: Set<() => void>, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => (clearTimeout(timer), set.delete(done), signal?.removeEventListener("abort", done), resolve());
      const timer = setTimeout(done, ms);
      timer.unref(); // a waiting poll never keeps the process alive
      set.add(done);
      signal?.addEventListener("abort", done);
    });
  }

  function chatOf(id: number): Chat {
    let chat = chats.get(id);
    if (!chat) {
      if (!isSimulatedId(id)) throw bad("chat not found");
      const student = SIMULATED_STUDENTS.find((s) => s.id === id)!;
      chat = { student: { ...student }, messages: [], keyboard: null, toast: null, version: 0, nextMessageId: 1 };
      chats.set(id, chat);
    }
    return chat;
  }

  function touch(chat: Chat) {
    chat.version = ++version;
    if (chat.messages.length > MAX_MESSAGES) chat.messages.splice(0, chat.messages.length - MAX_MESSAGES);
    wakeAll(chatWaiters);
  }

  const userOf = (s: SimStudent) => ({ id: s.id, is_bot: false, first_name: s.firstName, last_name: s.lastName, language_code: s.language });
  const chatObject = (s: SimStudent) => ({ id: s.id, type: "private", first_name: s.firstName, last_name: s.lastName });
  const now = () => Math.floor(Date.now() / 1000);

  function push(update: Record<string, unknown>): number {
    if (closed) throw new BotApiError(503, "the simulator is stopping");
    if (queue.length >= MAX_QUEUE) throw new BotApiError(429, "Too many updates are waiting: is the bot running?");
    const update_id = nextUpdateId++;
    queue.push({ update_id, ...update });
    wakeAll(updateWaiters);
    return update_id;
  }

  function botMessage(chat: Chat, m: ChatMessage, markup?: unknown) {
    const inline = m.inline.length ? { reply_markup: markup } : {};
    return { message_id: m.id, from: botInfo, chat: chatObject(chat.student), date: m.date, text: plain(m.html ?? ""), ...(m.edited ? { edit_date: now() } : {}), ...inline };
  }

  function findBotMessage(chat: Chat, id: unknown): ChatMessage {
    const m = chat.messages.find((x) => x.id === Number(id));
    if (!m) throw bad("message to edit not found");
    if (m.from !== "bot") throw bad("message can't be edited");
    return m;
  }

  function textParam(params: Record<string, any>): string {
    const text = typeof params.text === "string" ? params.text : "";
    if (!text.trim()) throw bad("message text is empty");
    if (params.parse_mode === "HTML") checkHtml(text);
    else if (params.parse_mode) throw bad(`unsupported parse_mode "${params.parse_mode}" in the simulator`);
    if (plain(text).length > MAX_TEXT) throw bad("message is too long");
    return params.parse_mode === "HTML" ? text : Bun.escapeHTML(text);
  }

  function applyReplyKeyboard(chat: Chat, markup: any) {
    if (markup?.remove_keyboard) chat.keyboard = null;
    else if (Array.isArray(markup?.keyboard))
      chat.keyboard = {
        rows: markup.keyboard.map((row: any[]) => row.map((b) => (typeof b === "string" ? { text: b, contact: false } : { text: String(b.text ?? ""), contact: Boolean(b.request_contact) }))),
        placeholder: typeof markup.input_field_placeholder === "string" ? markup.input_field_placeholder : undefined,
        oneTime: Boolean(markup.one_time_keyboard),
      };
  }

  async function getUpdates(params: Record<string, any>, signal?: AbortSignal) {
    const offset = Number(params.offset ?? 0);
    // An offset confirms every update before it: Telegram forgets them.
    if (offset > 0) while (queue.length && (queue[0]!.update_id as number) < offset) queue.shift();
    const limit = Math.max(1, Math.min(Number(params.limit ?? 100) || 100, 100));
    const deadline = Date.now() + Math.max(0, Math.min(Number(params.timeout ?? 0) || 0, MAX_POLL_SECONDS)) * 1000;
    while (!queue.length && !apiStopped && !signal?.aborted && Date.now() < deadline) await waitOn(updateWaiters, deadline - Date.now(), signal);
    return queue.slice(0, limit);
  }

  /** One Bot API method, as Telegram answers it. */
  async function call(method: string, params: Record<string, any>, signal?: AbortSignal): Promise<unknown> {
    switch (method) {
      case "getMe":
        return botInfo;
      case "getUpdates":
        return getUpdates(params, signal);
      case "sendMessage": {
        const chat = chatOf(Number(params.chat_id));
        const html = textParam(params);
        const m: ChatMessage = { id: chat.nextMessageId++, from: "bot", html, inline: inlineOf(params.reply_markup), edited: false, date: now() };
        chat.messages.push(m);
        applyReplyKeyboard(chat, params.reply_markup);
        touch(chat);
        return botMessage(chat, m, params.reply_markup);
      }
      case "editMessageText": {
        const chat = chatOf(Number(params.chat_id));
        const m = findBotMessage(chat, params.message_id);
        const html = textParam(params);
        // Editing the text without reply_markup removes the inline keyboard, as in Telegram.
        const inline = inlineOf(params.reply_markup);
        if (html === m.html && JSON.stringify(inline) === JSON.stringify(m.inline))
          throw bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        Object.assign(m, { html, inline, edited: true });
        touch(chat);
        return botMessage(chat, m, params.reply_markup);
      }
      case "editMessageReplyMarkup": {
        const chat = chatOf(Number(params.chat_id));
        const m = findBotMessage(chat, params.message_id);
        const inline = inlineOf(params.reply_markup);
        if (JSON.stringify(inline) === JSON.stringify(m.inline)) throw bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        Object.assign(m, { inline, edited: true });
        touch(chat);
        return botMessage(chat, m, params.reply_markup);
      }
      case "deleteMessage": {
        const chat = chatOf(Number(params.chat_id));
        const i = chat.messages.findIndex((x) => x.id === Number(params.message_id));
        if (i < 0) throw bad("message to delete not found");
        chat.messages.splice(i, 1);
        touch(chat);
        return true;
      }
      case "answerCallbackQuery": {
        const chatId = pendingCallbacks.get(String(params.callback_query_id));
        if (chatId === undefined) throw bad("query is too old and response timeout expired or query ID is invalid");
        pendingCallbacks.delete(String(params.callback_query_id));
        if (typeof params.text === "string" && params.text) {
          const chat = chatOf(chatId);
          chat.toast = { seq: ++toastSeq, text: params.text, alert: Boolean(params.show_alert) };
          touch(chat);
        }
        return true;
      }
      case "setMyCommands": {
        // The default menu only: a chat's own (scope chat, set when a student picks a language) is not the bot's menu.
        if ((!params.language_code || params.language_code === "ru") && !params.scope)
          commands = (Array.isArray(params.commands) ? params.commands : []).map((c: any) => ({ command: String(c.command), description: String(c.description) }));
        return true;
      }
      case "sendChatAction":
      case "deleteMyCommands":
      case "setChatMenuButton":
      case "deleteWebhook":
        return true;
      default:
        if (!warned.has(method)) warned.add(method), log.warn("bot simulator: method not simulated, answered true", { method });
        return true;
    }
  }

  /** callback_query ids waiting for answerCallbackQuery → their chat. */
  const pendingCallbacks = new Map<string, number>();
  let nextCallbackId = 1;

  // ---- the student's side (called by the web routes) -----------------------------------------

  function studentMessage(chat: Chat, text: string, contact = false): ChatMessage {
    const m: ChatMessage = { id: chat.nextMessageId++, from: "student", text, contact, inline: [], edited: false, date: now() };
    chat.messages.push(m);
    if (chat.keyboard?.oneTime) chat.keyboard = null;
    touch(chat);
    return m;
  }

  const simulator = {
    token,
    botInfo,

    /** The Bot API over HTTP (Request → Response), for the loopback listener and for tests. */
    async fetch(req: Request): Promise<Response> {
      const m = new URL(req.url).pathname.match(/^\/bot([^/]+)\/(\w+)$/);
      if (!m) return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
      if (m[1] !== token) return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
      try {
        const result = await call(m[2]!, await readParams(req), req.signal);
        return Response.json({ ok: true, result });
      } catch (err) {
        if (!(err instanceof BotApiError)) throw err;
        return Response.json({ ok: false, error_code: err.code, description: err.description }, { status: err.code });
      }
    },

    /** The student types a message (or presses a reply-keyboard button, which sends its text). */
    sendText(chatId: number, text: string): number {
      const chat = chatOf(chatId);
      const m = studentMessage(chat, text);
      const command = text.match(/^\/\w+/);
      const entities = command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : undefined;
      return push({ message: { message_id: m.id, from: userOf(chat.student), chat: chatObject(chat.student), date: m.date, text, ...(entities ? { entities } : {}) } });
    },

    /** The student presses "share contact": their own (made-up) number. */
    shareContact(chatId: number): number {
      const chat = chatOf(chatId);
      const s = chat.student;
      const m = studentMessage(chat, displayPhone(s.id), true);
      const contact = { phone_number: phoneOf(s.id), first_name: s.firstName, last_name: s.lastName, user_id: s.id };
      return push({ message: { message_id: m.id, from: userOf(s), chat: chatObject(s), date: m.date, contact } });
    },

    /** The student presses an inline button: only one the bot's message shows right now. */
    press(chatId: number, messageId: number, data: string): number {
      const chat = chatOf(chatId);
      const m = chat.messages.find((x) => x.id === messageId && x.from === "bot");
      if (!m || !m.inline.flat().some((b) => b.data === data)) throw new BotApiError(409, "This button is no longer on the message.");
      const id = String(nextCallbackId++);
      pendingCallbacks.set(id, chatId);
      if (pendingCallbacks.size > MAX_QUEUE) pendingCallbacks.delete(pendingCallbacks.keys().next().value!);
      const message = { message_id: m.id, from: botInfo, chat: chatObject(chat.student), date: m.date, text: plain(m.html ?? ""), ...(m.inline.length ? { reply_markup: { inline_keyboard: m.inline.map((r) => r.map((b) => (b.data ? { text: b.text, callback_data: b.data } : { text: b.text, url: b.url }))) } } : {}) };
      return push({ callback_query: { id, from: userOf(chat.student), message, chat_instance: String(chatId), data } });
    },

    /** Changes the student's name or language (sent as `from` with their next updates). */
    setProfile(chatId: number, profile: { firstName?: string; lastName?: string; language?: SimLanguage }) {
      const chat = chatOf(chatId);
      Object.assign(chat.student, Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)));
      touch(chat);
    },

    transcript(chatId: number): Transcript {
      const chat = chatOf(chatId);
      const { oneTime: _, ...keyboard } = chat.keyboard ?? { oneTime: false };
      return {
        version: chat.version,
        student: { ...chat.student, phone: displayPhone(chat.student.id) },
        messages: chat.messages,
        keyboard: chat.keyboard ? (keyboard as Transcript["keyboard"]) : null,
        toast: chat.toast,
        commands,
      };
    },

    /**
     * Waits (up to `ms`) while the chat is still at version `after`, then returns its transcript.
     * A different version answers at once, also a lower one (the process restarted since).
     */
    async waitForChange(chatId: number, after: number, ms: number, signal?: AbortSignal): Promise<Transcript> {
      const deadline = Date.now() + ms;
      while (chatOf(chatId).version === after && !closed && !signal?.aborted && Date.now() < deadline) await waitOn(chatWaiters, deadline - Date.now(), signal);
      return simulator.transcript(chatId);
    },

    /** Ends the bot's open getUpdates (the Bot API listener is going away). */
    stopApi() {
      apiStopped = true;
      wakeAll(updateWaiters);
    },

    /** Updates the bot has not confirmed yet. */
    pending: () => queue.length,

    /**
     * Ends the pages' open long polls and refuses new student input, so a shutdown does not wait
     * for the browser. The bot's own getUpdates ends when the bot stops (it aborts the request).
     */
    close() {
      closed = true;
      wakeAll(chatWaiters);
    },
  };
  return simulator;
}

export type Simulator = ReturnType<typeof createSimulator>;

/** The Bot API on 127.0.0.1 (a free port): the bot's TELEGRAM_API_ROOT while simulated. */
export function serveBotApi(simulator: Simulator) {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: MAX_POLL_SECONDS + 10, fetch: (req) => simulator.fetch(req) });
  return {
    apiRoot: `http://127.0.0.1:${server.port}`,
    stop() {
      simulator.stopApi();
      server.stop(true);
    },
  };
}

/** A Bot API call's parameters, sent as JSON, a form (values JSON-encoded where they are objects) or a query string. */
export async function readParams(req: Request): Promise<Record<string, any>> {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) return ((await req.json().catch(() => null)) ?? {}) as Record<string, any>;
  if (type.includes("form")) {
    const form = await req.formData();
    return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? tryJson(v) : v]));
  }
  return Object.fromEntries(new URL(req.url).searchParams);
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
