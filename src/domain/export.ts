// CSV export of applications for the current admin filter, streamed: rows are read in batches
// by id (keyset pagination: `id > last order by id limit N`), each batch becomes one chunk and
// the next batch is read only when the consumer asks for more (highWaterMark 0). So a million
// rows go out in constant memory on both drivers, and a client that disconnects stops the reads.
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { applications, cities, instructors, schoolOffers, schools, students } from "../db/schema.ts";
import { log } from "../log.ts";
import { applicationWhere, type ApplicationFilter } from "./admin-applications.ts";

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, semicolon or line break, quotes
 * doubled. A text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets
 * a leading apostrophe, so "=HYPERLINK(…)" typed by a student stays text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

export const CSV_HEADER = [
  "номер",
  "создана",
  "город",
  "тип",
  "автошкола",
  "инструктор",
  "студент",
  "телефон",
  "telegram_id",
  "категория",
  "формат",
  "коробка",
  "предложение_цена_kzt",
  "желаемое_время",
  "источник",
  "статус",
  "первый_ответ",
  "подтверждена",
  "оплачена",
  "отменена",
  // Added later: at the end, so an importer reading columns by position keeps working.
  "вид_предложения",
  "ситуация",
] as const;

export interface ExportOptions {
  /** Rows per query (and per chunk). */
  batchSize?: number;
  /** Called after each query with the number of rows it returned (tests count fetches). */
  onBatch?: (rows: number) => void;
}

/** "2025-03-05 14:30" in the zone (sortable, what spreadsheets parse). */
function localStamp(zone: string) {
  const f = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return (d: Date | null) => (d ? f.format(d) : "");
}

export function exportApplicationsCsv(db: Db, filter: ApplicationFilter, zone: string, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 1000, 10_000));
  const where = applicationWhere(filter, zone);
  const stamp = localStamp(zone);
  const encoder = new TextEncoder();
  let lastId = 0;
  let started = false;
  let done = false;

  const fetchBatch = () =>
    db
      .select({
        id: applications.id,
        publicNumber: applications.publicNumber,
        createdAt: applications.createdAt,
        city: cities.nameRu,
        kind: applications.kind,
        school: schools.name,
        instructor: instructors.name,
        studentName: applications.studentName,
        studentPhone: applications.studentPhone,
        telegramId: students.telegramId,
        category: applications.category,
        format: applications.format,
        // full_course / practice / test_prep: a practice application's format says nothing.
        offerKind: schoolOffers.kind,
        situation: applications.situation,
        transmission: applications.transmission,
        price: schoolOffers.priceKzt,
        preferredTime: applications.preferredTime,
        source: applications.source,
        status: applications.status,
        firstResponseAt: applications.firstResponseAt,
        confirmedAt: applications.confirmedAt,
        paidAt: applications.paidAt,
        cancelledAt: applications.cancelledAt,
      })
      .from(applications)
      .innerJoin(cities, eq(cities.id, applications.cityId))
      .innerJoin(students, eq(students.id, applications.studentId))
      .leftJoin(schools, eq(schools.id, applications.schoolId))
      .leftJoin(instructors, eq(instructors.id, applications.instructorId))
      .leftJoin(schoolOffers, eq(schoolOffers.id, applications.offerId))
      .where(and(where, gt(applications.id, lastId)))
      .orderBy(asc(applications.id))
      .limit(batchSize);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          // A BOM so that Excel opens UTF-8 (Cyrillic) correctly.
          controller.enqueue(encoder.encode("\uFEFF" + csvLine(CSV_HEADER)));
          return;
        }
        if (done) return;
        try {
          const rows = await fetchBatch();
          opts.onBatch?.(rows.length);
          let text = "";
          for (const r of rows) {
            text += csvLine([
              r.publicNumber,
              stamp(r.createdAt),
              r.city,
              r.kind,
              r.school,
              r.instructor,
              r.studentName,
              r.studentPhone,
              r.telegramId,
              r.category,
              r.format,
              r.transmission,
              r.price,
              r.preferredTime,
              r.source,
              r.status,
              stamp(r.firstResponseAt),
              stamp(r.confirmedAt),
              stamp(r.paidAt),
              stamp(r.cancelledAt),
              r.offerKind,
              r.situation,
            ]);
          }
          if (rows.length) {
            lastId = rows[rows.length - 1]!.id;
            controller.enqueue(encoder.encode(text));
          }
          if (rows.length < batchSize) {
            done = true;
            controller.close();
          }
        } catch (err) {
          log.error("csv export failed", { err });
          done = true;
          controller.error(err);
        }
      },
      cancel() {
        done = true;
      },
    },
    { highWaterMark: 0 },
  );
}
