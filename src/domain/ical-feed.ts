// The instructor's private iCalendar feed (issue 15, item 7): a secret URL the instructor
// subscribes to in Google Calendar or the phone's calendar. The token is shown once, like an API
// token: only its sha-256 is stored (instructors.ical_token_hash, unique), so a leaked database
// does not leak working feed URLs. A new token replaces (revokes) the old; revoking sets null.
// The token never goes into the audit log or the logs.
import { DAY_MS } from "../model/time.ts";
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, exists, gte, lt } from "drizzle-orm";
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { Db } from "../db/client.ts";
import { accounts, applications, instructors, lessons, type Language, type LessonState } from "../db/schema.ts";
import { recordAudit } from "./audit.ts";
import type { Scope } from "./scope.ts";

type InstructorScope = Extract<Scope, { kind: "instructor" }>;

/** 32 random bytes (256 bits), base64url: 43 characters of [A-Za-z0-9_-]. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The feed covers lessons from this far back to this far ahead (calendars keep older ones). */
export const FEED_PAST_DAYS = 30;
export const FEED_AHEAD_DAYS = 180;
/** How often a subscribed calendar should fetch again (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
export const FEED_TTL_SECONDS = 60 * 60;

export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether `token` could be a feed token at all (anything else is a 404 without a query). */
export function isFeedTokenShape(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** The path of a feed; the full URL is the public address + this. */
export function feedPath(token: string): string {
  return `/calendar/${token}.ics`;
}

/** Whether the instructor has a feed now. */
export async function hasFeed(db: Db, scope: InstructorScope): Promise<boolean> {
  const [row] = await db.select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, scope.instructorId));
  return !!row?.hash;
}

/**
 * A new feed token for the instructor; the old one (if any) stops working at once. Returns the
 * token: the caller shows its URL once and forgets it.
 */
export async function createFeedToken(db: Db, scope: InstructorScope): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, scope.instructorId)).for("update");
    await tx.update(instructors).set({ icalTokenHash: hashFeedToken(token) }).where(eq(instructors.id, scope.instructorId));
    // Whether a feed existed, never the token or its hash.
    await recordAudit(tx, { accountId: scope.accountId, action: "instructor.ical_feed.create", subject: `instructor:${scope.instructorId}`, before: { feed: !!before?.hash }, after: { feed: true } });
  });
  return token;
}

/** Turns the feed off: its URL answers 404 from now on. False when there was none. */
export async function revokeFeedToken(db: Db, scope: InstructorScope): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ hash: instructors.icalTokenHash }).from(instructors).where(eq(instructors.id, scope.instructorId)).for("update");
    if (!before?.hash) return false;
    await tx.update(instructors).set({ icalTokenHash: null }).where(eq(instructors.id, scope.instructorId));
    await recordAudit(tx, { accountId: scope.accountId, action: "instructor.ical_feed.revoke", subject: `instructor:${scope.instructorId}`, before: { feed: true }, after: { feed: false } });
    return true;
  });
}

export interface FeedOwner {
  instructorId: number;
  name: string;
  meetingPoint: string;
}

/**
 * The instructor a token opens, or null (malformed, unknown, revoked): one query on the unique
 * index. A feed also stops when none of the instructor's accounts is enabled any more: whoever
 * an admin locked out cannot revoke it, and the schedule (students' names) must not stay readable.
 */
export async function findFeed(db: Db, token: string): Promise<FeedOwner | null> {
  if (!isFeedTokenShape(token)) return null;
  const enabledAccount = db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.instructorId, instructors.id), eq(accounts.role, "instructor"), eq(accounts.disabled, false)));
  const [row] = await db
    .select({ instructorId: instructors.id, name: instructors.name, meetingPoint: instructors.meetingPoint })
    .from(instructors)
    .where(and(eq(instructors.icalTokenHash, hashFeedToken(token)), exists(enabledAccount)));
  return row ?? null;
}

export interface FeedLesson {
  id: number;
  applicationId: number;
  startsAt: Date;
  minutes: number;
  state: LessonState;
  place: string;
  studentName: string;
  publicNumber: string;
}

/** The instructor's lessons in the feed's window, all states, oldest first: one query. */
export function feedLessons(db: Db, instructorId: number, now: Date): Promise<FeedLesson[]> {
  return db
    .select({
      id: lessons.id,
      applicationId: lessons.applicationId,
      startsAt: lessons.startsAt,
      minutes: lessons.minutes,
      state: lessons.state,
      place: lessons.place,
      studentName: applications.studentName,
      publicNumber: applications.publicNumber,
    })
    .from(lessons)
    .innerJoin(applications, eq(applications.id, lessons.applicationId))
    .where(and(eq(lessons.instructorId, instructorId), gte(lessons.startsAt, new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS)), lt(lessons.startsAt, new Date(now.getTime() + FEED_AHEAD_DAYS * DAY_MS))))
    .orderBy(asc(lessons.startsAt), asc(lessons.id))
    .limit(5000);
}

// The feed's texts. Instructors' language is not stored yet, so the feed is in Russian; the
// Kazakh is here for when it is.
const FEED_TEXT: Record<"lesson" | "calendar" | "conducted" | "noShow" | "cancelled", Record<Language, string>> = {
  lesson: { ru: "Занятие", kk: "Сабақ" },
  calendar: { ru: "Занятия с учениками AvtoMat", kk: "AvtoMat оқушыларымен сабақтар" },
  conducted: { ru: "Проведено", kk: "Өтті" },
  noShow: { ru: "Неявка", kk: "Келмеу" },
  cancelled: { ru: "Отменено", kk: "Болдырылмады" },
};

const STATE_NOTE: Record<LessonState, keyof typeof FEED_TEXT | null> = { planned: null, conducted: "conducted", no_show: "noShow", cancelled: "cancelled" };

/**
 * The iCalendar text of a feed. UIDs are `lesson-<id>@<host>`, so a moved lesson updates the
 * same event and a cancelled one (STATUS:CANCELLED) is dropped by subscribed calendars.
 * Times are UTC (DTSTART:…Z); calendars show them in the phone's zone (X-WR-TIMEZONE names
 * ours for the calendars that ask). Each event links to its application in the CRM.
 */
export function feedCalendar(owner: FeedOwner, rows: FeedLesson[], opts: { publicUrl: string; timeZone: string; now: Date; language?: Language }): string {
  const lang = opts.language ?? "ru";
  const host = new URL(opts.publicUrl).hostname;
  const calendar = ical({
    name: `AvtoMat — ${owner.name}`,
    description: FEED_TEXT.calendar[lang],
    prodId: { company: "AvtoMat", product: "lessons", language: lang.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    ttl: FEED_TTL_SECONDS,
    x: { "X-WR-TIMEZONE": opts.timeZone },
  });
  for (const l of rows) {
    const note = STATE_NOTE[l.state];
    calendar.createEvent({
      id: `lesson-${l.id}@${host}`,
      start: l.startsAt,
      end: new Date(l.startsAt.getTime() + l.minutes * 60_000),
      stamp: opts.now,
      summary: `${FEED_TEXT.lesson[lang]}: ${l.studentName} (№ ${l.publicNumber})`,
      description: note ? FEED_TEXT[note][lang] : null,
      location: l.place || owner.meetingPoint || null,
      status: l.state === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: `${opts.publicUrl}/crm/instructors/applications/${l.applicationId}`,
    });
  }
  return calendar.toString();
}
