// Every message the bot sends on behalf of the CRM (status changes, replies, staff alerts; their
// texts come from src/notify/) goes through this table: written in the same transaction as the change that causes it,
// delivered later by bot/delivery.ts. A Telegram failure delays a message; it never loses
// it and never fails the CRM click.
import { and, eq, sql } from "drizzle-orm";
import { queryRows, queryStatement, statement, type Db, type Tx } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import type { ChatMessage } from "../notify/message.ts";
import type { TurnWrites } from "./students.ts";
import { BOT_ROW, botSlotsWithinHorizon, reservation, type SendPace } from "./send-pace.ts";

export type OutboxRow = typeof outbox.$inferSelect;

/** Queues a message composed by src/notify/ (Telegram HTML, escaped there) for `chatId`. */
export async function enqueueMessage(tx: Db | Tx, chatId: number, m: ChatMessage): Promise<void> {
  await tx.insert(outbox).values({ chatId, payload: payloadOf(chatId, m) });
}

/** Queues several messages for one chat in one statement, in their order (the outbox keeps it per chat). */
export async function enqueueMessages(tx: Db | Tx, chatId: number, ms: ChatMessage[]): Promise<void> {
  if (ms.length) await tx.insert(outbox).values(ms.map((m) => ({ chatId, payload: payloadOf(chatId, m) })));
}

/** The Bot API call for a message: sendMessage, or sendPhoto / sendDocument by file_id with a caption. */
function payloadOf(chatId: number, m: ChatMessage): OutboxPayload {
  const common: Record<string, unknown> = { chat_id: chatId, parse_mode: "HTML" };
  if (m.markup) common.reply_markup = m.markup;
  if (m.media?.kind === "photo") return { method: "sendPhoto", params: { ...common, photo: m.media.fileId, caption: m.text } };
  if (m.media?.kind === "document") return { method: "sendDocument", params: { ...common, document: m.media.fileId, caption: m.text } };
  return { method: "sendMessage", params: { ...common, text: m.text, link_preview_options: { is_disabled: true } } };
}

export type OutboxPayload = { method: string; params: Record<string, unknown> };

/** What an update recorded besides its replies (the student's funnel, conversation and dirty mark). */
export interface TurnRecord {
  studentId: number;
  writes: TurnWrites;
}

const p = (name: string) => sql.placeholder(name);
/**
 * An update's writes in one statement, built once: one statement text whatever the update wrote
 * (the driver prepares it once per connection), and nothing for drizzle to build per update. The
 * lists travel as JSON parameters; an empty list writes nothing. The replies get their ids in
 * their order (the insert takes them in the array's order), which the caller maps them back by.
 */
const TURN = statement(sql`with turn_funnel as (
    insert into funnel_events (student_id, flow, step, action)
    select ${p("studentId")}::int, e.flow, e.step, e.action
      from jsonb_to_recordset(${p("funnel")}::jsonb) as e(flow text, step text, action text)
  ), turn_dirty as (
    insert into index_dirty (subject_kind, subject_id) select 'student', ${p("studentId")}::int
     where ${p("dirty")}::boolean
    on conflict do nothing
  ), turn_conversation as (
    insert into bot_conversations (student_id, flow, step, choices, message_id)
    select ${p("studentId")}::int, c.flow, c.step, c.choices, null
      from jsonb_to_recordset(${p("conversation")}::jsonb) as c(flow text, step text, choices jsonb)
    on conflict (student_id) do update set flow = excluded.flow, step = excluded.step, choices = excluded.choices,
      message_id = null, updated_at = now()
  ), replies as (
    insert into outbox (chat_id, payload, next_attempt_at, interactive)
    select ${p("chatId")}::bigint, r.payload, now() + make_interval(secs => ${p("holdSeconds")}::float8), true
      from jsonb_array_elements(${p("replies")}::jsonb) with ordinality as r(payload, n)
     order by r.n
    returning id
  )
  select id from replies order by id`);

/**
 * The bot's replies to an update, written in the update's own transaction so a crash between
 * the commit and the sending loses nothing. They are held for `holdSeconds`: the bot sends them
 * at once and marks them sent; only if it dies first does the delivery loop take them over.
 * `turn` is what the update recorded besides (its funnel events, conversation, dirty mark),
 * stored by the same statement. They are the interactive lane: the delivery sends them before bulk messages.
 */
