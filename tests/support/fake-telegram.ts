// A fake Telegram Bot API server on 127.0.0.1 that speaks the real HTTP protocol
// (POST /bot<token>/<method>, JSON in, {ok, result} out). The real bot polls it through
// TELEGRAM_API_ROOT. Tests push updates, read every recorded call, and inject failures.
//
//   const tg = await startFakeTelegram();
//   tg.sendText(user, "/start");
//   const reply = await tg.waitForCall("sendMessage", (p) => p.chat_id === user.id);
//   tg.pressButton(user, reply, "Алматы");
//   tg.failNext("sendMessage", { code: 429, retryAfter: 1 });
//   tg.addFile("photo-1", bytes);   // getFile names it, GET /file/bot<token>/<path> serves it
//   await tg.stop();
//
// Limit mode, as Telegram: `startFakeTelegram({ limit: { perSecond: 20, perChat: 1 } })` answers a
// message call (PACED_METHODS) with 429 and retry_after when it would make more than perSecond of
// them in the last second, or more than perChat to its chat; `tg.limited` lists those answers and
// `tg.peaks()` the most message calls it ever received within one second, overall and per chat.
import { PACED_METHODS } from "../../src/bot/paced-api.ts";
import { readParams } from "../../src/simulator/bot-api.ts";

export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  at: number;
  /** What the fake answered (a sent message has its message_id here). */
  result?: any;
}

type Failure = { code: number; description?: string; retryAfter?: number } | "hang";

interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export const BOT_TOKEN = "123456:TEST-token_for-fake-api";
const BOT_INFO = { id: 123456, is_bot: true, first_name: "AvtoMat", username: "avtomat_test_bot" };

export interface FakeTelegramOptions {
  /** Telegram's limits over a sliding second: message calls overall and per chat. */
  limit?: { perSecond: number; perChat: number };
}

/** A message call as the fake received it (performance.now(), ms). */
interface Arrival {
  at: number;
  chat: number;
  accepted: boolean;
}

