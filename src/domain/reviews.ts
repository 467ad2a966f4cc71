// Reviews (issue 16): a student rates a school or an instructor after a finished application, the
// school or instructor answers publicly once, the platform's staff hide an abusive one.
//
// "Finished" has one meaning here, and a review_requests row is its record: a school application
// finished when it reached `completed` (status.ts calls requestReview in that transaction); an
// instructor application finished when a lesson of it was marked conducted and it had no planned
// lesson left (lessons.ts calls requestReviewAfterLesson in the marking transaction). A student can
// review only an application of theirs with such a row, so no review comes without a finished
// application, and the unique indexes on reviews keep it to one per student and subject.
//
// A hidden review keeps counting in the average (the rating is the student's, only the words were
// abusive) but its comment and author leave this module for nobody but the admin.
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../db/client.ts";
import { applications, instructors, reviewRequests, reviews, schools, students, type Language } from "../db/schema.ts";
import { DEFAULT_TIME_ZONE } from "../model/time.ts";
import { CARD_REVIEWS, isRating, MAX_REVIEW_TEXT, REVIEW_REMINDER_MS, reviewDueAt } from "../model/review.ts";
import { reviewAsk, type RatingButtons } from "../notify/review.ts";
import { recordAudit } from "./audit.ts";
import { markReviewDirty } from "./index-refresh.ts";
import { enqueueMessage } from "./outbox.ts";
import type { Scope } from "./scope.ts";
import { senderName, senderNameColumns } from "./templates.ts";

export type ReviewSubject = "school" | "instructor";

// ---------------------------------------------------------------- when to ask

/** A school application reached `completed` at `now`: ask for its review the next day (idempotent). */
export async function requestReview(tx: Db | Tx, applicationId: number, now: Date, timeZone: string): Promise<void> {
  await tx.insert(reviewRequests).values({ applicationId, dueAt: reviewDueAt(now, timeZone) }).onConflictDoNothing();
}

/**
 * A lesson of an instructor application was marked (conducted or missed) or cancelled at `now`: when the application has
 * no planned lesson left, its lessons are over and its review is asked for (idempotent: a later
 * package of lessons on the same application asks nothing more).
 */
export async function requestReviewAfterLesson(tx: Db | Tx, applicationId: number, now: Date, timeZone: string): Promise<void> {
  await tx.execute(sql`insert into review_requests (application_id, due_at)
    select a.id, ${reviewDueAt(now, timeZone).toISOString()}::timestamptz from applications a
    where a.id = ${applicationId} and a.kind = 'instructor'
      and not exists (select 1 from lessons l where l.application_id = a.id and l.state = 'planned')
      and exists (select 1 from lessons l where l.application_id = a.id and l.state = 'conducted')
    on conflict do nothing`);
}

// ---------------------------------------------------------------- the job

export interface ReviewAskRound {
  asked: number;
  reminded: number;
  closed: number;
  /** Instructor applications with a lesson still planned: asked after it instead. */
  postponed: number;
  /** The round hit its limit: more may be due. */
  full: boolean;
}

/**
 * One round of the review job (src/jobs/review-requests.ts): the due requests nobody answered get
 * the question (first ask), or the one reminder REVIEW_REMINDER_MS after it; requests whose student
 * already reviewed that school or instructor, or is blocked or unreachable, or that repeat another
 * open request of the same student about the same subject, are closed instead. An instructor
 * application with a lesson planned again since is not over: asked the morning after that lesson.
 * The rows are claimed `for update skip locked` and asked_at / reminded_at are set in the
 * transaction that enqueues the message (bulk lane), so each message goes once across instances.
 */
