// Migration 0016 (issue 16 review): applications the school marked paid before the payments table
// existed get the school's mark as their payment (staff_only, dated paid_at), so the trust index
// and /my read them as paid; rows that exist and unpaid applications are left alone. The test
// database is migrated already, so the rows are made as they were then and the file is run again.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { applications, indexDirty, payments } from "../../src/db/schema.ts";
import { listStudentApplications } from "../../src/domain/applications.ts";
import { paymentState } from "../../src/model/payment.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(120_000);

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.dispose());

async function runMigration() {
  const text = await Bun.file(new URL("../../drizzle/0016_payments_backfill.sql", import.meta.url)).text();
  for (const statement of text.split("--> statement-breakpoint")) await d.db.execute(sql.raw(statement));
}

test("a paid application without a payments row gets the school's mark dated paid_at; others are left alone", async () => {
  const db = d.db;
  const city = await fx.createCity(db);
  const school = await fx.createSchool(db, { cityId: city.id });
  const target = { schoolId: school.id!, cityId: city.id };
  const paidAt = new Date("2026-03-02T09:00:00Z");
  const paid = await fx.createApplication(db, target, { status: "studying" });
  await db.update(applications).set({ paidAt }).where(eq(applications.id, paid.id));
  const claimedPaid = await fx.createApplication(db, target, { status: "paid" });
  await db.update(applications).set({ paidAt }).where(eq(applications.id, claimedPaid.id));
  const studentAt = new Date("2026-03-01T09:00:00Z");
  await db.insert(payments).values({ applicationId: claimedPaid.id, amountKzt: 150_000, studentAt });
  const confirmed = await fx.createApplication(db, target, { status: "confirmed" });
  await db.execute(sql`delete from index_dirty`);

  await runMigration();

  const [mark] = await db.select().from(payments).where(eq(payments.applicationId, paid.id));
  expect(paymentState(mark!)).toBe("staff_only");
  expect(mark!.staffAt).toEqual(paidAt);
  expect(mark!.staffAccountId).toBeNull();
  // An existing row (the student's claim) is not touched; an unpaid application gets none.
  const [kept] = await db.select().from(payments).where(eq(payments.applicationId, claimedPaid.id));
  expect(kept).toMatchObject({ studentAt, staffAt: null, amountKzt: 150_000 });
  expect(await db.select().from(payments).where(eq(payments.applicationId, confirmed.id))).toEqual([]);
  // The school's index is recomputed; /my no longer reads the payment as nobody's word.
  expect(await db.select().from(indexDirty).where(eq(indexDirty.subjectId, school.id!))).toHaveLength(1);
  const [mine] = await listStudentApplications(db, paid.studentId);
  expect(mine!.paymentState).toBe("staff_only");

  // Run twice: nothing more.
  await runMigration();
  expect(await db.select().from(payments).where(eq(payments.applicationId, paid.id))).toEqual([mark!]);
});
