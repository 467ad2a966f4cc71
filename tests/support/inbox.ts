// What the bot's durable inbox holds (issue 19), for the inbox tests and the outage chaos test.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../src/db/client.ts";

const idList = (ids: number[]) => sql`${`{${ids.join(",")}}`}::bigint[]`;

/** Which of `ids` were handled (processed_updates), in order. */
export const processed = async (db: Db, ids: number[]) =>
  (await queryRows<{ id: string }>(db, sql`select update_id as id from processed_updates where update_id = any(${idList(ids)}) order by update_id`)).map((r) => Number(r.id));

/** Which of `ids` are still stored in the inbox, in order. */
export const stored = async (db: Db, ids: number[]) =>
  (await queryRows<{ id: string }>(db, sql`select update_id as id from bot_inbox where update_id = any(${idList(ids)}) order by update_id`)).map((r) => Number(r.id));

/** Waits until `ok` holds, or fails naming `what` after `timeoutMs`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}
