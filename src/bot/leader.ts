// Exactly one instance polls Telegram: the one holding a PostgreSQL advisory lock on a
// dedicated connection. When the leader dies, its session ends, the lock is free, and a
// follower (trying every CHECK_MS) takes over within seconds. The embedded database serves one
// process only (the folder lock), so there the single instance is always the leader.
import postgres from "postgres";
import type { DatabaseTarget } from "../config.ts";
import { reconnectBackoff } from "../db/client.ts";
import { realSleep } from "../jobs/loop.ts";
import { log } from "../log.ts";

const LOCK_KEY = 7_313_001; // "AvtoMat bot poller"; any constant shared by all instances
const CHECK_MS = 2000;

export interface Leadership {
  /** One attempt: true when this instance is (now) the leader. */
  tryNow(): Promise<boolean>;
  /** Resolves once this instance is the leader (or when stopped: check `stopped`). */
  acquire(): Promise<void>;
  /** Resolves when leadership is lost after having been acquired (connection gone, lock taken). */
  lost(): Promise<void>;
  release(): Promise<void>;
  readonly stopped: boolean;
}

export function leadership(target: DatabaseTarget): Leadership {
  return target.kind === "postgres" ? advisoryLock(target.url) : alwaysLeader();
}

function alwaysLeader(): Leadership {
  let stopped = false;
  let release: () => void = () => {};
  const ended = new Promise<void>((resolve) => (release = resolve));
  return {
    tryNow: async () => !stopped,
    acquire: async () => {},
    lost: () => ended,
    release: async () => ((stopped = true), release()),
    get stopped() {
      return stopped;
    },
  };
}

function advisoryLock(url: string): Leadership {
  // max 1: the lock belongs to one session, so every check must run on that same connection.
  const sql = postgres(url, { max: 1, idle_timeout: 0, connect_timeout: 5, backoff: reconnectBackoff, onnotice: () => {} });
  let stopped = false;
  const stopping = new AbortController();
  // None once stopped: release() may come while a check is running, before the next pause.
  const pause = () => realSleep(CHECK_MS, stopping.signal);

  /** True while our session holds the lock (a reconnected session holds nothing). */
  const holding = async () => {
    const [row] = await sql`select exists (select 1 from pg_locks where locktype = 'advisory' and objid = ${LOCK_KEY} and pid = pg_backend_pid() and granted) as held`;
    return Boolean(row?.held);
  };
  const tryLock = async () => Boolean((await sql`select pg_try_advisory_lock(${LOCK_KEY}) as ok`)[0]?.ok);

  const tryNow = async () => {
    try {
      return (await holding()) || (await tryLock());
    } catch (err) {
      log.warn("leader election: database unavailable", { err: err as Error });
      return false;
    }
  };

  return {
    tryNow,
    async acquire() {
      while (!stopped && !(await tryNow())) await pause();
    },
    async lost() {
      while (!stopped) {
        await pause();
        if (stopped) return;
        try {
          if (!(await holding())) return;
        } catch {
          return; // the session is gone, and the lock with it
        }
      }
    },
    async release() {
      stopped = true;
      stopping.abort();
      await sql`select pg_advisory_unlock_all()`.catch(() => {});
      await sql.end({ timeout: 2 }).catch(() => {});
    },
    get stopped() {
      return stopped;
    },
  };
}