export async function sendDueReviewRequests(db: Db, now: Date, opts: { limit?: number; timeZone?: string; buttons: (applicationId: number) => RatingButtons }): Promise<ReviewAskRound> {
  const limit = opts.limit ?? 200;
  const at = sql`${now.toISOString()}::timestamptz`;
  const remindBefore = sql`${new Date(now.getTime() - REVIEW_REMINDER_MS).toISOString()}::timestamptz`;
  return db.transaction(async (tx) => {
    const rows = await queryRows<{
      application_id: number; asked: boolean; blocked: boolean; unreachable: boolean; reviewed: boolean; duplicate: boolean; planned_until: string | Date | null;
      chat_id: string | number; language: Language; public_number: string; subject_name: string; subject_name_kk: string; kind: ReviewSubject;
    }>(tx, sql`select rr.application_id, rr.asked_at is not null as asked, s.blocked, s.unreachable_at is not null as unreachable,
        exists (select 1 from reviews r where r.student_id = a.student_id
                and (r.school_id = a.school_id or r.instructor_id = a.instructor_id)) as reviewed,
        -- One question per student and subject: another open request of theirs about the same school
        -- or instructor that was asked already, or (both not asked yet) the older one, goes instead.
        exists (select 1 from review_requests rr2 join applications a2 on a2.id = rr2.application_id
                where a2.student_id = a.student_id and a2.id <> a.id and rr2.closed_at is null
                  and (a2.school_id = a.school_id or a2.instructor_id = a.instructor_id)
                  and (rr2.asked_at is not null and rr.asked_at is null or (rr2.asked_at is null) = (rr.asked_at is null) and a2.id < a.id)) as duplicate,
        -- An instructor application with a lesson still planned (booked one at a time): not over yet.
        (select max(l.starts_at) from lessons l where l.application_id = a.id and l.state = 'planned') as planned_until,
        s.chat_id, s.language, a.public_number, a.kind, coalesce(sc.name, i.name) as subject_name, coalesce(sc.name_kk, '') as subject_name_kk
      from (select application_id, asked_at from review_requests
            where closed_at is null and due_at <= ${at}
              and (asked_at is null or (reminded_at is null and asked_at <= ${remindBefore}))
            order by due_at, application_id limit ${limit} for update skip locked) rr
      join applications a on a.id = rr.application_id
      join students s on s.id = a.student_id
      left join schools sc on sc.id = a.school_id
      left join instructors i on i.id = a.instructor_id`);
    const round: ReviewAskRound = { asked: 0, reminded: 0, closed: 0, postponed: 0, full: rows.length === limit };
    const close: number[] = [];
    const ask: number[] = [];
    const remind: number[] = [];
    for (const r of rows) {
      const id = Number(r.application_id);
      if (r.reviewed || r.blocked || r.unreachable || r.duplicate) {
        close.push(id);
        continue;
      }
      if (r.planned_until !== null) {
        // Asked the morning after the last planned lesson instead (rare: one statement per row).
        const due = reviewDueAt(new Date(r.planned_until), opts.timeZone ?? DEFAULT_TIME_ZONE);
        await tx.execute(sql`update review_requests set due_at = ${due.toISOString()}::timestamptz where application_id = ${id}`);
        round.postponed++;
        continue;
      }
      await enqueueMessage(tx, Number(r.chat_id), reviewAsk(r.language, { number: r.public_number, kind: r.kind, name: senderName({ name: r.subject_name, nameKk: r.subject_name_kk }, r.language), reminder: r.asked }, opts.buttons(id)));
      (r.asked ? remind : ask).push(id);
    }
    const ids = (list: number[]) => sql.join(list.map((id) => sql`${id}`), sql`, `);
    if (close.length) await tx.execute(sql`update review_requests set closed_at = ${at} where application_id in (${ids(close)})`);
    if (ask.length) await tx.execute(sql`update review_requests set asked_at = ${at} where application_id in (${ids(ask)})`);
    if (remind.length) await tx.execute(sql`update review_requests set reminded_at = ${at} where application_id in (${ids(remind)})`);
    return { ...round, asked: ask.length, reminded: remind.length, closed: close.length };
  });
}

// ---------------------------------------------------------------- the student's review

export interface ReviewTarget {
  applicationId: number;
  publicNumber: string;
  kind: ReviewSubject;
  schoolId: number | null;
  instructorId: number | null;
  cityId: number;
  name: string;
}

export type ReviewRefusal = "not_found" | "not_finished" | "already";

/**
 * What the student may review through `applicationId`: their own application (another student's
 * is "not found", like a forged button), finished (it has a review request), and its school or
 * instructor not reviewed by them yet.
 */
