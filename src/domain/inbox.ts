// The CRM's reading of applications: the inbox (filtered, searched, paged, newest first; each row
// says whether the student wrote something unread and since when they wait for our answer), one
// application with its student and thread (and the thread's newer entries, for its poll), and
// notes. Every query is bounded and goes through the scope (scope.ts), so another tenant's id
// simply finds nothing.
import { and, asc, desc, eq, gt, isNotNull, or, sql, type SQL } from "drizzle-orm";
import { PAYMENT_CLOSED_STATUSES } from "../model/payment.ts";
import { queryRows, queryStatement, rowDate, statement, type Db, type Statement, type Tx } from "../db/client.ts";
import {
  accounts,
  applicationEvents,
  applications,
  indexValues,
  instructorSlots,
  payments,
  schoolOffers,
  students,
  type ApplicationStatus,
  type OfferKind,
} from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import { FINAL_STATUSES, sqlStatusList } from "../model/application-status.ts";
import { phoneSearchDigits } from "../model/phone.ts";
import { dayBounds } from "../model/time.ts";
import { ownApplication, ownApplications, ownApplicationsOfKind, ownerOf, type Scope } from "./scope.ts";
import type { Situation } from "../model/situation.ts";

/**
 * The one definition of "the student wrote something staff have not read": their last message is
 * newer than what staff last read (thread.ts's markThreadRead moves staff_read_at, and only
 * where this holds).
 */
export const UNREAD = sql`${applications.lastStudentMessageAt} > coalesce(${applications.staffReadAt}, '-infinity'::timestamptz)`;

/** Not final: a final application (rejected, cancelled, completed…) waits for nobody's answer. */
/** An application that is not final (FINAL_STATUSES): it can wait for an answer, students can write to it, staff answer it from Telegram. */
export const OPEN_APPLICATION = sql`${applications.status} not in ${sql.raw(sqlStatusList(FINAL_STATUSES))}`;

const rowColumns = {
  id: applications.id,
  publicNumber: applications.publicNumber,
  kind: applications.kind,
  createdAt: applications.createdAt,
  studentName: applications.studentName,
  studentPhone: applications.studentPhone,
  phoneConfirmed: applications.phoneConfirmed,
  category: applications.category,
  format: applications.format,
  transmission: applications.transmission,
  preferredTime: applications.preferredTime,
  situation: applications.situation,
  // The offer's kind names the course ("Практика вождения, B"): a left join by the offer's primary key.
  offerKind: schoolOffers.kind,
  source: applications.source,
  status: applications.status,
  slotStartsAt: instructorSlots.startsAt,
  // The student wrote after staff last opened the thread (thread.ts keeps both times).
  unread: sql<boolean>`coalesce(${UNREAD}, false)`,
  // A student's payment claim waits for the school's check ("ожидает проверки оплаты"): one probe
  // of the partial index payments_claimed_idx, which holds exactly those rows (model/payment.ts).
  // Not on a cancelled or rejected application: nobody answers a claim there (model/payment.ts paymentClosed).
  // `offset 0` keeps it a probe per row: without it PostgreSQL may hash the subquery instead,
  // planning for every row of the school rather than the page's 26, and then reads every claimed
  // payment of every school on each page (1,287 rows, 0.2 ms of the 0.5 ms statement on the bench
  // database; 26 probes: a few µs).
  paymentClaimed: sql<boolean>`(${applications.status} not in (${sql.raw(PAYMENT_CLOSED_STATUSES.map((s) => `'${s}'`).join(", "))}) and exists (select 1 from ${payments} where ${payments.applicationId} = ${applications.id} and ${payments.studentAt} is not null and ${payments.staffAt} is null and ${payments.disputedAt} is null offset 0))`,
  // A final application no longer waits (status.ts clears the column too; rows finalised before it did keep a stale value).
  awaitingReplySince: sql<Date | null>`case when ${OPEN_APPLICATION} then ${applications.awaitingReplySince} end`.mapWith(applications.awaitingReplySince),
};

