// The benchmark: ceilings and the product's pages, bot, analytics and start-up, in one run, against
// a database filled by bench:seed. `bench/run.ts` runs it for real (child processes, wrk, PostgreSQL);
// tests/bench/smoke.test.ts runs the same code paths in this process on tiny data.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { loadConfig, type Config } from "../src/config.ts";
import { queryRows, type Database } from "../src/db/client.ts";
import { upsertAccount } from "../src/domain/accounts.ts";
import { recomputeAll, recomputeInstructorTrust, recomputeSchoolTrust, recomputeStudentDiscipline } from "../src/domain/indexes.ts";
import { schoolStats } from "../src/domain/stats.ts";
import { botRunner } from "../src/bot/bot.ts";
import { createApp } from "../src/web/app.ts";
import { botScript, echoScript, type Choice } from "./bot-script.ts";
import { floodRows } from "./flood.ts";
import { startBenchBotApi, type BenchBotApi, type FakeStats } from "./fake-bot-api.ts";
import { pacing, type PacingConfig } from "./pacing.ts";
import { closedLoop, type LoadGenerator, type LoadResult } from "./load.ts";
import { cpuMs, freePort, rssMb, spawnChild, waitHealthy, type Child } from "./processes.ts";

/** How long the app idles before the second memory reading (its collector returns a phase's garbage within 3–6 s). */
const SETTLE_MS = 10_000;
import { serveBare } from "./servers/bare.ts";
import { runEcho } from "./servers/echo-bot.ts";
import { idealApp, type RowsQuery } from "./servers/ideal.tsx";
import type { InboxRow } from "../src/domain/inbox.ts";
import { PAGE_SIZE } from "../src/domain/inbox.ts";

export interface BenchConfig {
  /** "child": servers in their own processes over PostgreSQL; "inprocess": everything here (smoke test). */
  mode: "child" | "inprocess";
  /** PostgreSQL URL (child mode). */
  databaseUrl?: string;
  /** The database handle for direct measurements (in-process mode: the only one). */
  database: Database;
  generator: LoadGenerator;
  load: { connections: number; durationS: number; warmupS: number };
  bot: { chats: number; loops: number; applicantShare: number; timeoutMs: number };
  persistenceWorkers: number;
  /** analytics:recompute stops after this long and the rest is extrapolated. */
  recomputeBudgetS: number;
  /** Start-up measurements (child mode): runs per database, and the embedded data dir to use (null = skip). */
  startup?: { runs: number; pgliteDir: string | null; pgliteNote: string };
  zone: string;
  log: (line: string) => void;
  /** The pacing part's sizes (bench/pacing.ts); its defaults when absent. */
  pacing?: Partial<PacingConfig>;
  /** Run only these parts (`bun run bench --only bot`); all when absent. */
  only?: Set<BenchPart>;
}