export async function enqueueReplies(tx: Db | Tx, chatId: number, payloads: OutboxPayload[], holdSeconds = 30, turn?: TurnRecord): Promise<number[]> {
  const w = turn?.writes;
  if (!payloads.length && !w?.funnel.length && !w?.dirty && !w?.conversation) return [];
  const studentId = turn?.studentId ?? null;
  const rows = await queryStatement<{ id: string | number }>(tx, TURN, {
    studentId,
    funnel: JSON.stringify(w?.funnel ?? []),
    dirty: w?.dirty ?? false,
    conversation: w?.conversation ? JSON.stringify([w.conversation]) : "[]",
    chatId,
    holdSeconds,
    replies: JSON.stringify(payloads),
  });
  return rows.map((r) => Number(r.id));
}

/**
 * `id = any(…)` with the ids as one array parameter: the same statement text for any number of
 * ids, so the driver prepares it once (an `in (…)` list is a new statement per length).
 */
const idIn = (ids: number[]) => sql`${outbox.id} = any(${`{${ids.join(",")}}`}::bigint[])`;

export async function markSentMany(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.update(outbox).set({ state: "sent", sentAt: sql`now()` }).where(idIn(ids));
}

/** Hands held replies to the delivery loop now (their direct send failed or must wait its turn). */
export async function releaseNow(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.update(outbox).set({ nextAttemptAt: sql`now()` }).where(idIn(ids));
}

/** Whether a chat still has messages waiting in the outbox. */
export async function hasPending(db: Db, chatId: number): Promise<boolean> {
  const [row] = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.chatId, chatId), eq(outbox.state, "pending"))).limit(1);
  return Boolean(row);
}

/** Gives up messages that can never be delivered (the user blocked the bot). */
export async function giveUp(db: Db, ids: number[], error: string): Promise<void> {
  if (ids.length) await db.update(outbox).set({ state: "failed", lastError: error.slice(0, 500) }).where(idIn(ids));
}

export const MAX_ATTEMPTS = 8;

/** A claimed message and its send slot (a moment on the database's clock, src/domain/send-pace.ts). */
export type ClaimedRow = OutboxRow & { slotAt: number };

/** How long a claim holds a row before another round may take it (a crashed sender's rows come back). */
export const CLAIM_LEASE_SECONDS = 60;

/** Room in a claim for interactive messages beyond the bulk capacity: they come first and always get a slot. */
const INTERACTIVE_ROOM = 5;

/**
 * Claims due messages for one delivery pass, with their send slots, in one transaction. Per chat
 * only the oldest pending message is due (none overtakes an older one) and only while the chat
 * may receive (its own interval) and no reply to it is being sent directly (held). Interactive messages (held replies taken over) come first and
 * always get a slot; bulk ones only as many as the pace allows within its horizon, oldest first.
 * `FOR UPDATE SKIP LOCKED` lets several instances drain the outbox at once without sending a
 * message twice; the claim is a lease (next_attempt_at moves forward) so a crashed sender's
 * messages come back after it expires. A message the pace refused stays due for the next pass.
 */
export async function claimDue(db: Db, pace: SendPace | null, limit = 50, leaseSeconds = CLAIM_LEASE_SECONDS): Promise<ClaimedRow[]> {
  const claimed = await db.transaction(async (tx) => {
    const candidates = await queryRows<{ id: string | number; chat_id: string | number; interactive: boolean }>(
      tx,
      sql`select o.id, o.chat_id, o.interactive
            from outbox o left join send_pace p on p.chat_id = o.chat_id
           where o.state = 'pending' and o.next_attempt_at <= now()
             and not exists (select 1 from outbox older where older.chat_id = o.chat_id and older.state = 'pending' and older.id < o.id)
             -- A reply the bot is sending to the chat right now (held, not yet due) goes before bulk:
             -- the chat's bulk waits for it rather than race it for the chat's next slot.
             and (o.interactive or not exists (
               select 1 from outbox r where r.chat_id = o.chat_id and r.state = 'pending' and r.interactive and r.next_attempt_at > now()))
             ${pace ? sql`and (p.next_at is null or p.next_at <= statement_timestamp())` : sql``}
           order by o.interactive desc, o.next_attempt_at, o.id
           limit ${pace ? sql`least(${limit}::int, ${botSlotsWithinHorizon(pace)} + ${INTERACTIVE_ROOM}::int)` : sql`${limit}::int`}
           for update of o skip locked`,
    );
    if (!candidates.length) return [];
    const ids = `{${candidates.map((c) => c.id).join(",")}}`;
    const lease = leaseEnd(leaseSeconds);
    // Without a pace (TELEGRAM_SEND_RATE=off) every message may go at once.
    if (!pace) {
      const rows = await queryRows<{ id: string | number }>(tx, sql`update outbox set next_attempt_at = ${lease} where id = any(${ids}::bigint[]) returning id`);
      return rows.map((r) => ({ id: Number(r.id), at: -Infinity }));
    }
    // The slots and the lease in one statement, the transaction's last: the bot's pace row stays
    // locked for this one round trip, not across the claim's others.
    const q = reservation(
      candidates.map((c) => Number(c.chat_id)),
      candidates.filter((c) => c.interactive).length,
      pace,
    );
    const rows = await queryRows<{ id: string | number; at: string | number }>(
      tx,
      sql`with ${q.parts}, slots as (${q.result}),
          leased as (
            update outbox o set next_attempt_at = ${lease} from slots s
             where s.reserved and s.chat_id = o.chat_id and o.id = any(${ids}::bigint[])
            returning o.id, s.at
          )
          select id, at from leased`,
    );
    return rows.map((r) => ({ id: Number(r.id), at: Number(r.at) }));
  });
  if (!claimed.length) return [];
  // Read after the commit: the rows are leased to this claim, and the pace row is free meanwhile.
  const slots = new Map(claimed.map((c) => [c.id, c.at]));
  const rows = await db.select().from(outbox).where(idIn([...slots.keys()]));
  return rows.map((r) => ({ ...r, slotAt: slots.get(r.id)! })).sort((a, b) => a.slotAt - b.slotAt);
}