export type InboxRow = {
  id: number;
  publicNumber: string;
  kind: "school" | "instructor";
  createdAt: Date;
  studentName: string;
  studentPhone: string;
  /** Telegram vouched for the phone (the student's own contact), else it was typed. */
  phoneConfirmed: boolean;
  category: string | null;
  format: string | null;
  transmission: string | null;
  preferredTime: string | null;
  /** What the student said of themselves when applying (null: not asked). */
  situation: Situation | null;
  /** The kind of the offer applied to (null: an instructor's application, or no offer). */
  offerKind: OfferKind | null;
  source: string;
  status: ApplicationStatus;
  slotStartsAt: Date | null;
  /** The student wrote something staff have not opened yet. */
  unread: boolean;
  /** Since when the student waits for the school's answer (null: nobody waits). */
  awaitingReplySince: Date | null;
  /** The student said they paid and the school has not checked it yet (payments_claimed_idx). */
  paymentClaimed: boolean;
};

export interface InboxFilter {
  status?: ApplicationStatus;
  /** Local dates (YYYY-MM-DD) in the configured zone, both inclusive. */
  from?: string;
  to?: string;
  /** Part of the student's name or phone. */
  q?: string;
  /** Only applications whose student waits for our answer, longest waiting first. */
  waiting?: boolean;
  page?: number;
}

export const PAGE_SIZE = 25;

// Newest first, exactly as the inbox indexes are declared (drizzle's .desc() is DESC NULLS LAST):
// a plain DESC means NULLS FIRST and PostgreSQL would sort instead of reading the index.
const NEWEST_FIRST = [sql`${applications.createdAt} desc nulls last`, sql`${applications.id} desc nulls last`];

/** The instants of a filter's local day; a malformed or out-of-range day is no filter. */
const boundsOf = (zone: string, day: string | undefined) => (day ? dayBounds(zone, day) : null);

/**
 * Whose search keys a row has: `s<school id>` or `i<instructor id>`. The search indexes of
 * migration 0019_inbox_word_search are built on this exact expression (PostgreSQL uses an index
 * only for the same expression), so change both together.
 */
export const searchOwner = sql`(case ${applications.kind} when 'school' then 's' || ${applications.schoolId} else 'i' || ${applications.instructorId} end)`;

/** The same key for a scope kind and its owner's id (a value or a placeholder). */
const searchOwnerOf = (kind: Scope["kind"], ownerId: unknown) => sql`(${kind === "school" ? "s" : "i"} || ${ownerId}::text)`;

/**
 * The search box: every word typed starts a word of the student's name, in any order (PostgreSQL's
 * 'simple' parser splits and lower-cases both sides, in the migration's inbox_name_keys and
 * inbox_name_query), or, for digits, any part of the phone. A word inside another word ("анар" in
 * "Жанар") is not found: the index holds words, which is what makes the search fast. With a status
 * filter the query asks the status's own keys (`status` null: any status).
 */
const nameMatches = (kind: Scope["kind"], ownerId: unknown, status: unknown, typed: unknown) =>
  sql`inbox_name_keys(${searchOwner}, ${applications.status}, ${applications.studentName}) @@ inbox_name_query(${searchOwnerOf(kind, ownerId)}, ${status}::text, ${typed}::text)`;

/** Digits anywhere in the phone (`%digits%`), through the owner's phone trigrams. */
const phoneMatches = (kind: Scope["kind"], ownerId: unknown, digits: unknown) =>
  sql`(${searchOwner} = ${searchOwnerOf(kind, ownerId)} and ${applications.studentPhone} like ${digits})`;

/**
 * A filter as named values, one per condition it has (an absent key is an absent condition). The
 * names are the placeholders of the page's prepared statement (pageStatement).
 */
interface FilterParams {
  status?: ApplicationStatus;
  /** The first instant of `from`'s local day and the first after `to`'s (ISO), when the day is valid. */
  from?: string;
  to?: string;
  /** What a person typed (trimmed, at most 100 characters); the database splits it into words. */
  q?: string;
  /** `%digits%` when the typed text is a phone fragment (phoneSearchDigits). */
  digits?: string;
  waiting?: true;
}