export async function reviewTargetFor(tx: Db | Tx, studentId: number, applicationId: number): Promise<{ ok: true; target: ReviewTarget } | { ok: false; reason: ReviewRefusal }> {
  const [row] = await tx
    .select({
      applicationId: applications.id,
      publicNumber: applications.publicNumber,
      kind: applications.kind,
      schoolId: applications.schoolId,
      instructorId: applications.instructorId,
      cityId: applications.cityId,
      name: senderNameColumns(),
      language: students.language,
      requested: sql<boolean>`${reviewRequests.applicationId} is not null`,
    })
    .from(applications)
    .innerJoin(students, eq(students.id, applications.studentId))
    .leftJoin(schools, eq(schools.id, applications.schoolId))
    .leftJoin(instructors, eq(instructors.id, applications.instructorId))
    .leftJoin(reviewRequests, eq(reviewRequests.applicationId, applications.id))
    .where(and(eq(applications.id, applicationId), eq(applications.studentId, studentId)));
  if (!row) return { ok: false, reason: "not_found" };
  if (!row.requested) return { ok: false, reason: "not_finished" };
  const kind: ReviewSubject = row.schoolId ? "school" : "instructor";
  const [done] = await tx
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.studentId, studentId), kind === "school" ? eq(reviews.schoolId, row.schoolId!) : eq(reviews.instructorId, row.instructorId!)))
    .limit(1);
  if (done) return { ok: false, reason: "already" };
  return {
    ok: true,
    target: { applicationId: row.applicationId, publicNumber: row.publicNumber, kind, schoolId: row.schoolId, instructorId: row.instructorId, cityId: row.cityId, name: senderName(row.name, row.language) },
  };
}

export type SaveReviewResult = { ok: true; target: ReviewTarget } | { ok: false; reason: ReviewRefusal | "bad_rating" | "too_long" };

/**
 * Saves the student's review in the caller's transaction (the bot's update), as a savepoint: the
 * review (city from the application), every open request of this student for this subject closed,
 * the city's indexes marked (markReviewDirty), the audit row. Refused with nothing saved when the
 * target is not reviewable (reviewTargetFor), the rating is not 1–5 or the comment too long.
 */
export async function saveReview(
  db: Db | Tx,
  studentId: number,
  input: { applicationId: number; rating: number; comment: string; showName: boolean },
  now: Date,
): Promise<SaveReviewResult> {
  if (!isRating(input.rating)) return { ok: false, reason: "bad_rating" };
  const comment = input.comment.trim();
  if (comment.length > MAX_REVIEW_TEXT) return { ok: false, reason: "too_long" };
  return db.transaction(async (tx) => {
    const found = await reviewTargetFor(tx, studentId, input.applicationId);
    if (!found.ok) return found;
    const t = found.target;
    // The unique indexes are the last word (two updates racing): a conflict inserts nothing.
    const [saved] = await tx
      .insert(reviews)
      .values({ applicationId: t.applicationId, studentId, schoolId: t.schoolId, instructorId: t.instructorId, cityId: t.cityId, rating: input.rating, comment, showName: input.showName, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: reviews.id });
    if (!saved) return { ok: false, reason: "already" } as const;
    const sameSubject = t.schoolId ? sql`a.school_id = ${t.schoolId}` : sql`a.instructor_id = ${t.instructorId}`;
    await tx.execute(sql`update review_requests rr set closed_at = ${now.toISOString()}::timestamptz from applications a
      where a.id = rr.application_id and rr.closed_at is null and a.student_id = ${studentId} and ${sameSubject}`);
    await markReviewDirty(tx, t.cityId);
    await recordAudit(tx, { accountId: null, action: "review.create", subject: `review:${saved.id}`, after: { applicationId: t.applicationId, rating: input.rating, showName: input.showName } });
    return { ok: true, target: t } as const;
  });
}

/** The student's applications they may review now ("Оставить отзыв" in /my): finished, subject not reviewed by them yet. */
export async function reviewableApplications(db: Db | Tx, studentId: number): Promise<Set<number>> {
  const rows = await queryRows<{ id: number }>(db, sql`select a.id from applications a
    join review_requests rr on rr.application_id = a.id
    where a.student_id = ${studentId}
      and not exists (select 1 from reviews r where r.student_id = a.student_id and (r.school_id = a.school_id or r.instructor_id = a.instructor_id))`);
  return new Set(rows.map((r) => Number(r.id)));
}

// ---------------------------------------------------------------- the bot's card

export interface CardComment {
  rating: number;
  comment: string;
  /** The author's first name when they chose to show it, else null ("Ученик" / "Оқушы"). */
  author: string | null;
  reply: string | null;
}

export interface ReviewSummary {
  average: number;
  count: number;
  latest: CardComment[];
}

const subjectColumn = (kind: ReviewSubject) => sql.raw(kind === "school" ? "school_id" : "instructor_id");

/**
 * The review block of the cards of `ids` (one school, or a page of them) in one statement: the
 * average and count over every review (hidden ones count: their rating stands, only their words
 * are withdrawn), and the latest CARD_REVIEWS visible comments each, over reviews_*_idx. A subject
 * without reviews is absent from the map.
 */