export const BENCH_PARTS = ["web", "bot", "recompute", "startup", "flood", "pacing"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export type Unit = "req/s" | "updates/s" | "tx/s" | "calls/s";

export interface Row {
  key: string;
  label: string;
  p50Ms?: number;
  p99Ms?: number;
  rate?: number;
  unit?: Unit;
  /** A duration (seconds) or memory (MB) figure instead of a rate. */
  value?: string;
  ceiling?: string;
  target?: string;
  pass?: boolean | null;
  note?: string;
  errors?: number;
}

export interface BenchResult {
  rows: Row[];
  facts: Record<string, string>;
}

const BOT_TOKEN_APP = "777000:BENCH-token_fake-bot-api";
const BOT_TOKEN_ECHO = "777001:BENCH-token_echo-ceiling";
const BENCH_LOGIN = "bench-busiest";
const BENCH_PASSWORD = "bench-password-busiest";
/** Telegram ids of the bot benchmark's chats (far from the seeded students' 1,000,000,000 + n). */
export const FIRST_CHAT = 8_000_000_000;
/** update_id range of the persistence ceiling (deleted afterwards). */
const CEILING_UPDATES = 900_000_000_000;

export async function runBench(cfg: BenchConfig): Promise<BenchResult> {
  const rows: Row[] = [];
  const facts: Record<string, string> = {};
  const { db } = cfg.database;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const say = cfg.log;
  const loadOpts = { connections: cfg.load.connections, durationS: cfg.load.durationS, warmupS: cfg.load.warmupS };
  const at = (r: Partial<Row> & { key: string; label: string }) => (rows.push(r), r);
  const want = (part: BenchPart) => !cfg.only || cfg.only.has(part);

  try {
    // ---- the busiest school and a login for it ----
    const [busiest] = await queryRows<{ school_id: number; n: number }>(
      db,
      sql`select school_id, count(*)::int as n from applications where kind = 'school' group by school_id order by count(*) desc limit 1`,
    );
    if (!busiest) throw new Error("no applications: run bench:seed first");
    const schoolId = busiest.school_id;
    const [seedInfo] = await queryRows<{ seconds: number | null }>(db, sql`select (value->>'seconds')::float8 as seconds from app_state where key = 'bench:seed'`);
    if (seedInfo?.seconds)
      at({ key: "seed", label: "bench:seed (the data set above, from an empty database)", value: `${Number(seedInfo.seconds).toFixed(1)} s`, target: "< 90 s", pass: Number(seedInfo.seconds) < 90 });
    facts["busiest school"] = `id ${schoolId}, ${busiest.n.toLocaleString("en")} applications`;
    await upsertAccount(db, { login: BENCH_LOGIN, password: BENCH_PASSWORD, role: "school", schoolId, displayName: "Bench" });

    // ---- analytics:recompute ----
    // First, so that the pages and the bot below read stored indexes, as in production (after a
    // seed nothing has computed them yet).
    if (want("recompute")) {
      say(`analytics: recomputeAll (budget ${cfg.recomputeBudgetS} s, the rest extrapolated)`);
      const r = await recompute(cfg);
      at({
        key: "recompute",
        label: "analytics:recompute (recomputeAll) over the whole data set",
        value: `${r.seconds.toFixed(1)} s${r.extrapolated ? " (extrapolated)" : ""}`,
        target: "< 10 s",
        pass: r.seconds < 10,
        note: r.note,
      });
    }

    // ---- the app (web + the real bot), against its own fake Bot API ----
    const appApi = await startBenchBotApi(BOT_TOKEN_APP);
    cleanups.push(() => appApi.stop());
    const app = await startApp(cfg, appApi);
    cleanups.push(() => app.stop());
    facts["app start-up (first run, to /healthz 200)"] = `${app.startupMs.toFixed(0)} ms`;
    const rssTrail: string[] = [];
    const rss = (when: string) => {
      const mb = app.rssMb();
      if (mb !== null) rssTrail.push(`${mb.toFixed(0)} MB ${when}`);
    };
    rss("at start");
    const base = app.url;

    if (want("web")) {
      const cookie = await login(base);
      const inboxUrl = `${base}/crm/schools/applications`;
      const inboxHtml = await expectPage(inboxUrl, cookie, /id="app-\d+"/);
      const inboxRows = [...inboxHtml.matchAll(/<tr id="app-(\d+)"/g)].map((m) => Number(m[1]));
      facts["inbox page"] = `${inboxRows.length} rows, ${(inboxHtml.length / 1024).toFixed(1)} KiB`;

      // ---- ceiling (a): the pre-rendered page from a bare Bun.serve ----
      say("ceiling (a): bare Bun.serve with the pre-rendered inbox");
      const bare = await startBare(cfg, inboxHtml);
      const a = await cfg.generator.run(bare.url, loadOpts).finally(() => bare.stop());
      at({ key: "a", label: "(a) bare Bun.serve, pre-rendered inbox HTML", ...fromLoad(a), unit: "req/s" });

      // ---- ceiling (b): the ideal page ----
      say("ceiling (b): ideal page (one indexed query, same rows, same partial)");
      const ideal = await startIdeal(cfg, schoolId);
      const idealHtml = await expectPage(ideal.url, "", /id="app-\d+"/);
      const idealRows = [...idealHtml.matchAll(/<tr id="app-(\d+)"/g)].map((m) => Number(m[1]));
      if (idealRows.join() !== inboxRows.join()) throw new Error(`the ideal page shows other rows than the inbox: ${idealRows.slice(0, 3)} vs ${inboxRows.slice(0, 3)}`);
      const b = await cfg.generator.run(ideal.url, loadOpts).finally(() => ideal.stop());
      at({ key: "b", label: `(b) ideal page: bare Elysia route, 1 indexed query, the same ${PAGE_SIZE} rows`, ...fromLoad(b), unit: "req/s" });

      // ---- the inbox ----
      say("inbox, first page");
      const firstSingle = await probe(inboxUrl, cookie, 5);
      const first = await cfg.generator.run(inboxUrl, { ...loadOpts, headers: { cookie } });
      rss("after the inbox first page");
      at({
        key: "inbox",
        label: "School inbox, first page (logged in, full page)",
        ...loaded(first, firstSingle),
        unit: "req/s",
        ...ratioTo(first, b, "b"),
        target: "p99 < 25 ms, ≥ 50% of (b)",
        pass: first.p99Ms < 25 && first.rps >= 0.5 * b.rps && first.errors === 0,
      });

      const [sample] = await queryRows<{ name: string }>(
        db,
        sql`select student_name as name from applications where kind = 'school' and school_id = ${schoolId} and status = 'new'
             order by created_at desc nulls last, id desc nulls last offset 200 limit 1`,
      );
      const q = sample?.name ?? "Айгерим";
      const searchUrl = `${inboxUrl}?status=new&q=${encodeURIComponent(q)}`;
      const searchHtml = await expectPage(searchUrl, cookie, /<tbody>/);
      const matches = (searchHtml.match(/<tr id="app-/g) ?? []).length;
      facts["inbox search"] = `status=new, q="${q}" (a full name): ${matches} rows on the first page`;
      say(`inbox, filtered and searched (${facts["inbox search"]})`);
      const searchSingle = await probe(searchUrl, cookie, 5);
      const searched = await cfg.generator.run(searchUrl, { ...loadOpts, headers: { cookie } });
      rss("after the inbox search");
      at({
        key: "search",
        label: "School inbox, status filter + name search",
        ...loaded(searched, searchSingle),
        unit: "req/s",
        ...ratioTo(searched, b, "b"),
        target: "p99 < 50 ms, ≥ 40% of (b)",
        pass: searched.p99Ms < 50 && searched.rps >= 0.4 * b.rps && searched.errors === 0,
      });

      // ---- statistics ----
      const statsPath = await findStatsRoute(base, cookie);
      const statsOpts = { timeZone: cfg.zone };
      if (statsPath) {
        say(`statistics page ${statsPath}`);
        const single = await probe(`${base}${statsPath}`, cookie, 3);
        const s = await cfg.generator.run(`${base}${statsPath}`, { ...loadOpts, headers: { cookie } });
        rss("after the statistics page");
        const row = loaded(s, single);
        at({ key: "stats", label: `Statistics page of the busiest school (${statsPath}, all time, logged in)`, ...row, unit: "req/s", ...ratioTo(s, b, "b"), target: "p99 < 100 ms", pass: s.requests > 0 && s.p99Ms < 100 && row.errors === 0 });
      } else {
        say("statistics: no CRM route yet; schoolStats() directly");
        const call = async () => ((await schoolStats(db, schoolId, statsOpts)).total > 0);
        const s16 = await closedLoop(call, { concurrency: cfg.load.connections, durationS: cfg.load.durationS, warmupS: cfg.load.warmupS }, "in-process loop");
        const s1 = await closedLoop(call, { concurrency: 1, durationS: Math.max(1, cfg.load.durationS / 4), warmupS: 0 }, "in-process loop");
        at({
          key: "stats",
          label: `Statistics of the busiest school: stats.ts schoolStats() called directly (no CRM route yet), ${cfg.load.connections} concurrent`,
          ...fromLoad(s16),
          unit: "calls/s",
          target: "p99 < 100 ms",
          pass: s16.p99Ms < 100 && s16.errors === 0,
        });
        at({ key: "stats1", label: "  the same, one caller at a time (the work itself, no queueing)", ...fromLoad(s1), unit: "calls/s", target: "—", pass: null });
      }

    }

    // ---- the bot ----
    if (want("bot")) {
      const choices = await botChoices(cfg.database, schoolId);
      await forgetBenchChats(cfg.database);
      const script = botScript({ chats: cfg.bot.chats, loops: cfg.bot.loops, applicantShare: cfg.bot.applicantShare, firstUserId: FIRST_CHAT, firstUpdateId: await nextUpdateId(cfg.database), choices });
      facts["bot script"] = `${script.expected.updates.toLocaleString("en")} updates from ${script.expected.chats} chats (${script.expected.applications} applications), interleaved across chats`;

      // ceiling (c): the bot's per-update transaction on raw PostgreSQL (pgbench, C), and from Bun (postgres.js), 32 workers
      say(`ceiling (c): the per-update transaction, ${cfg.persistenceWorkers} workers, ${script.expected.updates} transactions`);
      const cBun = await persistenceCeiling(cfg, script.expected.updates, cfg.bot.chats);
      const cPgbench = cfg.mode === "child" && Bun.which("pgbench") ? await pgbenchCeiling(cfg, script.expected.updates, cfg.bot.chats) : null;
      const c = cPgbench ?? cBun;
      if (cPgbench)
        at({ key: "c", label: `(c) persistence: the per-update transaction (dedupe row, conversation upsert, funnel event), raw PostgreSQL via pgbench, ${cfg.persistenceWorkers} clients`, rate: cPgbench.rate, p50Ms: cPgbench.p50Ms, p99Ms: cPgbench.p99Ms, unit: "tx/s", note: cPgbench.note });
      at({
        key: cPgbench ? "c-bun" : "c",
        label: `${cPgbench ? "(c′)" : "(c)"} the same transaction from Bun (${cfg.mode === "child" ? "postgres.js" : "drizzle"}), ${cfg.persistenceWorkers} workers, chats partitioned as in the bot`,
        rate: cBun.rate,
        p50Ms: cBun.p50Ms,
        p99Ms: cBun.p99Ms,
        unit: "tx/s",
        ceiling: cPgbench ? `${pct(cBun.rate / cPgbench.rate)} of (c)` : undefined,
      });

      // ceiling (d): echo bots against the same fake Bot API
      const echoApi = await startBenchBotApi(BOT_TOKEN_ECHO);
      cleanups.push(() => echoApi.stop());
      for (const mode of ["raw", "gramio"] as const) {
        say(`ceiling (d): ${mode} echo bot`);
        const e = await echoCeiling(cfg, echoApi, mode, script.expected.updates, cfg.bot.chats);
        at({
          key: mode === "gramio" ? "d" : "fake",
          label: mode === "gramio" ? "(d) bare GramIO echo bot (its own polling), same fake Bot API" : "fake Bot API alone: raw client, getUpdates + 1 sendMessage per update",
          rate: e.rate,
          unit: "updates/s",
          note: e.outOfOrder ? `${e.outOfOrder} echoes out of their chat's order` : "per-chat order kept",
        });
      }

      say(`bot: ${facts["bot script"]}`);
      const funnelBefore = await countBenchFunnel(cfg.database);
      const cpuBefore = app.cpuMs();
      appApi.load(script.updates);
      // Until every update was handled (one funnel event each), or the time budget: then the pace so
      // far. The offset confirms an update once it is stored (src/bot/polling.ts), not handled.
      const budgetEnd = performance.now() + cfg.bot.timeoutMs;
      await appApi.until((s) => s.drainedAt !== null || performance.now() > budgetEnd, cfg.bot.timeoutMs + 60_000);
      let funnelAfter = await countBenchFunnel(cfg.database);
      while (funnelAfter - funnelBefore < script.expected.funnelEvents && performance.now() < budgetEnd) await Bun.sleep(100), (funnelAfter = await countBenchFunnel(cfg.database));
      const botStats = await appApi.settled(200); // the last replies of the last updates
      const botCpu = app.cpuMs();
      const partial = funnelAfter - funnelBefore < script.expected.funnelEvents;
      const handled = partial ? funnelAfter - funnelBefore : script.expected.updates;
      const botSeconds = ((partial ? performance.now() : botStats.lastReplyAt!) - botStats.firstOfferedAt!) / 1000;
      const botRate = handled / botSeconds;
      const [{ apps }] = await queryRows<{ apps: number }>(
        db,
        sql`select count(*)::int as apps from applications a join students s on s.id = a.student_id where s.telegram_id >= ${FIRST_CHAT}`,
      );
      const problems = [
        botStats.toasts ? `${botStats.toasts} stale-button answers (order broken)` : "",
        !partial && funnelAfter - funnelBefore !== script.expected.funnelEvents ? `${funnelAfter - funnelBefore} funnel events, expected ${script.expected.funnelEvents}` : "",
        !partial && apps !== script.expected.applications ? `${apps} applications, expected ${script.expected.applications}` : "",
      ].filter(Boolean);
      const cRate = c.rate;
      if (botCpu !== null && cpuBefore !== null) facts["bot CPU"] = `the app process used ${((botCpu - cpuBefore) / 1000).toFixed(1)} s of CPU for ${handled.toLocaleString("en")} updates: ${((botCpu - cpuBefore) / handled).toFixed(2)} ms per update`;
      at({
        key: "bot",
        label: `Bot end to end: ${script.expected.updates.toLocaleString("en")} updates, ${cfg.bot.chats} chats, first update offered → last reply`,
        rate: botRate,
        unit: "updates/s",
        ceiling: `${pct(botRate / cRate)} of (c)${cPgbench ? `, ${pct(botRate / cBun.rate)} of (c′)` : ""}, ${pct(botRate / (rows.find((r) => r.key === "d")?.rate ?? NaN))} of (d)`,
        target: "≥ 2,000 updates/s, per-chat order kept, ≥ 30% of (c)",
        pass: botRate >= 2000 && botRate >= 0.3 * cRate && problems.length === 0,
        note:
          (partial ? `stopped after ${botSeconds.toFixed(0)} s with ${handled.toLocaleString("en")} of ${script.expected.updates.toLocaleString("en")} updates handled (the pace so far); ` : "") +
          (problems.length
            ? problems.join("; ")
            : `order kept: 0 stale answers, ${funnelAfter - funnelBefore} funnel events, ${apps} applications${partial ? " so far" : ""}; ${botStats.replies.toLocaleString("en")} replies, ${botStats.getUpdatesCalls} getUpdates`),
        value: `${botSeconds.toFixed(1)} s`,
      });

    }

    if (want("flood")) rows.push(...(await floodRows(cfg, appApi)));

    // ---- memory after the load ----
    rss("after the bot");
    facts["app resident memory"] = rssTrail.join(", ");
    const mem = app.rssMb();
    if (mem !== null)
      at({
        key: "rss",
        label: `Resident memory of the app after the load (${cfg.mode === "child" ? "PostgreSQL" : "in-process, embedded"})`,
        value: `${mem.toFixed(0)} MB`,
        target: "≤ 180 MB",
        pass: cfg.mode === "child" ? mem <= 180 : null,
      });
    // The reading above comes the instant the load stops, with the garbage of the last phase not yet
    // collected; a few idle seconds later the app has given most of it back (bench/results.md, "what
    // holds the app's resident memory"). Both are shown: the peak, and what the app keeps.
    if (mem !== null && cfg.mode === "child") {
      await Bun.sleep(SETTLE_MS);
      const settled = app.rssMb();
      if (settled !== null)
        at({
          key: "rss-settled",
          label: `Resident memory of the app ${SETTLE_MS / 1000} s after the load, idle (PostgreSQL)`,
          value: `${settled.toFixed(0)} MB`,
        });
    }
    await app.stop();

    if (want("pacing")) rows.push(...(await pacing(cfg, facts))); // bench/pacing.ts: alone, so no other app drains its outbox

    // ---- start-up ----
    if (want("startup") && cfg.startup && cfg.mode === "child") {
      const pg = await startupTimes(cfg, { DATABASE_URL: cfg.databaseUrl! }, appApi);
      at({ key: "start-pg", label: `Start-up to /healthz 200, PostgreSQL (median of ${pg.length})`, value: `${median(pg).toFixed(0)} ms`, target: "< 1 s", pass: median(pg) < 1000, note: `runs: ${pg.map((x) => x.toFixed(0)).join(", ")} ms` });
      if (cfg.startup.pgliteDir) {
        const pl = await startupTimes(cfg, { DATABASE_URL: `pglite://${cfg.startup.pgliteDir}` }, appApi);
        at({ key: "start-pglite", label: `Start-up to /healthz 200, embedded PGlite with data (median of ${pl.length})`, value: `${median(pl).toFixed(0)} ms`, target: "< 3 s", pass: median(pl) < 3000, note: `${cfg.startup.pgliteNote}; runs: ${pl.map((x) => x.toFixed(0)).join(", ")} ms` });
      }
    }
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  }
  return { rows, facts };
}

// ---------------------------------------------------------------------------------------------

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "—");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function fromLoad(r: LoadResult): Partial<Row> {
  return { p50Ms: r.p50Ms, p99Ms: r.p99Ms, rate: r.rps, errors: r.errors, note: r.errors ? `${r.errors} errors/non-2xx of ${r.requests}` : undefined };
}

function ratioTo(r: LoadResult, c: LoadResult, name: string): Partial<Row> {
  if (r.requests === 0) return {};
  return { ceiling: `${pct(r.rps / c.rps)} of (${name}) req/s; p99 ×${(r.p99Ms / c.p99Ms).toFixed(1)}` };
}

/** Sequential requests, one at a time: the page's own latency without queueing (median of n). */
async function probe(url: string, cookie: string, n = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A load where no request finished in time is a failure, whatever wrk's percentiles say. */
function loaded(r: LoadResult, single: number): Partial<Row> {
  const base = fromLoad(r);
  const notes = [base.note, `one request at a time: ${single.toFixed(0)} ms`, r.requests === 0 ? "no request finished during the load" : ""].filter(Boolean);
  const none = r.requests === 0 ? { p50Ms: undefined, p99Ms: undefined, rate: undefined } : {};
  return { ...base, ...none, note: notes.join("; "), errors: r.requests === 0 ? Math.max(1, r.errors) : r.errors };
}

async function expectPage(url: string, cookie: string, must: RegExp): Promise<string> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const text = await res.text();
  if (res.status !== 200 || !must.test(text)) throw new Error(`GET ${url}: ${res.status}, not the expected page: ${text.slice(0, 500)}`);
  return text;
}

/** Logs in through the real form, as a browser does. */
async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/crm/schools/login/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ login: BENCH_LOGIN, password: BENCH_PASSWORD }).toString(),
    redirect: "manual",
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

