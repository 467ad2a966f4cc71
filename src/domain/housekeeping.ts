// Deletes bookkeeping rows that have done their job, so these tables stay the size of recent
// use instead of growing with the product's age (an update row per button press, a row per
// message sent). Each rule says why its rows may go. Every instance runs it hourly
// (src/jobs/housekeeping.ts): the deletes are
// idempotent, and each statement removes one bounded batch so none holds its locks for long.
// Business history (applications, their events, lessons, funnel events, the audit log) is kept.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../db/client.ts";
import { DAY_MS } from "../model/time.ts";
import { idleChatRows } from "./send-pace.ts";

export const RETENTION_DAYS = {
  /** Telegram redelivers an update for at most 24 hours; a week is a wide margin for the dedupe. */
  processedUpdates: 7,
  /** Sent messages are needed by nothing; given-up ones stay this long on the admin dashboard. */
  outbox: 30,
  /** The login gate looks back 30 minutes (auth.ts); a day keeps them for a support question. */
  loginAttempts: 1,
  /** A sent reminder's row only stops a second send before its lesson; a month is a wide margin (issue 15). */
  lessonReminders: 30,
};

export interface PruneSummary {
  processedUpdates: number;
  outbox: number;
  loginAttempts: number;
  sessions: number;
  lessonReminders: number;
  sendPace: number;
}

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** Deletes the rows of `table` matching `where`, `batch` at a time; returns how many. */
async function pruneTable(db: Db, table: string, where: SQL, batch: number, running: () => boolean): Promise<number> {
  let total = 0;
  // Between batches, a stop ends the round (the rest goes next time): shutdown has 10 s in all.
  while (running()) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`with gone as (
            delete from ${sql.identifier(table)}
             where ctid = any(array(select ctid from ${sql.identifier(table)} where ${where} limit ${batch}))
            returning 1)
          select count(*)::int as n from gone`,
    );
    total += row!.n;
    if (row!.n < batch) break;
  }
  return total;
}

/** The oldest given-up message still kept as of `now` (the admin dashboard counts from here). */
export const outboxKeptSince = (now: Date) => new Date(now.getTime() - RETENTION_DAYS.outbox * DAY_MS);

/** One round of deletes as of `now`; `running` false ends it between batches. */
export async function pruneOnce(db: Db, now: Date, batch = 5000, running: () => boolean = () => true): Promise<PruneSummary> {
  const outboxCut = outboxKeptSince(now).toISOString();
  return {
    processedUpdates: await pruneTable(db, "processed_updates", sql`at < ${ago(now, RETENTION_DAYS.processedUpdates)}::timestamptz`, batch, running),
    // Pending rows are never touched, however old: they are still to be delivered.
    outbox: await pruneTable(
      db,
      "outbox",
      sql`(state = 'sent' and sent_at < ${outboxCut}::timestamptz) or (state = 'failed' and created_at < ${outboxCut}::timestamptz)`,
      batch,
      running,
    ),
    loginAttempts: await pruneTable(db, "login_attempts", sql`at < ${ago(now, RETENTION_DAYS.loginAttempts)}::timestamptz`, batch, running),
    // Expired sessions can never be used again (lucia refuses them); their rows are just left over.
    sessions: await pruneTable(db, "sessions", sql`expires_at < ${now.toISOString()}::timestamptz`, batch, running),
    // Reminders (issue 15): a row older than its retention belongs to a lesson long past.
    lessonReminders: await pruneTable(db, "lesson_reminders", sql`sent_at < ${ago(now, RETENTION_DAYS.lessonReminders)}::timestamptz`, batch, running),
    // A chat's send pace once its moment has passed (a minute's margin): a row per chat messaged lately, not ever.
    sendPace: await pruneTable(db, "send_pace", idleChatRows(new Date(now.getTime() - 60_000)), batch, running),
  };
}