export async function reviewSummaries(db: Db | Tx, kind: ReviewSubject, ids: number[]): Promise<Map<number, ReviewSummary>> {
  const out = new Map<number, ReviewSummary>();
  if (!ids.length) return out;
  const col = subjectColumn(kind);
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const rows = await queryRows<{ subject_id: number; average: number; count: number; latest: unknown }>(
    db,
    sql`select g.subject_id, g.average, g.count, coalesce((
        select json_agg(json_build_object('rating', x.rating, 'comment', x.comment, 'author', x.author, 'reply', x.reply) order by x.created_at desc, x.id desc)
        from (select r.id, r.rating, r.comment, r.reply, r.created_at, case when r.show_name then nullif(s.first_name, '') end as author
              from reviews r join students s on s.id = r.student_id
              where r.${col} = g.subject_id and r.hidden_at is null and r.comment <> ''
              order by r.created_at desc, r.id desc limit ${CARD_REVIEWS}) x), '[]') as latest
      from (select ${col} as subject_id, avg(rating)::float8 as average, count(*)::int as count
            from reviews where ${col} in (${list}) group by ${col}) g`,
  );
  for (const r of rows) {
    const latest = (typeof r.latest === "string" ? JSON.parse(r.latest) : r.latest) as CardComment[];
    out.set(Number(r.subject_id), { average: Number(r.average), count: Number(r.count), latest });
  }
  return out;
}

/** One card's review block (the catalog cache keeps it: catalog-cache.ts), or null without reviews. */
export async function reviewSummary(db: Db | Tx, kind: ReviewSubject, id: number): Promise<ReviewSummary | null> {
  return (await reviewSummaries(db, kind, [id])).get(id) ?? null;
}

// ---------------------------------------------------------------- the CRM

export interface CrmReview {
  id: number;
  rating: number;
  createdAt: Date;
  /** Null when hidden by the platform's staff: neither the words nor the author are shown. */
  comment: string | null;
  author: string | null;
  hidden: boolean;
  reply: string | null;
  repliedAt: Date | null;
}

const ownReviews = (scope: Scope): SQL => (scope.kind === "school" ? eq(reviews.schoolId, scope.schoolId) : eq(reviews.instructorId, scope.instructorId));

/** A review as the CRM may show it: a hidden one without its words and author. */
function crmReviewOf({ r, firstName }: { r: typeof reviews.$inferSelect; firstName: string | null }): CrmReview {
  const hidden = r.hiddenAt !== null;
  return { id: r.id, rating: r.rating, createdAt: r.createdAt, hidden, comment: hidden ? null : r.comment, author: hidden || !r.showName ? null : firstName || null, reply: r.reply, repliedAt: r.repliedAt };
}

/** Reviews per CRM page. */
export const CRM_REVIEWS_PAGE = 50;

/**
 * One page of the scope's reviews, newest first, as the CRM may show them: `limit` of them after
 * review `after` (keyset on created_at, id: the index reviews_school_idx / reviews_instructor_idx;
 * an id that is not the scope's own gives an empty page). `next` is the last id shown when there
 * are more. The average and the count are over all of them.
 */
export async function listOwnReviews(
  db: Db | Tx,
  scope: Scope,
  opts: { after?: number; limit?: number } = {},
): Promise<{ reviews: CrmReview[]; average: number | null; count: number; next: number | null }> {
  const limit = opts.limit ?? CRM_REVIEWS_PAGE;
  const after = opts.after
    ? sql`(${reviews.createdAt}, ${reviews.id}) < (select r2.created_at, r2.id from reviews r2 where r2.id = ${opts.after} and ${scope.kind === "school" ? sql`r2.school_id = ${scope.schoolId}` : sql`r2.instructor_id = ${scope.instructorId}`})`
    : undefined;
  const rows = await db
    .select({ r: reviews, firstName: students.firstName })
    .from(reviews)
    .innerJoin(students, eq(students.id, reviews.studentId))
    .where(after ? and(ownReviews(scope), after) : ownReviews(scope))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(limit + 1);
  const [agg] = await db.select({ average: sql<number | null>`avg(${reviews.rating})::float8`, count: sql<number>`count(*)::int` }).from(reviews).where(ownReviews(scope));
  const shown = rows.slice(0, limit).map(crmReviewOf);
  return {
    reviews: shown,
    average: agg?.average == null ? null : Number(agg.average),
    count: Number(agg?.count ?? 0),
    next: rows.length > limit ? shown.at(-1)!.id : null,
  };
}

