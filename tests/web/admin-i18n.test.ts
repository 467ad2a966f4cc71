// Issue 17 for the admin panel, the visitor pages and the CSV exports: every admin page in Kazakh
// (no text left that only the Russian dictionaries hold), the login pages in the visitor's
// language (Accept-Language, the switch), the switch remembered on the account, its safe
// way back, the error page's language, and the CSV export's labels, slot times, phones and scope.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { accounts, applications, auditLog, instructors, instructorSlots, schoolOffers, schools } from "../../src/db/schema.ts";
import type { Bilingual } from "../../src/i18n/bilingual.ts";
import { accountTexts } from "../../src/i18n/admin/accounts.ts";
import { applicationTexts } from "../../src/i18n/admin/applications.ts";
import { auditTexts } from "../../src/i18n/admin/audit.ts";
import { catalogTexts } from "../../src/i18n/admin/catalog.ts";
import { cityTexts } from "../../src/i18n/admin/cities.ts";
import { adminTexts } from "../../src/i18n/admin/common.ts";
import { dashboardTexts } from "../../src/i18n/admin/dashboard.ts";
import { errorTexts } from "../../src/i18n/admin/errors.ts";
import { exportTexts } from "../../src/i18n/admin/export.ts";
import { instructorTexts } from "../../src/i18n/admin/instructors.ts";
import { publicTexts } from "../../src/i18n/admin/public.ts";
import { reviewTexts } from "../../src/i18n/admin/reviews.ts";
import { schoolTexts } from "../../src/i18n/admin/schools.ts";
import { studentTexts } from "../../src/i18n/admin/students.ts";
import { statusName } from "../../views/format.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import type { Session } from "../support/fixtures.ts";
import { adminSession, loginAdmin } from "./admin-support.ts";

setDefaultTimeout(60_000);

let t: TestApp;
let admin: { session: Session; id: number; login: string };
let w: {
  school: { id: number };
  other: { id: number };
  instructor: { id: number };
  own: { id: number; publicNumber: string };
  formula: { id: number; publicNumber: string };
  foreign: { id: number; publicNumber: string };
  booked: { id: number; publicNumber: string };
};

const DICTIONARIES: Bilingual<object>[] = [accountTexts, applicationTexts, auditTexts, catalogTexts, cityTexts, adminTexts, dashboardTexts, errorTexts, exportTexts, instructorTexts, publicTexts, reviewTexts, schoolTexts, studentTexts];

/** Every plain string of a dictionary (nested objects and arrays too; functions are left out). */
function stringsOf(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (v && typeof v === "object") return Object.values(v).flatMap(stringsOf);
  return [];
}

/**
 * The Russian texts that are not also Kazakh ones ("WhatsApp", "№", "Telegram" are both). The CSV
 * header's column names are left out: single words ("создана") that are no page's text.
 */
const RUSSIAN_ONLY = (() => {
  const kazakh = new Set(DICTIONARIES.flatMap((d) => stringsOf(d.kk)));
  const columns = new Set(exportTexts.ru.header);
  return [...new Set(DICTIONARIES.flatMap((d) => stringsOf(d.ru)))].filter((s) => !kazakh.has(s) && !columns.has(s) && /[А-Яа-яЁё]/.test(s));
})();

const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const pattern = (s: string) => new RegExp(`(?<!\\p{L})${escaped(s).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!\\p{L})`, "u");
/** The Russian-only texts on a page, as words (not "Автор" inside the Kazakh "Авторы"). */
const russianLeft = (html: string) => RUSSIAN_ONLY.filter((s) => pattern(s).test(html));

/** A request in Kazakh from a browser that says so. */
const kk = { headers: { "accept-language": "kk-KZ,kk;q=0.9" } };

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  admin = await adminSession(t);
  // Names with no Russian dictionary word in them, so a hit is the page's own text.
  const city = await fx.createCity(db, "Шымкент");
  const school = await fx.createSchool(db, { cityId: city.id, name: "Жол" });
  await db.update(schools).set({ description: "Оқу орны" }).where(eq(schools.id, school.id));
  const other = await fx.createSchool(db, { cityId: city.id, name: "Бета" });
  await db.update(schools).set({ nameKk: "Бета", descriptionKk: "" }).where(eq(schools.id, other.id));
  const instructor = await fx.createInstructor(db, { cityId: city.id, name: "Ерлан" });
  const [slot] = await db.insert(instructorSlots).values({ instructorId: instructor.id, startsAt: new Date("2025-03-07T05:00:00Z"), minutes: 90 }).returning();
  const own = await fx.createApplication(db, { schoolId: school.id, cityId: city.id }, { status: "confirmed", phone: "+77012345601", studentName: "Айгерім" });
  const formula = await fx.createApplication(db, { schoolId: school.id, cityId: city.id }, { studentName: '=HYPERLINK("http://evil","x")' });
  const foreign = await fx.createApplication(db, { schoolId: other.id, cityId: city.id }, { studentName: "Бөтен" });
  const booked = await fx.createApplication(db, { instructorId: instructor.id, cityId: city.id, slotId: slot!.id }, { status: "accepted", studentName: "Дана" });
  await db.update(applications).set({ preferredTime: null }).where(eq(applications.id, booked.id));
  w = { school, other, instructor, own, formula, foreign, booked };
});
afterAll(() => t.dispose());

