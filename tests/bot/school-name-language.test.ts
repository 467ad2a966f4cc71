// Issue 17: every message that names the school names it in the student's language (its Kazakh
// name when written, else the Russian one; model/content.ts inLanguage through templates.ts
// senderName): a staff reply's header, a payment message, /my and the which-application chooser,
// through the real CRM (HTTP through app.handle), the real bot (fake Bot API) and one database.
// (The automatic status message: tests/web/crm-auto-replies.test.ts.)
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, payments, schools, students } from "../../src/db/schema.ts";
import { testConfig, type TestApp } from "../support/app.ts";
import { createApp } from "../../src/web/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";
import * as fx from "../support/fixtures.ts";
import { student } from "../support/student.ts";

setDefaultTimeout(60_000);

const KK_NAME = "«Дала» автомектебі";
const RU_NAME = "Автошкола «Дала»";
const PLAIN = "Школа Только По-Русски";

let h: BotHarness;
let dala: { id: number; cityId: number };
let plain: { id: number; cityId: number };
let dalaCrm: fx.Session;
let plainCrm: fx.Session;

beforeAll(async () => {
  h = await startBotHarness();
  const config = testConfig({ TELEGRAM_BOT_TOKEN: h.tg.token, TELEGRAM_API_ROOT: h.tg.apiRoot });
  const app = createApp({ config, database: h.database, botState: () => "polling" });
  const web: TestApp = { app, database: h.database, config, request: (path, init) => app.handle(new Request(`http://localhost${path}`, init)), dispose: async () => {} };
  dala = await fx.createSchool(db(), { name: RU_NAME });
  await db().update(schools).set({ nameKk: KK_NAME }).where(eq(schools.id, dala.id));
  plain = await fx.createSchool(db(), { cityId: dala.cityId, name: PLAIN });
  dalaCrm = await fx.loginAs(web, (await fx.createStaff(db(), { schoolId: dala.id })).login, "school");
  plainCrm = await fx.loginAs(web, (await fx.createStaff(db(), { schoolId: plain.id })).login, "school");
}, 120_000);
afterAll(() => h.dispose());

const db = () => h.database.db;

/** A Telegram user the bot already knows as a student of `language`. */
async function knownStudent(id: number, language: "ru" | "kk"): Promise<{ user: FakeUser; studentId: number }> {
  const user: FakeUser = { id, first_name: language === "kk" ? "Дәулет" : "Асель", language_code: language };
  const [s] = await db().insert(students).values({ telegramId: id, chatId: id, firstName: user.first_name, language, phone: "+77015550000" }).returning();
  return { user, studentId: s!.id };
}

/** An application of the student to the school, in `status`. */
const applyTo = (school: { id: number; cityId: number }, studentId: number, status: "new" | "confirmed" = "new") =>
  fx.createApplication(db(), { schoolId: school.id, cityId: school.cityId }, { studentId, status });

/** The message the outbox delivered to `user` containing `text`. */
const delivered = async (user: FakeUser, text: string) => String((await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.id && String(p.text).includes(text), 5000)).text);

describe("messages from staff", () => {
  test("a reply's header: the Kazakh name to a Kazakh student, the Russian one to a Russian student, the Russian one when there is no Kazakh name", async () => {
    const kk = await knownStudent(9501, "kk");
    const ru = await knownStudent(9502, "ru");
    const kkPlain = await knownStudent(9503, "kk");
    const [kkApp, ruApp, plainApp] = [await applyTo(dala, kk.studentId), await applyTo(dala, ru.studentId), await applyTo(plain, kkPlain.studentId)];
    for (const [session, app] of [[dalaCrm, kkApp], [dalaCrm, ruApp], [plainCrm, plainApp]] as const) {
      expect((await session.request(`/crm/schools/applications/${app.id}/reply`, { form: { text: "Сәлем! Здравствуйте!" }, htmx: true })).status).toBe(200);
    }
    const kkText = await delivered(kk.user, "Сәлем! Здравствуйте!");
    expect(kkText).toContain(KK_NAME);
    expect(kkText).not.toContain(RU_NAME);
    const ruText = await delivered(ru.user, "Сәлем! Здравствуйте!");
    expect(ruText).toContain(RU_NAME);
    expect(ruText).not.toContain(KK_NAME);
    expect(await delivered(kkPlain.user, "Сәлем! Здравствуйте!")).toContain(PLAIN);
  });

  test("a disputed payment names the school in the student's language", async () => {
    const kk = await knownStudent(9511, "kk");
    const ru = await knownStudent(9512, "ru");
    for (const s of [kk, ru]) {
      const app = await applyTo(dala, s.studentId, "confirmed");
      // The student said they paid (the bot's claim, written directly: this test is about the answer).
      await db().insert(payments).values({ applicationId: app.id, amountKzt: 180000, studentAt: new Date() });
      expect((await dalaCrm.request(`/crm/schools/applications/${app.id}/payment/dispute`, { form: { reason: "Төлем түскен жоқ" }, htmx: true })).status).toBe(200);
    }
    const kkText = await delivered(kk.user, "Төлем түскен жоқ");
    expect(kkText).toContain(KK_NAME);
    expect(kkText).not.toContain(RU_NAME);
    const ruText = await delivered(ru.user, "Төлем түскен жоқ");
    expect(ruText).toContain(RU_NAME);
    expect(ruText).not.toContain(KK_NAME);
  });
});

describe("what the student asks the bot", () => {
  test("/my names each school in the student's language, a school without a Kazakh name in Russian", async () => {
    const kk = await knownStudent(9521, "kk");
    const ru = await knownStudent(9522, "ru");
    for (const s of [kk, ru]) {
      await applyTo(dala, s.studentId);
      await applyTo(plain, s.studentId);
    }
    const kkList = (await student(h.tg, kk.user).send("/my")).text;
    expect(kkList).toContain(KK_NAME);
    expect(kkList).not.toContain(RU_NAME);
    expect(kkList).toContain(PLAIN);
    const ruList = (await student(h.tg, ru.user).send("/my")).text;
    expect(ruList).toContain(RU_NAME);
    expect(ruList).not.toContain(KK_NAME);
  });

  test("the which-application chooser names each school in the student's language", async () => {
    const kk = await knownStudent(9531, "kk");
    const [toDala, toPlain] = [await applyTo(dala, kk.studentId), await applyTo(plain, kk.studentId)];
    const kkChat = student(h.tg, kk.user);
    await kkChat.send("Сәлеметсіз бе, сұрағым бар");
    const buttons = kkChat.buttons();
    expect(buttons).toContain(`№ ${toDala.publicNumber} — ${KK_NAME}`);
    expect(buttons).toContain(`№ ${toPlain.publicNumber} — ${PLAIN}`);
    const ru = await knownStudent(9532, "ru");
    const ruApp = await applyTo(dala, ru.studentId);
    await applyTo(plain, ru.studentId);
    const ruChat = student(h.tg, ru.user);
    await ruChat.send("Здравствуйте, у меня вопрос");
    expect(ruChat.buttons()).toContain(`№ ${ruApp.publicNumber} — ${RU_NAME}`);
    // Both applications stay open for the thread; nothing else changed.
    expect((await db().select().from(applications).where(eq(applications.studentId, kk.studentId))).length).toBe(2);
  });
});