/** One of the scope's reviews by id, as the CRM may show it (null: none such of its own). */
export async function ownReview(db: Db | Tx, scope: Scope, reviewId: number): Promise<CrmReview | null> {
  const [row] = await db
    .select({ r: reviews, firstName: students.firstName })
    .from(reviews)
    .innerJoin(students, eq(students.id, reviews.studentId))
    .where(and(ownReviews(scope), eq(reviews.id, reviewId)));
  return row ? crmReviewOf(row) : null;
}

export type AnswerResult = { ok: true } | { ok: false; reason: "not_found" | "empty" | "too_long" | "already" | "hidden" };

/**
 * The school's (or instructor's) public answer to one of its reviews, once: an empty or too long
 * text, a second answer, a hidden review or another account's review is refused, nothing changed.
 */
export async function answerReview(db: Db, scope: Scope, reviewId: number, text: string): Promise<AnswerResult> {
  const reply = text.trim();
  if (!reply) return { ok: false, reason: "empty" };
  if (reply.length > MAX_REVIEW_TEXT) return { ok: false, reason: "too_long" };
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(reviews).where(and(eq(reviews.id, reviewId), ownReviews(scope))).for("update");
    if (!current) return { ok: false, reason: "not_found" } as const;
    if (current.hiddenAt) return { ok: false, reason: "hidden" } as const;
    if (current.reply !== null) return { ok: false, reason: "already" } as const;
    await tx.update(reviews).set({ reply, repliedAt: sql`now()`, repliedBy: scope.accountId }).where(and(eq(reviews.id, reviewId), isNull(reviews.reply)));
    await recordAudit(tx, { accountId: scope.accountId, action: "review.answer", subject: `review:${reviewId}`, after: { reply } });
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------- the admin

export interface AdminReview {
  id: number;
  rating: number;
  comment: string;
  showName: boolean;
  author: string;
  subject: string;
  kind: ReviewSubject;
  subjectId: number;
  createdAt: Date;
  reply: string | null;
  hiddenAt: Date | null;
}

/** Reviews for the admin, newest first, optionally of one school or instructor; `page` counts from 1. */
export async function listReviewsAdmin(db: Db, filter: { schoolId?: number | null; instructorId?: number | null }, page = 1, pageSize = 50): Promise<{ rows: AdminReview[]; hasMore: boolean }> {
  const rows = await db
    .select({ r: reviews, firstName: students.firstName, lastName: students.lastName, schoolName: schools.name, instructorName: instructors.name })
    .from(reviews)
    .innerJoin(students, eq(students.id, reviews.studentId))
    .leftJoin(schools, eq(schools.id, reviews.schoolId))
    .leftJoin(instructors, eq(instructors.id, reviews.instructorId))
    .where(and(filter.schoolId ? eq(reviews.schoolId, filter.schoolId) : undefined, filter.instructorId ? eq(reviews.instructorId, filter.instructorId) : undefined))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  const list = rows.slice(0, pageSize).map(({ r, firstName, lastName, schoolName, instructorName }) => ({
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    showName: r.showName,
    author: [firstName, lastName].filter(Boolean).join(" "),
    kind: (r.schoolId ? "school" : "instructor") as ReviewSubject,
    subjectId: (r.schoolId ?? r.instructorId)!,
    subject: (schoolName ?? instructorName) ?? "",
    createdAt: r.createdAt,
    reply: r.reply,
    hiddenAt: r.hiddenAt,
  }));
  return { rows: list, hasMore: rows.length > pageSize };
}

/**
 * The admin hides (or shows again) a review: audited, and the city's indexes marked (a hidden
 * review's rating still counts, but the index's inputs are recomputed from the table either way,
 * so recompute and the incremental values cannot drift). Null when there is no such review.
 */
export async function setReviewHidden(db: Db, accountId: number, reviewId: number, hidden: boolean): Promise<{ changed: boolean } | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(reviews).where(eq(reviews.id, reviewId)).for("update");
    if (!current) return null;
    if ((current.hiddenAt !== null) === hidden) return { changed: false };
    await tx.update(reviews).set(hidden ? { hiddenAt: sql`now()`, hiddenBy: accountId } : { hiddenAt: null, hiddenBy: null }).where(eq(reviews.id, reviewId));
    // No index moves: a hidden review's rating still counts (only its words and author are hidden),
    // so the city is not marked (markReviewDirty would recompute every subject of it for nothing).
    await recordAudit(tx, { accountId, action: hidden ? "review.hide" : "review.show", subject: `review:${reviewId}`, before: { hidden: !hidden }, after: { hidden } });
    return { changed: true };
  });
}
