// Issue 16: the stats page's "Медианное время первого ответа" and the trust breakdown's response
// speed are one number from one computation in every state (no applications, applications without
// an answer, some answered), and a school with little data shows "новая школа: мало данных" by the
// same rule as the bot. Through app.handle, with rows written by the fixtures.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, payments } from "../../src/db/schema.ts";
import { readIndex, recomputeSchoolTrust } from "../../src/domain/indexes.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let t: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let s: fx.Session;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  school = await fx.createSchool(db());
  s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
});
afterAll(() => t.dispose());

const stat = (html: string, key: string) => html.match(new RegExp(`data-stat="${key}">([^<]*)<`))?.[1];
/** The speed part's line in the breakdown, e.g. "Медианное время первого ответа — 1 ч: +15 из 25". */
const speedLine = (html: string) => html.match(/data-component="speed">(?:\s*<td>[^<]*<\/td>){4}\s*<td>([^<]*)<\/td>/)?.[1];

async function page(): Promise<string> {
  await recomputeSchoolTrust(db(), school.id, new Date()); // as the refresher would
  return (await s.request("/crm/schools/stats")).text();
}

async function addApp(o: { created: number; response?: number; paidByBoth?: boolean }) {
  const status = o.paidByBoth ? "paid" : o.response === undefined ? "new" : "contacted";
  const a = await fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { status, createdAt: new Date(o.created) });
  if (o.response !== undefined) await db().update(applications).set({ firstResponseAt: new Date(o.created + o.response) }).where(eq(applications.id, a.id));
  if (o.paidByBoth) {
    const at = new Date(o.created + DAY);
    await db().update(applications).set({ confirmedAt: at, paidAt: at }).where(eq(applications.id, a.id));
    await db().insert(payments).values({ applicationId: a.id, amountKzt: 150_000, studentAt: at, staffAt: at });
  }
}

describe("median first answer: the figure and the breakdown agree in every state", () => {
  test("no applications: 'нет данных' on both, and 'новая школа: мало данных'", async () => {
    const html = await page();
    expect(stat(html, "median-response")).toBe("нет данных");
    expect(speedLine(html)).toStartWith("Медианное время первого ответа — нет данных:");
    expect(html).toContain('data-trust-value="new"');
    expect(html).toContain("новая школа: мало данных");
  });

  test("applications without an answer (fresh and a day old): still 'нет данных', never '1 мин'", async () => {
    await addApp({ created: Date.now() - 2 * MIN });
    await addApp({ created: Date.now() - 2 * DAY });
    const html = await page();
    expect(stat(html, "median-response")).toBe("нет данных");
    expect(speedLine(html)).toStartWith("Медианное время первого ответа — нет данных:");
    expect(html).not.toContain("1 мин");
    expect((await readIndex(db(), "school", school.id))!.enoughData).toBe(false);
    expect(html).toContain("новая школа: мало данных");
  });

  test("some answered: the same lower median of the real answers on both", async () => {
    await addApp({ created: Date.now() - 3 * DAY, response: 30 * MIN });
    await addApp({ created: Date.now() - 3 * DAY, response: 2 * HOUR });
    await addApp({ created: Date.now() - 3 * DAY, response: 5 * HOUR });
    const html = await page();
    expect(stat(html, "median-response")).toBe("2 ч");
    expect(speedLine(html)).toStartWith("Медианное время первого ответа — 2 ч:");
  });

  test("enough data (answers, decisions and payments both sides confirmed): the number replaces 'мало данных'", async () => {
    for (let i = 0; i < 30; i++) await addApp({ created: Date.now() - 8 * DAY, response: 10 * MIN, paidByBoth: true });
    const html = await page();
    const idx = (await readIndex(db(), "school", school.id))!;
    expect(idx.enoughData).toBe(true);
    expect(html).toContain(`data-trust-value="${idx.value}"`);
    expect(html).not.toContain("мало данных");
    expect(stat(html, "median-response")).toBe("10 мин");
    expect(speedLine(html)).toStartWith("Медианное время первого ответа — 10 мин:");
  });
});
