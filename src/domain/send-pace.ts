// The send pace shared by every instance of the bot (issue 19): Telegram limits a bot, not a
// process, so the slots live in PostgreSQL (table send_pace, migration 0014). It is GCRA, the
// "theoretical arrival time": row 0 holds the earliest moment the bot's next message may go, and
// a row per recently messaged chat the same for that chat. A reservation moves them forward by one
// interval per message, in one statement, so instances never hand out the same moment twice.
// The waiting, the lanes and the margins under Telegram's limits are src/bot/pacer.ts.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";

/** The whole bot's row: Telegram never gives a chat the id 0. */
export const BOT_ROW = 0;

export interface SendPace {
  /** Between two messages of the bot (any chats), ms. */
  intervalMs: number;
  /** Between two messages to one chat, ms. */
  chatIntervalMs: number;
  /** Bulk messages may take slots only this far ahead of now, ms; interactive ones take any. */
  horizonMs: number;
}

export interface Reservation {
  chatId: number;
  /** A slot was reserved: send at `at`. Not reserved: the chat may receive again at `at`. */
  reserved: boolean;
  /** A moment on the database's clock (ms since the epoch): every instance reads the same one. */
  at: number;
}

const ms = (v: number) => sql`(${v}::float8 * interval '1 millisecond')`;

/**
 * How many slots after `nextAt` fall within the bulk horizon as of the statement's start (never
 * negative). The same rule sizes the outbox's claim and caps a bulk reservation.
 */
export function slotsWithinHorizon(pace: SendPace, nextAt: SQL): SQL {
  return sql`greatest(0, floor(extract(epoch from statement_timestamp() + ${ms(pace.horizonMs)} - greatest(${nextAt}, statement_timestamp())) * 1000 / ${pace.intervalMs}::float8) + 1)::int`;
}

/** The same for the bot as it stands now (the outbox's claim limit). */
export function botSlotsWithinHorizon(pace: SendPace): SQL {
  return sql`coalesce((select ${slotsWithinHorizon(pace, sql`next_at`)} from send_pace where chat_id = ${BOT_ROW}), 0)`;
}

/**
 * Reserves one slot for each chat in `chatIds` (distinct, in the order they should go). The first
 * `interactive` of them are the interactive lane: they always get a slot, however far ahead; the
 * others only while their slot is within the horizon. A chat that may not receive yet (its own
 * interval) gets no slot: its row says when it may. The bot's slots are consecutive and each
 * chat's slot is one of them, so both limits hold for every message; a chat whose row moved
 * meanwhile (another instance) is refused under its row lock, leaving that one slot unused.
 * `replacing`: the slot (`at`) the chats were given before and did not use (woken late, or voided
 * by a pause): the message was not sent, so the chat's row may move on from it instead of making
 * the retry wait out the chat's interval.
 */
export async function reserveSlots(db: Db | Tx, chatIds: number[], interactive: number, pace: SendPace, replacing?: number): Promise<Reservation[]> {
  if (!chatIds.length) return [];
  const q = reservation(chatIds, interactive, pace, replacing);
  const rows = await queryRows<{ chat_id: string | number; reserved: boolean; at: string | number }>(db, sql`with ${q.parts} ${q.result}`);
  return rows.map((r) => ({ chatId: Number(r.chat_id), reserved: r.reserved, at: Number(r.at) }));
}

/**
 * reserveSlots as SQL, for a statement that does more with the slots (the outbox's claim): the
 * `with` parts (they lock the bot's row until the transaction ends, so whoever runs them last
 * before committing keeps the others waiting least) and the select of (chat_id, reserved, at).
 */
export function reservation(chatIds: number[], interactive: number, pace: SendPace, replacing?: number): { parts: SQL; result: SQL } {
  for (const id of chatIds) if (!Number.isSafeInteger(id) || id === BOT_ROW) throw new TypeError(`send pace: not a chat id: ${id}`);
  const now = sql`statement_timestamp()`;
  // The chat's row as `replacing` left it (to the millisecond: `at` went through a float).
  const mine = replacing === undefined ? sql`false` : sql`abs(extract(epoch from p.next_at) * 1000 - ${replacing + pace.chatIntervalMs}::float8) < 1`;
  const mineC = replacing === undefined ? sql`false` : sql`abs(extract(epoch from c.next_at) * 1000 - ${replacing + pace.chatIntervalMs}::float8) < 1`;
  const parts = sql`want as (
          select w.chat_id, w.ord from unnest(${`{${chatIds.join(",")}}`}::bigint[]) with ordinality as w(chat_id, ord)
        ),
        busy as (
          select p.chat_id, p.next_at from send_pace p join want w on w.chat_id = p.chat_id where p.next_at > ${now} and not ${mine}
        ),
        free as (
          select w.chat_id, w.ord <= ${interactive} as interactive, row_number() over (order by w.ord) - 1 as i
            from want w where not exists (select 1 from busy b where b.chat_id = w.chat_id)
        ),
        bot as (
          -- The base is read once, after the row's lock is granted (clock_timestamp(), not the
          -- statement's start): a reservation that queued behind another never gets a slot already past.
          update send_pace p
             set (reserved_from, next_at) = (
                   select k.base, k.base + ${ms(pace.intervalMs)} * (
                     select greatest(count(*) filter (where f.interactive), least(count(*), ${slotsWithinHorizon(pace, sql`p.next_at`)})) from free f)
                     from (select greatest(p.next_at, clock_timestamp()) as base) k)
           where p.chat_id = ${BOT_ROW} and exists (select 1 from free)
          returning p.reserved_from, p.next_at
        ),
        chats as (
          insert into send_pace as c (chat_id, next_at)
          select f.chat_id, b.reserved_from + ${ms(pace.intervalMs)} * f.i + ${ms(pace.chatIntervalMs)}
            from free f cross join bot b
           where f.i < round(extract(epoch from b.next_at - b.reserved_from) * 1000 / ${pace.intervalMs}::float8)
          on conflict (chat_id) do update set next_at = excluded.next_at
           where c.next_at <= excluded.next_at - ${ms(pace.chatIntervalMs)} or ${mineC}
          returning c.chat_id, c.next_at - ${ms(pace.chatIntervalMs)} as slot
        )`;
  const result = sql`select chat_id, true as reserved, extract(epoch from slot) * 1000 as at from chats
        union all
        select chat_id, false, extract(epoch from next_at) * 1000 from busy`;
  return { parts, result };
}

/** The database's clock now (ms since the epoch): the pacer maps the slots' moments onto its own clock with it. */
export async function databaseNow(db: Db): Promise<number> {
  const [row] = await queryRows<{ at: string | number }>(db, sql`select extract(epoch from clock_timestamp()) * 1000 as at`);
  return Number(row!.at);
}

/** Telegram said 429: no instance may send before `seconds` from now. */
export async function pauseSending(db: Db, seconds: number): Promise<void> {
  await db.execute(sql`update send_pace set next_at = greatest(next_at, clock_timestamp() + ${seconds * 1000}::float8 * interval '1 millisecond') where chat_id = ${BOT_ROW}`);
}

/** A chat's row whose moment has passed says nothing a missing row would not (housekeeping deletes it). */
export const idleChatRows = (before: Date) => sql`chat_id <> ${BOT_ROW} and next_at < ${before.toISOString()}::timestamptz`;