describe("the admin panel in Kazakh", () => {
  test("every page shows its Kazakh texts and none that only the Russian dictionaries hold", async () => {
    await t.database.db.update(accounts).set({ language: "kk" }).where(eq(accounts.id, admin.id));
    try {
      const pages: [string, string][] = [
        ["/admin/", adminTexts.kk.titles.dashboard],
        ["/admin/applications", applicationTexts.kk.exportCsv],
        [`/admin/applications/${w.own.id}`, applicationTexts.kk.studentCard],
        [`/admin/applications/${w.booked.id}`, applicationTexts.kk.slot],
        ["/admin/students", studentTexts.kk.search],
        ["/admin/schools", schoolTexts.kk.noKazakh],
        ["/admin/schools/new", schoolTexts.kk.nameKk],
        [`/admin/schools/${w.school.id}?notice=saved`, adminTexts.kk.notices.saved],
        ["/admin/instructors", instructorTexts.kk.add],
        ["/admin/instructors/new", instructorTexts.kk.meetingPointKk],
        [`/admin/instructors/${w.instructor.id}`, instructorTexts.kk.slotsTitle],
        ["/admin/cities", cityTexts.kk.add],
        ["/admin/accounts", accountTexts.kk.createLogin],
        ["/admin/reviews", reviewTexts.kk.none],
        ["/admin/audit", auditTexts.kk.actionHint],
      ];
      for (const [path, kazakh] of pages) {
        const res = await admin.session.request(path);
        const html = await res.text();
        expect({ path, status: res.status, lang: html.includes('<html lang="kk">'), kazakh: html.includes(escaped(kazakh)), russian: russianLeft(html) }).toEqual({ path, status: 200, lang: true, kazakh: true, russian: [] });
      }
      // A form's messages too: a school without a city (the profile fields' own labels are
      // src/domain/profile.ts's, worded by the CRM's dictionaries).
      const bad = await (await admin.session.request("/admin/schools", { form: { name: "Жол", phone: "" } })).text();
      expect(bad).toContain(catalogTexts.kk.chooseCity);
      expect(bad).toContain(adminTexts.kk.checkFields);
      expect(russianLeft(bad)).toEqual([]);
    } finally {
      await t.database.db.update(accounts).set({ language: null }).where(eq(accounts.id, admin.id));
    }
  });

  test("in Russian the same pages are unchanged, and the titles never say «Автошкола: Автошкола …»", async () => {
    const list = await (await admin.session.request("/admin/schools")).text();
    expect(list).toContain("<title>Автошколы · AvtoMat</title>");
    expect(list).not.toContain(schoolTexts.kk.noKazakh);
    const page = await (await admin.session.request(`/admin/schools/${w.school.id}`)).text();
    expect(page).toContain("<h1>Автошкола «Жол»</h1>");
    await t.database.db.update(schools).set({ name: "Автошкола «Жол»" }).where(eq(schools.id, w.school.id));
    try {
      const named = await (await admin.session.request(`/admin/schools/${w.school.id}`)).text();
      expect(named).toContain("<h1>Автошкола «Жол»</h1>");
      expect(named).not.toContain("Автошкола: ");
      const apps = await (await admin.session.request(`/admin/applications?school=${w.school.id}`)).text();
      expect(apps).toContain("<td>Автошкола «Жол»</td>");
      expect(apps).not.toContain("Автошкола «Автошкола");
    } finally {
      await t.database.db.update(schools).set({ name: "Жол" }).where(eq(schools.id, w.school.id));
    }
  });

  test("the schools list marks and filters the schools lacking Kazakh; the admin form saves the Kazakh texts", async () => {
    const missing = await (await admin.session.request("/admin/schools?kazakh=missing")).text();
    expect(missing).toContain(`/admin/schools/${w.school.id}"`);
    expect(missing).not.toContain(`/admin/schools/${w.other.id}"`);
    expect(missing).toContain("нет казахского");
    const present = await (await admin.session.request("/admin/schools?kazakh=present")).text();
    expect(present).toContain(`/admin/schools/${w.other.id}"`);
    expect(present).not.toContain(`/admin/schools/${w.school.id}"`);

    const saved = await admin.session.request(`/admin/schools/${w.school.id}`, {
      form: { cityId: String((await t.database.db.select().from(schools).where(eq(schools.id, w.school.id)))[0]!.cityId), name: "Жол", nameKk: "Жол", address: "ул. Абая, 1", addressKk: "Абай к-сі, 1", phone: "+7 701 000 00 01", description: "Оқу орны", descriptionKk: "Білім беру орны" },
    });
    expect(saved.status).toBe(303);
    const [row] = await t.database.db.select().from(schools).where(eq(schools.id, w.school.id));
    expect({ nameKk: row!.nameKk, addressKk: row!.addressKk, descriptionKk: row!.descriptionKk }).toEqual({ nameKk: "Жол", addressKk: "Абай к-сі, 1", descriptionKk: "Білім беру орны" });
    expect(await (await admin.session.request("/admin/schools?kazakh=missing")).text()).not.toContain(`/admin/schools/${w.school.id}"`);
  });
});

