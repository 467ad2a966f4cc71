// Texts shared by the bot and the CRM (status notifications, course names). kk.ts has the same
// keys (the type checks it). The student bot's own texts are in bot-ru.ts / bot-kk.ts.
import type { Transmission } from "../db/schema.ts";
import type { CancelReason } from "../model/cancel-reason.ts";
import type { UnsupportedKind } from "../model/thread-message.ts";
import type { Situation } from "../model/situation.ts";
import { FORMAT_NAMES, type TrainingFormat } from "../domain/reference.ts";

/** The formats' names in one language, from the reference list (every format has both). */
export const formatNames = (lang: "ru" | "kk") =>
  Object.fromEntries(Object.entries(FORMAT_NAMES).map(([k, v]) => [k, v[lang]])) as Record<TrainingFormat, string>;
export const ru = {
  formatNames: formatNames("ru"),
  transmissionNames: { automatic: "автомат", manual: "механика" } satisfies Record<Transmission, string>,
  // The student's situation when applying (src/model/situation.ts): in full on the application's
  // page, short in a list row.
  situationNames: {
    no_licence: "Нет водительского удостоверения",
    licence: "Есть водительское удостоверение",
    certificate: "Есть свидетельство автошколы, прав ещё нет",
  } satisfies Record<Situation, string>,
  situationShort: { no_licence: "нет прав", licence: "есть права", certificate: "есть свидетельство" } satisfies Record<Situation, string>,
  staffNewApplication: (number: string, name: string, phone: string, course: string, situation: string) =>
    `🆕 Новая заявка № ${number}\n${name}, ${phone}\n${course}${situation ? `\n${situation}` : ""}`,
  staffOpenApplication: "Открыть заявку",
  statusChanged: (number: string, from: string, status: string) => `Заявка № ${number} (${from}): статус — «${status}».`,
  rejectedWithReason: (reason: string) => `Причина: ${reason}`,
  // The sender first, as written ("Автошкола «Жол»"): after "от" the name would need declining.
  replyFrom: (from: string, number: string) => `${from} — сообщение по заявке № ${number}:`,
  staffStudentWrote: (number: string, name: string) => `💬 ${name} по заявке № ${number}:`,
  staffReplyButton: "Ответить",
  // What a message the bot cannot relay was, as the thread and the staff alert name it.
  unsupportedNames: {
    sticker: "стикер",
    voice: "голосовое сообщение",
    video_note: "видеосообщение",
    video: "видео",
    audio: "аудио",
    animation: "GIF",
    location: "геопозиция",
    contact: "контакт",
    poll: "опрос",
    other: "сообщение, которое бот не может переслать",
  } satisfies Record<UnsupportedKind, string>,
  // Why the student cancelled: the bot's buttons and the CRM's history line.
  cancelReasons: {
    other_school: "Нашлась другая автошкола",
    other_instructor: "Нашёлся другой инструктор",
    time: "Не подходит время",
    price: "Дорого",
    changed_mind: "Планы изменились",
  } satisfies Record<CancelReason, string>,
  // What the bot and the CRM show instead of the trust number while the "мало данных" rule holds.
  trustNew: { school: "новая школа: мало данных", instructor: "новый инструктор: мало данных" },
};

export type Dict = typeof ru;
