// The stored indexes follow the product: a student applying through the real bot and a school
// changing statuses through the CRM's domain path mark subjects dirty; the refresher recomputes
// them; and a full recompute gives the same values as the incremental updates.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, indexDirty, indexValues, payments, reviews, schools, students } from "../../src/db/schema.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import { markDirty, markReviewDirty, refreshDirty, subjectsOf } from "../../src/domain/index-refresh.ts";
import { createInstructor, createSchool } from "../support/fixtures.ts";
import { readIndex, recomputeAll } from "../../src/domain/indexes.ts";
import { changeStatus } from "../../src/domain/status.ts";
import { postStudentMessage, sendReply } from "../../src/domain/thread.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(60_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

async function applyToZhol(id: number, name: string) {
  const [zhol] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
  const s = student(h.tg, { id, first_name: name, language_code: "ru" });
  await s.send(`/start s${zhol!.id}`);
  await s.press(s.buttons()[0]!);
  await s.press("Нет водительского удостоверения"); // the link skipped the first question
  await s.send(`+7701${String(id).padStart(7, "0")}`);
  await s.press(`✓ ${name}`);
  await s.press("✅ Подтвердить");
  const [st] = await h.database.db.select().from(students).where(eq(students.telegramId, id));
  const [app] = await h.database.db.select().from(applications).where(eq(applications.studentId, st!.id));
  return { school: zhol!, student: st!, app: app! };
}

