// The door's parsers (src/web/input.ts): what a route model lets through and what the query
// filters make of odd values. Each case is one of the inputs that used to reach PostgreSQL.
import { describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { dateParam, Form, IdParams, idParam, INT4_MAX, isSafeText, localDate, localDateTime, pageOf, QText, Text } from "../../src/web/input.ts";
import { errorPages } from "../../src/web/plugins/errors.tsx";

describe("text", () => {
  test("NUL bytes and lone surrogates are not safe; pairs, Cyrillic and Kazakh letters are", () => {
    expect(isSafeText("Айдана Серикова, Қазақстан 🚗")).toBe(true);
    expect(isSafeText("a\u0000b")).toBe(false);
    expect(isSafeText("\uD800")).toBe(false);
    expect(isSafeText("x\uDFFFy")).toBe(false);
  });
});

describe("query filters", () => {
  test("ids are int4 keys, or not applied", () => {
    expect(idParam("7")).toBe(7);
    expect(idParam(String(INT4_MAX))).toBe(INT4_MAX);
    for (const bad of ["0", "-1", "2147483648", "1e3", "1.5", "abc", "", undefined, 7]) expect(idParam(bad)).toBeUndefined();
  });
  test("pages are bounded", () => {
    expect(pageOf("3")).toBe(3);
    for (const bad of ["0", "-5", "abc", "1e308", "100000", undefined]) expect(pageOf(bad)).toBe(1);
  });
  test("dates are real calendar days of a sane year", () => {
    expect(localDate("2024-02-29")).toEqual({ y: 2024, m: 2, d: 29 });
    expect(dateParam(" 2025-12-31 ")).toBe("2025-12-31");
    for (const bad of ["2025-02-29", "2025-13-01", "9999-12-31", "1970-01-01", "2025-1-1", "yesterday", undefined]) expect(dateParam(bad)).toBeUndefined();
  });
  test("a local date and time is an instant in the zone, bounded like dates", () => {
    expect(localDateTime("2025-03-05T14:30", "Asia/Almaty")?.toISOString()).toBe("2025-03-05T09:30:00.000Z");
    expect(localDateTime("2025-03-05 14:30", "Asia/Almaty")?.toISOString()).toBe("2025-03-05T09:30:00.000Z");
    for (const bad of ["9999-12-31T10:00", "2025-02-30T10:00", "2025-03-05T24:00", "2025-03-05T10:60", "2025-03-05"]) expect(localDateTime(bad, "Asia/Almaty")).toBeNull();
  });
});

describe("a route declared with the models", () => {
  const app = new Elysia()
    .use(errorPages)
    .post("/x/:id", ({ params, body }) => `${params.id}:${body.text}`, { params: IdParams, body: Form({ text: Text(10) }) })
    .get("/q", ({ query }) => query.q ?? "", { query: t.Object({ q: QText(20) }) });
  const post = (path: string, body: string, type = "application/x-www-form-urlencoded") => app.handle(new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": type }, body }));

  test("valid input reaches the handler as typed (the CSRF field is kept for the guard)", async () => {
    const res = await post("/x/42", "text=hi&_csrf=t&other=dropped");
    expect(await res.text()).toBe("42:hi");
  });
  test("malformed text is a friendly 400 page, never Elysia's JSON", async () => {
    for (const [body, type] of [["text=a%00b", undefined], ['{"text":"\\uD800"}', "application/json"], ["text=" + "x".repeat(11), undefined], ['{"text":5}', "application/json"]] as const) {
      const res = await post("/x/1", body, type);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await res.text()).not.toContain('"type":"validation"');
    }
    const q = await app.handle(new Request("http://localhost/q?q=%00"));
    expect(q.status).toBe(400);
  });
  test("a malformed path id is the 404 of a missing page", async () => {
    for (const id of ["0", "abc", "2147483648", "1e308", "%00"]) expect((await post(`/x/${id}`, "text=hi")).status).toBe(404);
  });
});
