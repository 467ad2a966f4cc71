// Runs the real `bun src/main.ts` as a child process (start-up, shutdown, crash tests).
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A port nobody listens on right now. */
export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface AppProcess {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  output(): string;
  /** Resolves when GET /healthz answers 200 (and `until` holds for its body); rejects after timeoutMs. */
  healthy(timeoutMs?: number, until?: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

const running = new Set<ReturnType<typeof Bun.spawn>>();

/** Kills what a failed test left running, so one failure does not hold the next test's database. */
export async function killStrays(): Promise<void> {
  for (const proc of running) {
    if (proc.exitCode === null) proc.kill("SIGKILL");
    await proc.exited;
  }
  running.clear();
}

export function spawnApp(env: Record<string, string>, port = freePort()): AppProcess {
  const proc = Bun.spawn(["bun", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", NODE_ENV: "development", PORT: String(port), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  let out = "";
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const reader = s.getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out += decoder.decode(r.value, { stream: true });
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return {
    proc,
    port,
    output: () => out,
    async healthy(timeoutMs = 15_000, until = () => true) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}:\n${out}`);
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        const body = res?.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
        if (body && until(body)) return body;
        await Bun.sleep(100);
      }
      throw new Error(`app not healthy within ${timeoutMs} ms:\n${out}`);
    },
  };
}

/** Runs a package script to completion (seeds, create-admin) and returns its output. */
export async function runScript(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn(["bun", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}
