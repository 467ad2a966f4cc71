// `column = any(…)` with the ids as ONE array parameter: the same statement text for any number
// of ids, so postgres.js prepares it once (an `in ($1, $2, …)` list is a new statement per length).
import { sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";

export const anyId = (column: AnyColumn, ids: number[]): SQL => sql`${column} = any(${`{${ids.join(",")}}`}::bigint[])`;