async function findStatsRoute(base: string, cookie: string): Promise<string | null> {
  for (const path of ["/crm/schools/stats", "/crm/schools/statistics", "/crm/schools/analytics"]) {
    const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status === 200) return path;
  }
  return null;
}

interface RunningApp {
  url: string;
  startupMs: number;
  rssMb(): number | null;
  /** CPU time the app process used so far (user + system), ms. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export function appEnv(cfg: BenchConfig, api: BenchBotApi, port: number, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    SECRET_KEY: "bench-secret-key-bench-secret-key-0123456789",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TIME_ZONE: cfg.zone,
    LOG_LEVEL: "warn",
    // The fake enforces no limit: the bot row measures the app, not Telegram's 30/s (the pacing part does).
    TELEGRAM_SEND_RATE: "off",
    ...env,
  };
}

/** The app (web + bot + jobs) against `api`; `env` adds settings (the flood part: BOT_MODE=webhook; the pacing part: the limits). */
export async function startApp(cfg: BenchConfig, api: BenchBotApi, env: Record<string, string> = {}): Promise<RunningApp> {
  if (cfg.mode === "child") {
    const port = freePort();
    const t0 = performance.now();
    // BENCH_APP_FLAGS: extra bun flags for the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
    const flags = (process.env.BENCH_APP_FLAGS ?? "").split(" ").filter(Boolean);
    const child = spawnChild(["bun", ...flags, "src/main.ts"], { ...appEnv(cfg, api, port, env), DATABASE_URL: cfg.databaseUrl! });
    const url = `http://127.0.0.1:${port}`;
    const startupMs = await waitHealthy(url, t0, 60_000, child);
    return { url, startupMs, rssMb: () => rssMb(child.pid), cpuMs: () => cpuMs(child.pid), stop: () => child.stop() };
  }
  // In process: what src/server.ts does, over the shared database handle.
  const t0 = performance.now();
  const config: Config = loadConfig({ ...appEnv(cfg, api, 0, env), NODE_ENV: "test", DATABASE_URL: "pglite://memory" });
  const bot = botRunner(config, cfg.database.db, { apiTimeoutMs: 5000 });
  const app = createApp({ config, database: cfg.database, botState: bot.state, botWebhook: bot.webhook });
  app.listen({ port: 0, hostname: "127.0.0.1" });
  const url = `http://127.0.0.1:${app.server!.port}`;
  bot.delivery?.start(); // server.ts runs it among the background jobs
  await bot.start();
  const startupMs = await waitHealthy(url, t0);
  let stopped = false;
  return {
    url,
    startupMs,
    rssMb: () => process.memoryUsage().rss / 2 ** 20,
    cpuMs: () => null,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      await Promise.all([bot.stop(), bot.delivery?.stop()]);
    },
  };
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startBare(cfg: BenchConfig, html: string): Promise<Server> {
  if (cfg.mode === "child") {
    const file = `/tmp/avtomat-bench-inbox-${process.pid}.html`;
    await Bun.write(file, html);
    const child = spawnChild(["bun", "bench/servers/bare.ts"], { BARE_HTML_FILE: file });
    const [, port] = await child.line(/port (\d+)/);
    return { url: `http://127.0.0.1:${port}/`, stop: () => child.stop() };
  }
  const server = serveBare(new TextEncoder().encode(html));
  return { url: `http://127.0.0.1:${server.port}/`, stop: async () => server.stop(true) };
}

async function startIdeal(cfg: BenchConfig, schoolId: number): Promise<Server> {
  if (cfg.mode === "child") {
    const child = spawnChild(["bun", "bench/servers/ideal.tsx"], { DATABASE_URL: cfg.databaseUrl!, SCHOOL_ID: String(schoolId), TIME_ZONE: cfg.zone });
    const [, port] = await child.line(/port (\d+)/);
    return { url: `http://127.0.0.1:${port}/inbox`, stop: () => child.stop() };
  }
  const rows: RowsQuery = (id, limit) =>
    queryRows<InboxRow>(
      cfg.database.db,
      sql`select a.id, a.public_number as "publicNumber", a.kind, a.created_at as "createdAt", a.student_name as "studentName",
                 a.student_phone as "studentPhone", a.category, a.format, a.transmission, a.preferred_time as "preferredTime",
                 a.source, a.status, s.starts_at as "slotStartsAt"
            from applications a left join instructor_slots s on s.id = a.slot_id
           where a.kind = 'school' and a.school_id = ${id}
           order by a.created_at desc nulls last, a.id desc nulls last limit ${limit}`,
    ).then((rs) => rs.map((r) => ({ ...r, createdAt: new Date(r.createdAt), slotStartsAt: r.slotStartsAt && new Date(r.slotStartsAt) })));
  const app = idealApp(rows, schoolId, cfg.zone);
  app.listen({ hostname: "127.0.0.1", port: 0 });
  return { url: `http://127.0.0.1:${app.server!.port}/inbox`, stop: async () => void (await app.stop()) };
}

/** (city, format, school, offer) tuples the bot's school flow accepts: full-course B offers of active schools (not the busiest). */
async function botChoices(database: Database, busiestId: number): Promise<Choice[]> {
  const rows = await queryRows<{ city_id: number; format: string; school_id: number; offer_id: number }>(
    database.db,
    sql`select s.city_id, o.format, s.id as school_id, min(o.id)::int as offer_id
          from school_offers o join schools s on s.id = o.school_id join cities c on c.id = s.city_id
         where o.kind = 'full_course' and o.category = 'B' and o.active and s.active and c.active and s.id <> ${busiestId}
         group by s.city_id, o.format, s.id order by s.id, o.format limit 500`,
  );
  return rows.map((r) => ({ cityId: r.city_id, format: r.format, schoolId: r.school_id, offerId: r.offer_id }));
}

/** The first update_id no earlier run used (the persistence ceiling's range aside). */
export async function nextUpdateId(database: Database): Promise<number> {
  const [{ next }] = await queryRows<{ next: number }>(database.db, sql`select (coalesce(max(update_id), 0) + 1)::bigint as next from processed_updates where update_id < ${CEILING_UPDATES}`);
  return Number(next);
}

/** Deletes what earlier runs' bench chats left (their students, conversations, funnel events, applications). */
export async function forgetBenchChats(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    const s = sql`(select id from students where telegram_id >= ${FIRST_CHAT})`;
    await tx.execute(sql`delete from application_events where application_id in (select id from applications where student_id in ${s})`);
    await tx.execute(sql`delete from applications where student_id in ${s}`);
    await tx.execute(sql`delete from funnel_events where student_id in ${s}`);
    await tx.execute(sql`delete from bot_conversations where student_id in ${s}`);
    await tx.execute(sql`delete from students where telegram_id >= ${FIRST_CHAT}`);
  });
}

