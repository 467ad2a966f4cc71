// Races, repeats and a misbehaving Bot API: one application per confirm, one holder per slot,
// replies that survive 429 / 500 / hangs, a blocked user, notifications through the outbox,
// staff alerts, and a fuzz of random input.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, spyOn, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { langData, myCancelData, stepData } from "../../src/bot/callback-data.ts";
import { accounts, applications, botConversations, funnelEvents, instructors, outbox, schools, students } from "../../src/db/schema.ts";
import { createAccount } from "../../src/domain/accounts.ts";
import { createLinkCode } from "../../src/domain/staff-telegram.ts";
import { changeStatus } from "../../src/domain/status.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(120_000);

let h: BotHarness;
beforeAll(async () => {
  // The fuzz below sends ~75 updates a chat faster than they are answered, to check that odd input
  // is answered, not the flood cap (tests/bot/flood.test.ts): the cap is set out of its way.
  h = await startBotHarness({ apiTimeoutMs: 1000, env: { BOT_CHAT_QUEUE_CAP: "1000" } });
});
afterAll(() => h.dispose());

const studentRow = async (telegramId: number) => (await h.database.db.select().from(students).where(eq(students.telegramId, telegramId)))[0]!;
const appsOf = async (telegramId: number) => h.database.db.select().from(applications).where(eq(applications.studentId, (await studentRow(telegramId)).id));

/** Walks a student to the summary of an application to Айгерим's first free slot of the first day. */
async function toInstructorSummary(s: Student, time = "09:00"): Promise<void> {
  await s.send("/start");
  await s.press("Да, нужен инструктор");
  await s.press("Алматы");
  await s.press("B — легковые");
  await s.press("автомат");
  await s.press("1. Айгерим Нурланова");
  await s.press("Выбрать время");
  await s.press(s.buttons()[0]!);
  await s.press(time);
  await s.send(`+7701${String(s.user.id).padStart(7, "0")}`);
  await s.press(`✓ ${s.user.first_name}`);
}

describe("exactly once", () => {
  test("Confirm pressed twice creates one application", async () => {
    const s = student(h.tg, { id: 2001, first_name: "Дважды", language_code: "ru" });
    await toInstructorSummary(s, "15:00");
    const summary = s.last();
    // Two presses arrive in the same batch, before the bot answered the first.
    h.tg.pressButton(s.user, { message_id: summary.messageId, reply_markup: summary.markup }, "✅ Подтвердить");
    h.tg.pressButton(s.user, { message_id: summary.messageId, reply_markup: summary.markup }, "✅ Подтвердить");
    await h.tg.waitForCall("answerCallbackQuery", (p) => /уже отправлена/.test(p.text ?? ""));
    expect(await appsOf(2001)).toHaveLength(1);
  });

  test("two students racing for one slot: one wins, the other is told and shown the other times", async () => {
    const a = student(h.tg, { id: 2002, first_name: "Первый", language_code: "ru" });
    const b = student(h.tg, { id: 2003, first_name: "Второй", language_code: "ru" });
    await toInstructorSummary(a, "18:00");
    await toInstructorSummary(b, "18:00");
    const before = h.tg.calls.length;
    const [sa, sb] = [a.last(), b.last()];
    h.tg.pressButton(a.user, { message_id: sa.messageId, reply_markup: sa.markup }, "✅ Подтвердить");
    h.tg.pressButton(b.user, { message_id: sb.messageId, reply_markup: sb.markup }, "✅ Подтвердить");
    await h.tg.waitForCall("answerCallbackQuery", (p) => p.text === "Это время только что заняли. Выберите другое:", 5000, before);
    await Bun.sleep(300);
    const won = [...(await appsOf(2002)), ...(await appsOf(2003))];
    expect(won).toHaveLength(1);
    const loser = won[0]!.studentId === (await studentRow(2002)).id ? b : a;
    expect(loser.last().text).toBe("Выберите день занятия (время местное):");
    await loser.press(loser.buttons()[0]!);
    expect(loser.buttons()).not.toContain("18:00");
  });
});

