// Issue 17, the CRM's schedule, lessons, profile and settings pages in Kazakh: each page, for an
// account that chose Kazakh, speaks Kazakh and shows none of the Russian-only texts of its
// dictionaries; the school's Kazakh name, address, description and offer note and the
// instructor's Kazakh meeting point are saved, shown back, and refused when too long (nothing
// saved); the fixed Russian texts (gender-neutral no-show, lower-case weekday, the «Заявки» tab,
// numeric dates, formatted phones) are pinned.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accounts, instructors, lessons, schoolOffers, schools } from "../../src/db/schema.ts";
import type { Bilingual } from "../../src/i18n/bilingual.ts";
import { availabilityTexts } from "../../src/i18n/crm/availability.ts";
import { lessonRulesTexts } from "../../src/i18n/crm/lesson-rules.ts";
import { lessonTexts } from "../../src/i18n/crm/lessons.ts";
import { profileTexts } from "../../src/i18n/crm/profile.ts";
import { settingsTexts } from "../../src/i18n/crm/settings.ts";
import { dateFormat } from "../../src/model/time.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

let t: TestApp;
const db = () => t.database.db;

/** Every text of a dictionary's half (functions left out: they are said with values). */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

/** The Russian texts that are not also Kazakh ones (long enough not to occur inside other words by chance). */
function russianOnly(...dictionaries: Bilingual<object>[]): string[] {
  const kazakh = new Set(dictionaries.flatMap((d) => leaves(d.kk)));
  return [...new Set(dictionaries.flatMap((d) => leaves(d.ru)))].filter((s) => s.length >= 4 && !kazakh.has(s));
}

const escaped = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** The Russian-only texts found on a page (plain or escaped as kitajs writes them). */
const russianLeft = (html: string, texts: string[]) => texts.filter((s) => html.includes(s) || html.includes(escaped(s)));

const OURS = russianOnly(lessonTexts, availabilityTexts, lessonRulesTexts, profileTexts, settingsTexts);

/** Today's weekday, and today as the lessons page names it ("пятница, 4 декабря" / "4 желтоқсан, жұма"). */
const weekdayToday = (locale: string) => dateFormat(locale, { weekday: "long", timeZone: t.config.timeZone }).format(new Date());
const today = (locale: string) => dateFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: t.config.timeZone }).format(new Date());

let instructor: Awaited<ReturnType<typeof fx.createInstructor>>;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let kkInstructor: fx.Session;
let ruInstructor: fx.Session;
let kkSchool: fx.Session;
let ruSchool: fx.Session;
let kkSchoolId: number;

async function sessionIn(language: "ru" | "kk", who: { schoolId: number } | { instructorId: number }) {
  const account = await fx.createStaff(db(), who);
  if (language === "kk") await db().update(accounts).set({ language: "kk" }).where(eq(accounts.id, account.id));
  return fx.loginAs(t, account.login, "schoolId" in who ? "school" : "instructor");
}

beforeAll(async () => {
  t = await createTestApp();
  // Names without Russian words: the pages show them as they are.
  instructor = await fx.createInstructor(db(), { name: "Асқар Ахметов" });
  school = await fx.createSchool(db());
  kkSchoolId = (await fx.createSchool(db())).id;
  kkInstructor = await sessionIn("kk", { instructorId: instructor.id });
  ruInstructor = await sessionIn("ru", { instructorId: instructor.id });
  kkSchool = await sessionIn("kk", { schoolId: kkSchoolId });
  ruSchool = await sessionIn("ru", { schoolId: school.id });
  // A lesson that has started (its "how it went" buttons show) and an accepted application without one.
  const app = await fx.createApplication(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { status: "accepted" });
  const startedAt = new Date(Math.max(Date.now() - 60_000, Date.now() - 1));
  await db().insert(lessons).values({ applicationId: app.id, instructorId: instructor.id, startsAt: startedAt, minutes: 60, state: "planned" });
});
afterAll(() => t.dispose());

