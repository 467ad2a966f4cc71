// Use cases moved out of the routes: a note's rules and its audit row (inbox.addNote), the
// Telegram link lookup and unlinking with its audit row (staff-telegram.ts), an admin's new slot
// with its audit row (admin-catalog.addSlotAdmin; main's addSlot writes both in one transaction).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { accounts, applicationEvents, auditLog, instructorSlots } from "../../src/db/schema.ts";
import { addSlotAdmin } from "../../src/domain/admin-catalog.ts";
import { addNote, MAX_NOTE } from "../../src/domain/inbox.ts";
import { scopeOf, type Scope } from "../../src/domain/scope.ts";
import { isTelegramLinked, unlinkTelegram } from "../../src/domain/staff-telegram.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let d: TestDatabase;
let mine: Scope;
let other: Scope;
let appId: number;
let staffId: number;

const notes = async (id: number) => d.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, id), eq(applicationEvents.type, "note")));
const audits = async (action: string) => d.db.select().from(auditLog).where(eq(auditLog.action, action));

beforeAll(async () => {
  d = await createTestDatabase();
  const school = await fx.createSchool(d.db);
  const otherSchool = await fx.createSchool(d.db, { cityId: school.cityId });
  const staff = await fx.createStaff(d.db, { schoolId: school.id });
  staffId = staff.id;
  mine = scopeOf(staff)!;
  other = scopeOf(await fx.createStaff(d.db, { schoolId: otherSchool.id }))!;
  appId = (await fx.createApplication(d.db, { schoolId: school.id, cityId: school.cityId })).id;
});
afterAll(() => d.dispose());

describe("addNote", () => {
  test("an empty or too long note is refused with its message and writes nothing", async () => {
    expect(await addNote(d.db, mine, appId, "   ")).toEqual({ ok: false, error: "required", text: "" });
    const long = "я".repeat(MAX_NOTE + 1);
    expect(await addNote(d.db, mine, appId, long)).toEqual({ ok: false, error: "too_long", text: long });
    expect(await notes(appId)).toEqual([]);
    expect(await audits("application.note")).toEqual([]);
  });
  test("another school's application is not found, whatever the text", async () => {
    expect(await addNote(d.db, other, appId, "Чужая")).toEqual({ ok: false, notFound: true });
    expect(await addNote(d.db, other, appId, "")).toEqual({ ok: false, notFound: true });
  });
  test("a note is trimmed, stored in the history and audited", async () => {
    expect(await addNote(d.db, mine, appId, "  Перезвонить вечером  ")).toEqual({ ok: true });
    expect((await notes(appId)).map((n) => n.payload)).toEqual([{ text: "Перезвонить вечером" }]);
    expect((await audits("application.note")).map((a) => a.subject)).toEqual([`application:${appId}`]);
  });
});

describe("Telegram link", () => {
  test("isTelegramLinked reads the account's chat; unlinking clears it with an audit row", async () => {
    expect(await isTelegramLinked(d.db, staffId)).toBe(false);
    await d.db.update(accounts).set({ telegramChatId: 4242 }).where(eq(accounts.id, staffId));
    expect(await isTelegramLinked(d.db, staffId)).toBe(true);
    await unlinkTelegram(d.db, staffId);
    expect(await isTelegramLinked(d.db, staffId)).toBe(false);
    expect((await audits("account.telegram_unlink")).map((a) => a.subject)).toEqual([`account:${staffId}`]);
  });
});

describe("addSlotAdmin", () => {
  test("the slot is written with its audit row; a refused slot writes neither", async () => {
    const instructor = await fx.createInstructor(d.db);
    const admin = (await d.db.select().from(accounts).where(eq(accounts.id, staffId)))[0]!;
    const at = new Date(Date.now() + 3 * 86_400_000);
    const ok = await addSlotAdmin(d.db, admin.id, instructor.id, { startsAt: "x", minutes: "60" }, () => at, "ru");
    expect(ok?.ok).toBe(true);
    const slots = await d.db.select().from(instructorSlots).where(eq(instructorSlots.instructorId, instructor.id));
    expect(slots.length).toBe(1);
    expect((await audits("slot.create")).map((a) => a.subject)).toEqual([`slot:${slots[0]!.id}`]);
    // The same start again: refused by the domain, nothing more written.
    const again = await addSlotAdmin(d.db, admin.id, instructor.id, { startsAt: "x", minutes: "60" }, () => at, "ru");
    expect(again?.ok).toBe(false);
    expect((await d.db.select().from(instructorSlots).where(eq(instructorSlots.instructorId, instructor.id))).length).toBe(1);
    expect((await audits("slot.create")).length).toBe(1);
  });
});
