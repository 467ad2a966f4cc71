// Inline buttons' payloads, packed and parsed here only. Positional wire format: only append
// fields (see @gramio/callback-data).
//
// Callback data comes back from Telegram as the client sent it, so anyone can forge it. The
// parser accepts exactly what our own buttons pack (the round trip must give the same string)
// and values of the shapes our steps use, with ids in PostgreSQL's int4 range; anything else —
// the library's legacy JSON form, floats, 1e20, 2^31, negative numbers, unknown prefixes, extra
// fields, over-long data — is `stale`, answered like a button from an old message, never an
// error.
import { CallbackData } from "gramio";
import { languages, type Language } from "../db/schema.ts";
import { isRating } from "../model/review.ts";
import { isCancelReason, type CancelReason } from "../model/cancel-reason.ts";
import { STEPS, type Step } from "./conversation.ts";

/** A choice on a step: the step the button belongs to and the chosen value. */
export const stepData = new CallbackData("st").string("s").string("v");
/** /lang buttons. */
export const langData = new CallbackData("lg").string("l");
/** /my: cancel one of the student's applications. */
export const myCancelData = new CallbackData("mc").number("id");
/** A student with several open applications picks the one their messages go to. */
export const threadData = new CallbackData("th").number("id");
/** "Сменить заявку" under the acknowledgement of a message sent to application `from`. */
export const threadSwitchData = new CallbackData("tw").number("from");
/** "Ответить" under a student's message relayed to linked staff. */
export const staffReplyData = new CallbackData("sr").number("id");

// ---- lessons (issue 15) ----
/**
 * What the student does with one of their lessons: open its card (/my), start moving it, ask to
 * cancel it, confirm the cancellation, answer a reminder ("Приду" / "Не смогу"), write to the
 * instructor (when the cut-off has passed).
 */
export const LESSON_ACTIONS = ["open", "move", "cancel", "cancel_yes", "coming", "not_coming", "write"] as const;
export type LessonAction = (typeof LESSON_ACTIONS)[number];
export const lessonData = new CallbackData("ls").number("id").string("a");
/** The buttons under a lesson's reminder: the answers, and after "Не смогу" move / cancel (the lesson flows handle those). */
export function reminderButtons(lessonId: number): { answer: (a: "coming" | "not_coming") => string; move: string; cancel: string } {
  return {
    answer: (a) => lessonData.pack({ id: lessonId, a }),
    move: lessonData.pack({ id: lessonId, a: "move" }),
    cancel: lessonData.pack({ id: lessonId, a: "cancel" }),
  };
}
/** Moving a lesson: a local day of the instructor's free slots ("2026-12-10"). */
export const lessonDayData = new CallbackData("lday").number("id").string("day");
/** Moving a lesson: a slot chosen (`ok` 0 = ask to confirm, 1 = confirmed). */
export const lessonSlotData = new CallbackData("lsl").number("id").number("slot").number("ok");
/** A waitlist offer: take the offered slot (`take` 1) or leave the waitlist (`take` 0). */
export const waitlistOfferData = new CallbackData("wo").number("entry").number("slot").number("take");
// ---- the student's schedule (issue 15, bot lessons part) ----
/** "Мои занятия": the /my list, as a new message (`edit` 0: under the confirmation) or in place of the pressed one (1). */
export const myListData = new CallbackData("my").number("edit");
/** /my: yes, cancel the application (after "Отменить № …" asked): "Отменить без причины". */
export const myCancelYesData = new CallbackData("mcy").number("id");
/** /my: cancel the application giving a reason (a code of src/model/cancel-reason.ts). */
export const myCancelReasonData = new CallbackData("mcr").number("id").string("r");

// ---- payments (issue 16) ----
/**
 * The student's payment buttons on application `id`: "Я оплатил(а)" (`claim`, starts the
 * receipt → amount questions), "Без чека" (`skip`), "Да, я оплатил(а)" under the school's own
 * mark (`agree`).
 */
export const PAY_ACTIONS = ["claim", "skip", "agree"] as const;
export type PayAction = (typeof PAY_ACTIONS)[number];
export const payData = new CallbackData("pay").number("id").string("a");
/** The payment buttons' data for application `id`, as domain/ and notify/ put them under messages. */
export const payButtonData = (id: number) => ({ claim: payData.pack({ id, a: "claim" }), skip: payData.pack({ id, a: "skip" }), agree: payData.pack({ id, a: "agree" }) });