describe("every page of the part in Kazakh", () => {
  const pages: [string, () => fx.Session, string][] = [
    ["/crm/instructors/lessons", () => kkInstructor, "Сабақ белгілеу"],
    ["/crm/instructors/week", () => kkInstructor, "Келесі"],
    ["/crm/instructors/availability", () => kkInstructor, "Апталық үлгі"],
    ["/crm/instructors/lesson-rules", () => kkInstructor, "Кездесу орны (қазақша)"],
    ["/crm/instructors/profile", () => kkInstructor, "Нұсқаушы профилі"],
    ["/crm/instructors/templates", () => kkInstructor, "Жауап үлгілері"],
    ["/crm/instructors/auto-replies", () => kkInstructor, "Автоматты хабарламалар"],
    ["/crm/instructors/telegram", () => kkInstructor, "Код алу"],
    ["/crm/schools/profile", () => kkSchool, "Автомектеп профилі"],
    ["/crm/schools/week", () => kkSchool, "Келесі"],
    ["/crm/schools/lesson-rules", () => kkSchool, "Сабақ ережелері"],
    ["/crm/schools/templates", () => kkSchool, "Жаңа үлгі"],
    ["/crm/schools/auto-replies", () => kkSchool, "Жаңа өтінім"],
    ["/crm/schools/share", () => kkSchool, "Оқушыларға арналған сілтеме және QR-код"],
  ];
  for (const [path, session, kazakh] of pages)
    test(path, async () => {
      const res = await session().request(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="kk"');
      expect(html).toContain(kazakh);
      expect(russianLeft(html, OURS)).toEqual([]);
    });

  test("a lesson's card and the lessons page's own words: today with its weekday, the no-show buttons", async () => {
    const html = await (await kkInstructor.request("/crm/instructors/lessons")).text();
    expect(html).toContain(`Бүгін, ${today("kk-KZ")}`);
    expect(today("kk-KZ")).toContain(weekdayToday("kk-KZ"));
    expect(html).toContain(">Оқушы келмеді</button>");
    expect(html).toContain(">Нұсқаушы келмеді</button>");
  });

  test("a refusal comes in Kazakh too (a htmx fragment)", async () => {
    const res = await kkInstructor.request("/crm/instructors/lessons", { form: { application: "", day: "2026-13-40", time: "25:00", minutes: "5" }, htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Өтінімді таңдаңыз.");
    expect(html).toContain("Күні қате: ЖЖЖЖ-АА-КК пішімі керек.");
    expect(russianLeft(html, OURS)).toEqual([]);
  });

  test("a template's problems in Kazakh", async () => {
    const res = await kkSchool.request("/crm/schools/templates", { form: { title: "", body: "Сәлем, {кім}" }, htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Үлгінің атауын көрсетіңіз.");
    expect(html).toContain("Белгісіз қойылатын мәндер: {кім}.");
  });
});

describe("the fixed Russian texts", () => {
  test("today's heading names the weekday in lower case; the no-show buttons say no one's gender", async () => {
    const html = await (await ruInstructor.request("/crm/instructors/lessons")).text();
    expect(html).toContain(`Сегодня, ${today("ru-RU")}`);
    expect(today("ru-RU")).toStartWith(weekdayToday("ru-RU"));
    expect(weekdayToday("ru-RU")).toBe(weekdayToday("ru-RU").toLowerCase());
    expect(html).toContain(">Неявка ученика</button>");
    expect(html).toContain(">Неявка инструктора</button>");
    expect(html).not.toContain("Не смог я");
    expect(html).not.toContain("Не пришёл ученик");
  });

  test("without accepted applications the plan form points at the «Заявки» tab", async () => {
    const other = await fx.createInstructor(db());
    const s = await sessionIn("ru", { instructorId: other.id });
    const html = await (await s.request("/crm/instructors/lessons")).text();
    expect(html).toContain("Принятых заявок нет: примите заявку в разделе «Заявки».");
    expect(html).not.toContain("Входящих");
    const kk = await sessionIn("kk", { instructorId: other.id });
    expect(await (await kk.request("/crm/instructors/lessons")).text()).toContain("«Өтінімдер» бөлімінде");
  });

  test("the profile shows a stored phone as people write it", async () => {
    await db().update(schools).set({ phone: "+77012345601", whatsapp: "+77012345602" }).where(eq(schools.id, school.id));
    const html = await (await ruSchool.request("/crm/schools/profile")).text();
    expect(html).toContain('value="+7 701 234 56 01"');
    expect(html).toContain('value="+7 701 234 56 02"');
  });
});

describe("what a school writes, in Kazakh too", () => {
  const profile = (extra: Record<string, string> = {}) => ({
    name: "Автошкола «Жол»",
    address: "ул. Абая, 10",
    phone: "+7 701 234 56 01",
    description: "Учим водить с 2005 года.",
    ...extra,
  });

  test("the Kazakh name, address and description are saved and shown back", async () => {
    const res = await ruSchool.request("/crm/schools/profile", { form: profile({ nameKk: "«Жол» автомектебі", addressKk: "Абай к-сі, 10", descriptionKk: "2005 жылдан бері көлік жүргізуді үйретеміз." }), htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Сохранено.");
    expect(html).toContain('name="nameKk" type="text" value="«Жол» автомектебі"');
    expect(html).toContain("2005 жылдан бері көлік жүргізуді үйретеміз.");
    const [row] = await db().select().from(schools).where(eq(schools.id, school.id));
    expect([row!.nameKk, row!.addressKk, row!.descriptionKk]).toEqual(["«Жол» автомектебі", "Абай к-сі, 10", "2005 жылдан бері көлік жүргізуді үйретеміз."]);
    // The full page shows them too, and a Kazakh reader's form says which field is which in Kazakh.
    expect(await (await ruSchool.request("/crm/schools/profile")).text()).toContain('value="Абай к-сі, 10"');
    expect(await (await kkSchool.request("/crm/schools/profile")).text()).toContain("Атауы қазақша");
  });

  test("too long a Kazakh text is refused at its field, in the reader's language, and nothing is saved", async () => {
    const before = (await db().select().from(schools).where(eq(schools.id, school.id)))[0]!;
    const res = await ruSchool.request("/crm/schools/profile", { form: profile({ nameKk: "Ж".repeat(121), descriptionKk: "ә".repeat(2001) }), htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Не длиннее 120 символов.");
    expect(html).toContain("Не длиннее 2000 символов.");
    const after = (await db().select().from(schools).where(eq(schools.id, school.id)))[0]!;
    expect(after).toEqual(before);
    const kk = await kkSchool.request("/crm/schools/profile", { form: profile({ name: "Кк", phone: "+7 701 234 56 09", addressKk: "а".repeat(201) }), htmx: true });
    expect(kk.status).toBe(422);
    expect(await kk.text()).toContain("200 таңбадан аспауы керек.");
    expect((await db().select().from(schools).where(eq(schools.id, kkSchoolId)))[0]!.addressKk).toBe("");
  });

  test("an offer's 'what the price includes' in Kazakh is saved from the CRM form", async () => {
    const offer = { category: "B", format: "in_person", kind: "full_course", priceKzt: "180000", durationWeeks: "10", includes: "автомобиль школы", includesKk: "мектептің көлігі" };
    const res = await ruSchool.request("/crm/schools/offers", { form: offer, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="includesKk" type="text" value="мектептің көлігі"');
    const [row] = await db().select().from(schoolOffers).where(eq(schoolOffers.schoolId, school.id));
    expect(row!.includesKk).toBe("мектептің көлігі");
  });

  test("the instructor's meeting point in Kazakh, beside the Russian one, limited alike", async () => {
    const form = { reminderFirstHours: "24", reminderSecondHours: "2", cancelCutoffHours: "24", meetingPoint: "Парковка ТЦ «Мега»", meetingPointKk: "«Мега» СО тұрағы" };
    const ok = await ruInstructor.request("/crm/instructors/lesson-rules", { form, htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('name="meetingPointKk" type="text" value="«Мега» СО тұрағы"');
    expect((await db().select().from(instructors).where(eq(instructors.id, instructor.id)))[0]!.meetingPointKk).toBe("«Мега» СО тұрағы");
    const bad = await kkInstructor.request("/crm/instructors/lesson-rules", { form: { ...form, meetingPointKk: "т".repeat(201) }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("200 таңбадан аспауы керек.");
    expect((await db().select().from(instructors).where(eq(instructors.id, instructor.id)))[0]!.meetingPointKk).toBe("«Мега» СО тұрағы");
  });
});
