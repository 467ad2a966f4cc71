// The per-chat scheduler (src/bot/chat-queues.ts) with handlers the test holds: turns are fair, one
// chat's updates run in order and one at a time, the global bound holds, a retrying chat pauses
// off the line while the others go on, and the cap counts floods.
import { describe, expect, test } from "bun:test";
import { ChatCap, ChatQueues, type Outcome } from "../../src/bot/chat-queues.ts";
import type { TelegramUpdate } from "../../src/bot/polling.ts";
import type { Sleep } from "../../src/jobs/loop.ts";

let nextId = 1;
const update = (chat: number): TelegramUpdate => ({ update_id: nextId++, message: { chat: { id: chat }, text: "x" } });

/** Resolves once `ok()` holds (checked after each turn of the event loop). */
async function until(ok: () => boolean) {
  for (let i = 0; i < 1000 && !ok(); i++) await Bun.sleep(1);
  if (!ok()) throw new Error("condition never held");
}

function queues(opts: { concurrency: number; cap?: number; work?: (u: TelegramUpdate) => Promise<Outcome>; sleep?: Sleep }) {
  const handled: number[] = [];
  const done: number[] = [];
  const q = new ChatQueues({
    concurrency: opts.concurrency,
    cap: opts.cap ?? 100,
    sleep: opts.sleep,
    work: async (u) => {
      const outcome = opts.work ? await opts.work(u) : "done";
      handled.push(u.update_id);
      return outcome;
    },
    onDone: (u) => done.push(u.update_id),
  });
  return { q, handled, done };
}

describe("turns", () => {
  test("a chat with a backlog takes one update per turn: chats that came later are not held behind it", async () => {
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const a = [update(1), update(1), update(1), update(1)];
    const { q, handled } = queues({ concurrency: 1, work: async (u) => (u === a[0] ? (await first, "done") : "done") });
    for (const u of a) q.push(u);
    const b = update(2);
    const c = update(3);
    q.push(b);
    q.push(c);
    release();
    await until(() => handled.length === 6);
    expect(handled).toEqual([a[0], b, c, a[1], a[2], a[3]].map((u) => u!.update_id));
  });

  test("at most `concurrency` updates at once; one chat's never two at a time, always in order", async () => {
    let inFlight = 0;
    let most = 0;
    const busy = new Set<unknown>();
    const overlaps: string[] = [];
    const { q, handled } = queues({
      concurrency: 3,
      work: async (u) => {
        const chat = (u.message as any).chat.id;
        if (busy.has(chat)) overlaps.push(`chat ${chat}`);
        busy.add(chat);
        most = Math.max(most, ++inFlight);
        await Bun.sleep(1);
        inFlight--;
        busy.delete(chat);
        return "done";
      },
    });
    const pushed: TelegramUpdate[] = [];
    for (let k = 0; k < 4; k++) for (let chat = 10; chat < 20; chat++) pushed.push(update(chat));
    for (const u of pushed) q.push(u);
    await until(() => handled.length === pushed.length);
    expect(most).toBe(3);
    expect(overlaps).toEqual([]);
    for (let chat = 10; chat < 20; chat++) {
      const mine = pushed.filter((u) => (u.message as any).chat.id === chat).map((u) => u.update_id);
      expect(handled.filter((id) => mine.includes(id))).toEqual(mine);
    }
    expect(q.size).toBe(0);
  });
});

describe("a retry", () => {
  test("keeps the update at its chat's head; the chat pauses 1 s, 2 s … off the line while the others go on", async () => {
    const pauses: number[] = [];
    let endPause!: () => void;
    const sleep: Sleep = (ms) => (pauses.push(ms), new Promise<void>((r) => (endPause = r)));
    const a1 = update(1);
    const a2 = update(1);
    let failures = 2;
    const { q, handled, done } = queues({ concurrency: 1, sleep, work: async (u) => (u === a1 && failures-- > 0 ? "retry" : "done") });
    q.push(a1);
    q.push(a2);
    const others = [update(2), update(3), update(2)];
    for (const u of others) q.push(u);
    // While chat 1 pauses it holds no slot: the others' updates are all handled (one slot in all).
    await until(() => pauses.length === 1 && done.length === 3);
    expect(done).toEqual(others.map((u) => u.update_id));
    endPause();
    await until(() => pauses.length === 2);
    endPause();
    await until(() => done.length === 5);
    expect(pauses).toEqual([1000, 2000]);
    expect(handled.filter((id) => id === a1.update_id || id === a2.update_id)).toEqual([a1, a1, a1, a2].map((u) => u.update_id));
    expect(done.slice(3)).toEqual([a1.update_id, a2.update_id]);
  });

  test("a paused chat goes on as soon as another chat's update went through (the database is back)", async () => {
    const sleep: Sleep = (_ms, signal) => new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true })); // a pause only an abort ends
    const a1 = update(1);
    let failures = 1;
    const { q, done } = queues({ concurrency: 2, sleep, work: async (u) => (u === a1 && failures-- > 0 ? "retry" : "done") });
    q.push(a1);
    await until(() => failures === 0); // tried once, and pausing
    await Bun.sleep(5);
    expect(done).toEqual([]); // paused, and nothing ends the pause…
    const b = update(2);
    q.push(b); // …until another chat's update is handled
    await until(() => done.length === 2);
    expect(done).toEqual([b.update_id, a1.update_id]);
  });
});

