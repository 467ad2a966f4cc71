// Sending at Telegram's limits (issue 19): about 30 messages a second for the bot and one a second
// per chat, beyond which Telegram answers 429 with retry_after. The limits belong to the bot, so
// the slots are reserved in PostgreSQL (src/domain/send-pace.ts) and shared by every instance;
// this file turns them into waits, in two lanes:
//  - interactive: the replies to what a student just did. A reservation always succeeds and the
//    message waits for its slot (the next one free, after the chat's own interval);
//  - bulk: the outbox's notifications, alerts and reminders. They take slots only up to
//    BULK_HORIZON_MS ahead, so they fill what capacity is left and an interactive reply never
//    queues behind more than that much bulk.
// A 429 pauses every sender (the bot's row is pushed past retry_after; slots this instance
// already holds are given up and taken again after the pause).
import type { Db } from "../db/client.ts";
import { databaseNow, pauseSending, reserveSlots, type SendPace } from "../domain/send-pace.ts";
import { realSleep } from "../jobs/loop.ts";
import { log } from "../log.ts";

/**
 * We pace at 95 % of the configured rate. The slots are spaced evenly, so at most 0.95 × rate of
 * them fall in any second; a send then reaches Telegram a little after its slot (a timer firing
 * late, a busy event loop, the network), and a message sent late can only bunch up with later
 * ones if it is later than theirs by more than the spare 5 % of a second (~53 ms at any rate).
 * Closer to 100 % a busy machine gets 429s; further below wastes throughput.
 */
export const PACE_SHARE = 0.95;
/** Per chat the spare costs nothing (a chat gets a message a second at most), so it is wider: ~110 ms. */
export const CHAT_PACE_SHARE = 0.9;
/** How far ahead bulk may reserve: the longest an interactive reply waits behind bulk. */
export const BULK_HORIZON_MS = 200;
/**
 * A slot woken more than this late (a stalled event loop, a pause in the collector) is given up
 * and a new one taken, at most LATE_RETRIES times: sent anyway it would bunch up with the messages
 * of the slots after it, eating the 5 % spare in one go.
 */
export const LATE_MS = 20;
const LATE_RETRIES = 2;

/** The limits from the configuration (messages per second), as the intervals the slots keep; null: no pacing. */
export function sendPaceOf(limits: { telegramSendRate: number | null; telegramChatRate: number }): SendPace | null {
  if (limits.telegramSendRate === null) return null;
  return {
    intervalMs: 1000 / (limits.telegramSendRate * PACE_SHARE),
    chatIntervalMs: 1000 / (limits.telegramChatRate * CHAT_PACE_SHARE),
    horizonMs: BULK_HORIZON_MS,
  };
}

/** A reserved moment to send, on this instance's clock; void once a 429 paused the sender after it was reserved. */
export interface Slot {
  at: number;
  epoch: number;
  /** The same moment on the database's clock, as reserved: a retry replaces the chat's reservation of it. */
  reservedAt: number;
}

/** The message would have to wait past its deadline (a direct reply past its hold): it goes through the outbox instead. */
export class PaceDeadline extends Error {
  constructor(chatId: number) {
    super(`send pace: no slot for chat ${chatId} before the reply's deadline`);
  }
}

export interface PacerOptions {
  now?: () => number;
  /** Waits `ms`, or less when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How a wait for a slot can end early: the sender stopping (the outbox delivery's shutdown). */
export interface WaitOptions {
  signal?: AbortSignal;
  /**
   * The caller's last step before the call (the outbox renewing a row's claim), run after each
   * wait: its time counts towards the slot's lateness, so a slow step (a busy database) takes a
   * new slot rather than send late and bunch up with the next ones.
   */
  ready?: () => Promise<void>;
}

const never = new AbortController().signal;

/** How long a reading of the database's clock is trusted before it is taken again (clocks drift slowly). */
const CLOCK_READING_MS = 30_000;

/**
 * The database's clock on this instance's. Slots are moments on the database's clock (the one
 * clock every instance shares); each instance turns them into its own time with the offset
 * between the two. Taken from the quickest of a few round trips (the offset is known to within
 * half of one), so a slow or late-processed answer never shifts a slot, which would bunch it up
 * with the next one.
 */
class DatabaseClock {
  private offset = 0;
  private readAt = -Infinity;

  constructor(
    private db: Db,
    private now: () => number,
  ) {}

  /** A moment on the database's clock, on this instance's. */
  async local(at: number): Promise<number> {
    if (this.now() - this.readAt > CLOCK_READING_MS) await this.read();
    return at + this.offset;
  }

  private async read(): Promise<void> {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const before = this.now();
      const db = await databaseNow(this.db);
      const after = this.now();
      if (after - before < best) (best = after - before), (this.offset = (before + after) / 2 - db);
    }
    this.readAt = this.now();
  }
}

