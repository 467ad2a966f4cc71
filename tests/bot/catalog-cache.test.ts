// The bot's catalog cache (src/domain/catalog-cache.ts): the catalog's version moves with every
// committed change to what the bot lists, and the bot shows such a change on the very next
// screen, while an unchanged version is served from memory.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { indexValues, schools } from "../../src/db/schema.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { createStudent } from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(30_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

const version = async () => Number((await queryRows<{ version: string }>(h.database.db, sql`select version from catalog_version`))[0]!.version);
const school = async (name: string) => (await h.database.db.select().from(schools).where(eq(schools.name, name)))[0]!;
const trust = (subjectKind: "school" | "student", subjectId: number, value: number) =>
  h.database.db
    .insert(indexValues)
    .values({ subjectKind, subjectId, value, components: [] })
    .onConflictDoUpdate({ target: [indexValues.subjectKind, indexValues.subjectId], set: { value } });

describe("the catalog's version", () => {
  test("moves once per committed change to the catalog or to trust, not for discipline or a rollback", async () => {
    const v0 = await version();
    await h.database.db.update(schools).set({ description: sql`description || ''` }); // every school, one transaction
    expect(await version()).toBe(v0 + 1);

    const zhol = await school("Автошкола «Жол»");
    await trust("school", zhol.id, 50);
    expect(await version()).toBe(v0 + 2);
    const st = await createStudent(h.database.db);
    await trust("student", st.id, 50);
    expect(await version()).toBe(v0 + 2);

    await h.database.db
      .transaction(async (tx) => {
        await tx.update(schools).set({ active: false }).where(eq(schools.id, zhol.id));
        throw new Error("rolled back");
      })
      .catch(() => {});
    expect(await version()).toBe(v0 + 2);
  });
});

describe("the bot's lists", () => {
  /** Walks to the Almaty list of B / in-person schools and returns its text. */
  async function almatyList(id: number) {
    const s = student(h.tg, { id, first_name: "Кэш", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    await s.press("Алматы");
    await s.press("B — легковые");
    const m = await s.press("Очно");
    return { s, text: m.text };
  }

  test("show a deactivated school, a new name or a new trust index on the next screen", async () => {
    const zhol = await school("Автошкола «Жол»");
    const { s, text } = await almatyList(7001);
    expect(text).toContain("Автошкола «Жол»");

    await h.database.db.update(schools).set({ name: "Автошкола «Жол-2»" }).where(eq(schools.id, zhol.id));
    await s.press("← Назад");
    let m = await s.press("Очно");
    expect(m.text).toContain("Автошкола «Жол-2»");

    await trust("school", zhol.id, 93);
    await s.press("← Назад");
    m = await s.press("Очно");
    expect(m.text).toMatch(/Автошкола «Жол-2»[\s\S]*Индекс доверия: 93\/100/);

    // «Жол» is Almaty's only in-person B school: without it the format is no longer offered.
    await h.database.db.update(schools).set({ active: false }).where(eq(schools.id, zhol.id));
    await s.press("← Назад");
    expect(s.buttons()).toEqual(["Группы выходного дня", "Ускоренный курс", "← Назад"]);
    await h.database.db.update(schools).set({ active: true, name: "Автошкола «Жол»" }).where(eq(schools.id, zhol.id));
  });

  test("are served from memory while the version is unchanged", async () => {
    const zhol = await school("Автошкола «Жол»");
    const { s, text } = await almatyList(7002);
    expect(text).toContain("Автошкола «Жол»");
    // A change made without the triggers (replica role) leaves the version as it was: the bot
    // keeps answering from its cache, which proves it does not read the catalog per update.
    await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.update(schools).set({ name: "Невидимая школа" }).where(eq(schools.id, zhol.id));
    });
    await s.press("← Назад");
    const m = await s.press("Очно");
    expect(m.text).toContain("Автошкола «Жол»");
    await h.database.db.update(schools).set({ name: "Автошкола «Жол»" }).where(eq(schools.id, zhol.id));
  });
});