describe("indexes follow the product", () => {
  test("applying in the bot marks the school and the student; the refresher stores their indexes", async () => {
    const { school, student: st } = await applyToZhol(6001, "Индекс");
    const dirty = await h.database.db.select().from(indexDirty);
    expect(dirty.map((d) => `${d.subjectKind}:${d.subjectId}`)).toEqual(expect.arrayContaining([`school:${school.id}`, `student:${st.id}`]));
    expect(await refreshDirty(h.database.db, new Date())).toBeGreaterThanOrEqual(2);
    expect(await h.database.db.select().from(indexDirty)).toHaveLength(0);
    expect(await readIndex(h.database.db, "school", school.id)).toMatchObject({ subjectId: school.id });
    expect((await readIndex(h.database.db, "student", st.id))!.value).toBeGreaterThan(0);
  });

  test("a status change through the CRM path moves the school's trust, and the bot's list shows it", async () => {
    const { school, app } = await applyToZhol(6002, "Довер");
    await refreshDirty(h.database.db, new Date());
    const before = (await readIndex(h.database.db, "school", school.id))!;
    const account = await createAccount(h.database.db, { login: "zhol-idx", password: "long-password-1", role: "school", schoolId: school.id });
    const scope = { kind: "school" as const, schoolId: school.id, accountId: account.id };
    expect((await changeStatus(h.database.db, scope, app.id, { from: "new", to: "contacted" })).ok).toBe(true);
    expect((await changeStatus(h.database.db, scope, app.id, { from: "contacted", to: "confirmed" })).ok).toBe(true);
    expect(await refreshDirty(h.database.db, new Date())).toBeGreaterThanOrEqual(1);
    const after = (await readIndex(h.database.db, "school", school.id))!;
    expect(after.value).toBeGreaterThan(before.value); // answered within minutes and confirmed
    // The bot's school list shows what the stored index allows: two applications are not enough
    // data yet, so "новая школа: мало данных" by the one rule (hasEnoughData), not the number.
    expect(after.enoughData).toBe(false);
    const s = student(h.tg, { id: 6003, first_name: "Смотрю", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    await s.press("Алматы");
    await s.press("B — легковые");
    const list = await s.press("Очно");
    expect(list.text).toContain("Индекс доверия: новая школа: мало данных");
    expect(list.text).not.toContain(`${after.value}/100`);
  });

  test("a student's answer to the school's reply marks the student; the refresher counts it as a reply", async () => {
    const { school, student: st, app } = await applyToZhol(6004, "Отвечу");
    await refreshDirty(h.database.db, new Date());
    const repliesOf = async () => (await readIndex(h.database.db, "student", st.id))!.components.find((c) => c.key === "replies")!.n;
    expect(await repliesOf()).toBe(0);
    const account = await createAccount(h.database.db, { login: "zhol-reply", password: "long-password-1", role: "school", schoolId: school.id });
    const scope = { kind: "school" as const, schoolId: school.id, accountId: account.id };
    expect(await sendReply(h.database.db, scope, app.id, { text: "Когда вам удобно подойти?" })).toMatchObject({ ok: true });
    await h.database.db.transaction((tx) => postStudentMessage(tx, st.id, app.id, { text: "В субботу" }, () => "reply"));
    const dirty = await h.database.db.select().from(indexDirty);
    expect(dirty.map((d) => `${d.subjectKind}:${d.subjectId}`)).toContain(`student:${st.id}`);
    expect(await refreshDirty(h.database.db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await repliesOf()).toBe(1);
  });

  test("the school's first reply marks the school: its stored speed equals a recompute's (a later reply marks nothing)", async () => {
    const { school, app } = await applyToZhol(6016, "Первый");
    await refreshDirty(h.database.db, new Date());
    const account = await createAccount(h.database.db, { login: "zhol-first", password: "long-password-1", role: "school", schoolId: school.id });
    const scope = { kind: "school" as const, schoolId: school.id, accountId: account.id };
    expect(await sendReply(h.database.db, scope, app.id, { text: "Здравствуйте! Когда удобно?" })).toMatchObject({ ok: true });
    expect((await h.database.db.select().from(indexDirty)).map((d) => `${d.subjectKind}:${d.subjectId}`)).toEqual([`school:${school.id}`]);
    const now = new Date();
    await refreshDirty(h.database.db, now);
    const stored = (await readIndex(h.database.db, "school", school.id))!;
    await recomputeAll(h.database.db, now);
    const full = (await readIndex(h.database.db, "school", school.id))!;
    expect(stored.value).toBe(full.value);
    expect(stored.components.find((c) => c.key === "speed")!.n).toBe(full.components.find((c) => c.key === "speed")!.n);
    expect(await sendReply(h.database.db, scope, app.id, { text: "Ждём вас в субботу." })).toMatchObject({ ok: true });
    expect(await h.database.db.select().from(indexDirty)).toHaveLength(0);
  });

  test("analytics:recompute gives the same values as the incremental updates", async () => {
    // One more application changes the school and a new student after their last refresh.
    await applyToZhol(6005, "Последний");
    const now = new Date();
    await refreshDirty(h.database.db, now); // incremental: only what the changes marked
    const ids = await h.database.db.select().from(indexValues);
    const incremental = new Map(ids.map((r) => [`${r.subjectKind}:${r.subjectId}`, r.value]));
    await recomputeAll(h.database.db, now); // from scratch, at the same moment
    const full = await h.database.db.select().from(indexValues);
    for (const r of full) {
      const key = `${r.subjectKind}:${r.subjectId}`;
      if (incremental.has(key)) expect(`${key}=${r.value}`).toBe(`${key}=${incremental.get(key)}`);
    }
    expect(full.length).toBeGreaterThanOrEqual(incremental.size);
  });

  test("a review in a city and a payment both sides confirmed: every subject of the city, recomputed incrementally, equals recomputeAll", async () => {
    const { school, student: st, app } = await applyToZhol(6006, "Отзыв");
    const db = h.database.db;
    const other = await createSchool(db, { cityId: school.cityId });
    const inst = await createInstructor(db, { cityId: school.cityId });
    const now = new Date();
    await refreshDirty(db, now);
    const before = (await readIndex(db, "school", school.id))!;
    // Written as the payment and review use cases would (fixtures: their code is other helpers').
    await db.transaction(async (tx) => {
      await tx.update(applications).set({ status: "completed", confirmedAt: now, firstResponseAt: now, paidAt: now }).where(eq(applications.id, app.id));
      await tx.insert(payments).values({ applicationId: app.id, amountKzt: 180_000, studentAt: now, staffAt: now });
      await tx.insert(reviews).values({ applicationId: app.id, studentId: st.id, schoolId: school.id, cityId: school.cityId, rating: 5, createdAt: now });
      await markDirty(tx, subjectsOf(app));
      await markReviewDirty(tx, school.cityId);
    });
    const marked = (await db.select().from(indexDirty)).map((d) => `${d.subjectKind}:${d.subjectId}`);
    expect(marked).toEqual(expect.arrayContaining([`school:${school.id}`, `school:${other.id}`, `instructor:${inst.id}`]));
    await refreshDirty(db, now);
    const incremental = new Map((await db.select().from(indexValues)).map((r) => [`${r.subjectKind}:${r.subjectId}`, r]));
    const after = (await readIndex(db, "school", school.id))!;
    const reviewsPart = after.components.find((c) => c.key === "reviews")!;
    expect(reviewsPart).toMatchObject({ n: 1, measure: 5 });
    expect(after.components.find((c) => c.key === "paid")!.n).toBeGreaterThanOrEqual(1);
    expect(after.value).toBeGreaterThan(before.value);
    // The other school of the city has no review: its part is the city's mean (5) shrunk from nothing.
    const otherIdx = (await readIndex(db, "school", other.id))!;
    expect(otherIdx.components.find((c) => c.key === "reviews")).toMatchObject({ n: 0, value: 1 });
    await recomputeAll(db, now);
    for (const r of await db.select().from(indexValues)) {
      const key = `${r.subjectKind}:${r.subjectId}`;
      const inc = incremental.get(key);
      if (inc) expect({ key, value: inc.value, components: inc.components }).toEqual({ key, value: r.value, components: r.components });
    }
  });
});