/**
 * The end of a claim's lease, to the millisecond: it doubles as the claim's token (row.nextAttemptAt
 * as claimed), which a JS Date holds exactly; no later claim ends in the same millisecond.
 */
const leaseEnd = (leaseSeconds: number) => sql`date_trunc('milliseconds', now() + make_interval(secs => ${leaseSeconds}))`;

/**
 * Just before a claimed message goes out (after waiting for its slot, which a 429 pause can push
 * past the lease): renews the claim if it is still this one's (`token`, its nextAttemptAt as
 * claimed), in one statement. Returns the new token, or null when the lease expired and the row
 * was claimed again or finished meanwhile: then the message must not be sent (the other claim
 * sends it), else it would go out twice.
 */
export async function renewClaim(db: Db, id: number, token: Date, leaseSeconds = CLAIM_LEASE_SECONDS): Promise<Date | null> {
  const [row] = await db
    .update(outbox)
    .set({ nextAttemptAt: leaseEnd(leaseSeconds) })
    .where(and(eq(outbox.id, id), eq(outbox.state, "pending"), eq(outbox.nextAttemptAt, token)))
    .returning({ nextAttemptAt: outbox.nextAttemptAt });
  return row?.nextAttemptAt ?? null;
}

/**
 * After a claim that got nothing: in how many ms a due message could be claimed, because its chat
 * may receive again or the bot's slots come back within the horizon; null when nothing due waits
 * for the pace (then there is nothing to send, or another instance holds it). `sinceMs`: how long
 * ago the claim looked: a chat or a horizon that was busy then and has come free since is due now
 * (0), not left to the idle round a second later.
 */
export async function nextClaimInMs(db: Db, pace: SendPace | null, sinceMs = 0): Promise<number | null> {
  if (!pace) return null;
  const since = sql`clock_timestamp() - ${sinceMs}::float8 * interval '1 millisecond'`;
  const [row] = await queryRows<{ ms: string | number | null }>(
    db,
    sql`select extract(epoch from least(
              (select min(p.next_at) from outbox o join send_pace p on p.chat_id = o.chat_id
                where o.state = 'pending' and o.next_attempt_at <= now() and p.next_at > ${since}),
              (select next_at - ${pace.horizonMs}::float8 * interval '1 millisecond' from send_pace
                where chat_id = ${BOT_ROW} and next_at - ${pace.horizonMs}::float8 * interval '1 millisecond' > ${since}
                  and exists (select 1 from outbox where state = 'pending' and next_attempt_at <= now()))
            ) - clock_timestamp()) * 1000 as ms`,
  );
  return row?.ms == null ? null : Math.max(0, Number(row.ms));
}

export async function markSent(db: Db, id: number): Promise<void> {
  await db.update(outbox).set({ state: "sent", sentAt: sql`now()`, lastError: null }).where(eq(outbox.id, id));
}

/** A failed try: retry after `retryInSeconds`, or give up after MAX_ATTEMPTS (or at once when `final`). */
export async function markFailed(db: Db, row: OutboxRow, error: string, retryInSeconds: number, final = false): Promise<void> {
  const attempts = row.attempts + 1;
  const giveUp = final || attempts >= MAX_ATTEMPTS;
  await db
    .update(outbox)
    .set({
      attempts,
      lastError: error.slice(0, 500),
      state: giveUp ? "failed" : "pending",
      nextAttemptAt: sql`now() + make_interval(secs => ${retryInSeconds})`,
    })
    .where(eq(outbox.id, row.id));
}