// ---- reviews (issue 16) ----
/** A rating (1–5) of the school or instructor of a finished application, under the review question. */
export const reviewRateData = new CallbackData("rv").number("id").number("r");
/** "Без комментария" after a rating. */
export const reviewNoCommentData = new CallbackData("rvn").number("id");
/** "Показать имя" (`show` 1) / "Анонимно" (0): the last question, the review is saved. */
export const reviewNameData = new CallbackData("rvs").number("id").number("show");
/** "Оставить отзыв" under a finished application in /my: the rating question. */
export const reviewOpenData = new CallbackData("rvo").number("id");
/** The rating buttons of one application's review question (the job's and /my's). */
export const ratingButtons = (applicationId: number) => (r: number) => reviewRateData.pack({ id: applicationId, r });

/** What a pressed button asks for, once checked. */
export type ButtonPress =
  | { kind: "step"; step: Step; value: string }
  | { kind: "lang"; language: Language }
  /** `confirmed` false asks first; a confirmed cancellation may carry the student's reason. */
  | { kind: "cancelApplication"; applicationId: number; confirmed: boolean; reason?: CancelReason }
  | { kind: "myList"; edit: boolean }
  | { kind: "chooseThread"; applicationId: number }
  | { kind: "switchThread"; fromApplicationId: number }
  | { kind: "staffReply"; applicationId: number }
  | { kind: "lesson"; lessonId: number; action: LessonAction }
  | { kind: "lessonDay"; lessonId: number; day: string }
  | { kind: "lessonSlot"; lessonId: number; slotId: number; confirmed: boolean }
  | { kind: "waitlistOffer"; entryId: number; slotId: number; take: boolean }
  | { kind: "payment"; applicationId: number; action: PayAction }
  | { kind: "reviewRate"; applicationId: number; rating: number }
  | { kind: "reviewNoComment"; applicationId: number }
  | { kind: "reviewName"; applicationId: number; show: boolean }
  | { kind: "reviewOpen"; applicationId: number }
  | { kind: "stale" };

/** Telegram's limit on callback data (bytes): nothing longer was sent by us. */
export const MAX_CALLBACK_BYTES = 64;
const MAX_ID = 2 ** 31 - 1; // ids are int4 in PostgreSQL
const MAX_PAGE = 10_000;

/** A database id as our buttons write it: decimal, no sign, no leading zero, within int4. */
export function parseId(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_ID ? n : null;
}

/**
 * The shapes a step's value takes (the flows in flows/*.ts write them): "back"; a word ("yes",
 * "automatic", "full_time"); a licence category ("B", "C1E", "Tb"); an id, bare or after a
 * one-letter kind ("7", "s12", "o5", "i3"); a page ("page:2"); a local day ("2026-12-03").
 * Whether the value is a valid choice *now* is the step's business; this only rules out what no
 * button of ours ever carried, so a step can read an id with Number() safely.
 */
export function isStepValue(value: string): boolean {
  if (/^[a-z][a-z_]{0,23}$/.test(value) || /^[A-Z][A-Za-z0-9]{0,3}$/.test(value)) return true;
  const id = value.match(/^[a-z]?(\d+)$/);
  if (id) return parseId(id[1]!) !== null;
  const page = value.match(/^page:(0|[1-9]\d{0,4})$/);
  if (page) return Number(page[1]) <= MAX_PAGE;
  const day = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (day) {
    const at = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value);
  }
  return false;
}

const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

