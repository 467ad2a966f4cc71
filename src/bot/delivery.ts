// Drains the outbox into Telegram: messages the CRM wrote (status changes, replies, staff
// alerts, reminders) and replies that could not be sent at once. Several instances can run this
// at the same time (claimDue uses FOR UPDATE SKIP LOCKED). Each claim takes only what the send
// pace allows (src/bot/pacer.ts: held replies first, bulk within its horizon, one message per chat
// per the chat's interval) and every message goes at its slot. 429 pauses the sender and retries
// after retry_after; 403 marks the student unreachable and gives up; other failures back off
// exponentially up to MAX_ATTEMPTS.
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { CLAIM_LEASE_SECONDS, claimDue, markFailed, markSent, nextClaimInMs, releaseNow, renewClaim, type OutboxRow } from "../domain/outbox.ts";
import { markUnreachable } from "../domain/students.ts";
import { log } from "../log.ts";
import type { PacedApi } from "./paced-api.ts";
import type { Slot } from "./pacer.ts";
import { expendable, sendPayload, type ChatBacklog } from "./replies.ts";
import { TelegramApiError } from "./telegram-api.ts";

/** The row's claim expired while its message waited (a long 429 pause) and another round took it. */
class ClaimLost extends Error {}

/**
 * Sends a claimed row. Just before each call it makes sure the claim is still its own: a message
 * whose lease ran out while it waited (a long 429 pause) is left to the round that claimed it
 * again, rather than sent twice. With more than half of the lease left no other round can claim
 * the row before the call ends (the API timeout is seconds), so it is renewed only below that.
 * That spares the usual message (its slot is at most the bulk horizon away) a database round
 * trip between its slot and its call: a round trip slowed by a busy database delays the sends
 * unevenly and bunches them up past Telegram's limit (bench/results.md, 2026-12-05). The lease
 * is measured on this process's monotonic clock from just before the claim (the database's lease
 * began after that), so a step of the wall clock cannot make it look longer than it is.
 * The price: a database outage that begins while the message waits for its slot (at most half
 * the lease) no longer stops it; its mark then fails and the lease sends it again, the same
 * at-least-once as a crash right after a send.
 */
async function deliver(api: PacedApi, db: Db, row: OutboxRow, slot: Slot, signal: AbortSignal, lease: Lease): Promise<void> {
  let token = row.nextAttemptAt;
  let leaseFrom = lease.from;
  const stillMine = async () => {
    if (leaseFrom + lease.ms - performance.now() > lease.ms / 2) return;
    const before = performance.now();
    const renewed = await renewClaim(db, row.id, token, lease.ms / 1000);
    if (!renewed) throw new ClaimLost();
    [token, leaseFrom] = [renewed, before];
  };
  try {
    await sendPayload(api.at(slot, { signal, ready: stillMine }), row.payload, 1); // one try: the outbox has its own backoff
  } catch (err) {
    if (err instanceof ClaimLost) return log.info("outbox message left to its newer claim", { id: row.id });
    // Stopped while it waited for its slot (not sent): the next round, here or elsewhere, takes it now.
    if (signal.aborted) return releaseNow(db, [row.id]);
    const e = err instanceof TelegramApiError ? err : new TelegramApiError(row.payload.method, 0, (err as Error).message);
    if (e.blocked) await markUnreachable(db, row.chatId);
    const retryIn = e.retryAfter ?? Math.min(2 ** row.attempts * 5, 3600);
    return markFailed(db, row, e.message, retryIn, e.blocked || (e.code >= 400 && e.code < 500 && e.code !== 429) || expendable(row.payload));
  }
  // Sent: a mark that fails is not a failed send (that would send it again in seconds); the lease
  // brings the row back only if the mark never lands.
  await markSent(db, row.id);
}

/** A claim's lease on this process's monotonic clock (performance.now()): it began no earlier than `from`. */
interface Lease {
  from: number;
  ms: number;
}

/** Messages on their way (each waits for its slot); the delivery's stop ends the waits and waits for the sends. */
export class InFlight {
  private sending = new Set<Promise<void>>();
  private stopping = new AbortController();
  /** Aborted by stop: a message still waiting for its slot (maybe a long 429 pause) goes back to the outbox. */
  readonly signal = this.stopping.signal;
  add(p: Promise<void>): void {
    const tracked = p
      // The database went away between the send and its mark: the lease brings the row back.
      .catch((err) => void (isDatabaseUnavailable(err) || log.error("outbox delivery failed", { err: err as Error })))
      .finally(() => this.sending.delete(tracked));
    this.sending.add(tracked);
  }
  settled = () => Promise.all([...this.sending]).then(() => {});
  /** Ends the waits, then waits for the messages already being sent. */
  stop = () => (this.stopping.abort(), this.settled());
}

/**
 * One delivery round: claims what may go now and starts each message at its slot (a claim holds
 * at most one message per chat, so one chat's messages stay in order). Returns how many were
 * claimed and when the next round should claim: once the last slot handed out is half the
 * horizon away, so slots stay reserved a little ahead without a gap between rounds; after an
 * empty claim, when a waiting chat may receive (null: nothing waits for the pace). The loop around it is src/jobs/outbox-delivery.ts.
 */
export async function deliverDue(
  api: PacedApi,
  db: Db,
  backlog: ChatBacklog,
  inFlight: InFlight,
  { leaseSeconds = CLAIM_LEASE_SECONDS }: { leaseSeconds?: number } = {},
): Promise<{ claimed: number; nextInMs: number | null }> {
  const { pacer } = api;
  const lease: Lease = { from: performance.now(), ms: leaseSeconds * 1000 };
  const rows = await claimDue(db, pacer.pace, undefined, leaseSeconds);
  let last = pacer.now();
  for (const row of rows) {
    const slot = await pacer.slot(row.slotAt);
    last = Math.max(last, slot.at);
    inFlight.add(deliver(api, db, row, slot, inFlight.signal, lease));
  }
  await backlog.prune(db);
  // A chat that came free since the claim looked is due now (elapsed on the monotonic clock, so the wall clock's steps do not count).
  if (!rows.length) return { claimed: 0, nextInMs: await nextClaimInMs(db, pacer.pace, performance.now() - lease.from) };
  return { claimed: rows.length, nextInMs: Math.max(0, last - (pacer.pace?.horizonMs ?? 0) / 2 - pacer.now()) };
}
