// The admin dashboard: applications today and this week (local time) by city, schools that
// have left new applications unanswered for more than N hours, and the bot's health (the last
// update it received, the outbox backlog and the last messages it gave up on).
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { applications, appState, cities, outbox, schools } from "../db/schema.ts";
import { outboxKeptSince, RETENTION_DAYS } from "./housekeeping.ts";
import { BOT_LAST_UPDATE } from "./app-state.ts";
import { localDate, localToUtc, weekdayOf } from "../model/time.ts";

export interface CityCounts {
  cityId: number;
  cityName: string;
  today: number;
  week: number;
}

export interface SlowSchool {
  schoolId: number;
  name: string;
  cityName: string;
  waiting: number;
  oldest: Date;
}

export interface BotHealth {
  lastUpdateAt: Date | null;
  pending: number;
  failed: number;
  /** Given-up messages are deleted after this many days (housekeeping.ts): `failed` counts that period. */
  failedKeptDays: number;
  recentFailures: { id: number; chatId: number; attempts: number; lastError: string | null; createdAt: Date }[];
}

export interface Dashboard {
  today: Date;
  weekStart: Date;
  byCity: CityCounts[];
  totals: { today: number; week: number };
  slowSchools: SlowSchool[];
  hours: number;
  bot: BotHealth;
}

/** Local midnight today and on this week's Monday, as UTC instants. */
export function dayAndWeekStart(zone: string, now: Date): { today: Date; weekStart: Date } {
  const today = localDate(zone, now);
  const { y, m, d } = today;
  return { today: localToUtc(zone, y, m, d, 0), weekStart: localToUtc(zone, y, m, d + 1 - weekdayOf(today), 0) };
}

function toDate(v: unknown): Date | null {
  const raw = typeof v === "string" || typeof v === "number" ? v : v && typeof v === "object" && "at" in v ? (v as { at: unknown }).at : null;
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function loadDashboard(db: Db, zone: string, now: Date, hours: number): Promise<Dashboard> {
  const { today, weekStart } = dayAndWeekStart(zone, now);
  const since = weekStart < today ? weekStart : today;
  const threshold = new Date(now.getTime() - hours * 3_600_000);
  const keptSince = outboxKeptSince(now); // given-up messages of the kept period only
  const [byCity, slowSchools, state, backlog, recentFailures] = await Promise.all([
    db
      .select({
        cityId: cities.id,
        cityName: cities.nameRu,
        today: sql<number>`(count(*) filter (where ${applications.createdAt} >= ${today.toISOString()}::timestamptz))::int`,
        week: sql<number>`(count(*) filter (where ${applications.createdAt} >= ${weekStart.toISOString()}::timestamptz))::int`,
      })
      .from(applications)
      .innerJoin(cities, eq(cities.id, applications.cityId))
      .where(gte(applications.createdAt, since))
      .groupBy(cities.id, cities.nameRu)
      .orderBy(sql`4 desc`, asc(cities.nameRu))
      .limit(200),
    db
      .select({
        schoolId: schools.id,
        name: schools.name,
        cityName: cities.nameRu,
        waiting: sql<number>`count(*)::int`,
        oldest: sql<Date>`min(${applications.createdAt})`.mapWith((v) => new Date(v)),
      })
      .from(applications)
      .innerJoin(schools, eq(schools.id, applications.schoolId))
      .innerJoin(cities, eq(cities.id, schools.cityId))
      .where(and(eq(applications.kind, "school"), eq(applications.status, "new"), isNull(applications.firstResponseAt), lt(applications.createdAt, threshold)))
      .groupBy(schools.id, schools.name, cities.nameRu)
      .orderBy(sql`min(${applications.createdAt})`)
      .limit(50),
    db.select().from(appState).where(eq(appState.key, BOT_LAST_UPDATE)),
    db
      .select({ state: outbox.state, n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(or(eq(outbox.state, "pending"), and(eq(outbox.state, "failed"), gte(outbox.createdAt, keptSince))))
      .groupBy(outbox.state),
    db
      .select({ id: outbox.id, chatId: outbox.chatId, attempts: outbox.attempts, lastError: outbox.lastError, createdAt: outbox.createdAt })
      .from(outbox)
      .where(and(eq(outbox.state, "failed"), gte(outbox.createdAt, keptSince)))
      .orderBy(desc(outbox.id))
      .limit(5),
  ]);
  const count = (s: string) => backlog.find((b) => b.state === s)?.n ?? 0;
  return {
    today,
    weekStart,
    byCity,
    totals: { today: byCity.reduce((a, c) => a + c.today, 0), week: byCity.reduce((a, c) => a + c.week, 0) },
    slowSchools,
    hours,
    bot: { lastUpdateAt: toDate(state[0]?.value), pending: count("pending"), failed: count("failed"), failedKeptDays: RETENTION_DAYS.outbox, recentFailures },
  };
}
