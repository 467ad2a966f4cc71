// "Отзывы" in the CRM over HTTP (app.handle): a school sees its reviews newest first with rating,
// comment (escaped), author only when the student chose to show it, date; answers one publicly
// once (audited, a second answer refused, nothing changed); an empty or too long answer is the
// review again with its message; no CSRF token is a 403; another school cannot answer (404) nor
// see it; a review hidden by the admin shows "Отзыв скрыт модератором" and its rating only, and
// cannot be answered. The instructor area has the same page.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, reviews } from "../../src/db/schema.ts";
import { setReviewHidden } from "../../src/domain/reviews.ts";
import { MAX_REVIEW_TEXT } from "../../src/model/review.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import * as fx from "../support/fixtures.ts";
import { reviewOf } from "../support/reviews.ts";
import { createAdmin } from "./admin-support.ts";

setDefaultTimeout(30_000);

let t: TestApp;
const db = () => t.database.db;
const row = async (id: number) => (await db().select().from(reviews).where(eq(reviews.id, id)))[0]!;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.dispose());

describe("a school's reviews", () => {
  let school: Awaited<ReturnType<typeof fx.createSchool>>;
  let s: fx.Session;
  let named: Awaited<ReturnType<typeof reviewOf>>;
  let anonymous: Awaited<ReturnType<typeof reviewOf>>;
  beforeAll(async () => {
    school = await fx.createSchool(db());
    s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
    named = await reviewOf(db(), { schoolId: school.id, cityId: school.cityId }, { rating: 5, comment: "Всё <script>x</script> отлично", showName: true, firstName: "Дана", at: new Date("2026-11-01T06:00:00Z") });
    anonymous = await reviewOf(db(), { schoolId: school.id, cityId: school.cityId }, { rating: 2, comment: "Долго ждал ответа", showName: false, firstName: "Секрет", at: new Date("2026-11-20T06:00:00Z") });
  });

  test("the page: newest first, escaped, the author only when shown, average and count; in the menu", async () => {
    const res = await s.request("/crm/schools/reviews");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/crm/schools/reviews"');
    expect(html).toContain("Средняя оценка 3,5 из 5, отзывов: 2.");
    expect(html.indexOf(`review-${anonymous.review.id}`)).toBeLessThan(html.indexOf(`review-${named.review.id}`));
    expect(html).toContain("Всё &lt;script&gt;x&lt;/script&gt; отлично");
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("Дана");
    expect(html).not.toContain("Секрет");
    expect(html).toContain("★★☆☆☆");
    expect(html).toContain("01.11.2026");
  });

  test("answers once: saved and audited; a second answer is refused and changes nothing", async () => {
    const id = named.review.id;
    const noCsrf = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "Спасибо" }, noCsrf: true });
    expect(noCsrf.status).toBe(403);
    expect((await row(id)).reply).toBeNull();

    const empty = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "   " }, htmx: true });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Напишите ответ.");
    const long = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "я".repeat(MAX_REVIEW_TEXT + 1) }, htmx: true });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain(`Не длиннее ${MAX_REVIEW_TEXT} символов.`);
    const nul = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "a\u0000b" }, htmx: true });
    expect(nul.status).toBe(400);
    expect((await row(id)).reply).toBeNull();

    const ok = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "Спасибо, <b>Дана</b>!" }, htmx: true });
    expect(ok.status).toBe(200);
    const fragment = await ok.text();
    expect(fragment).toContain("Спасибо, &lt;b&gt;Дана&lt;/b&gt;!");
    expect(fragment).not.toContain('name="reply"');
    expect((await row(id)).reply).toBe("Спасибо, <b>Дана</b>!");
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "review.answer"), eq(auditLog.subject, `review:${id}`)))).toHaveLength(1);

    const again = await s.request(`/crm/schools/reviews/${id}/answer`, { form: { reply: "Другой ответ" }, htmx: true });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("На этот отзыв уже дан ответ.");
    expect((await row(id)).reply).toBe("Спасибо, <b>Дана</b>!");

    // A plain form (no htmx) is redirected back to the page.
    const plain = await s.request(`/crm/schools/reviews/${anonymous.review.id}/answer`, { form: { reply: "Исправимся", _csrf: s.csrf } });
    expect(plain.status).toBe(303);
  });

  test("another school can neither see nor answer it", async () => {
    const other = await fx.createSchool(db());
    const o = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: other.id })).login, "school");
    const fresh = await reviewOf(db(), { schoolId: school.id, cityId: school.cityId }, { rating: 4, comment: "Норм" });
    const res = await o.request(`/crm/schools/reviews/${fresh.review.id}/answer`, { form: { reply: "Чужой ответ" }, htmx: true });
    expect(res.status).toBe(404);
    expect((await row(fresh.review.id)).reply).toBeNull();
    const page = await (await o.request("/crm/schools/reviews")).text();
    expect(page).not.toContain("Норм");
    expect(page).toContain("Отзывов пока нет.");
  });

  test("hidden by the admin: «Отзыв скрыт модератором», its rating only, no answer possible", async () => {
    const admin = await createAdmin(t);
    const abusive = await reviewOf(db(), { schoolId: school.id, cityId: school.cityId }, { rating: 1, comment: "Грубые слова", showName: true, firstName: "Грубиян", at: new Date("2026-11-25T07:42:00Z") });
    await setReviewHidden(db(), admin.id, abusive.review.id, true);
    const html = await (await s.request("/crm/schools/reviews")).text();
    const item = html.slice(html.indexOf(`id="review-${abusive.review.id}"`), html.indexOf("</article>", html.indexOf(`id="review-${abusive.review.id}"`)));
    expect(item).toContain("Отзыв скрыт модератором");
    expect(item).toContain("★☆☆☆☆");
    // The day only, not the minute (12:42 in Almaty): at a small school the time could tell who wrote it.
    expect(item).toContain("25.11.2026");
    expect(item).not.toContain("12:42");
    expect(html).not.toContain("Грубые слова");
    expect(html).not.toContain("Грубиян");
    const res = await s.request(`/crm/schools/reviews/${abusive.review.id}/answer`, { form: { reply: "Ответ" }, htmx: true });
    expect(res.status).toBe(422);
    expect((await row(abusive.review.id)).reply).toBeNull();
  });
});