function paramsOf(f: InboxFilter, zone: string): FilterParams {
  const p: FilterParams = {};
  if (f.status) p.status = f.status;
  const from = boundsOf(zone, f.from);
  if (from) p.from = from.start.toISOString();
  const to = boundsOf(zone, f.to);
  if (to) p.to = to.end.toISOString();
  const typed = f.q?.trim().slice(0, 100);
  if (typed) {
    p.q = typed;
    const digits = phoneSearchDigits(typed);
    if (digits) p.digits = `%${digits}%`;
  }
  if (f.waiting) p.waiting = true;
  return p;
}

type Bind = (name: Exclude<keyof FilterParams, "waiting"> | "ownerId") => unknown;

/**
 * The conditions of a filter besides the scope. `bind` gives each value: a placeholder (a prepared
 * statement) or the value itself (the scope's owner id too: the search keys are the owner's). Raw
 * SQL, not eq(): values reach the driver as they are (ISO text for the days) whichever way they
 * are bound.
 */
function paramConditions(p: FilterParams, kind: Scope["kind"], bind: Bind): SQL[] {
  const where: SQL[] = [];
  if (p.status) where.push(sql`${applications.status} = ${bind("status")}`);
  if (p.from) where.push(sql`${applications.createdAt} >= ${bind("from")}`);
  if (p.to) where.push(sql`${applications.createdAt} < ${bind("to")}`);
  if (p.q) {
    // Prepared like every page (not PLAN_PER_CALL): the unprepared statement cost the app ~300 µs of
    // CPU per search, as much as the database's answer. PostgreSQL plans the first calls with the
    // values and keeps doing so while that is cheaper; its generic plan (the keys computed at run
    // time) still reads this index, ANDed with the school's b-tree, so its worst case is bounded:
    // 15–40 ms for a one-letter search in the busiest school, 2.4 ms for a full name
    // (bench/results.md). The trigram search's generic plan took 2.4 s for one letter.
    const byName = nameMatches(kind, bind("ownerId"), p.status ? bind("status") : null, bind("q"));
    where.push(p.digits ? sql`(${byName} or ${phoneMatches(kind, bind("ownerId"), bind("digits"))})` : byName);
  }
  // The partial indexes applications_*_waiting_idx hold exactly these rows (the status is checked on each).
  if (p.waiting) where.push(isNotNull(applications.awaitingReplySince), OPEN_APPLICATION);
  return where;
}

/** The search condition alone for what a person typed in a scope (null: nothing to search), its values inline. */
export function searchCondition(scope: Scope, typed: string): SQL | null {
  const { q, digits } = paramsOf({ q: typed }, "UTC");
  const values: Record<string, unknown> = { q, digits, ownerId: ownerOf(scope).ownerId };
  return q ? (paramConditions({ q, digits }, scope.kind, (name) => values[name])[0] ?? null) : null;
}

function filterConditions(scope: Scope, f: InboxFilter, zone: string): SQL[] {
  const p = paramsOf(f, zone);
  const values: Record<string, unknown> = { ...p, ownerId: ownerOf(scope).ownerId };
  return [ownApplications(scope), ...paramConditions(p, scope.kind, (name) => values[name])];
}

// Waiting rows: the longest wait first (the waiting index's order), so the most urgent is on top.
const LONGEST_WAITING_FIRST = [asc(applications.awaitingReplySince), asc(applications.id)];

/** Which conditions a filter has: the statements differ only by it. */
const shapeOf = (p: FilterParams) => Object.keys(p).sort().join("_") || "all";

/** The row's columns as one select list, each named as InboxRow's field (a raw statement's rows are the rows). */
const rowSelect = sql.join(
  Object.entries(rowColumns).map(([name, column]) => sql`${column} as ${sql.identifier(name)}`),
  sql`, `,
);
const rowSource = sql`${applications} left join ${instructorSlots} on ${instructorSlots.id} = ${applications.slotId} left join ${schoolOffers} on ${schoolOffers.id} = ${applications.offerId}`;

type PageRecord = Omit<InboxRow, "createdAt" | "slotStartsAt" | "awaitingReplySince"> & { createdAt: unknown; slotStartsAt: unknown; awaitingReplySince: unknown; pollLatest: number | null; pollNow: string };