describe("stop", () => {
  test("waits for the update in hand, not the backlog, and forgets the queues; start() begins empty", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const a = [update(1), update(1), update(1)];
    const { q, handled } = queues({ concurrency: 2, work: async (u) => (u === a[0] ? (await held, "done") : "done") });
    for (const u of a) q.push(u);
    const stopped = q.stop();
    release();
    await stopped;
    expect(handled).toEqual([a[0]!.update_id]);
    expect(q.size).toBe(0);
    q.start();
    const b = update(2);
    q.push(b);
    await until(() => handled.length === 2);
    expect(handled).toEqual([a[0]!.update_id, b.update_id]);
  });

  test("roomBelow waits while the queues are full and returns as they empty, or at once when aborted", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { q } = queues({ concurrency: 1, work: async () => (await held, "done") });
    for (let i = 0; i < 3; i++) q.push(update(1));
    const signal = new AbortController();
    let roomy = false;
    const waiting = q.roomBelow(2, signal.signal).then(() => (roomy = true));
    await Bun.sleep(5);
    expect(roomy).toBe(false);
    release();
    await waiting;
    expect(q.size).toBeLessThan(2);
    const never = new Promise<void>(() => {});
    const blocked = new ChatQueues({ concurrency: 1, cap: 10, work: async () => (await never, "done"), onDone: () => {} });
    for (let i = 0; i < 3; i++) blocked.push(update(5));
    const abort = new AbortController();
    const ended = blocked.roomBelow(1, abort.signal);
    abort.abort();
    await ended; // returns though nothing was handled
    expect(blocked.size).toBe(3);
  });
});

describe("the cap", () => {
  test("counts a chat's updates in hand; over the cap the first drop is a flood, the rest are drops, until the chat drains", () => {
    const cap = new ChatCap(2);
    expect([cap.admit(1), cap.admit(1), cap.admit(1), cap.admit(1), cap.admit(2)]).toEqual(["queued", "queued", "flood", "dropped", "queued"]);
    cap.release(1);
    expect(cap.admit(1)).toBe("queued"); // room again, but the flood goes on until the chat drains
    expect(cap.admit(1)).toBe("dropped");
    cap.release(1);
    cap.release(1);
    expect(cap.queued(1)).toBe(0);
    expect([cap.admit(1), cap.admit(1), cap.admit(1)]).toEqual(["queued", "queued", "flood"]); // a new flood
    expect(cap.admit(1, true)).toBe("queued"); // stored already: counted whatever the cap
    expect(cap.queued(1)).toBe(3);
  });

  test("undo takes an admission back as if it was never offered", () => {
    const cap = new ChatCap(1);
    const first = cap.admit(7);
    const second = cap.admit(7);
    expect([first, second]).toEqual(["queued", "flood"]);
    cap.undo(7, second);
    cap.undo(7, first);
    expect(cap.queued(7)).toBe(0);
    expect([cap.admit(7), cap.admit(7)]).toEqual(["queued", "flood"]);
  });
});

describe("sends after a turn", () => {
  test("a send holds no slot: other chats run meanwhile; its chat's next update, its count and onDone wait for it; stop waits for it", async () => {
    let release!: () => void;
    const pending = new Promise<void>((r) => (release = r));
    const a = [update(1), update(1)];
    const b = update(2);
    const done: number[] = [];
    const handled: number[] = [];
    const q = new ChatQueues({
      concurrency: 1,
      cap: 100,
      work: async (u) => (handled.push(u.update_id), "done"),
      sending: (u) => (u === a[0] ? pending : undefined),
      onDone: (u) => done.push(u.update_id),
    });
    q.push(a[0]!);
    q.push(a[1]!);
    q.push(b);
    await until(() => handled.length === 2);
    expect(handled).toEqual([a[0]!.update_id, b.update_id]); // b took the one slot while a[0]'s send waits
    expect(done).toEqual([b.update_id]);
    expect(q.size).toBe(2); // a[0] counts as queued until its send is over
    let stopped = false;
    const stopping = q.stop().then(() => (stopped = true));
    await Bun.sleep(5);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(done).toEqual([b.update_id, a[0]!.update_id]);
    expect(handled).not.toContain(a[1]!.update_id); // stopped: a[1] stays stored for the next start
  });

  test("after its send, the chat's next update runs", async () => {
    let release!: () => void;
    const pending = new Promise<void>((r) => (release = r));
    const a = [update(1), update(1)];
    const handled: number[] = [];
    const q = new ChatQueues({ concurrency: 4, cap: 100, work: async (u) => (handled.push(u.update_id), "done"), sending: (u) => (u === a[0] ? pending : undefined), onDone: () => {} });
    q.push(a[0]!);
    q.push(a[1]!);
    await until(() => handled.length === 1);
    await Bun.sleep(5);
    expect(handled).toEqual([a[0]!.update_id]);
    release();
    await until(() => handled.length === 2);
    expect(q.size).toBe(0);
  });
});
