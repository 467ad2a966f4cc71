// Housekeeping deletes exactly the bookkeeping rows past their retention and nothing else.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { lessonReminders, lessons, loginAttempts, outbox, processedUpdates, sendPace, sessions } from "../../src/db/schema.ts";
import { pruneOnce, RETENTION_DAYS } from "../../src/domain/housekeeping.ts";
import { claimUpdate } from "../../src/domain/updates.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import * as fx from "../support/fixtures.ts";

const DAY = 86_400_000;
const now = new Date("2026-12-01T06:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.dispose());

const ids = async (table: string, column: string) =>
  (await queryRows<{ v: string }>(d.db, sql`select ${sql.identifier(column)}::text as v from ${sql.identifier(table)} order by 1`)).map((r) => r.v);

describe("pruneOnce", () => {
  test("deletes what is past its retention, in batches, and keeps the rest", async () => {
    const keepU = RETENTION_DAYS.processedUpdates - 1;
    await d.db.insert(processedUpdates).values([
      ...Array.from({ length: 7 }, (_, i) => ({ updateId: 100 + i, at: daysAgo(RETENTION_DAYS.processedUpdates + 1 + i) })),
      { updateId: 200, at: daysAgo(keepU) },
      { updateId: 201, at: now },
    ]);
    const payload = { method: "sendMessage", params: { chat_id: 1, text: "x" } };
    const old = daysAgo(RETENTION_DAYS.outbox + 1);
    const recent = daysAgo(RETENTION_DAYS.outbox - 1);
    await d.db.insert(outbox).values([
      { chatId: 1, payload, state: "sent", createdAt: old, sentAt: old }, // goes
      { chatId: 1, payload, state: "failed", createdAt: old, lastError: "403" }, // goes
      { chatId: 1, payload, state: "pending", createdAt: old }, // stays: still to deliver
      { chatId: 2, payload, state: "sent", createdAt: recent, sentAt: recent }, // stays
      { chatId: 2, payload, state: "failed", createdAt: recent, lastError: "403" }, // stays
    ]);
    await d.db.insert(loginAttempts).values([
      { login: "gone", address: "a", at: daysAgo(RETENTION_DAYS.loginAttempts + 0.5) },
      { login: "kept", address: "a", at: daysAgo(RETENTION_DAYS.loginAttempts - 0.5) },
    ]);
    const school = await fx.createSchool(d.db);
    const staff = await fx.createStaff(d.db, { schoolId: school.id });
    await d.db.insert(sessions).values([
      { id: "expired-session", userId: staff.id, expiresAt: daysAgo(0.01) },
      { id: "live-session", userId: staff.id, expiresAt: daysAgo(-3) },
    ]);
    // Reminders (issue 15): a sent reminder's row goes after its retention.
    const instructor = await fx.createInstructor(d.db);
    const app = await fx.createApplication(d.db, { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
    const [lesson] = await d.db.insert(lessons).values({ applicationId: app.id, instructorId: instructor.id, startsAt: daysAgo(40) }).returning();
    await d.db.insert(lessonReminders).values([
      { lessonId: lesson!.id, kind: "first", startsAt: daysAgo(40), sentAt: daysAgo(RETENTION_DAYS.lessonReminders + 10) }, // goes
      { lessonId: lesson!.id, kind: "second", startsAt: daysAgo(40), sentAt: daysAgo(RETENTION_DAYS.lessonReminders - 1) }, // stays
    ]);

    // The send pace (issue 19): a chat's row whose moment passed over a minute ago goes; the bot's row (0) stays.
    await d.db.update(sendPace).set({ nextAt: daysAgo(1) });
    await d.db.insert(sendPace).values([
      { chatId: 5, nextAt: daysAgo(1) }, // goes
      { chatId: 6, nextAt: new Date(now.getTime() - 30_000) }, // stays: within the minute
      { chatId: 7, nextAt: new Date(now.getTime() + 1000) }, // stays: may not receive yet
    ]);

    // Batches of 2: the seven old updates take four statements; all of them must go.
    expect(await pruneOnce(d.db, now, 2)).toEqual({ processedUpdates: 7, outbox: 2, loginAttempts: 1, sessions: 1, lessonReminders: 1, sendPace: 1 });

    expect(await ids("processed_updates", "update_id")).toEqual(["200", "201"]);
    const left = await d.db.select({ chatId: outbox.chatId, state: outbox.state }).from(outbox);
    expect(left.map((r) => `${r.chatId}:${r.state}`).sort()).toEqual(["1:pending", "2:failed", "2:sent"]);
    expect(await ids("login_attempts", "login")).toEqual(["kept"]);
    expect(await ids("sessions", "id")).toEqual(["live-session"]);
    expect(await ids("lesson_reminders", "kind")).toEqual(["second"]);
    expect(await ids("send_pace", "chat_id")).toEqual(["0", "6", "7"]);

    // An update within the retention is still recognised as processed.
    const again = await d.db.transaction((tx) => claimUpdate(tx, 200));
    expect(again).toBeNull();
    // A second round finds nothing more.
    expect(await pruneOnce(d.db, now)).toEqual({ processedUpdates: 0, outbox: 0, loginAttempts: 0, sessions: 0, lessonReminders: 0, sendPace: 0 });
  });

  test("a stop ends the round between batches; the next round takes the rest", async () => {
    await d.db.insert(processedUpdates).values(Array.from({ length: 5 }, (_, i) => ({ updateId: 300 + i, at: daysAgo(30) })));
    let batches = 0;
    const untilFirstBatch = () => batches++ < 1; // "running" once: one batch, then stopped
    expect((await pruneOnce(d.db, now, 2, untilFirstBatch)).processedUpdates).toBe(2);
    expect((await pruneOnce(d.db, now, 2)).processedUpdates).toBe(3);
  });
});