/**
 * A page of the filter's shape, newest first (the longest waiting first for "waiting"), one more
 * than a page (to know one follows), and where the page's poller starts on every row: the scope's
 * newest application whatever the filter (one probe of the inbox index, run once: an InitPlan)
 * and the database's clock. One round trip for the page; asking for the start apart cost the app
 * ~60 µs of CPU and the database a statement per view.
 */
const buildPage = (kind: Scope["kind"], p: FilterParams) => {
  const own = ownApplicationsOfKind(kind);
  const where = and(own, ...paramConditions(p, kind, (name) => sql.placeholder(name)));
  const latest = sql`(select ${applications.id} from ${applications} where ${own} order by ${sql.join(NEWEST_FIRST, sql`, `)} limit 1)`;
  return statement(
    sql`select ${rowSelect}, ${latest} as "pollLatest", ${nowMicros} as "pollNow" from ${rowSource} where ${where}
         order by ${sql.join(p.waiting ? LONGEST_WAITING_FIRST : NEWEST_FIRST, sql`, `)} limit ${sql.raw(String(PAGE_SIZE + 1))} offset ${sql.placeholder("offset")}`,
  );
};

// Every page is built once per scope kind and shape (at most 2 × 2^6 statements), then run with
// the values as a raw statement: drizzle's building of the query cost more CPU than PostgreSQL's
// answer for the unfiltered page, and about as much as the planning for a search, and its mapping
// of 26 rows × 20 columns another ~40 µs per page (bench/results.md).
const pageStatements = new Map<string, Statement>();

function pageStatement(kind: Scope["kind"], p: FilterParams): Statement {
  const key = `${kind}:${shapeOf(p)}`;
  let built = pageStatements.get(key);
  if (!built) pageStatements.set(key, (built = buildPage(kind, p)));
  return built;
}

/** How far back the inbox poll looks again for new messages: a student's transaction may commit after its now(). */
export const POLL_OVERLAP_MICROS = 10_000_000;

/** The database's clock in microseconds since 1970 (the inbox poll's cursor: exact, unlike a JS Date). */
export const nowMicros = sql<string>`(extract(epoch from now()) * 1000000)::bigint::text`;

/** The most rows one poll answers with (new ones first). */
const POLL_LIMIT = 2 * PAGE_SIZE;

/**
 * The inbox's poll, in one query: applications of the filter that arrived after `afterId`, and
 * those whose student wrote since `sinceMicros` (less POLL_OVERLAP_MICROS), newest arrivals first,
 * then the latest writers; `now` is the next poll's `since` (null when the answer was cut at
 * POLL_LIMIT: the next poll looks from the same instant again, so nothing is skipped).
 *
 * Indexes, without a schema change: `id > after` is the primary key's range; a student's message
 * sets awaiting_reply_since (postStudentMessage), so a row with a new message is in the partial
 * index applications_*_waiting_idx (owner, awaiting_reply_since), which holds only the rows that
 * wait for an answer — PostgreSQL ORs the two bitmaps (EXPLAIN over 100k rows: BitmapOr of the
 * primary key and a waiting index, no scan of the school's rows). A row answered since (no longer waiting)
 * was read by the reply, so it is not needed for the unread mark.
 */
export async function listSince(db: Db, scope: Scope, afterId: number, sinceMicros: number, f: InboxFilter, zone: string): Promise<{ rows: InboxRow[]; now: number | null }> {
  const since = sql`('epoch'::timestamptz + ${Math.max(0, sinceMicros - POLL_OVERLAP_MICROS)}::bigint * interval '1 microsecond')`;
  const wrote = and(isNotNull(applications.awaitingReplySince), sql`${applications.lastStudentMessageAt} > ${since}`)!;
  const rows = await db
    .select({ ...rowColumns, now: nowMicros })
    .from(applications)
    .leftJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .leftJoin(schoolOffers, eq(schoolOffers.id, applications.offerId))
    .where(and(...filterConditions(scope, f, zone), or(gt(applications.id, afterId), wrote)))
    .orderBy(sql`${applications.id} > ${afterId} desc`, desc(applications.lastStudentMessageAt), desc(applications.id))
    .limit(POLL_LIMIT);
  const now = rows.length && rows.length < POLL_LIMIT ? Number(rows[0]!.now) : null;
  return { rows: rows.map(({ now: _, ...row }) => row as InboxRow), now };
}

