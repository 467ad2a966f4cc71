// A database server that goes away while the app runs: /healthz says 503, pages fail with a
// clean error page, and the app recovers by itself when the database returns.
// Needs a PostgreSQL server (the embedded database cannot go away): runs with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { openDatabase, type Database } from "../../src/db/client.ts";
import { seedCities } from "../../src/db/seeds/cities.ts";
import { createApp } from "../../src/web/app.ts";
import { listActiveCities } from "../../src/domain/catalog.ts";
import { statusOf } from "../../src/web/plugins/errors.tsx";
import { testConfig } from "../support/app.ts";
import { createServerDatabase, serverUrl, type TestDatabase } from "../support/db.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";

// This file starts databases, servers or processes: more than the 5 s default.
setDefaultTimeout(30_000);

// Needs a PostgreSQL server (TEST_DATABASE_URL): reported as skipped without one, so the count is honest.
describe.skipIf(!serverUrl)("database outage (PostgreSQL server)", () => {
  let server: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let viaProxy: Database;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    server = await createServerDatabase(serverUrl!);
    await seedCities(server.db);
    const target = new URL(server.url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.host = `127.0.0.1:${proxy.port}`;
    viaProxy = await openDatabase({ kind: "postgres", url: target.toString() }, { max: 2 });
    app = createApp({ config: testConfig(), database: viaProxy, botState: () => "off" });
  });
  afterAll(async () => {
    proxy.stop();
    await viaProxy.close();
    await server.dispose();
  });

  const healthz = () => app.handle(new Request("http://localhost/healthz"));

  test("healthz goes 200 → 503 → 200 as the database leaves and returns", async () => {
    expect((await healthz()).status).toBe(200);
    proxy.cut();
    expect((await healthz()).status).toBe(503);
    // A page's query fails with an error the error pages turn into a clean 503, not a 500.
    const failure = await listActiveCities(viaProxy.db).catch((e: unknown) => e);
    expect(statusOf("UNKNOWN", failure)).toBe(503);
    proxy.restore();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) status = (await healthz()).status;
    expect(status).toBe(200);
    expect((await listActiveCities(viaProxy.db)).length).toBe(23);
  });
});
