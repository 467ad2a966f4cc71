// The share card through real HTTP: the deep link of a school (s<id>) and an instructor (i<id>),
// the source tag checked with the bot's own rule (a bad one is a message at the field and changes
// nothing), the QR code as a downloadable SVG, the print sheet, the note when the bot's username
// is not configured, and that only a logged-in account of the area gets any of it.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { count } from "drizzle-orm";
import { applications, auditLog, schools } from "../../src/db/schema.ts";
import { MAX_SOURCE_TAG } from "../../src/model/share-link.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";

setDefaultTimeout(30_000);

const BOT = "avtomat_test_bot";
let t: TestApp;
let bare: TestApp;
let school: Awaited<ReturnType<typeof fx.createSchool>>;
let instructor: Awaited<ReturnType<typeof fx.createInstructor>>;
let s: fx.Session;
let si: fx.Session;
let sBare: fx.Session;

beforeAll(async () => {
  [t, bare] = await Promise.all([createTestApp({ env: { TELEGRAM_BOT_USERNAME: BOT } }), createTestApp()]);
  school = await fx.createSchool(t.database.db, { name: "Автошкола «Жол»" });
  instructor = await fx.createInstructor(t.database.db, { cityId: school.cityId });
  s = await fx.loginAs(t, (await fx.createStaff(t.database.db, { schoolId: school.id })).login, "school");
  si = await fx.loginAs(t, (await fx.createStaff(t.database.db, { instructorId: instructor.id })).login, "instructor");
  const other = await fx.createSchool(bare.database.db);
  sBare = await fx.loginAs(bare, (await fx.createStaff(bare.database.db, { schoolId: other.id })).login, "school");
});
afterAll(async () => {
  await Promise.all([t?.dispose(), bare?.dispose()]);
});

const linkOf = (html: string) => html.match(/data-share="link">\s*([^<]*?)\s*</)?.[1] ?? null;

