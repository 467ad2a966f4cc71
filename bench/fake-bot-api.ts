// A lean fake Telegram Bot API for the benchmark: getUpdates hands out a preloaded queue (the
// offset confirms, as in Telegram), every other call is answered at once and counted. It keeps
// only counters and per-chat sequence checks, so it stays far from being the bottleneck (the
// bench measures its own ceiling with a raw client, see servers/echo-bot.ts --raw).
//
// Timing: `firstOfferedAt` is when the first getUpdates answer carrying updates was sent;
// `drainedAt` is when a getUpdates confirmed (offset past) the last update, and `lastReplyAt`
// the last reply recorded by then, or later (replies are counted until the caller stops waiting).
//
// Limit mode (the pacing part, bench/pacing.ts): `{ limit: { perSecond, perChat } }` answers a
// message call (PACED_METHODS) 429 with retry_after when it would go over either limit within the
// last second, as Telegram does; `limited` counts those (`limitedLog()`: when, and which limit),
// `pacedTimes()` says when the others arrived, and `onReply` sees each message answered (the
// students' replies are timed with it).
import { PACED_METHODS } from "../src/bot/paced-api.ts";

export interface BenchUpdate {
  update_id: number;
  [kind: string]: unknown;
}

export interface FakeStats {
  updates: number;
  offered: number;
  replies: number;
  byMethod: Record<string, number>;
  /** answerCallbackQuery with a text: the bot said a button was stale or invalid. */
  toasts: number;
  /** Echo replies ("<chat>:<seq>") that arrived out of their chat's order. */
  outOfOrder: number;
  firstOfferedAt: number | null;
  drainedAt: number | null;
  lastReplyAt: number | null;
  getUpdatesCalls: number;
  /** Updates confirmed by the offset so far (handled, replies sent). */
  confirmed: number;
  /** Limit mode: message calls answered 429 for going over a limit. */
  limited: number;
}

export interface BenchBotApiOptions {
  limit?: { perSecond: number; perChat: number };
  /** Every sendMessage / editMessageText answered (performance.now() at its arrival). */
  onReply?: (method: string, params: Record<string, any>, result: any, at: number) => void;
}