describe("a misbehaving Bot API", () => {
  test("429 with retry_after: the reply waits and arrives", async () => {
    h.tg.failNext("sendMessage", { code: 429, retryAfter: 1 });
    const t0 = Date.now();
    const m = await student(h.tg, { id: 2010, first_name: "Лимит", language_code: "ru" }).send("/start");
    expect(m.text).toContain("Здравствуйте, Лимит!");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(h.tg.failed.filter((c) => c.params.chat_id === 2010)).toHaveLength(1);
  });

  test("500 and a hang: retried until the reply arrives", async () => {
    h.tg.failNext("sendMessage", { code: 500 });
    h.tg.failNext("sendMessage", "hang");
    const m = await student(h.tg, { id: 2011, first_name: "Сбой", language_code: "ru" }).send("/start");
    expect(m.text).toContain("Здравствуйте, Сбой!");
  });

  test("a reply that cannot be sent now is kept and delivered later from the outbox", async () => {
    h.tg.failNext("sendMessage", { code: 502 }, 3); // every direct try fails
    const before = h.tg.calls.length;
    h.tg.sendText({ id: 2014, first_name: "Позже", language_code: "ru" }, "/start");
    const reply = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 2014, 20_000, before);
    expect(reply.text).toContain("Здравствуйте, Позже!");
    expect(h.tg.failed.filter((c) => c.params.chat_id === 2014)).toHaveLength(3);
    await Bun.sleep(300);
    expect(h.tg.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === 2014)).toHaveLength(1);
  });

  test("getUpdates failing does not stop polling", async () => {
    h.tg.failNext("getUpdates", { code: 502 });
    h.tg.failNext("getUpdates", { code: 429, retryAfter: 1 });
    const m = await student(h.tg, { id: 2012, first_name: "Опрос", language_code: "ru" }).send("/start");
    expect(m.text).toContain("Опрос");
    expect(h.bot.state()).toBe("polling");
  });

  test("403 from a user who blocked the bot marks the student unreachable; writing again clears it", async () => {
    const s = student(h.tg, { id: 2013, first_name: "Блок", language_code: "ru" });
    await s.send("/start");
    h.tg.failNext("editMessageText", { code: 403 });
    const before = h.tg.calls.length;
    s.press("Нет, хочу учиться в автошколе", { expectAnswer: false });
    await h.tg.waitForCall("answerCallbackQuery", () => true, 5000, before);
    await Bun.sleep(200);
    expect((await studentRow(2013)).unreachableAt).not.toBeNull();
    await s.send("/start");
    expect((await studentRow(2013)).unreachableAt).toBeNull();
  });
});

/** The CRM scope of a (new) staff account of the instructor. */
async function instructorScope(instructorId: number) {
  const login = `instr-${instructorId}-${Math.random().toString(36).slice(2, 7)}`;
  const account = await createAccount(h.database.db, { login, password: "long-password-1", role: "instructor", instructorId });
  return { kind: "instructor" as const, instructorId, accountId: account.id };
}

/** The chat's status notification in the outbox, once delivery is done with it (sent or given up). */
async function outboxRowOnceSettled(chatId: number) {
  for (let i = 0; ; i++) {
    const rows = await h.database.db.select().from(outbox).where(eq(outbox.chatId, chatId)).orderBy(outbox.id);
    const row = rows.find((r) => /статус|мәртебесі/.test(String(r.payload.params.text)));
    if (row?.state !== "pending" || i > 100) return row;
    await Bun.sleep(100);
  }
}

