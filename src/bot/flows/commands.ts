// What the student types or presses outside a step's own buttons: /start (with deep links),
// /cancel, /lang, /help, free text, a shared contact, stale buttons (/my: flows/my.ts).
import { listStudentApplications } from "../../domain/applications.ts";
import { updateStudent, type TelegramPerson } from "../../domain/students.ts";
import { cancelTelegramReply } from "../../domain/thread-telegram.ts";
import type { Language } from "../../db/schema.ts";
import { t } from "../../i18n/index.ts";
import { parseProfilePayload } from "../../model/share-link.ts";
import { removeKeyboard } from "../../notify/message.ts";
import { chooseLanguage, commandMenu, helpText } from "../../notify/student.ts";
import { staffReplyCancelled } from "../../notify/conversation.ts";
import { langData } from "../callback-data.ts";
import { paymentAnswer } from "./payment.ts";
import { apply, back, forgetPayment, funnel, leaveFlow, restart, runUpdate, show, steps, type EngineDeps, type Turn } from "../engine.ts";
import { studentContentOf } from "../message-content.ts";
import { menu, send, type Outgoing, type Reply } from "../replies.ts";
import { toThread } from "./thread.ts";
import { phoneAnswer } from "./apply.ts";
import { reviewComment } from "./review.ts";

/** Deep-link payloads: s<id> school, i<id> instructor, c<id> city, each with an optional -<source> tag. */
export type StartTarget = { kind: "school" | "instructor" | "city"; id: number; source?: string } | { kind: "link"; code: string };

export function parseStartPayload(payload: string): StartTarget | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(payload)) return null;
  const link = payload.match(/^link_([A-Za-z0-9]{4,32})$/);
  if (link) return { kind: "link", code: link[1]! };
  return parseProfilePayload(payload);
}

export function onStart(deps: EngineDeps, updateId: number, person: TelegramPerson, payload: string): Promise<Outgoing | null> {
  const target = parseStartPayload(payload);
  return runUpdate(deps, updateId, person, async (turn) => [...(await leaveReplyMode(turn)), ...(await startOver(turn, target))]);
}

/** /start and /cancel from a staff chat in reply mode end it (and say so): the next text is nobody's answer. */
async function leaveReplyMode(turn: Turn): Promise<Reply[]> {
  return (await cancelTelegramReply(turn.c.tx, turn.c.student.chatId)) ? [send(staffReplyCancelled(turn.c.student.language))] : [];
}

async function startOver(turn: Turn, target: StartTarget | null): Promise<Reply[]> {
  const base = target && "source" in target && target.source ? { source: target.source } : {};
  if (target?.kind === "school") {
    const school = await turn.c.catalog.findActiveSchool(target.id);
    if (school) return restart(turn, { base, start: { cityId: school.cityId, schoolId: school.id } }, "school");
  }
  if (target?.kind === "instructor") {
    const found = await turn.c.catalog.findActiveInstructor(target.id);
    // An instructor teaching one category: that is the category (else the application says none).
    const category = found?.categories.length === 1 ? { category: found.categories[0] } : {};
    if (found) return restart(turn, { base, start: { cityId: found.cityId, instructorId: found.id, path: "instructor", ...category } }, "instructor");
  }
  if (target?.kind === "city") {
    const found = await turn.c.catalog.findActiveCity(target.id);
    if (found) return restart(turn, { base: { ...base, cityId: found.id, presetCity: true } });
  }
  return restart(turn, {});
}

export function onStepButton(deps: EngineDeps, updateId: number, person: TelegramPerson, data: { s: string; v: string }, via: { messageId: number; callbackId: string }): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    if (data.s !== turn.step) return stale(turn, via);
    if (data.v === "back") return back(turn, via);
    const choose = steps[turn.step].choose;
    if (!choose) return stale(turn, via);
    return apply(turn, await choose(turn.c, data.v), via);
  });
}

