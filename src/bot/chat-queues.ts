// Who waits for whom when updates come faster than they are handled (issue 19). One chat's
// updates run one at a time, in update_id order (a button press must see the step the previous
// press left); different chats run in parallel, at most `concurrency` at once (the database pool
// is the real limit: src/db/client.ts), and they take turns: a chat gets one update per turn and
// then goes to the back of the line, so a chat with a backlog never holds a slot the others wait
// for. A chat may queue at most `cap` updates (ChatCap, shared with webhook mode): beyond it its
// updates are dropped, so a flood costs that chat and not the others.
import { backoff, realSleep, type Sleep } from "../jobs/loop.ts";
import { log } from "../log.ts";
import type { TelegramUpdate } from "./polling.ts";

export type ChatKey = number | string;

/** The chat an update belongs to (an update without one is a chat of its own). */
export function chatOf(update: TelegramUpdate): ChatKey {
  const u = update as Record<string, any>;
  const source = u.message ?? u.edited_message ?? u.callback_query ?? u.my_chat_member ?? {};
  return source.chat?.id ?? source.message?.chat?.id ?? source.from?.id ?? `update:${update.update_id}`;
}

/**
 * What happens to an update offered to a full chat: "queued" (counted), "flood" (dropped, the
 * first drop since the chat's queue last drained: tell the student once) or "dropped".
 */
export type Admission = "queued" | "flood" | "dropped";

/**
 * The per-chat cap, the one place both modes count with: a chat holds at most `cap` updates
 * admitted and not yet finished. A flood (drops) ends when the chat's count falls to zero, so
 * the student hears "slow down" once per flood.
 */
export class ChatCap {
  private counts = new Map<ChatKey, number>();
  private flooding = new Set<ChatKey>();
  constructor(readonly cap: number) {}

  /** Counts the update in, unless the chat is full; `force` counts it in anyway (already stored). */
  admit(chat: ChatKey, force = false): Admission {
    const n = this.counts.get(chat) ?? 0;
    if (n < this.cap || force) return this.counts.set(chat, n + 1), "queued";
    if (this.flooding.has(chat)) return "dropped";
    this.flooding.add(chat);
    return "flood";
  }

  /** An admitted update is finished (or was never queued after all). */
  release(chat: ChatKey): void {
    const n = (this.counts.get(chat) ?? 0) - 1;
    if (n > 0) return void this.counts.set(chat, n);
    this.counts.delete(chat);
    this.flooding.delete(chat); // drained: the next drop is a new flood
  }

  /** Takes back an admission whose update went nowhere (storing it failed): as if never offered. */
  undo(chat: ChatKey, admission: Admission): void {
    if (admission === "queued") this.release(chat);
    else if (admission === "flood") this.flooding.delete(chat);
  }

  queued(chat: ChatKey): number {
    return this.counts.get(chat) ?? 0;
  }

  clear(): void {
    this.counts.clear();
    this.flooding.clear();
  }
}

export type Outcome = "done" | "retry";

export interface ChatQueuesOptions {
  /** Updates of different chats handled at once. */
  concurrency: number;
  /** Per-chat cap (ChatCap). */
  cap: number;
  /** Handles one update: "retry" keeps it at the head of its chat's queue and pauses that chat. */
  work(update: TelegramUpdate): Promise<Outcome>;
  /**
   * A handled update's replies being sent (reply-sends.ts): its chat's next turn waits for it,
   * holding no slot meanwhile, and the update counts as queued until it is over.
   */
  sending?(update: TelegramUpdate): Promise<void> | undefined;
  /** An update is finished (handled, or failed for good): it may be forgotten. */
  onDone(update: TelegramUpdate): void;
  /** The pause of a chat whose update asked for a retry (injectable: tests never wait it out). */
  sleep?: Sleep;
}

/** The turns of stored updates (polling mode): fair per-chat workers under one global bound. */
export class ChatQueues {
  readonly cap: ChatCap;
  private queues = new Map<ChatKey, TelegramUpdate[]>();
  /** Chats with an update ready and no turn running or pause pending, in the order they get one. */
  private line: ChatKey[] = [];
  private retries = new Map<ChatKey, ReturnType<typeof backoff>>();
  private running = new Set<Promise<void>>();
  /** Sends after turns (their chats are off the line until they are over). */
  private sending = new Set<Promise<void>>();
  private total = 0;
  private stopping = new AbortController();
  /** Ends every pause: an update went through, so the database is back (retries are for outages only). */
  private resuming = new AbortController();
  private paused = 0;
  private roomWaiters = new Set<() => void>();
  private sleep: Sleep;