describe("bilingual content in the admin forms", () => {
  test("an instructor's meeting point and an offer's note are saved in both languages", async () => {
    const [i] = await t.database.db.select().from(instructors).where(eq(instructors.id, w.instructor.id));
    const res = await admin.session.request(`/admin/instructors/${w.instructor.id}`, {
      form: { cityId: String(i!.cityId), schoolId: "", name: "Ерлан", phone: "+7 701 000 00 02", transmission: "automatic", car: "Kia Rio", pricePerHourKzt: "8000", categories: "B", meetingPoint: "ТЦ Мега, вход 2", meetingPointKk: "Мега СО, 2-кіреберіс" },
    });
    expect(res.status).toBe(303);
    const [saved] = await t.database.db.select().from(instructors).where(eq(instructors.id, w.instructor.id));
    expect({ ru: saved!.meetingPoint, kk: saved!.meetingPointKk }).toEqual({ ru: "ТЦ Мега, вход 2", kk: "Мега СО, 2-кіреберіс" });
    const page = await (await admin.session.request(`/admin/instructors/${w.instructor.id}`)).text();
    expect(page).toContain('value="Мега СО, 2-кіреберіс"');

    const offer = await admin.session.request(`/admin/schools/${w.other.id}/offers`, {
      form: { kind: "full_course", category: "B", format: "in_person", priceKzt: "180000", durationWeeks: "8", hours: "", includes: "топливо", includesKk: "жанармай" },
    });
    expect(offer.status).toBe(303);
    const [row] = await t.database.db.select().from(schoolOffers).where(eq(schoolOffers.schoolId, w.other.id));
    expect({ ru: row!.includes, kk: row!.includesKk }).toEqual({ ru: "топливо", kk: "жанармай" });
    expect(await (await admin.session.request(`/admin/schools/${w.other.id}`)).text()).toContain("топливо / жанармай");
  });
});

