// Ceiling (a): a bare Bun.serve answering a pre-rendered copy of the inbox page, nothing else.
// Env: PORT (0 = any), BARE_HTML_FILE. Prints "port <n>" when listening.
import { readFileSync } from "node:fs";

export function serveBare(html: Uint8Array<ArrayBuffer>, port = 0) {
  const headers = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
  return Bun.serve({ hostname: "127.0.0.1", port, fetch: () => new Response(html, { headers }) });
}

if (import.meta.main) {
  const server = serveBare(new Uint8Array(readFileSync(process.env.BARE_HTML_FILE!)), Number(process.env.PORT ?? 0));
  process.stdout.write(`port ${server.port}\n`);
}
