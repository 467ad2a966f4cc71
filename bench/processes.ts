// The servers under test, started as child processes (the real benchmark: each has its own event
// loop, as in production) or in this process (the smoke test: one embedded database, no spawning).
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface Child {
  pid: number;
  /** Resolves with the first stdout line matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number>;
}

export function spawnChild(args: string[], env: Record<string, string>): Child {
  const proc = Bun.spawn(args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const listeners = new Set<() => void>();
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    const reader = s.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      out += decoder.decode(r.value, { stream: true });
      if (out.length > 200_000) out = out.slice(-100_000);
      for (const l of listeners) l();
    }
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return {
    pid: proc.pid,
    output: () => out,
    exited: proc.exited,
    line(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) return listeners.delete(check), clearTimeout(timer), resolve(m);
          if (proc.exitCode !== null) return listeners.delete(check), clearTimeout(timer), reject(new Error(`${args.join(" ")} exited (${proc.exitCode}):\n${out}`));
        };
        const timer = setTimeout(() => (listeners.delete(check), reject(new Error(`${args.join(" ")}: no ${re} within ${timeoutMs} ms:\n${out}`))), timeoutMs);
        listeners.add(check);
        void proc.exited.then(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process used so far, ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** Polls GET /healthz every 5 ms until 200; the time it took, from `since` (performance.now()). */
export async function waitHealthy(base: string, since: number, timeoutMs = 60_000, child?: Child): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.status === 200) {
      await res.arrayBuffer();
      return performance.now() - since;
    }
    if (child && (await Promise.race([child.exited.then(() => true), Bun.sleep(5).then(() => false)])))
      throw new Error(`the app exited before it was healthy:\n${child.output()}`);
  }
  throw new Error(`${base} not healthy within ${timeoutMs} ms${child ? `:\n${child.output()}` : ""}`);
}