  constructor(private opts: ChatQueuesOptions) {
    this.cap = new ChatCap(opts.cap);
    this.sleep = opts.sleep ?? realSleep;
  }

  /** Updates queued (running ones included). */
  get size(): number {
    return this.total;
  }

  /**
   * Queues an admitted update behind its chat's others (the caller keeps update_id order). Once
   * stopped, nothing is queued: the update is stored, and the next start loads it.
   */
  push(update: TelegramUpdate): void {
    if (this.stopped) return;
    const chat = chatOf(update);
    const queue = this.queues.get(chat);
    this.total++;
    if (queue) return void queue.push(update); // the chat is in line, running or pausing already
    this.queues.set(chat, [update]);
    this.line.push(chat);
    this.pump();
  }

  /** Updates read back from the inbox (admitted when they were stored): queued whatever the cap. */
  load(updates: TelegramUpdate[]): void {
    for (const u of updates) {
      this.cap.admit(chatOf(u), true);
      this.push(u);
    }
  }

  /** Resolves once fewer than `bound` updates are queued, or when `signal` aborts. */
  async roomBelow(bound: number, signal: AbortSignal): Promise<void> {
    while (this.total >= bound && !signal.aborted)
      await new Promise<void>((resolve) => {
        const wake = () => (signal.removeEventListener("abort", wake), this.roomWaiters.delete(wake), resolve());
        this.roomWaiters.add(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
  }

  /** Starts turns again after a stop, with empty queues (the caller loads what is stored). */
  start(): void {
    if (!this.stopped) return;
    this.forget();
    this.stopping = new AbortController();
  }

  /**
   * No new turn; waits for the updates being handled and their sends (not the backlog: it is stored), then
   * forgets every queue. Pauses end at once.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    while (this.running.size || this.sending.size) await Promise.all([...this.running, ...this.sending]);
    this.forget();
  }

  private forget(): void {
    this.queues.clear();
    this.line = [];
    this.retries.clear();
    this.total = 0;
    this.cap.clear();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.opts.concurrency && this.line.length) {
      const chat = this.line.shift()!;
      const turn = this.turn(chat).finally(() => {
        this.running.delete(turn);
        this.pump();
      });
      this.running.add(turn);
    }
  }

  private async turn(chat: ChatKey): Promise<void> {
    const queue = this.queues.get(chat)!;
    const update = queue[0]!;
    let outcome: Outcome;
    try {
      outcome = await this.opts.work(update);
    } catch (err) {
      log.error("update not handled", { err: err as Error, updateId: update.update_id });
      outcome = "done"; // not a database outage: trying it again would fail the same way
    }
    if (outcome === "retry") return void this.pause(chat);
    if (this.paused) this.resumePaused();
    this.retries.delete(chat);
    const sending = this.opts.sending?.(update);
    if (!sending) return this.finish(chat, queue, update);
    // The slot is free now (turn() returns); the chat's next turn waits for the send.
    const after: Promise<void> = sending.then(() => {
      this.sending.delete(after);
      this.finish(chat, queue, update);
      this.pump();
    });
    this.sending.add(after);
  }

  private finish(chat: ChatKey, queue: TelegramUpdate[], update: TelegramUpdate): void {
    queue.shift();
    this.total--;
    this.cap.release(chat);
    this.opts.onDone(update);
    if (queue.length) this.line.push(chat);
    else this.queues.delete(chat);
    this.wakeRoomWaiters();
  }

  /**
   * The chat waits out its backoff off the line (holding no slot), then takes its turn again; or
   * sooner, when another chat's update went through (the outage is over).
   */
  private async pause(chat: ChatKey): Promise<void> {
    if (this.stopped) return; // its update stays stored for the next poller
    let retry = this.retries.get(chat);
    if (!retry) this.retries.set(chat, (retry = backoff(1000, 30_000))); // as the poller's own
    const stopping = this.stopping.signal;
    this.paused++;
    try {
      await this.sleep(retry.next(), AbortSignal.any([stopping, this.resuming.signal]));
    } finally {
      this.paused--;
    }
    if (stopping.aborted) return;
    this.line.push(chat);
    this.pump();
  }

  private resumePaused(): void {
    this.resuming.abort();
    this.resuming = new AbortController();
  }

  private wakeRoomWaiters(): void {
    for (const wake of [...this.roomWaiters]) wake();
  }
}
