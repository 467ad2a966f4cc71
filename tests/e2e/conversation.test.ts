// Issue #14's walk, end to end through the real bot (fake Bot API), real HTTP and one database:
// a student applies and asks a question; the school sees it in the thread with the inbox's
// unread mark and the "waiting" filter, answers in the CRM, and the student receives it; a
// linked staff member answers from Telegram, and that answer reaches the student and the thread.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { applications, schools, students } from "../../src/db/schema.ts";
import { createLinkCode } from "../../src/domain/staff-telegram.ts";
import { appOver, type TestApp } from "../support/app.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import type { FakeUser } from "../support/fake-telegram.ts";
import * as fx from "../support/fixtures.ts";
import { applyToZhol, student } from "../support/student.ts";

setDefaultTimeout(60_000);

let h: BotHarness;
let web: TestApp;
beforeAll(async () => {
  h = await startBotHarness();
  web = appOver(h.database);
});
afterAll(() => h.dispose());

const db = () => h.database.db;
const rowOf = (page: string, id: number) => page.slice(page.indexOf(`id="app-${id}"`), page.indexOf("</tr>", page.indexOf(`id="app-${id}"`)));

test("apply, ask, see it in the CRM, answer from the CRM and from Telegram", async () => {
  const user: FakeUser = { id: 7701, first_name: "Дана", language_code: "ru" };
  const s = student(h.tg, user);
  expect((await applyToZhol(s, { phone: "77071112233", name: "Дана" })).text).toContain("отправлена!");
  const [me] = await db().select().from(students).where(eq(students.telegramId, user.id));
  const [app] = await db().select().from(applications).where(eq(applications.studentId, me!.id));
  const [zhol] = await db().select().from(schools).where(eq(schools.id, app!.schoolId!));

  // A manager of the school, logged in to the CRM, and a colleague with Telegram linked.
  const manager = await fx.createStaff(db(), { schoolId: zhol!.id });
  const crm = await fx.loginAs(web, manager.login, "school");
  const colleagueUser: FakeUser = { id: 7702, first_name: "Ерлан", language_code: "ru" };
  const colleague = await fx.createStaff(db(), { schoolId: zhol!.id });
  const { code } = await createLinkCode(db(), colleague.id);
  expect((await student(h.tg, colleagueUser).send(`/start link_${code}`)).text).toStartWith("Telegram привязан");

  // The student asks; the bot says where it went.
  const question = "Спасибо! А можно прийти в субботу? <b>&</b>";
  expect((await s.send(question)).text).toBe(`Отправлено: Автошкола «Жол» (заявка № ${app!.publicNumber})`);

  // The inbox marks the row and lists it under "waiting for our answer"; the thread shows the question, escaped.
  const inbox = await (await crm.request("/crm/schools/applications")).text();
  expect(rowOf(inbox, app!.id)).toContain("новое сообщение");
  const waiting = await (await crm.request("/crm/schools/applications?waiting=1")).text();
  expect(waiting).toContain(`id="app-${app!.id}"`);
  const page = await (await crm.request(`/crm/schools/applications/${app!.id}`)).text();
  expect(page).toContain("Спасибо! А можно прийти в субботу? &lt;b&gt;&amp;&lt;/b&gt;");
  // Opening it read it.
  expect(rowOf(await (await crm.request("/crm/schools/applications")).text(), app!.id)).not.toContain("новое сообщение");

  // The colleague got the question in Telegram with «Ответить».
  const relay = await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === colleagueUser.id && String(p.text).includes("можно прийти в субботу"), 5000);
  expect(h.tg.buttons(relay)).toEqual([["Ответить"]]);

  // The manager answers in the CRM: the student receives it, the application stops waiting.
  const fromCrm = await crm.request(`/crm/schools/applications/${app!.id}/reply`, { form: { text: "Да, в субботу с 10:00.", templateId: "" }, htmx: true });
  expect(fromCrm.status).toBe(200);
  await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.id && String(p.text).includes("Да, в субботу с 10:00."), 5000);
  expect((await (await crm.request("/crm/schools/applications?waiting=1")).text()).includes(`id="app-${app!.id}"`)).toBe(false);

  // The colleague answers from Telegram: «Ответить», then the text.
  const before = h.tg.calls.length;
  const relayCall = h.tg.calls.findLast((c) => c.method === "sendMessage" && Number(c.params.chat_id) === colleagueUser.id && c.params.reply_markup)!;
  h.tg.pressButton(colleagueUser, { message_id: relayCall.result.message_id, reply_markup: relayCall.params.reply_markup }, "Ответить");
  await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === colleagueUser.id && String(p.text).includes("Напишите ответ"), 5000, before);
  expect((await student(h.tg, colleagueUser).send("Возьмите паспорт.")).text).toStartWith("Отправлено ученику");
  await h.tg.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.id && String(p.text).includes("Возьмите паспорт."), 5000, before);

  // The thread holds the whole conversation in order, with who wrote what.
  const thread = await (await crm.request(`/crm/schools/applications/${app!.id}`)).text();
  const at = (text: string) => thread.indexOf(text);
  expect(at("А можно прийти в субботу?")).toBeGreaterThan(-1);
  expect(at("Да, в субботу с 10:00.")).toBeGreaterThan(at("А можно прийти в субботу?"));
  expect(at("Возьмите паспорт.")).toBeGreaterThan(at("Да, в субботу с 10:00."));
  expect(thread).toContain("из Telegram");
  expect(thread).toContain(colleague.displayName);
});
