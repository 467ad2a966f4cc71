// CSV export of applications (the admin's current filter, or a school's / an instructor's own),
// in the reader's language: labels, not codes. Streamed: rows are read in batches
// by id (keyset pagination: `id > last order by id limit N`), each batch becomes one chunk and
// the next batch is read only when the consumer asks for more (highWaterMark 0). So a million
// rows go out in constant memory on both drivers, and a client that disconnects stops the reads.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { applications, cities, instructors, instructorSlots, lessons, schoolOffers, schools, students, type Language } from "../db/schema.ts";
import { exportTexts } from "../i18n/admin/export.ts";
import { t } from "../i18n/index.ts";
import { log } from "../log.ts";
import { formatPhone } from "../model/phone.ts";
import { formatName, offerKindName, sourceName, statusName, transmissionName } from "../../views/format.ts";
import { applicationWhere, type ApplicationFilter } from "./admin-applications.ts";
import { ownApplications, type Scope } from "./scope.ts";

/**
 * A cell a spreadsheet reads as a number, not a formula: an optional sign, then only digits and
 * spaces ("+7 701 234 56 01", "-5", "150 000"). With no letter it can name no function (HYPERLINK,
 * WEBSERVICE, DDE's cmd|…) and no cell, so there is nothing to run: such a cell is left readable.
 */
const PLAIN_NUMBER = /^[+-]?[0-9][0-9 ]*$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, semicolon or line break, quotes
 * doubled. A text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets
 * a leading apostrophe, so "=HYPERLINK(…)" typed by a student stays text; a plain number or phone
 * (PLAIN_NUMBER) is not a formula and keeps its form ("+7 701 234 56 01", never "'+7 701…").
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) s = "'" + s;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

/** The header row in the language (columns added later go at the end, so importers reading by position keep working). */
export const csvHeader = (language: Language): readonly string[] => exportTexts[language].header;

/** Which applications: the admin's filter, or an account's own (its scope: never another owner's rows). */
export type ExportFilter = ApplicationFilter & { scope?: Scope };

/** A CSV download: the stream with the headers every export answers with. */
export function csvResponse(body: ReadableStream<Uint8Array>, name: string): Response {
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}

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

export function exportApplicationsCsv(db: Db, filter: ExportFilter, zone: string, language: Language, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 1000, 10_000));
  const where = and(applicationWhere(filter, zone), filter.scope ? ownApplications(filter.scope) : undefined);
  const kinds = exportTexts[language].kinds;
  const situations = t(language).situationNames;
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
        city: language === "kk" ? cities.nameKk : cities.nameRu,
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
        // A booking of an instructor's slot has no typed time: its slot's, else its first lesson's.
        slotAt: instructorSlots.startsAt,
        lessonAt: sql<Date | null>`(select min(l.starts_at) from ${lessons} l where l.application_id = ${applications.id} and l.state <> 'cancelled')`.mapWith(lessons.startsAt),
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
      .leftJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
      .where(and(where, gt(applications.id, lastId)))
      .orderBy(asc(applications.id))
      .limit(batchSize);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          // A BOM so that Excel opens UTF-8 (Cyrillic) correctly.
          controller.enqueue(encoder.encode("\uFEFF" + csvLine(csvHeader(language))));
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
              kinds[r.kind] ?? r.kind,
              r.school,
              r.instructor,
              r.studentName,
              formatPhone(r.studentPhone),
              r.telegramId,
              r.category,
              formatName(r.format, language),
              r.transmission ? transmissionName(r.transmission, language) : "",
              r.price,
              r.preferredTime || stamp(r.slotAt ?? r.lessonAt),
              sourceName(r.source, language),
              statusName(r.status, language),
              stamp(r.firstResponseAt),
              stamp(r.confirmedAt),
              stamp(r.paidAt),
              stamp(r.cancelledAt),
              r.offerKind ? offerKindName(r.offerKind, language) : "",
              r.situation ? situations[r.situation] : "",
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