/**
 * The inbox page: one page of rows and where the poller starts (`latest`, the scope's newest
 * application whatever the filter, and `now`, the database's clock: new messages after it), in
 * one statement; an empty page asks for the start apart.
 */
export async function inboxPage(db: Db, scope: Scope, f: InboxFilter, zone: string): Promise<{ rows: InboxRow[]; hasMore: boolean; page: number; latest: number; now: number }> {
  const page = Math.max(1, Math.min(f.page ?? 1, 10_000));
  const p = paramsOf(f, zone);
  const found = await queryStatement<PageRecord>(db, pageStatement(scope.kind, p), { ...p, ownerId: ownerOf(scope).ownerId, offset: (page - 1) * PAGE_SIZE });
  const head = found[0];
  // The rows become InboxRows in place (copying them cost ~25 µs a page); the poll columns stay on them unread.
  const rows = found.slice(0, PAGE_SIZE) as unknown as InboxRow[];
  for (const row of rows) {
    row.createdAt = rowDate(row.createdAt)!;
    row.slotStartsAt = rowDate(row.slotStartsAt);
    row.awaitingReplySince = rowDate(row.awaitingReplySince);
  }
  const start = head ? { latest: Number(head.pollLatest ?? 0), now: Number(head.pollNow) } : await pollStart(db, scope);
  return { rows, hasMore: found.length > PAGE_SIZE, page, ...start };
}

/** The scope's newest application id by the inbox order (0: none) and the database's clock, in one round trip. */
export async function pollStart(db: Db, scope: Scope): Promise<{ latest: number; now: number }> {
  // The newest row by the inbox index: one index probe, not a max() over the scope.
  const [row] = await queryRows<{ latest: number | null; now: string }>(
    db,
    sql`select (select ${applications.id} from ${applications} where ${ownApplications(scope)} order by ${sql.join(NEWEST_FIRST, sql`, `)} limit 1) as latest, ${nowMicros} as now`,
  );
  return { latest: Number(row!.latest ?? 0), now: Number(row!.now) };
}

export async function loadInboxRow(db: Db | Tx, scope: Scope, id: number): Promise<InboxRow | null> {
  const [row] = await db
    .select(rowColumns)
    .from(applications)
    .leftJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .leftJoin(schoolOffers, eq(schoolOffers.id, applications.offerId))
    .where(ownApplication(scope, id));
  return (row as InboxRow | undefined) ?? null;
}

export interface HistoryEntry {
  id: number;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  payload: Record<string, unknown>;
  at: Date;
  actor: string | null;
}

export interface ApplicationDetails {
  app: typeof applications.$inferSelect;
  student: typeof students.$inferSelect;
  offer: typeof schoolOffers.$inferSelect | null;
  slotStartsAt: Date | null;
  history: HistoryEntry[];
  /** The student's discipline index (0–100), when the analytics have computed one. */
  discipline: { value: number; computedAt: Date } | null;
}

/** One application of the scope with everything its page shows: four queries, whatever the history. */
export async function getApplication(db: Db, scope: Scope, id: number): Promise<ApplicationDetails | null> {
  const [row] = await db
    .select({ app: applications, student: students, offer: schoolOffers, slotStartsAt: instructorSlots.startsAt })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .leftJoin(schoolOffers, eq(schoolOffers.id, applications.offerId))
    .leftJoin(instructorSlots, eq(instructorSlots.id, applications.slotId))
    .where(ownApplication(scope, id));
  if (!row) return null;
  const [history, discipline] = await Promise.all([
    historyOf(db, id),
    db
      .select({ value: indexValues.value, computedAt: indexValues.computedAt })
      .from(indexValues)
      .where(and(eq(indexValues.subjectKind, "student"), eq(indexValues.subjectId, row.student.id))),
  ]);
  return { ...row, history, discipline: discipline[0] ?? null };
}

/** How many events a thread shows at most: the newest ones. */
export const THREAD_LIMIT = 500;

/** How far back a thread's poll looks again: an event's id and time are taken at insert, it shows at commit. */
export const THREAD_OVERLAP_MS = 10_000;