describe("the link", () => {
  test("the school's profile shows its deep link, its QR code and the print sheet's address", async () => {
    const html = await (await s.request("/crm/schools/profile")).text();
    expect(linkOf(html)).toBe(`https://t.me/${BOT}?start=s${school.id}`);
    expect(html).toContain('src="/crm/schools/share/qr.svg"');
    expect(html).toContain('href="/crm/schools/share/print"');
  });

  test("the instructor's profile shows theirs (i<id>)", async () => {
    const html = await (await si.request("/crm/instructors/profile")).text();
    expect(linkOf(html)).toBe(`https://t.me/${BOT}?start=i${instructor.id}`);
  });

  test("a tag goes into the link, the QR code and the print sheet (htmx fragment)", async () => {
    const res = await s.request("/crm/schools/share?tag=flyer_2025", { htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith('<section id="share"');
    expect(linkOf(html)).toBe(`https://t.me/${BOT}?start=s${school.id}-flyer_2025`);
    expect(html).toContain('src="/crm/schools/share/qr.svg?tag=flyer_2025"');
    expect(html).toContain('href="/crm/schools/share/print?tag=flyer_2025"');
    expect(html).toContain('value="flyer_2025"');
  });

  test("without htmx the form reloads the profile with the tag", async () => {
    const html = await (await s.request("/crm/schools/profile?tag=instagram")).text();
    expect(html).toContain("Профиль автошколы");
    expect(linkOf(html)).toBe(`https://t.me/${BOT}?start=s${school.id}-instagram`);
  });

  test("the tag field takes as many characters as the bot's rule allows, and says so", async () => {
    const html = await (await s.request("/crm/schools/share", { htmx: true })).text();
    expect(html).toMatch(new RegExp(`<input[^>]*name="tag"[^>]*maxlength="${MAX_SOURCE_TAG}"`));
    expect(html).toContain(`до ${MAX_SOURCE_TAG} символов`);
    expect(MAX_SOURCE_TAG).toBe(40);
  });
});

describe("a bad tag", () => {
  const snapshot = async () => ({
    applications: (await t.database.db.select({ n: count() }).from(applications))[0]!.n,
    audit: (await t.database.db.select({ n: count() }).from(auditLog))[0]!.n,
    schools: await t.database.db.select().from(schools),
  });

  for (const [tag, message] of [
    ["инста", "Метка: только латинские буквы, цифры и _, не длиннее 40 символов."],
    ["insta-gram", "Метка: только латинские буквы, цифры и _, не длиннее 40 символов."],
    ["a".repeat(41), "Метка: только латинские буквы, цифры и _, не длиннее 40 символов."],
    ['"><b>x</b>', "Метка: только латинские буквы, цифры и _, не длиннее 40 символов."],
    ["bot", "Метка «bot» занята: так в статистике отмечены заявки без метки."],
  ] as const) {
    test(`"${tag.slice(0, 12)}" gets its message at the field, no link, and changes nothing`, async () => {
      const before = await snapshot();
      for (const path of [`/crm/schools/share?tag=${encodeURIComponent(tag)}`, `/crm/schools/profile?tag=${encodeURIComponent(tag)}`]) {
        const res = await s.request(path, { htmx: path.includes("/share") });
        expect(res.status).toBe(422);
        const html = await res.text();
        expect(html).toContain(`<small class="error" role="alert">${message}</small>`);
        expect(linkOf(html)).toBeNull();
        expect(html).not.toContain("qr.svg");
        // Kept in the field as typed, escaped: it cannot close the attribute.
        expect(html).not.toContain('"><b>x</b>');
      }
      for (const path of ["qr.svg", "print"]) expect((await s.request(`/crm/schools/share/${path}?tag=${encodeURIComponent(tag)}`)).status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });
  }

  test("malformed text (a NUL byte, 5 kB) is a 400, never a 500", async () => {
    expect((await s.request("/crm/schools/share?tag=a%00b")).status).toBe(400);
    expect((await s.request(`/crm/schools/share?tag=${"a".repeat(5000)}`)).status).toBe(400);
    expect((await s.request("/crm/schools/share/qr.svg?tag=%ED%A0%80")).status).toBeLessThan(500);
  });
});

describe("the QR code and the print sheet", () => {
  test("the SVG is served as image/svg+xml with a download file name", async () => {
    const res = await s.request("/crm/schools/share/qr.svg?tag=flyer");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="avtomat-qr-s${school.id}-flyer.svg"`);
    const svg = await res.text();
    expect(svg).toStartWith('<svg xmlns="http://www.w3.org/2000/svg"');
    // Only the code's own shapes: nothing of ours is drawn into it as markup.
    expect(svg).not.toContain("<script");
  });

  test("the print sheet shows the name, the code and the link", async () => {
    const html = await (await si.request("/crm/instructors/share/print?tag=avito")).text();
    expect(html).toContain(`<h1>${instructor.name}</h1>`);
    expect(html).toContain('src="/crm/instructors/share/qr.svg?tag=avito"');
    expect(html).toContain(`https://t.me/${BOT}?start=i${instructor.id}-avito`);
  });
});

describe("access and configuration", () => {
  test("without the bot's username: a note on the profile, no link, and no code to download", async () => {
    const html = await (await sBare.request("/crm/schools/profile")).text();
    expect(html).toContain('data-share="no-bot"');
    expect(html).toContain("TELEGRAM_BOT_USERNAME");
    expect(html).not.toContain("t.me/");
    expect((await sBare.request("/crm/schools/share/qr.svg")).status).toBe(404);
    expect((await sBare.request("/crm/schools/share/print")).status).toBe(404);
  });

  test("only a logged-in account of the area gets the link or the code", async () => {
    const anonymous = await t.request("/crm/schools/share/qr.svg");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/crm/schools/login/");
    // An instructor's session is not a school's.
    expect((await si.request("/crm/schools/share/qr.svg")).status).toBe(303);
  });
});