async function countBenchFunnel(database: Database): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from funnel_events f join students s on s.id = f.student_id where s.telegram_id >= ${FIRST_CHAT}`,
  );
  return n;
}

/**
 * Ceiling (c): the bot's per-update writes with nothing else: insert the update id (dedupe),
 * upsert the conversation, insert a funnel event, in one transaction. Chats are spread over the
 * workers (one chat's updates run in order, as in the bot); seeded students stand in for the chats.
 */
async function persistenceCeiling(cfg: BenchConfig, total: number, chats: number): Promise<{ rate: number; p50Ms: number; p99Ms: number }> {
  const workers = cfg.persistenceWorkers;
  const [{ maxFunnel }] = await queryRows<{ maxFunnel: number }>(cfg.database.db, sql`select coalesce(max(id), 0)::bigint as "maxFunnel" from funnel_events`);
  const [{ n: students }] = await queryRows<{ n: number }>(cfg.database.db, sql`select count(*)::int as n from students where id <= ${chats}`);
  const chatCount = Math.min(chats, students);
  let tx: (updateId: number, studentId: number, step: number) => Promise<void>;
  let close = async () => {};
  if (cfg.mode === "child") {
    const pg = postgres(cfg.databaseUrl!, { max: workers, onnotice: () => {} });
    close = () => pg.end({ timeout: 5 });
    tx = async (updateId, studentId, step) => {
      await pg.begin(async (t) => {
        const fresh = await t`insert into processed_updates (update_id) values (${updateId}) on conflict do nothing returning update_id`;
        if (!fresh.length) return;
        const choices = { path: "school", stack: ["licence"], nonce: "bench" };
        await t`insert into bot_conversations (student_id, flow, step, choices) values (${studentId}, 'school', ${`s${step}`}, ${t.json(choices)})
                on conflict (student_id) do update set flow = excluded.flow, step = excluded.step, choices = excluded.choices, updated_at = now()`;
        await t`insert into funnel_events (student_id, flow, step, action) values (${studentId}, 'school', ${`s${step}`}, 'enter')`;
      });
    };
  } else {
    tx = async (updateId, studentId, step) => {
      await cfg.database.db.transaction(async (t) => {
        const fresh = await queryRows(t, sql`insert into processed_updates (update_id) values (${updateId}) on conflict do nothing returning update_id`);
        if (!fresh.length) return;
        await t.execute(sql`insert into bot_conversations (student_id, flow, step, choices) values (${studentId}, 'school', ${`s${step}`}, '{"path":"school"}'::jsonb)
                on conflict (student_id) do update set flow = excluded.flow, step = excluded.step, choices = excluded.choices, updated_at = now()`);
        await t.execute(sql`insert into funnel_events (student_id, flow, step, action) values (${studentId}, 'school', ${`s${step}`}, 'enter')`);
      });
    };
  }
  const latencies: number[] = [];
  const perChat = Math.ceil(total / chatCount);
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        // Worker w owns chats w, w + workers, …; it runs their updates round-robin, each chat in order.
        const mine: number[] = [];
        for (let c = w; c < chatCount; c += workers) mine.push(c);
        for (let k = 0; k < perChat; k++)
          for (const c of mine) {
            const n = k * chatCount + c;
            if (n >= total) continue;
            const s = performance.now();
            await tx(CEILING_UPDATES + n, c + 1, k);
            latencies.push(performance.now() - s);
          }
      }),
    );
  } finally {
    await close();
  }
  const seconds = (performance.now() - t0) / 1000;
  // Leave the data set as it was.
  await cfg.database.db.transaction(async (t) => {
    await t.execute(sql`delete from processed_updates where update_id >= ${CEILING_UPDATES}`);
    await t.execute(sql`delete from funnel_events where id > ${maxFunnel}`);
    await t.execute(sql`delete from bot_conversations where student_id <= ${chatCount}`);
  });
  latencies.sort((x, y) => x - y);
  return { rate: latencies.length / seconds, p50Ms: latencies[Math.floor(latencies.length / 2)]!, p99Ms: latencies[Math.floor(latencies.length * 0.99)]! };
}

/** Ceiling (c) with pgbench: the same three statements in one transaction, each client owning its chats. */
async function pgbenchCeiling(cfg: BenchConfig, total: number, chats: number): Promise<{ rate: number; p50Ms: number; p99Ms: number; note: string }> {
  const clients = cfg.persistenceWorkers;
  const perClient = Math.max(1, Math.ceil(total / clients));
  const script = `\\set chat 1 + :client_id + ${clients} * random(0, ${Math.max(0, Math.floor(chats / clients) - 1)})