/** A button from an older message (or a forged one): say so and show where the student really is. */
export async function stale(turn: Turn, via: { callbackId?: string }): Promise<Reply[]> {
  const { text } = turn.c;
  if (turn.step === "done") {
    const [app] = (await listStudentApplications(turn.c.tx, turn.c.student.id, 1));
    return [{ kind: "answer", callbackId: via.callbackId!, text: app ? text.alreadySubmitted(app.publicNumber) : text.outdatedButton }];
  }
  return [{ kind: "answer", callbackId: via.callbackId!, text: text.outdatedButton }, await show(turn)];
}

export function onUnknownButton(deps: EngineDeps, updateId: number, person: TelegramPerson, callbackId: string): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, (turn) => stale(turn, { callbackId }));
}

/**
 * Typed text: input on the phone and name steps, Back on the contact keyboard; anywhere else a
 * message to the school (flows/thread.ts). An unknown /command is nobody's message: a hint.
 */
export function onText(deps: EngineDeps, updateId: number, person: TelegramPerson, input: string): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const { text } = turn.c;
    // The open payment questions take the text first (the amount); a /command leaves them.
    if (turn.state.payment && !input.startsWith("/")) return (await paymentAnswer(turn, studentContentOf({ text: input }), turn.c.config))!;
    if (turn.state.payment) forgetPayment(turn);
    // A review waiting for its comment (flows/review.ts) takes the text right after the rating,
    // unless it is a /command, Back or the step's own input (phone, name): those leave the draft.
    const handle = steps[turn.step].text;
    const review = reviewComment(turn, input, !input.startsWith("/") && input.trim() !== text.back && !handle);
    if (review) return review;
    if (input.trim() === text.back) return back(turn, {});
    if (handle) return apply(turn, await handle(turn.c, input.slice(0, 200)), {});
    if (!input.startsWith("/")) return toThread(turn, studentContentOf({ text: input }));
    if (turn.step === "done") return [{ kind: "send", text: text.howToStart }];
    return [await show(turn, undefined, text.useButtons)];
  }, { keepPayment: true, keepReview: true });
}

/**
 * A shared contact: the phone step's answer when it is the student's own (Telegram sets the
 * contact's user_id to the sender's id only for their own card); someone else's contact is
 * refused there, with the step again. Anywhere else a kind of message we do not relay.
 */
export function onContact(deps: EngineDeps, updateId: number, person: TelegramPerson, phone: string, contactUserId: number | undefined): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    if (turn.step !== "phone") return toThread(turn, { unsupported: "contact" });
    if (contactUserId !== person.telegramId) return apply(turn, { invalid: turn.c.text.notYourContact }, {});
    return apply(turn, await phoneAnswer(turn.c, phone, true), {});
  });
}

export function onCancel(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    if (turn.step !== "done") funnel(turn, "abandon");
    leaveFlow(turn);
    return [...(await leaveReplyMode(turn)), { kind: "send", text: turn.c.text.cancelled, markup: removeKeyboard }];
  });
}

export function onLang(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => [send(chooseLanguage(turn.c.student.language, (l) => langData.pack({ l })))]);
}

/** /help: a message of its own; the student stays on their step (its buttons keep working). */
export function onHelp(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => [send({ text: helpText(turn.c.student.language, turn.c.config.supportContact) })]);
}

export function onLangChosen(deps: EngineDeps, updateId: number, person: TelegramPerson, lang: Language, via: { messageId: number; callbackId: string }): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    await updateStudent(turn.c.tx, turn.c.student.id, { language: lang });
    const next: Turn = { ...turn, c: { ...turn.c, student: { ...turn.c.student, language: lang }, text: t(lang) } };
    const replies: Reply[] = [{ kind: "answer", callbackId: via.callbackId }, { kind: "edit", messageId: via.messageId, text: next.c.text.languageSet }];
    // Show the current step again in the new language, unless there is none; then the chat's
    // command menu in that language (Telegram has no Kazakh interface: the app's language would
    // keep a Kazakh speaker's menu Russian).
    return [...replies, ...(turn.step === "done" ? [] : [await show(next)]), menu(commandMenu(lang))];
  });
}