export async function startBenchBotApi(token = "777000:BENCH-token_fake-bot-api", opts: BenchBotApiOptions = {}) {
  let queue: BenchUpdate[] = [];
  let head = 0; // queue[head] is the first update not confirmed yet
  let lastId = 0;
  let stats: FakeStats = fresh(0);
  let echoSeq = new Map<number, number>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
    waiters.clear();
  };
  let messageId = 1;
  let watcher: ((method: string, p: Record<string, any>) => void) | null = null;
  // Limit mode: arrival times of the message calls accepted, overall (in order) and per chat.
  let pacedAt: number[] = [];
  let chatAt = new Map<number, number[]>();
  /** Limit mode: each 429, when and which limit it hit. */
  let limitedLog: { at: number; which: "overall" | "chat"; chat: number }[] = [];
  const me = { id: 777000, is_bot: true, first_name: "AvtoMat bench", username: "avtomat_bench_bot" };

  function fresh(updates: number): FakeStats {
    return { updates, offered: 0, replies: 0, byMethod: {}, toasts: 0, outOfOrder: 0, firstOfferedAt: null, drainedAt: null, lastReplyAt: null, getUpdatesCalls: 0, confirmed: 0, limited: 0 };
  }

  /** Limit mode: whether this message call goes over a limit within the last second (else it is counted). */
  function overLimit(method: string, p: Record<string, any>, now: number): boolean {
    if (!opts.limit || !PACED_METHODS.has(method)) return false;
    const chat = Number(p.chat_id);
    const mine = chatAt.get(chat) ?? [];
    const inLastSecond = (times: number[]) => {
      let n = 0;
      for (let i = times.length - 1; i >= 0 && times[i]! > now - 1000; i--) n++;
      return n;
    };
    const overall = inLastSecond(pacedAt) >= opts.limit.perSecond;
    if (overall || inLastSecond(mine) >= opts.limit.perChat) {
      limitedLog.push({ at: now, which: overall ? "overall" : "chat", chat });
      return (stats.limited++, true);
    }
    pacedAt.push(now);
    chatAt.set(chat, [...mine.slice(-opts.limit.perChat), now]);
    return false;
  }

  async function getUpdates(p: Record<string, any>): Promise<BenchUpdate[]> {
    stats.getUpdatesCalls++;
    const offset = Number(p.offset ?? 0);
    while (head < queue.length && queue[head]!.update_id < offset) head++;
    stats.confirmed = head;
    if (head >= queue.length && queue.length && stats.drainedAt === null && offset > lastId) stats.drainedAt = performance.now();
    if (head >= queue.length) {
      const timeout = Math.min(Number(p.timeout ?? 0), 25) * 1000;
      if (timeout > 0) await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (waiters.delete(done), resolve()), timeout);
        const done = () => (clearTimeout(timer), resolve());
        waiters.add(done);
      });
      while (head < queue.length && queue[head]!.update_id < offset) head++;
    }
    const batch = queue.slice(head, head + Math.max(1, Math.min(Number(p.limit ?? 100), 100)));
    if (batch.length) {
      stats.firstOfferedAt ??= performance.now();
      stats.offered = Math.max(stats.offered, head + batch.length);
    }
    return batch;
  }

  function record(method: string, p: Record<string, any>) {
    stats.replies++;
    stats.lastReplyAt = performance.now();
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    if (method === "answerCallbackQuery" && p.text) stats.toasts++;
    watcher?.(method, p);
    if (method === "sendMessage" && typeof p.text === "string") {
      const m = /^echo (\d+):(\d+)$/.exec(p.text);
      if (m) {
        const chat = Number(m[1]);
        const seq = Number(m[2]);
        if (seq <= (echoSeq.get(chat) ?? -1)) stats.outOfOrder++;
        echoSeq.set(chat, seq);
      }
    }
  }

  const ok = (result: unknown) => new Response(JSON.stringify({ ok: true, result }), { headers: { "content-type": "application/json" } });

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 60,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const slash = path.lastIndexOf("/");
      const method = path.slice(slash + 1);
      if (path.slice(0, slash) !== `/bot${token}`) return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
      const p = (req.headers.get("content-type") ?? "").includes("json") ? ((await req.json().catch(() => ({}))) as Record<string, any>) : {};
      const at = performance.now();
      if (overLimit(method, p, at)) return Response.json({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }, { status: 429 });
      switch (method) {
        case "getMe":
          return ok(me);
        case "getUpdates":
          return ok(await getUpdates(p));
        case "sendMessage":
        case "editMessageText": {
          record(method, p);
          const result = { message_id: method === "sendMessage" ? messageId++ : Number(p.message_id), date: 0, chat: { id: Number(p.chat_id), type: "private" } };
          opts.onReply?.(method, p, result, at);
          return ok(result);
        }
        case "answerCallbackQuery":
          record(method, p);
          return ok(true);
        default:
          return ok(true);
      }
    },
  });

  return {
    token,
    apiRoot: `http://127.0.0.1:${server.port}`,
    /** Replaces the queue (update ids ascending) and resets the counters. */
    load(updates: BenchUpdate[]) {
      queue = updates;
      head = 0;
      lastId = updates.at(-1)?.update_id ?? 0;
      stats = fresh(updates.length);
      echoSeq = new Map();
      pacedAt = [];
      chatAt = new Map();
      limitedLog = [];
      wake();
    },
    /** Queues one more update (a student acting while the bot works). */
    push(update: BenchUpdate) {
      queue.push(update);
      lastId = update.update_id;
      stats.updates++;
      wake();
    },
    /** Limit mode: when the accepted message calls arrived (performance.now()), in order. */
    pacedTimes: () => [...pacedAt],
    /** Limit mode: each 429 answered, when (performance.now()) and which limit it hit. */
    limitedLog: () => [...limitedLog],
    stats: () => ({ ...stats, byMethod: { ...stats.byMethod } }),
    /** Resolves when `done(stats)` holds, checking every 5 ms; rejects after timeoutMs. */
    async until(done: (s: FakeStats) => boolean, timeoutMs: number): Promise<FakeStats> {
      const deadline = performance.now() + timeoutMs;
      while (!done(stats)) {
        if (performance.now() > deadline) throw new Error(`fake Bot API: timed out; ${JSON.stringify(stats)}`);
        await Bun.sleep(5);
      }
      return { ...stats };
    },
    /** Resolves once no reply came for `quietMs` (the replies of the last updates are in). */
    async settled(quietMs: number): Promise<FakeStats> {
      for (let seen = -1; seen !== stats.replies; ) (seen = stats.replies), await Bun.sleep(quietMs);
      return { ...stats };
    },
    /** Sees every reply as it is recorded (the flood part times each bystander's). */
    watch(fn: ((method: string, p: Record<string, any>) => void) | null) {
      watcher = fn;
    },
    /** Answers the waiting long polls (empty), then closes. */
    async stop() {
      queue = [];
      head = 0;
      wake();
      await Promise.race([server.stop(), Bun.sleep(500)]);
      server.stop(true);
    },
  };
}

export type BenchBotApi = Awaited<ReturnType<typeof startBenchBotApi>>;