/** Unpacks `data` as `schema` only when it is exactly what packing the result gives back. */
function unpackExact<T extends object>(schema: { filter(d: string): boolean; safeUnpack(d: string): { success: true; data: T } | { success: false }; pack(v: T): string; id: string }, data: string): T | null {
  // The legacy form ("<md5>|{json}") also passes filter(); only the compact form is ours.
  if (!data.startsWith(schema.id) || !schema.filter(data)) return null;
  const parsed = schema.safeUnpack(data);
  if (!parsed.success) return null;
  try {
    return schema.pack(parsed.data) === data ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The one door for callback data: a checked press, or `stale`. */
export function parseCallbackData(data: string | undefined): ButtonPress {
  const stale = { kind: "stale" } as const;
  if (!data || Buffer.byteLength(data) > MAX_CALLBACK_BYTES) return stale;
  const step = unpackExact(stepData, data);
  if (step) return typeof step.s === "string" && typeof step.v === "string" && isStep(step.s) && isStepValue(step.v) ? { kind: "step", step: step.s, value: step.v } : stale;
  const lang = unpackExact(langData, data);
  if (lang) return (languages as readonly string[]).includes(lang.l) ? { kind: "lang", language: lang.l as Language } : stale;
  const cancel = unpackExact(myCancelData, data);
  if (cancel) return idOrStale(cancel.id, (applicationId) => ({ kind: "cancelApplication", applicationId, confirmed: false }));
  const thread = unpackExact(threadData, data);
  if (thread) return idOrStale(thread.id, (applicationId) => ({ kind: "chooseThread", applicationId }));
  const change = unpackExact(threadSwitchData, data);
  if (change) return idOrStale(change.from, (fromApplicationId) => ({ kind: "switchThread", fromApplicationId }));
  const reply = unpackExact(staffReplyData, data);
  if (reply) return idOrStale(reply.id, (applicationId) => ({ kind: "staffReply", applicationId }));
  const pay = unpackExact(payData, data);
  if (pay) return (PAY_ACTIONS as readonly string[]).includes(pay.a) ? idOrStale(pay.id, (applicationId) => ({ kind: "payment", applicationId, action: pay.a as PayAction })) : stale;
  return parseLessonPress(data) ?? parseReviewPress(data) ?? stale;
}

/** The review buttons (issue 16), or null when `data` is none of them. A rating outside 1–5 is stale. */
function parseReviewPress(data: string): ButtonPress | null {
  const stale = { kind: "stale" } as const;
  const rate = unpackExact(reviewRateData, data);
  if (rate) return isRating(rate.r) ? idOrStale(rate.id, (applicationId) => ({ kind: "reviewRate", applicationId, rating: rate.r })) : stale;
  const none = unpackExact(reviewNoCommentData, data);
  if (none) return idOrStale(none.id, (applicationId) => ({ kind: "reviewNoComment", applicationId }));
  const name = unpackExact(reviewNameData, data);
  if (name) return isFlag(name.show) ? idOrStale(name.id, (applicationId) => ({ kind: "reviewName", applicationId, show: name.show === 1 })) : stale;
  const open = unpackExact(reviewOpenData, data);
  if (open) return idOrStale(open.id, (applicationId) => ({ kind: "reviewOpen", applicationId }));
  return null;
}

const isLessonAction = (a: string): a is LessonAction => (LESSON_ACTIONS as readonly string[]).includes(a);
const isFlag = (n: number) => n === 0 || n === 1;

/** The lesson and waitlist buttons (issue 15), or null when `data` is none of them. */
function parseLessonPress(data: string): ButtonPress | null {
  const stale = { kind: "stale" } as const;
  const lesson = unpackExact(lessonData, data);
  if (lesson) return isLessonAction(lesson.a) ? idOrStale(lesson.id, (lessonId) => ({ kind: "lesson", lessonId, action: lesson.a as LessonAction })) : stale;
  const day = unpackExact(lessonDayData, data);
  if (day) return isStepValue(day.day) && /^\d{4}-\d{2}-\d{2}$/.test(day.day) ? idOrStale(day.id, (lessonId) => ({ kind: "lessonDay", lessonId, day: day.day })) : stale;
  const slot = unpackExact(lessonSlotData, data);
  if (slot) {
    const slotId = parseId(String(slot.slot));
    return slotId && isFlag(slot.ok) ? idOrStale(slot.id, (lessonId) => ({ kind: "lessonSlot", lessonId, slotId, confirmed: slot.ok === 1 })) : stale;
  }
  // The student's schedule (bot lessons part).
  const my = unpackExact(myListData, data);
  if (my) return isFlag(my.edit) ? { kind: "myList", edit: my.edit === 1 } : stale;
  const sure = unpackExact(myCancelYesData, data);
  if (sure) return idOrStale(sure.id, (applicationId) => ({ kind: "cancelApplication", applicationId, confirmed: true }));
  const why = unpackExact(myCancelReasonData, data);
  if (why) return isCancelReason(why.r) ? idOrStale(why.id, (applicationId) => ({ kind: "cancelApplication", applicationId, confirmed: true, reason: why.r as CancelReason })) : stale;
  const offer = unpackExact(waitlistOfferData, data);
  if (offer) {
    const slotId = parseId(String(offer.slot));
    return slotId && isFlag(offer.take) ? idOrStale(offer.entry, (entryId) => ({ kind: "waitlistOffer", entryId, slotId, take: offer.take === 1 })) : stale;
  }
  return null;
}

/** A press carrying a database id, or `stale` when the number is not one (float, negative, past int4). */
function idOrStale(value: number, press: (id: number) => ButtonPress): ButtonPress {
  const id = Number.isSafeInteger(value) ? parseId(String(value)) : null;
  return id ? press(id) : { kind: "stale" };
}

/**
 * The application of the "Ответить" button on a message (the relay a staff member replied to
 * with Telegram's reply), read through the one parser; null when the message carries none.
 */
export function staffReplyIdOf(markup: { inline_keyboard?: { text?: string; callback_data?: string; url?: string }[][] } | undefined): number | null {
  for (const button of markup?.inline_keyboard?.flat() ?? []) {
    const press = parseCallbackData(button.callback_data);
    if (press.kind === "staffReply") return press.applicationId;
  }
  return null;
}
