// Body limits over a real socket (issue 19): app.handle never meets Bun's own body cap, so these
// requests go through the app listening on 127.0.0.1 with the server options createApp gives it
// (what src/server.ts does). A body over 64 KiB, declared or chunked, gets the app's 413 with the
// same security headers as a normal page; a 60 KiB form still works; a body far over Bun's hard
// cap is refused (413 or a closed connection) and the server goes on answering.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import net from "node:net";
import { MAX_BODY_BYTES, SERVER_BODY_CAP_BYTES } from "../../src/web/plugins/security.tsx";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
let port: number;
let staff: Awaited<ReturnType<typeof fx.createStaff>>;
const LOGIN = "/crm/schools/login/";
const HEADERS = ["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy", "permissions-policy"];

interface RawAnswer {
  /** null when the server closed the connection without answering. */
  status: number | null;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `head` and then `body` parts to a fresh connection and reads the first answer (until
 * its Content-Length is in, or the connection closes). Write errors after the server has
 * answered or closed are expected (it stops reading an oversized body) and ignored.
 */
function rawRequest(head: string, body: Iterable<Buffer | string>): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = data.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return resolve({ status: null, headers: {}, body: "" });
      const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: data.subarray(end + 4).toString("utf8") });
    };
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && data.length >= end + 4 + Number(length)) finish();
    });
    socket.on("close", finish);
    socket.on("error", finish);
    socket.on("connect", async () => {
      socket.write(head);
      for (const part of body) {
        if (done || socket.destroyed) return;
        // Wait for the kernel to take each part, as a real client does; stop once the server ended.
        if (!socket.write(part)) await new Promise((r) => socket.once("drain", r).once("close", r));
      }
    });
  });
}

const origin = () => `http://127.0.0.1:${port}`;
const formHead = (extra: string) =>
  `POST ${LOGIN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin()}\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n${extra}\r\n`;

/** A declared body: Content-Length, then the bytes in 16 KiB writes. */
function declared(body: string) {
  const parts = [];
  for (let i = 0; i < body.length; i += 16_384) parts.push(body.slice(i, i + 16_384));
  return rawRequest(formHead(`Content-Length: ${Buffer.byteLength(body)}\r\n`), parts);
}

/** A chunked body of `total` bytes (a login form padded with a long field), in 16 KiB chunks. */
function* chunks(body: string) {
  for (let i = 0; i < body.length; i += 16_384) {
    const part = body.slice(i, i + 16_384);
    yield `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
  }
  yield "0\r\n\r\n";
}
const chunked = (body: string) => rawRequest(formHead("Transfer-Encoding: chunked\r\n"), chunks(body));

/** A login form (right or wrong password) padded with an extra field to `size` bytes. */
function loginForm(size: number, password = fx.PASSWORD): string {
  const start = fx.formBody({ login: staff.login, password }) + "&padding=";
  return start + "x".repeat(size - start.length);
}

let normal: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  staff = await fx.createStaff(t.database.db, { schoolId: (await fx.createSchool(t.database.db)).id });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  port = t.app.server!.port!;
  const page = await fetch(`${origin()}${LOGIN}`);
  expect(page.status).toBe(200);
  normal = Object.fromEntries(HEADERS.map((h) => [h, page.headers.get(h)!]));
  for (const h of HEADERS) expect(normal[h]).toBeTruthy();
});
afterAll(async () => {
  await t.app.stop(true);
  await t.dispose();
});

const expectAppRefusal = (res: RawAnswer) => {
  expect(res.status).toBe(413);
  expect(Object.fromEntries(HEADERS.map((h) => [h, res.headers[h]]))).toEqual(normal);
  expect(res.headers["content-type"]).toContain("text/html");
  expect(res.body).toContain("Слишком большой запрос.");
};

describe("bodies over 64 KiB on a real socket", () => {
  test("the limits are what the docs say: 64 KiB, and Bun's cap a few times that", () => {
    expect(MAX_BODY_BYTES).toBe(64 * 1024);
    expect(SERVER_BODY_CAP_BYTES).toBeGreaterThan(MAX_BODY_BYTES);
    expect(SERVER_BODY_CAP_BYTES).toBeLessThanOrEqual(1024 * 1024);
  });

  test("a declared 70 KiB body gets the app's 413 with the page's security headers", async () => {
    expectAppRefusal(await declared(loginForm(70 * 1024)));
  });

  test("a chunked body over 64 KiB gets the same 413", async () => {
    expectAppRefusal(await chunked(loginForm(70 * 1024)));
    expectAppRefusal(await chunked(loginForm(SERVER_BODY_CAP_BYTES - 16 * 1024)));
  });

  test("a 60 KiB form still works, declared or chunked", async () => {
    for (const send of [declared, chunked]) {
      const ok = await send(loginForm(60 * 1024));
      expect(ok.status).toBe(303);
      expect(ok.headers["location"]).toBe("/crm/schools/");
      const wrong = await send(loginForm(60 * 1024, "not-the-password"));
      expect(wrong.status).toBe(401);
      expect(Object.fromEntries(HEADERS.map((h) => [h, wrong.headers[h]]))).toEqual(normal);
    }
  });

  test("a 5 MiB body is refused (413 or closed) and the server goes on answering", async () => {
    const huge = loginForm(5 * 1024 * 1024);
    for (const send of [declared, chunked]) {
      const res = await send(huge);
      expect(res.status === 413 || res.status === null).toBe(true);
      expect((await fetch(`${origin()}/healthz`)).status).toBe(200);
    }
  });
});