test("many reviews: a page at a time with «Показать ещё», every one reachable once; an old one can be answered", async () => {
  const school = await fx.createSchool(db());
  const s = await fx.loginAs(t, (await fx.createStaff(db(), { schoolId: school.id })).login, "school");
  const start = Date.parse("2026-01-01T06:00:00Z");
  const ids: number[] = [];
  for (let i = 0; i < 201; i++) ids.push((await reviewOf(db(), { schoolId: school.id, cityId: school.cityId }, { rating: 1 + (i % 5), comment: `Отзыв ${i}`, at: new Date(start + i * 3_600_000) })).review.id);
  const seen: number[] = [];
  let url: string | null = "/crm/schools/reviews";
  let pages = 0;
  while (url) {
    const html = await (await s.request(url)).text();
    expect(html).toContain("отзывов: 201.");
    seen.push(...[...html.matchAll(/id="review-(\d+)"/g)].map((m) => Number(m[1])));
    const more = html.match(/href="(\/crm\/schools\/reviews\?after=\d+)"[^>]*>Показать ещё/);
    url = more ? more[1]! : null;
    pages++;
  }
  expect(pages).toBe(5); // 50 + 50 + 50 + 50 + 1
  expect(seen).toEqual([...ids].reverse()); // newest first, each once
  // The oldest, far below the first page: answered, and the fragment is that review.
  const ok = await s.request(`/crm/schools/reviews/${ids[0]}/answer`, { form: { reply: "Спасибо за отзыв" }, htmx: true });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain("Спасибо за отзыв");
  expect((await row(ids[0]!)).reply).toBe("Спасибо за отзыв");
  // A cursor that is no id is refused like any bad id (the input model's "Страница не найдена"), never a 500.
  expect((await s.request(`/crm/schools/reviews?after=abc`)).status).toBe(404);
});

test("an instructor's reviews page", async () => {
  const instructor = await fx.createInstructor(db());
  const s = await fx.loginAs(t, (await fx.createStaff(db(), { instructorId: instructor.id })).login, "instructor");
  const r = await reviewOf(db(), { instructorId: instructor.id, cityId: instructor.cityId }, { rating: 5, comment: "Терпеливый инструктор" });
  const html = await (await s.request("/crm/instructors/reviews")).text();
  expect(html).toContain("Терпеливый инструктор");
  expect(html).toContain("Ученик");
  const ok = await s.request(`/crm/instructors/reviews/${r.review.id}/answer`, { form: { reply: "Спасибо!" }, htmx: true });
  expect(ok.status).toBe(200);
  expect((await row(r.review.id)).reply).toBe("Спасибо!");
});