/** Where a thread's poll starts: the newest event id the page has and the newest event time it shows (ms). */
export interface ThreadCursor {
  afterId: number;
  atMs: number;
}

/**
 * The thread (history), oldest first, with the staff member's name (null actor = student or
 * system): the newest THREAD_LIMIT events, or (the page's poll) those after event `afterId` or
 * less than THREAD_OVERLAP_MS older than the newest the page shows. A transaction that began
 * earlier may commit a lower id (and an earlier time) after the page saw a higher one: the
 * overlap finds it, and the caller drops the entries the page already has.
 */
export async function historyOf(db: Db | Tx, applicationId: number, cursor?: ThreadCursor): Promise<HistoryEntry[]> {
  // No time (atMs 0): the page showed nothing, so only the ids count.
  const afterTime = cursor?.atMs ? sql`${applicationEvents.at} > ${new Date(cursor.atMs - THREAD_OVERLAP_MS).toISOString()}::timestamptz` : undefined;
  const newer = cursor ? (afterTime ? or(gt(applicationEvents.id, cursor.afterId), afterTime) : gt(applicationEvents.id, cursor.afterId)) : undefined;
  const rows = await db
    .select({
      id: applicationEvents.id,
      type: applicationEvents.type,
      fromStatus: applicationEvents.fromStatus,
      toStatus: applicationEvents.toStatus,
      payload: applicationEvents.payload,
      at: applicationEvents.at,
      actor: sql<string | null>`coalesce(nullif(${accounts.displayName}, ''), ${accounts.login})`,
    })
    .from(applicationEvents)
    .leftJoin(accounts, eq(accounts.id, applicationEvents.accountId))
    .where(and(eq(applicationEvents.applicationId, applicationId), newer))
    .orderBy(desc(applicationEvents.at), desc(applicationEvents.id))
    .limit(THREAD_LIMIT);
  return rows.reverse();
}

/** The student's newest message among `entries` (what a page rendered): how far staff have read. */
export function newestStudentMessage(entries: HistoryEntry[]): number | null {
  let newest: HistoryEntry | null = null;
  for (const e of entries) if (e.type === "message" && (!newest || e.at > newest.at || (+e.at === +newest.at && e.id > newest.id))) newest = e;
  return newest?.id ?? null;
}

/** The thread's entries in the poll's window (`cursor`), and who the student is, when the application is the scope's; else null. */
export async function threadSince(db: Db, scope: Scope, applicationId: number, cursor: ThreadCursor): Promise<{ studentName: string; entries: HistoryEntry[] } | null> {
  const [app] = await db.select({ studentName: applications.studentName }).from(applications).where(ownApplication(scope, applicationId));
  return app ? { studentName: app.studentName, entries: await historyOf(db, applicationId, cursor) } : null;
}

export const MAX_NOTE = 2000;

/** What is wrong with a note's text: a code the CRM words in the page's language (src/i18n/crm/application.ts). */
export type NoteProblem = "required" | "too_long";

export type NoteResult = { ok: true } | { ok: false; notFound: true } | { ok: false; error: NoteProblem; text: string };

/** What is wrong with a note's text (trimmed), or null. */
export function checkNote(text: string): NoteProblem | null {
  if (!text) return "required";
  return text.length > MAX_NOTE ? "too_long" : null;
}

/**
 * An internal note on an application (not sent to the student), with its audit row, in one
 * transaction. Another account's application is notFound, whatever the text.
 */
export async function addNote(db: Db, scope: Scope, applicationId: number, raw: string): Promise<NoteResult> {
  const text = raw.trim();
  const error = checkNote(text);
  return db.transaction(async (tx) => {
    const [app] = await tx.select({ id: applications.id }).from(applications).where(ownApplication(scope, applicationId));
    if (!app) return { ok: false, notFound: true } as const;
    if (error) return { ok: false, error, text } as const;
    await tx.insert(applicationEvents).values({ applicationId, accountId: scope.accountId, type: "note", payload: { text } });
    await recordAudit(tx, { accountId: scope.accountId, action: "application.note", subject: `application:${applicationId}` });
    return { ok: true } as const;
  });
}
