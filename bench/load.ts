// Load generators behind one interface: wrk (the real benchmark: a separate C process, keep-alive
// connections, HdrHistogram latencies) and an in-process closed loop (the smoke test, and targets
// that are functions rather than URLs, such as a domain call).
import { fileURLToPath } from "node:url";

export interface LoadOptions {
  /** Concurrent connections (closed loop: each sends its next request when the previous one answered). */
  connections: number;
  durationS: number;
  /** Load before measuring, thrown away (JIT, caches, connection pools). */
  warmupS: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  generator: string;
}

export interface LoadGenerator {
  name: string;
  run(url: string, opts: LoadOptions): Promise<LoadResult>;
}

/** Runs `fn` from `concurrency` loops for `durationS`; latencies of each call. */
export async function closedLoop(fn: () => Promise<boolean>, opts: { concurrency: number; durationS: number; warmupS: number }, name = "in-process loop"): Promise<LoadResult> {
  const phase = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          let ok = false;
          try {
            ok = await fn();
          } catch {
            ok = false;
          }
          if (record) latencies.push(performance.now() - t0);
          if (!ok) errors++;
        }
      }),
    );
    return { latencies, errors, elapsed: (performance.now() - started) / 1000 };
  };
  if (opts.warmupS > 0) await phase(opts.warmupS, false);
  const { latencies, errors, elapsed } = await phase(opts.durationS, true);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! : NaN);
  return { requests: latencies.length, rps: latencies.length / elapsed, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: latencies.at(-1) ?? NaN, errors, generator: name };
}

/** fetch() from this process: no external tool, for the smoke test. */
export const fetchLoop: LoadGenerator = {
  name: "fetch loop",
  run(url, opts) {
    return closedLoop(
      async () => {
        const res = await fetch(url, { headers: opts.headers });
        await res.arrayBuffer();
        return res.status >= 200 && res.status < 300;
      },
      { concurrency: opts.connections, durationS: opts.durationS, warmupS: opts.warmupS },
      "fetch loop",
    );
  },
};

const REPORT_LUA = fileURLToPath(new URL("./wrk-report.lua", import.meta.url));

/** wrk (Debian package): `threads` threads share the connections. */
export function wrk(threads = 2): LoadGenerator {
  const once = async (url: string, opts: LoadOptions, seconds: number) => {
    const args = ["wrk", `-t${threads}`, `-c${opts.connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", REPORT_LUA];
    for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}: ${v}`);
    args.push(url);
    const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    const line = out.split("\n").find((l) => l.startsWith("WRK_JSON "));
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${err || out}`);
    return JSON.parse(line.slice("WRK_JSON ".length)) as { requests: number; durationUs: number; p50Us: number; p99Us: number; maxUs: number; errors: number; non2xx: number };
  };
  return {
    name: "wrk",
    async run(url, opts) {
      if (opts.warmupS > 0) await once(url, opts, opts.warmupS);
      const r = await once(url, opts, opts.durationS);
      return {
        requests: r.requests,
        rps: r.requests / (r.durationUs / 1e6),
        p50Ms: r.p50Us / 1000,
        p99Ms: r.p99Us / 1000,
        maxMs: r.maxUs / 1000,
        errors: r.errors + r.non2xx,
        generator: `wrk -t${threads}`,
      };
    },
  };
}

/** wrk when installed, else the fetch loop. */
export function defaultGenerator(): LoadGenerator {
  return Bun.which("wrk") ? wrk() : fetchLoop;
}