\\set uid random(1, 99999999999)
begin;
insert into processed_updates (update_id) values (${CEILING_UPDATES} + :uid) on conflict do nothing returning update_id;
insert into bot_conversations (student_id, flow, step, choices) values (:chat, 'school', 'schools', '{"path":"school","stack":["licence"],"nonce":"bench"}')
  on conflict (student_id) do update set flow = excluded.flow, step = excluded.step, choices = excluded.choices, updated_at = now();
insert into funnel_events (student_id, flow, step, action) values (:chat, 'school', 'schools', 'enter');
commit;
`;
  const file = `/tmp/avtomat-bench-pgbench-${process.pid}.sql`;
  await Bun.write(file, script);
  const [{ maxFunnel }] = await queryRows<{ maxFunnel: number }>(cfg.database.db, sql`select coalesce(max(id), 0)::bigint as "maxFunnel" from funnel_events`);
  const u = new URL(cfg.databaseUrl!);
  const args = ["pgbench", "-n", "-M", "prepared", "-c", String(clients), "-j", "2", "-t", String(perClient), "-r", "--log", `--log-prefix=/tmp/avtomat-bench-pglog-${process.pid}`, "-f", file];
  if (u.hostname) args.push("-h", u.hostname);
  if (u.port) args.push("-p", u.port);
  if (u.username) args.push("-U", decodeURIComponent(u.username));
  args.push(decodeURIComponent(u.pathname.slice(1)));
  const proc = Bun.spawn(args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, stdout: "pipe", stderr: "pipe", cwd: "/tmp" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`pgbench failed: ${err || out}`);
  const tps = Number(out.match(/tps = ([\d.]+)/)?.[1]);
  // Per-transaction latencies from the logs (µs in the third column).
  const latencies: number[] = [];
  for (const f of await Array.fromAsync(new Bun.Glob(`avtomat-bench-pglog-${process.pid}.*`).scan("/tmp"))) {
    const text = await Bun.file(`/tmp/${f}`).text();
    for (const line of text.split("\n")) {
      const v = Number(line.split(" ")[2]);
      if (Number.isFinite(v) && line) latencies.push(v / 1000);
    }
    await Bun.file(`/tmp/${f}`).delete();
  }
  await Bun.file(file).delete();
  latencies.sort((x, y) => x - y);
  await cfg.database.db.transaction(async (t) => {
    await t.execute(sql`delete from processed_updates where update_id >= ${CEILING_UPDATES}`);
    await t.execute(sql`delete from funnel_events where id > ${maxFunnel}`);
    await t.execute(sql`delete from bot_conversations where student_id <= ${chats + clients}`);
  });
  return {
    rate: tps,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? NaN,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    note: `${(perClient * clients).toLocaleString("en")} transactions, pgbench -M prepared`,
  };
}

async function echoCeiling(cfg: BenchConfig, api: BenchBotApi, mode: "raw" | "gramio", total: number, chats: number): Promise<{ rate: number; outOfOrder: number }> {
  let stop: () => Promise<void>;
  api.load([]);
  if (cfg.mode === "child") {
    const child: Child = spawnChild(["bun", "bench/servers/echo-bot.ts", mode], { TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_BOT_TOKEN: api.token });
    await child.line(/ready/);
    stop = () => child.stop();
  } else {
    stop = (await runEcho(mode, api.apiRoot, api.token)).stop;
  }
  try {
    await Bun.sleep(200); // the bot's first long poll is waiting
    api.load(echoScript(chats, total, 1 + Math.floor(Math.random() * 1e6) * 1000));
    const s: FakeStats = await api.until((x) => x.replies >= total, cfg.bot.timeoutMs);
    return { rate: total / ((s.lastReplyAt! - s.firstOfferedAt!) / 1000), outOfOrder: s.outOfOrder };
  } finally {
    await stop();
  }
}

/** recomputeAll until the budget is spent; the rest extrapolated per kind from its own pace. */
async function recompute(cfg: BenchConfig): Promise<{ seconds: number; extrapolated: boolean; note: string }> {
  const db = cfg.database.db;
  const [totals] = await queryRows<{ school: number; instructor: number; student: number }>(
    db,
    sql`select (select count(*) from schools)::int as school, (select count(*) from instructors)::int as instructor, (select count(*) from students)::int as student`,
  );
  const t0 = performance.now();
  const budgetMs = cfg.recomputeBudgetS * 1000;
  const progress: Record<string, { done: number; startedAt: number; lastAt: number }> = {};
  let current = "school";
  let kindStart = t0;
  class OutOfBudget extends Error {}
  let complete = true;
  try {
    await recomputeAll(db, new Date(), {
      batchSize: 10_000,
      onBatch(kind, done) {
        const now = performance.now();
        if (kind !== current) (current = kind), (kindStart = progress[kind]?.startedAt ?? now);
        const p = (progress[kind] ??= { done: 0, startedAt: kindStart, lastAt: now });
        p.done = done;
        p.lastAt = now;
        if (now - t0 > budgetMs) throw new OutOfBudget();
      },
    });
  } catch (err) {
    if (!(err instanceof OutOfBudget)) throw err;
    complete = false;
  }
  const elapsed = performance.now() - t0;
  if (complete) return { seconds: elapsed / 1000, extrapolated: false, note: `${totals!.school} schools, ${totals!.instructor} instructors, ${totals!.student} students, all computed` };
  // Per kind: the measured time when done, else its pace × its total. A kind recomputeAll did not
  // reach is timed on an evenly spread sample of its subjects with the same per-subject function.
  let estimate = 0;
  const parts: string[] = [];
  let prevEnd = t0;
  const now = new Date();
  const runOne = { school: recomputeSchoolTrust, instructor: recomputeInstructorTrust, student: recomputeStudentDiscipline } as const;
  for (const kind of ["school", "instructor", "student"] as const) {
    const p = progress[kind];
    const total = totals![kind];
    if (p) {
      const spent = p.lastAt - prevEnd;
      prevEnd = p.lastAt;
      const full = p.done >= total ? spent : (spent / p.done) * total;
      estimate += full;
      parts.push(`${kind}s: ${p.done.toLocaleString("en")}/${total.toLocaleString("en")} in ${(spent / 1000).toFixed(1)} s (${(p.done / (spent / 1000)).toFixed(0)}/s)${p.done >= total ? "" : ` → ~${(full / 1000).toFixed(0)} s for all`}`);
      continue;
    }
    const sampleMs = Math.min(15_000, budgetMs / 4);
    const step = Math.max(1, Math.floor(total / 5000));
    const s0 = performance.now();
    let n = 0;
    for (let id = 1; id <= total && performance.now() - s0 < sampleMs; id += step, n++) await runOne[kind](db, id, now);
    const spent = performance.now() - s0;
    const full = (spent / Math.max(1, n)) * total;
    estimate += full;
    parts.push(`${kind}s: not reached; a sample of ${n.toLocaleString("en")} took ${(spent / 1000).toFixed(1)} s (${(n / (spent / 1000)).toFixed(0)}/s) → ~${(full / 1000).toFixed(0)} s for ${total.toLocaleString("en")}`);
  }
  return { seconds: estimate / 1000, extrapolated: true, note: `recomputeAll stopped after ${(elapsed / 1000).toFixed(0)} s; ${parts.join("; ")}` };
}

async function startupTimes(cfg: BenchConfig, env: Record<string, string>, api: BenchBotApi): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < cfg.startup!.runs; i++) {
    const port = freePort();
    const t0 = performance.now();
    // BENCH_APP_FLAGS: extra bun flags for the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
    const flags = (process.env.BENCH_APP_FLAGS ?? "").split(" ").filter(Boolean);
    const child = spawnChild(["bun", ...flags, "src/main.ts"], { ...appEnv(cfg, api, port), ...env });
    try {
      times.push(await waitHealthy(`http://127.0.0.1:${port}`, t0, 60_000, child));
    } finally {
      await child.stop();
    }
  }
  return times;
}

