import { describe, expect, spyOn, test } from "bun:test";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describeError, log, redactSecrets } from "../../src/log.ts";

describe("logs", () => {
  test("never carry the bot token or a database password", () => {
    const line = redactSecrets('getUpdates failed url=https://api.telegram.org/bot123456:AAH-x_y/getUpdates db=postgres://app:s3cret@db/app');
    expect(line).not.toContain("AAH-x_y");
    expect(line).not.toContain("s3cret");
    expect(line).toContain("https://api.telegram.org/bot<redacted>/getUpdates");
  });

  test("redact only a URL's password: ports, paths and later fields survive (issue 19)", () => {
    const line = redactSecrets('{"msg":"listening","url":"http://localhost:3000/","db":"postgres://app:s3cret@127.0.0.1:5432/redteam_bf","note":"x"}');
    expect(line).toBe('{"msg":"listening","url":"http://localhost:3000/","db":"postgres://app:***@127.0.0.1:5432/redteam_bf","note":"x"}');
    // A host with a port and, later on the line, an unrelated "@": nothing between them is eaten.
    expect(redactSecrets("open http://x:8080/path then mail admin@example.com")).toBe("open http://x:8080/path then mail admin@example.com");
    expect(redactSecrets("db=postgres://u:p%40ss@h:5432/d")).toBe("db=postgres://u:***@h:5432/d");
  });

  test("never carry an instructor's calendar feed token (issue 15, iCal part)", () => {
    const token = "Zq8_-a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9";
    const line = redactSecrets(`request failed method=GET url=/calendar/${token}.ics status=500`);
    expect(line).not.toContain(token);
    expect(line).toBe("request failed method=GET url=/calendar/<redacted> status=500");
  });

  test("a failed query is logged with its statement and reason, never its parameters", () => {
    const sessionId = "k3xq9sessionsecretzz";
    const cause = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
    const failed = new DrizzleQueryError('select "id" from "sessions" where "sessions"."id" = $1', [sessionId], cause);
    expect(failed.message).toContain(sessionId); // drizzle's own message does carry it
    const described = describeError(failed);
    expect(described.err).toBe("write CONNECTION_CLOSED 127.0.0.1:5432");
    expect(described.query).toBe('select "id" from "sessions" where "sessions"."id" = $1');
    expect(JSON.stringify(described)).not.toContain(sessionId);
    const logged: string[] = [];
    const spy = spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write);
    try {
      log.error("request failed", { err: failed });
    } finally {
      spy.mockRestore();
    }
    expect(logged.join("")).toContain("CONNECTION_CLOSED");
    expect(logged.join("")).not.toContain(sessionId);
  });

  test("other errors keep their message, also when they carry a query (as PGlite's own errors do)", () => {
    expect(describeError(new Error("boom")).err).toBe("boom");
    const pglite = Object.assign(new Error('relation "nope" does not exist'), { query: "select * from nope", params: [] });
    expect(describeError(pglite).err).toBe('relation "nope" does not exist');
  });
});