describe("messages from the CRM", () => {
  test("a status change reaches the student through the outbox, even after a 500", async () => {
    const s = student(h.tg, { id: 2020, first_name: "Статус", language_code: "ru" });
    await toInstructorSummary(s, "11:00");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(2020);
    // The student switched to Kazakh since: the notification follows the student's language.
    await h.database.db.update(students).set({ language: "kk" }).where(eq(students.telegramId, 2020));
    h.tg.failNext("sendMessage", { code: 500 });
    const result = await changeStatus(h.database.db, await instructorScope(app!.instructorId!), app!.id, { from: "new", to: "accepted" });
    expect(result.ok).toBe(true);
    const msg = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 2020 && /мәртебесі/.test(p.text), 20_000);
    expect(msg.text).toBe(`№ ${app!.publicNumber} өтінім (Айгерим Нурланова): мәртебесі — «қабылданды».`);
    expect(await outboxRowOnceSettled(2020)).toMatchObject({ state: "sent", attempts: 1, lastError: null });
  });

  test("a blocked user's notification is given up at once", async () => {
    const s = student(h.tg, { id: 2021, first_name: "Ушёл", language_code: "ru" });
    await toInstructorSummary(s, "09:00");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(2021);
    h.tg.failNext("sendMessage", { code: 403 });
    await changeStatus(h.database.db, await instructorScope(app!.instructorId!), app!.id, { from: "new", to: "rejected", reason: "Нет мест" });
    expect(await outboxRowOnceSettled(2021)).toMatchObject({ state: "failed", attempts: 1 });
    expect((await studentRow(2021)).unreachableAt).not.toBeNull();
  });
});

describe("Telegram for staff", () => {
  test("linking with the CRM's code, an instant alert for a new application, and a one-tap login link", async () => {
    const [zhol] = await h.database.db.select().from(schools).where(eq(schools.name, "Автошкола «Жол»"));
    const account = await createAccount(h.database.db, { login: "zhol-manager", password: "long-password-1", role: "school", schoolId: zhol!.id, displayName: "Жол, менеджер" });
    const { code } = await createLinkCode(h.database.db, account.id);
    const staff = student(h.tg, { id: 2030, first_name: "Менеджер", language_code: "ru" });
    let m = await staff.send(`/start link_${code}`);
    expect(m.text).toContain("Telegram привязан к кабинету «Жол, менеджер»");
    const [linked] = await h.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(linked!.telegramChatId).toBe(2030);
    expect((await staff.send(`/start link_${code}`)).text).toContain("Код не подошёл");

    const s = student(h.tg, { id: 2031, first_name: "Клиент", language_code: "ru" });
    await s.send(`/start s${zhol!.id}`);
    await s.press(s.buttons()[0]!);
    await s.press("Нет водительского удостоверения"); // the link skipped the first question
    await s.send("+77019998877");
    await s.press("✓ Клиент");
    await s.press("✅ Подтвердить");
    const [app] = await appsOf(2031);
    const alert = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === 2030 && /Новая заявка/.test(p.text), 10_000);
    expect(alert.text).toContain(`Новая заявка № ${app!.publicNumber}`);
    expect(alert.text).toContain("Клиент, +7 701 999 88 77");
    expect(alert.reply_markup.inline_keyboard[0][0]).toEqual({ text: "Открыть заявку", url: `https://crm.avtomat.test/crm/schools/applications/${app!.id}` });

    m = await staff.send("/login");
    expect(m.text).toMatch(/https:\/\/crm\.avtomat\.test\/crm\/login\/token\?t=[\w.-]+/);
    const stranger = await student(h.tg, { id: 2032, first_name: "Чужой", language_code: "ru" }).send("/login");
    expect(stranger.text).toBe("Этот Telegram не привязан к кабинету автошколы или инструктора.");
  });
});