export async function startFakeTelegram(opts: FakeTelegramOptions = {}) {
  const calls: RecordedCall[] = []; // successful calls
  const failed: RecordedCall[] = []; // calls answered with an injected failure
  const limited: RecordedCall[] = []; // message calls over the limit (limit mode), answered 429
  const arrivals: Arrival[] = []; // every message call, in the order received
  const queue: Record<string, unknown>[] = [];
  const failures = new Map<string, Failure[]>();
  const waiters = new Set<() => void>();
  const messages = new Map<string, Record<string, any>>(); // `${chat}:${id}` → last text/markup
  const delivered = new Map<number, Record<string, unknown>>();
  const files = new Map<string, { path: string; bytes: Uint8Array<ArrayBuffer> }>(); // file_id → stored file
  const holds = new Set<{ method: string; match: (p: Record<string, any>) => boolean; open: Promise<void>; waiting: number }>();
  const handedOut = new Map<number, number>(); // update_id → how many getUpdates answers carried it
  let nextUpdateId = 1000;
  let nextMessageId = 1;

  const notify = () => waiters.forEach((w) => w());
  const changed = () => new Promise<void>((resolve) => {
    const w = () => (waiters.delete(w), resolve());
    waiters.add(w);
  });

  async function getUpdates(params: Record<string, any>) {
    const offset = Number(params.offset ?? 0);
    // Telegram forgets updates below the offset: that is the confirmation.
    while (queue.length && (queue[0]!.update_id as number) < offset) queue.shift();
    const deadline = Date.now() + Math.min(Number(params.timeout ?? 0), 1) * 1000;
    while (!queue.length && Date.now() < deadline) await Promise.race([changed(), Bun.sleep(50)]);
    const batch = queue.slice(0, Number(params.limit ?? 100));
    for (const u of batch) handedOut.set(u.update_id as number, (handedOut.get(u.update_id as number) ?? 0) + 1);
    return batch;
  }

  function message(chatId: number, params: Record<string, any>) {
    const id = nextMessageId++;
    const content = params.photo ? { photo: [{ file_id: params.photo, file_unique_id: `u${id}`, width: 1280, height: 960 }], caption: params.caption }
      : params.document ? { document: { file_id: params.document, file_unique_id: `u${id}` }, caption: params.caption }
      : { text: params.text };
    const msg = { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private" }, from: BOT_INFO, ...content, reply_markup: params.reply_markup };
    messages.set(`${chatId}:${id}`, msg);
    return msg;
  }

  async function answer(method: string, params: Record<string, any>): Promise<unknown> {
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "getUpdates":
        return getUpdates(params);
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument":
        return message(Number(params.chat_id), params);
      case "getFile": {
        const file = files.get(String(params.file_id));
        return file ? { file_id: params.file_id, file_unique_id: `u-${params.file_id}`, file_size: file.bytes.byteLength, file_path: file.path } : null;
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const key = `${params.chat_id}:${params.message_id}`;
        const msg = { ...(messages.get(key) ?? { message_id: params.message_id, chat: { id: params.chat_id } }), ...params };
        messages.set(key, msg);
        return msg;
      }
      default:
        return true;
    }
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 60,
    async fetch(req) {
      const download = new URL(req.url).pathname.match(/^\/file\/bot([^/]+)\/(.+)$/);
      if (download) {
        // As Telegram: the file's bytes for the bot's token, a 404 for anything else.
        const file = [...files.values()].find((f) => f.path === download[2]);
        if (download[1] !== BOT_TOKEN || !file) return new Response("Not Found", { status: 404 });
        return new Response(file.bytes, { headers: { "content-type": "application/octet-stream" } });
      }
      const m = new URL(req.url).pathname.match(/^\/bot([^/]+)\/(\w+)$/);
      if (!m) return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
      if (m[1] !== BOT_TOKEN) return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
      const method = m[2]!;
      const params = await readParams(req);
      const injected = failures.get(method)?.shift();
      const failure = arrive(method, params, injected);
      if (failure === "hang") return failed.push({ method, params, at: Date.now() }), new Promise<Response>(() => {});
      if (failure) {
        failed.push({ method, params, at: Date.now() });
        const body = { ok: false, error_code: failure.code, description: failure.description ?? describe(failure.code), parameters: failure.retryAfter ? { retry_after: failure.retryAfter } : undefined };
        return Response.json(body, { status: failure.code });
      }
      for (const h of [...holds]) if (h.method === method && h.match(params)) h.waiting++, await h.open;
      const result = await answer(method, params);
      if (result === null) return Response.json({ ok: false, error_code: 400, description: "Bad Request: invalid file_id" }, { status: 400 });
      if (method !== "getUpdates") calls.push({ method, params, at: Date.now(), result }), notify();
      return Response.json({ ok: true, result });
    },
  });

  /**
   * Records a message call and returns the failure to answer: the injected one, else in limit
   * mode a 429 when the call would go over a limit within the last second.
   */
  function arrive(method: string, params: Record<string, any>, injected: Failure | undefined): Failure | undefined {
    if (!PACED_METHODS.has(method)) return injected;
    const now = performance.now();
    const chat = Number(params.chat_id);
    const recent = arrivals.filter((a) => a.accepted && a.at > now - 1000);
    const over = !injected && opts.limit && (recent.length >= opts.limit.perSecond || recent.filter((a) => a.chat === chat).length >= opts.limit.perChat);
    arrivals.push({ at: now, chat, accepted: !injected && !over });
    if (!over) return injected;
    limited.push({ method, params, at: Date.now() });
    return { code: 429, description: "Too Many Requests: retry after 1", retryAfter: 1 };
  }

  /** The most arrivals within one second (a window ending at each arrival). */
  function peak(list: Arrival[]): number {
    let most = 0;
    for (let i = 0, first = 0; i < list.length; i++) {
      while (list[first]!.at <= list[i]!.at - 1000) first++;
      most = Math.max(most, i - first + 1);
    }
    return most;
  }

  function push(update: Record<string, unknown>) {
    const update_id = nextUpdateId++;
    delivered.set(update_id, { update_id, ...update });
    queue.push(delivered.get(update_id)!);
    notify();
    return update_id;
  }

  async function waitForCall(method: string, match: (p: Record<string, any>) => boolean = () => true, timeoutMs = 5000, after = 0) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = calls.slice(after).find((c) => c.method === method && match(c.params));
      if (found) return found.params;
      if (Date.now() > deadline) throw new Error(`fake Telegram: no ${method} within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ")}`);
      await Promise.race([changed(), Bun.sleep(50)]);
    }
  }

  return {
    apiRoot: `http://127.0.0.1:${server.port}`,
    token: BOT_TOKEN,
    calls,
    failed,
    limited,
    /** The most message calls received within one second: overall, and to any one chat. */
    peaks() {
      const chats = new Map<number, Arrival[]>();
      for (const a of arrivals) chats.set(a.chat, [...(chats.get(a.chat) ?? []), a]);
      return { perSecond: peak(arrivals), perChat: Math.max(0, ...[...chats.values()].map(peak)) };
    },
    /** Pushes a raw update (update_id is assigned unless given). */
    push,
    /** Queues an update again, as Telegram does when a new poller starts before the offset was confirmed. */
    redeliver(updateId: number) {
      queue.push(delivered.get(updateId)!);
      queue.sort((a, b) => (a.update_id as number) - (b.update_id as number));
      notify();
    },
    sendText(user: FakeUser, text: string) {
      const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] : undefined;
      return push({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, text, entities } });
    },
    /**
     * Pushes a message with any content a user can send (a photo's sizes, a document, a sticker,
     * a location…), as Telegram would deliver it: `{ photo: [...], caption: "…" }`.
     */
    sendContent(user: FakeUser, content: Record<string, unknown>) {
      return push({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, ...content } });
    },
    /** The user answers a message the bot sent with Telegram's "Reply": reply_to_message is that message as the bot left it. */
    replyTo(user: FakeUser, messageId: number, text: string) {
      const original = messages.get(`${user.id}:${messageId}`);
      if (!original) throw new Error(`no message ${messageId} in chat ${user.id}`);
      return push({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, text, reply_to_message: original } });
    },
    sendContact(user: FakeUser, phone: string, contactUserId: number | undefined = user.id) {
      return push({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, from: { is_bot: false, ...user }, contact: { phone_number: phone, first_name: user.first_name, ...(contactUserId ? { user_id: contactUserId } : {}) } } });
    },
    /** Presses the inline button with this text on a message the bot sent (or edited). */
    pressButton(user: FakeUser, msg: { chat_id?: number | string; message_id?: number; reply_markup?: any }, text: string) {
      const rows: InlineButton[][] = msg.reply_markup?.inline_keyboard ?? [];
      const button = rows.flat().find((b) => b.text === text);
      if (!button?.callback_data) throw new Error(`no button "${text}"; buttons: ${rows.flat().map((b) => b.text).join(" | ")}`);
      const messageId = msg.message_id ?? [...messages.values()].reverse().find((m) => m.chat.id === user.id)?.message_id;
      return push({ callback_query: { id: String(nextUpdateId), from: { is_bot: false, ...user }, chat_instance: String(user.id), data: button.callback_data, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, text: "" } } });
    },
    /** Buttons' texts of a sent message, row by row. */
    buttons: (msg: { reply_markup?: any }) => ((msg.reply_markup?.inline_keyboard ?? []) as InlineButton[][]).map((r) => r.map((b) => b.text)),
    waitForCall,
    /** Answers the next call(s) of `method` with an error, or never ("hang"). */
    failNext(method: string, failure: Failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array(times).fill(failure)]);
    },
    /**
     * Leaves calls of `method` matching `match` unanswered until release() (a Telegram slow for one
     * chat); released calls are answered and recorded then; waiting() counts the calls held so far.
     * Set the bot's API timeout above the hold, or it gives up and tries again.
     */
    hold(method: string, match: (p: Record<string, any>) => boolean) {
      let open!: () => void;
      const gate = { method, match, open: new Promise<void>((r) => (open = r)), waiting: 0 };
      holds.add(gate);
      return { release: () => (holds.delete(gate), open()), waiting: () => gate.waiting };
    },
    /** How many getUpdates answers carried this update (more than one: it was fetched again). */
    timesHandedOut: (updateId: number) => handedOut.get(updateId) ?? 0,
    /** A file the bot can getFile and download by this file_id (as a student's photo or document). */
    addFile(fileId: string, bytes: Uint8Array<ArrayBuffer>, path = `documents/${fileId}`) {
      files.set(fileId, { path, bytes });
    },
    /** Updates not yet confirmed by the bot's offset. */
    pending: () => queue.length,
    stop: () => server.stop(true),
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

function describe(code: number): string {
  return { 400: "Bad Request", 403: "Forbidden: bot was blocked by the user", 409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error" }[code] ?? "Error";
}
