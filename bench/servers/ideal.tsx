// Ceiling (b), the ideal page: a bare Elysia route that runs one indexed query for the same rows
// as the inbox's first page and renders them with the same row partial. No session, no layout,
// no counts, no poller: the least any database-backed page can cost.
// Env: DATABASE_URL (postgres://), SCHOOL_ID, PORT (0 = any). Prints "port <n>" when listening.
import { Elysia } from "elysia";
import postgres from "postgres";
import { PAGE_SIZE, type InboxRow } from "../../src/domain/inbox.ts";
import { ApplicationRow } from "../../views/partials/application-row.tsx";

export type RowsQuery = (schoolId: number, limit: number) => Promise<InboxRow[]>;

/** The inbox's first-page query, by hand: the school's index, newest first, the slot joined. */
export function postgresRows(url: string, max = 10): { rows: RowsQuery; close(): Promise<void> } {
  const sql = postgres(url, { max, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  return {
    rows: (schoolId, limit) => sql<InboxRow[]>`
      select a.id, a.public_number as "publicNumber", a.kind, a.created_at as "createdAt", a.student_name as "studentName",
             a.student_phone as "studentPhone", a.category, a.format, a.transmission, a.preferred_time as "preferredTime",
             a.source, a.status, s.starts_at as "slotStartsAt"
        from applications a left join instructor_slots s on s.id = a.slot_id
       where a.kind = 'school' and a.school_id = ${schoolId}
       order by a.created_at desc nulls last, a.id desc nulls last
       limit ${limit}`.then((r) => [...r]),
    close: () => sql.end({ timeout: 5 }),
  };
}

export function idealApp(rows: RowsQuery, schoolId: number, zone: string) {
  const ctx = { base: "/crm/schools", zone, now: new Date(), language: "ru" as const };
  return new Elysia().get("/inbox", async () => {
    const found = await rows(schoolId, PAGE_SIZE + 1);
    ctx.now = new Date();
    const html = (
      <table class="inbox">
        <tbody>
          {found.slice(0, PAGE_SIZE).map((row) => (
            <ApplicationRow row={row} ctx={ctx} />
          ))}
        </tbody>
      </table>
    );
    return new Response(await html, { headers: { "content-type": "text/html; charset=utf-8" } });
  });
}

if (import.meta.main) {
  const q = postgresRows(process.env.DATABASE_URL!);
  const app = idealApp(q.rows, Number(process.env.SCHOOL_ID), process.env.TIME_ZONE ?? "Asia/Almaty");
  app.listen({ hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
  process.stdout.write(`port ${app.server!.port}\n`);
}