describe("bad input", () => {
  test("a blocked student gets one plain answer", async () => {
    const s = student(h.tg, { id: 2040, first_name: "Спам", language_code: "ru" });
    await s.send("/start");
    await h.database.db.update(students).set({ blocked: true }).where(eq(students.telegramId, 2040));
    expect((await s.send("/start")).text).toStartWith("Вы не можете оставлять заявки");
  });

  test("forged callback data gets the stale button's answer: no ERROR line, no 'something went wrong', nothing changed", async () => {
    const s = student(h.tg, { id: 2050, first_name: "Подделка", language_code: "ru" });
    await s.send("/start");
    await s.press("Нет, хочу учиться в автошколе");
    await s.press("Алматы");
    await s.press("B — легковые");
    await s.press("Очно");
    // An application of their own, so /my shows a cancel button (its id is what a forger would edit).
    const appId = (await h.database.db.select().from(applications).limit(1))[0]?.id ?? 1;
    const list = s.last(); // the schools list: its step is "schools", where ids and pages are read
    const big = 2 ** 31;
    const forged = [
      stepData.pack({ s: "schools", v: `s${big}` }),
      stepData.pack({ s: "schools", v: "s0.5" }),
      stepData.pack({ s: "schools", v: "s1e20" }),
      stepData.pack({ s: "schools", v: "s-1" }),
      stepData.pack({ s: "schools", v: "page:Infinity" }),
      stepData.pack({ s: "schools", v: "page:-1" }),
      stepData.pack({ s: "schools", v: "page:1e20" }),
      stepData.pack({ s: "schools", v: "s1;extra" }),
      stepData.pack({ s: "schools", v: "s1" }) + ";extra",
      stepData.pack({ s: "nowhere", v: "x" }),
      myCancelData.pack({ id: big }),
      myCancelData.pack({ id: 0.5 }),
      myCancelData.pack({ id: 1e20 }),
      myCancelData.pack({ id: -appId }),
      `${myCancelData.id}0.5`,
      `${legacyId("mc")}|{"id":"${appId} or 1=1"}`,
      `${legacyId("st")}|{"s":"schools","v":{"x":1}}`,
      `${legacyId("st")}|{"s":"schools","v":"s${big}"}`,
      langData.pack({ l: "xx" }),
      "zz" + "9".repeat(10),
      stepData.pack({ s: "schools", v: "s1" + "0".repeat(80) }),
      "x".repeat(300),
    ];
    const snapshot = async () => {
      const db = h.database.db;
      const student = (await db.select().from(students).where(eq(students.telegramId, 2050)))[0]!;
      return {
        student: { language: student.language, phone: student.phone, blocked: student.blocked },
        conversation: (await db.select({ step: botConversations.step, choices: botConversations.choices }).from(botConversations).where(eq(botConversations.studentId, student.id)))[0],
        funnel: (await db.select().from(funnelEvents).where(eq(funnelEvents.studentId, student.id))).length,
        applications: (await db.select({ id: applications.id, status: applications.status }).from(applications)).sort((a, b) => a.id - b.id),
      };
    };
    const before = await snapshot();
    const logged: string[] = [];
    const spy = spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write);
    const outcomes: { data: string; toast: string; screen: string }[] = [];
    try {
      for (const [i, data] of forged.entries()) {
        const id = `forged${i}`;
        const at = h.tg.calls.length;
        h.tg.push({ callback_query: { id, from: { is_bot: false, ...s.user }, chat_instance: "x", data, message: { message_id: list.messageId, date: 0, chat: { id: s.user.id, type: "private" } } } });
        const answer = await h.tg.waitForCall("answerCallbackQuery", (p) => p.callback_query_id === id, 3000, at).catch(() => ({ text: "(no answer)" }));
        // As for any stale button: the current step again (the schools list) in a new message.
        const screen = await h.tg.waitForCall("sendMessage", (p) => p.chat_id === s.user.id, 3000, at).catch(() => ({ text: "(nothing)" }));
        outcomes.push({ data, toast: answer.text, screen: screen.text.split("\n")[0] });
      }
      await Bun.sleep(200);
    } finally {
      spy.mockRestore();
    }
    const stale = { toast: "Эта кнопка устарела — показываю актуальный шаг.", screen: expect.stringMatching(/^Автошколы \(/) };
    expect(outcomes).toEqual(forged.map((data) => ({ data, ...stale })));
    expect(logged.filter((line) => /\bERROR\b|"level":"error"/.test(line))).toEqual([]);
    expect(h.tg.calls.filter((c) => c.params.chat_id === s.user.id && /Что-то пошло не так/.test(c.params.text ?? ""))).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  test("fuzz: thousands of random texts, commands, contacts, stickers and stale buttons all get an answer", async () => {
    const rnd = mulberry32(42);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const users = Array.from({ length: 20 }, (_, i) => ({ id: 3000 + i, first_name: `F${i}`, language_code: i % 2 ? "kk" : "ru" }));
    const [drive] = await h.database.db.select().from(schools).where(eq(schools.name, "Драйв Академия"));
    const [dmitry] = await h.database.db.select().from(instructors).where(eq(instructors.name, "Дмитрий Ким"));
    const texts = ["/start", "/my", "/lang", "/cancel", "/help", "/start s999999", `/start s${drive!.id}`, `/start i${dmitry!.id}`, "/start c1-x", "/start ;;;", "привет", "", "8 701 123 45 67", "<b>x</b>", "🚗", "a".repeat(5000), "/login"];
    const staleData = ["st", "mwLZl0city;1", "garbage", "lgxyz", "", "mc;abc"];
    const pressed: string[] = [];
    const messagesSent = new Map<number, number>();
    const sent = (chat: number) => messagesSent.set(chat, (messagesSent.get(chat) ?? 0) + 1);
    const N = 1500;
    for (let i = 0; i < N; i++) {
      const u = pick(users);
      const r = rnd();
      if (r < 0.5) h.tg.sendText(u, pick(texts) || " "), sent(u.id);
      else if (r < 0.6) h.tg.sendContact(u, pick(["+77011234567", "123", "+1 202 555 0100"])), sent(u.id);
      else if (r < 0.7) sent(u.id), h.tg.push({ message: { message_id: 1, date: 0, chat: { id: u.id, type: "private" }, from: { is_bot: false, ...u }, sticker: { file_id: "x" } } });
      else {
        // A button from the student's latest message, or stale data.
        const msgs = h.tg.calls.filter((c) => c.params.chat_id === u.id && c.params.reply_markup?.inline_keyboard?.length);
        const last = msgs.at(-1);
        const buttons: { callback_data?: string }[] = (last?.params.reply_markup.inline_keyboard ?? []).flat().filter((b: any) => b.callback_data);
        const data = buttons.length && rnd() < 0.7 ? pick(buttons).callback_data! : pick(staleData);
        pressed.push(`f${i}`);
        h.tg.push({ callback_query: { id: `f${i}`, from: { is_bot: false, ...u }, chat_instance: "x", data, message: { message_id: last?.result?.message_id ?? 1, date: 0, chat: { id: u.id, type: "private" } } } });
      }
      if (i % 100 === 99) await Bun.sleep(50); // let the student see answers before pressing more
    }
    // Every update got at least one answer in its chat.
    const deadline = Date.now() + 100_000;
    const repliesPerChat = () => {
      const perChat = new Map<number, number>();
      for (const c of h.tg.calls.filter((c) => c.method === "sendMessage")) perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
      return perChat;
    };
    while (h.tg.pending() > 0 && Date.now() < deadline) await Bun.sleep(200);
    // The last batch fetched is still being handled: wait until every press has its answer.
    const answeredIds = () => new Set(h.tg.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.params.callback_query_id));
    while (pressed.some((id) => !answeredIds().has(id)) && Date.now() < deadline) await Bun.sleep(200);
    await Bun.sleep(300);
    // Every button press was answered (no endless spinner) and every message got a reply.
    const answeredCallbacks = new Set(h.tg.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.params.callback_query_id));
    expect(pressed.filter((id) => !answeredCallbacks.has(id))).toEqual([]);
    const perChat = repliesPerChat();
    for (const u of users) expect(perChat.get(u.id) ?? 0).toBeGreaterThanOrEqual(messagesSent.get(u.id) ?? 0);
    expect(h.bot.state()).toBe("polling");
    expect((await student(h.tg, { id: 3999, first_name: "После", language_code: "ru" }).send("/start")).text).toContain("После");
  });
});

/** The prefix of @gramio/callback-data's legacy JSON form ("<md5 of the name>|{json}"), still accepted by its filter(). */
const legacyId = (name: string) => createHash("md5").update(name).digest("hex").slice(0, 6);

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