export class Pacer {
  private pauseEnd = 0;
  /** Bumped by every pause: a slot reserved in an earlier epoch is not used. */
  private epoch = 0;
  readonly now: () => number;
  private sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private clock: DatabaseClock;

  /** `pace` null: nothing waits (TELEGRAM_SEND_RATE=off), and a 429 is only its message's business. */
  constructor(
    private db: Db,
    readonly pace: SendPace | null,
    opts: PacerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms, signal) => realSleep(ms, signal ?? never));
    this.clock = new DatabaseClock(db, this.now);
  }

  /** No message goes out from this instance before this moment (its clock): a 429's retry_after. */
  get pausedUntil(): number {
    return this.pauseEnd;
  }

  /** A slot the database gave out (`at` on its clock). The epoch is taken before the clock is read: a pause meanwhile voids it. */
  async slot(at: number): Promise<Slot> {
    const epoch = this.epoch;
    return { at: this.pace ? await this.clock.local(at) : this.now(), epoch, reservedAt: at };
  }

  /**
   * Waits for a slot to send one interactive message to `chatId` (the chat's own interval first,
   * then the bot's next free slot). Throws PaceDeadline, without waiting, when the slot would come
   * after `deadline`. `replacing`: a slot this message held and did not use (its chat's reservation
   * moves on from it). Throws the signal's reason, without sending, when it aborts meanwhile.
   */
  async interactive(
    chatId: number,
    deadline = Infinity,
    { signal, ready, lateRetries = LATE_RETRIES, replacing }: WaitOptions & { lateRetries?: number; replacing?: number } = {},
  ): Promise<void> {
    if (!this.pace) return void (await ready?.());
    let refused = 0;
    while (this.pace) {
      await this.waitOutPause(chatId, deadline, signal);
      const [r] = await reserveSlots(this.db, [chatId], 1, this.pace, replacing);
      if (!r) {
        // Another instance took the chat's turn between the statement's read and its lock: ask again.
        if (++refused < 5) continue;
        throw new Error("send pace: no slot after 5 tries; send_pace needs the bot's row (chat_id 0, migration 0014)");
      }
      const slot = await this.slot(r.at);
      if (slot.at > deadline) throw new PaceDeadline(chatId);
      if (!r.reserved) {
        await this.until(slot.at, signal); // the chat had a message moments ago: try again when it may receive
        continue;
      }
      const reached = await this.reached(slot, signal, ready);
      if (reached === "on time" || (reached === "late" && lateRetries-- <= 0)) return;
      replacing = r.at; // not sent: the retry takes the chat's place from this slot, not after it
    }
  }

  /**
   * Waits for a slot reserved earlier (the outbox claims slots with its rows). A slot a pause has
   * voided, or missed, is replaced by an interactive one: the message was already on its way.
   */
  async at(slot: Slot, chatId: number, { signal, ready }: WaitOptions = {}): Promise<void> {
    if (!this.pace) return void (await ready?.());
    const reached = await this.reached(slot, signal, ready);
    const lateRetries = reached === "late" ? LATE_RETRIES - 1 : LATE_RETRIES;
    if (reached !== "on time") await this.interactive(chatId, Infinity, { signal, ready, lateRetries, replacing: slot.reservedAt });
  }

  /** Telegram answered 429: no message goes out, here or on another instance, for `seconds`. */
  async pause(seconds: number): Promise<void> {
    if (!this.pace) return;
    this.pauseEnd = Math.max(this.pauseEnd, this.now() + seconds * 1000);
    this.epoch++;
    log.warn("Telegram asked to slow down; sending paused", { seconds });
    await pauseSending(this.db, seconds).catch((err) => log.warn("could not share the pause", { err: err as Error }));
  }

  /** Sleeps until the slot, then `ready`: "void" when a pause began meanwhile, "late" when ready past LATE_MS. */
  private async reached(slot: Slot, signal?: AbortSignal, ready?: () => Promise<void>): Promise<"on time" | "late" | "void"> {
    await this.until(slot.at, signal);
    await ready?.();
    if (slot.epoch !== this.epoch || this.now() < this.pauseEnd) return "void";
    return this.now() - slot.at > LATE_MS ? "late" : "on time";
  }

  private async waitOutPause(chatId: number, deadline: number, signal?: AbortSignal): Promise<void> {
    if (this.pauseEnd > deadline) throw new PaceDeadline(chatId);
    await this.until(this.pauseEnd, signal);
  }

  private async until(at: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const ms = at - this.now();
    if (ms > 0) await this.sleep(ms, signal);
    signal?.throwIfAborted();
  }
}