describe("the visitor pages and the language switch", () => {
  test("the login pages speak the browser's language, with the switch and no CSRF field", async () => {
    for (const [path, title] of [
      ["/crm/schools/login/", publicTexts.kk.schoolLogin],
      ["/crm/instructors/login/", publicTexts.kk.instructorLogin],
      ["/admin/", publicTexts.kk.adminLogin],
    ] as const) {
      const html = await (await t.request(path, kk)).text();
      expect({ path, title: html.includes(`<h1>${title}</h1>`), password: html.includes(publicTexts.kk.password), russian: russianLeft(html), lang: html.includes('<html lang="kk">') }).toEqual({ path, title: true, password: true, russian: [], lang: true });
      expect(html).toContain('action="/language"');
      expect(html).not.toContain('name="_csrf"');
    }
    const ru = await (await t.request("/crm/schools/login/")).text();
    expect(ru).toContain("<h1>Вход для автошколы</h1>");
    expect(ru).toContain("Пароль");
  });

  test("the switch on the login page: POST /language, then the page in Kazakh (the cookie)", async () => {
    const res = await t.request("/language", fx.formPost({ language: "kk", back: "/crm/schools/login/" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/crm/schools/login/");
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toBe("avtomat_lang=kk");
    const html = await (await t.request("/crm/schools/login/", { headers: { cookie } })).text();
    expect(html).toContain(`<h1>${publicTexts.kk.schoolLogin}</h1>`);
    expect(russianLeft(html)).toEqual([]);
    // A failed login answers in it too.
    const refused = await (await t.request("/crm/schools/login/", { ...fx.formPost({ login: "nobody", password: "x" }), headers: { ...fx.formPost({}).headers, cookie } })).text();
    expect(refused).toContain(publicTexts.kk.invalidLogin);
  });

  test("a logged-in admin's switch is stored on the account and survives a new session", async () => {
    const a = await adminSession(t);
    const res = await a.session.request("/language", { form: { language: "kk", back: "/admin/schools", _csrf: a.session.csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/schools");
    expect((await t.database.db.select().from(accounts).where(eq(accounts.id, a.id)))[0]!.language).toBe("kk");
    // A new session in a browser without the cookie and with a Russian Accept-Language: still Kazakh.
    const fresh = await loginAdmin(t, a.login);
    const html = await (await fresh.request("/admin/schools", { headers: { "accept-language": "ru" } })).text();
    expect(html).toContain(`<title>${adminTexts.kk.titles.schools} · AvtoMat</title>`);
  });

  test("the switch is audited, and a second press of the same language writes nothing", async () => {
    const a = await adminSession(t);
    const press = (language: string) => a.session.request("/language", { form: { language, back: "/admin/", _csrf: a.session.csrf } });
    expect((await press("kk")).status).toBe(303);
    expect((await press("kk")).status).toBe(303);
    const rows = await t.database.db.select().from(auditLog).where(and(eq(auditLog.accountId, a.id), eq(auditLog.action, "account.language")));
    expect(rows.map((r) => [r.before, r.after])).toEqual([[{ language: null }, { language: "kk" }]]);
  });

  test("a logged-in person's switch on the home and login pages carries the session's token (not a 403)", async () => {
    const a = await adminSession(t);
    for (const path of ["/", "/crm/schools/login/"]) {
      const html = await (await a.session.request(path)).text();
      const token = html.match(/action="\/language"[^]*?name="_csrf" value="([^"]+)"/)?.[1];
      expect({ path, token }).toEqual({ path, token: a.session.csrf });
      const res = await a.session.request("/language", { form: { language: "ru", back: path, _csrf: token! } });
      expect({ path, status: res.status }).toEqual({ path, status: 303 });
    }
  });

  test("the way back is one of our pages only: another site's address lands on /", async () => {
    for (const back of ["//evil.com", "https://evil.com", "/\\evil.com", "/\t/evil.com", "/\n/evil.com", "javascript:alert(1)"]) {
      const res = await t.request("/language", fx.formPost({ language: "kk", back }));
      expect({ back, status: res.status, location: res.headers.get("location") }).toEqual({ back, status: 303, location: "/" });
    }
  });

  test("a malformed language is refused (400) and nothing is stored", async () => {
    const a = await adminSession(t);
    for (const language of ["en", "KK", "kk\u0000", ""]) {
      const res = await a.session.request("/language", { form: { language, back: "/admin/", _csrf: a.session.csrf } });
      expect({ language, status: res.status, cookie: res.headers.get("set-cookie")?.includes("avtomat_lang") ?? false }).toEqual({ language, status: 400, cookie: false });
    }
    expect((await t.database.db.select().from(accounts).where(eq(accounts.id, a.id)))[0]!.language).toBeNull();
  });

  test("the home page and the error pages speak the request's language", async () => {
    const home = await (await t.request("/", kk)).text();
    expect(home).toContain(publicTexts.kk.schoolEntrance);
    expect(russianLeft(home)).toEqual([]);
    const missing = await t.request("/no-such-page", kk);
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain(errorTexts.kk.notFound);
    expect(html).toContain(publicTexts.kk.errorTitle(404));
    expect(russianLeft(html)).toEqual([]);
    // A refusal a route throws (HttpError with both languages), for an admin reading Kazakh.
    const gone = await admin.session.request("/admin/applications/2147483000", kk);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain(errorTexts.kk.applicationNotFound);
    // The account's choice counts too, without a cookie or an Accept-Language saying it.
    await t.database.db.update(accounts).set({ language: "kk" }).where(eq(accounts.id, admin.id));
    try {
      expect(await (await admin.session.request("/admin/students/2147483000")).text()).toContain(errorTexts.kk.studentNotFound);
    } finally {
      await t.database.db.update(accounts).set({ language: null }).where(eq(accounts.id, admin.id));
    }
    // A malformed text field: the input model's 400 in Kazakh, as a fragment for htmx.
    const bad = await t.request("/admin/login", { ...fx.formPost({ login: "a\u0000", password: "x" }), headers: { ...fx.formPost({}).headers, "accept-language": "kk", "hx-request": "true" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe(`<p class="error" role="alert">${errorTexts.kk.badText}</p>`);
    // And in Russian, unchanged.
    expect(await (await t.request("/no-such-page")).text()).toContain("Страница не найдена.");
  });
});

/** The CSV's rows as fields (quoted fields may hold commas and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += c;
  }
  return rows;
}

describe("the CSV export", () => {
  const rowsOf = async (res: Response) => {
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const [header, ...body] = rows;
    return { header: header!, byNumber: new Map(body.map((r) => [r[0]!, Object.fromEntries(header!.map((h, i) => [h, r[i]!]))])) };
  };

  test("labels in the admin's language, the slot's time, phones readable, formulas still defused", async () => {
    const { byNumber } = await rowsOf(await admin.session.request("/admin/applications/export.csv"));
    const own = byNumber.get(w.own.publicNumber)!;
    expect(own["статус"]).toBe(statusName("confirmed", "ru"));
    expect(own["тип"]).toBe("Автошкола");
    expect(own["формат"]).toBe("Очно");
    expect(own["телефон"]).toBe("+7 701 234 56 01");
    expect(own["источник"]).not.toBe("bot");
    const booked = byNumber.get(w.booked.publicNumber)!;
    // 05:00 UTC is 10:00 in Almaty.
    expect(booked["желаемое_время"]).toBe("2025-03-07 10:00");
    expect(booked["статус"]).toBe(statusName("accepted", "ru"));
    expect(booked["коробка"]).toBe("АКПП");
    expect(booked["тип"]).toBe("Инструктор");
    expect(byNumber.get(w.formula.publicNumber)!["ученик"]).toBe(`'=HYPERLINK("http://evil","x")`);
    // No code anywhere, no apostrophe before a phone.
    const raw = await (await admin.session.request("/admin/applications/export.csv")).text();
    for (const code of [",confirmed,", ",in_person,", ",automatic,", ",school,", ",accepted,"]) expect(raw).not.toContain(code);
    expect(raw).not.toContain("'+7");
  });

  test("in Kazakh: the Kazakh header and labels", async () => {
    await t.database.db.update(accounts).set({ language: "kk" }).where(eq(accounts.id, admin.id));
    try {
      const { header, byNumber } = await rowsOf(await admin.session.request("/admin/applications/export.csv"));
      expect(header).toEqual([...exportTexts.kk.header]);
      const own = byNumber.get(w.own.publicNumber)!;
      expect(own["мәртебесі"]).toBe(statusName("confirmed", "kk"));
      expect(own["түрі"]).toBe("Автомектеп");
    } finally {
      await t.database.db.update(accounts).set({ language: null }).where(eq(accounts.id, admin.id));
    }
  });

  test("a school exports its own applications only, from a link on its inbox; an instructor its own", async () => {
    const school = await fx.loginAs(t, (await fx.createStaff(t.database.db, { schoolId: w.school.id })).login, "school");
    const inbox = await (await school.request("/crm/schools/applications")).text();
    expect(inbox).toContain('href="/crm/schools/applications/export.csv"');
    const res = await school.request("/crm/schools/applications/export.csv?school=" + w.other.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="applications-\d{4}-\d{2}-\d{2}\.csv"$/);
    const { byNumber } = await rowsOf(res);
    expect([...byNumber.keys()].sort()).toEqual([w.own.publicNumber, w.formula.publicNumber].sort());
    expect(byNumber.get(w.own.publicNumber)!["телефон"]).toBe("+7 701 234 56 01");
    // The inbox's status filter is kept.
    const confirmed = await rowsOf(await school.request("/crm/schools/applications/export.csv?status=confirmed"));
    expect([...confirmed.byNumber.keys()]).toEqual([w.own.publicNumber]);

    const instructor = await fx.loginAs(t, (await fx.createStaff(t.database.db, { instructorId: w.instructor.id })).login, "instructor");
    const mine = await rowsOf(await instructor.request("/crm/instructors/applications/export.csv"));
    expect([...mine.byNumber.keys()]).toEqual([w.booked.publicNumber]);
    // Not logged in: the login, not a file.
    expect((await t.request("/crm/schools/applications/export.csv")).status).toBe(303);
  });
});
