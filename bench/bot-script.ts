// The updates the benchmark pushes into the bot: a thousand students going through the school
// flow by pressing the buttons the bot really shows (callback data built with the bot's own
// CallbackData), all queued at once and interleaved across chats, as if everyone were typing at
// the same time. Each chat: /start, licence "no", city, category B, a format, a school, then
// `loops` times Back + the school again (browsing), then either apply (offer → share contact →
// name → confirm: one application) or /cancel. Every update writes exactly one funnel event.
import { stepData } from "../src/bot/callback-data.ts";
import type { BenchUpdate } from "./fake-bot-api.ts";

export interface Choice {
  cityId: number;
  format: string;
  schoolId: number;
  offerId: number;
}

export interface BotScriptOptions {
  chats: number;
  loops: number;
  /** Share of chats that apply (the rest cancel). */
  applicantShare: number;
  /** Telegram user ids are firstUserId + chat index (outside the seeded students' range). */
  firstUserId: number;
  firstUpdateId: number;
  choices: Choice[];
}

export interface BotScript {
  updates: BenchUpdate[];
  expected: { updates: number; funnelEvents: number; applications: number; chats: number };
}

export function botScript(o: BotScriptOptions): BotScript {
  if (!o.choices.length) throw new Error("bot script: no (city, format, school, offer) to choose from");
  const perChat: Record<string, unknown>[][] = [];
  let applications = 0;
  for (let c = 0; c < o.chats; c++) {
    const id = o.firstUserId + c;
    const from = { id, is_bot: false, first_name: "Студент", last_name: `Бенч${c}`, language_code: "ru" };
    const chat = { id, type: "private" };
    let n = 0;
    const message = (extra: Record<string, unknown>) => ({ message: { message_id: ++n, date: 1_700_000_000, chat, from, ...extra } });
    const press = (s: string, v: string) => ({
      callback_query: { id: `${id}-${++n}`, from, chat_instance: String(id), data: stepData.pack({ s, v }), message: { message_id: 1, date: 1_700_000_000, chat, text: "" } },
    });
    const pick = o.choices[(c * 7919) % o.choices.length]!;
    const u: Record<string, unknown>[] = [
      message({ text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] }),
      press("licence", "no"),
      press("city", String(pick.cityId)),
      press("category", "B"),
      press("format", pick.format),
      press("schools", `s${pick.schoolId}`),
    ];
    for (let i = 0; i < o.loops; i++) u.push(press("school", "back"), press("schools", `s${pick.schoolId}`));
    const applies = (c * 0.618034) % 1 < o.applicantShare;
    if (applies) {
      applications++;
      u.push(
        press("school", `o${pick.offerId}`),
        message({ contact: { phone_number: `+7705${String(c).padStart(7, "0")}`, first_name: from.first_name, user_id: id } }),
        press("name", "tg"),
        press("summary", "confirm"),
      );
    } else {
      u.push(message({ text: "/cancel", entities: [{ type: "bot_command", offset: 0, length: 7 }] }));
    }
    perChat.push(u);
  }
  // Round-robin across chats: step k of every chat, then step k + 1.
  const updates: BenchUpdate[] = [];
  let updateId = o.firstUpdateId;
  const longest = Math.max(...perChat.map((u) => u.length));
  for (let k = 0; k < longest; k++) for (const u of perChat) if (k < u.length) updates.push({ update_id: updateId++, ...u[k] });
  return { updates, expected: { updates: updates.length, funnelEvents: updates.length, applications, chats: o.chats } };
}

/** Plain text messages for the echo bots: chat c's k-th says "<c>:<k>" (the fake checks the order of the echoes). */
export function echoScript(chats: number, total: number, firstUpdateId: number): BenchUpdate[] {
  const updates: BenchUpdate[] = [];
  for (let i = 0; i < total; i++) {
    const c = i % chats;
    const id = 5_000_000_000 + c;
    updates.push({
      update_id: firstUpdateId + i,
      message: { message_id: i + 1, date: 1_700_000_000, chat: { id, type: "private" }, from: { id, is_bot: false, first_name: "Echo" }, text: `${c}:${Math.floor(i / chats)}` },
    });
  }
  return updates;
}
