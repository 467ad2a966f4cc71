// Moves a student through the steps: checks that a pressed button belongs to the current step,
// applies the choice, remembers the way back, records funnel events, and renders the next
// screen. Each update's writes (and its update_id) commit in one transaction; the replies are
// returned to be sent after the commit.
import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import type { Db, Tx } from "../db/client.ts";
import { claimStudentUpdate, turnWriteParts, type Claimed, type TelegramPerson, type TurnWrites } from "../domain/students.ts";
import type { FunnelAction } from "../db/schema.ts";
import type { CatalogCache } from "../domain/catalog-cache.ts";
import { t } from "../i18n/index.ts";
import { removeKeyboard } from "../notify/message.ts";
import { phoneSaved } from "../notify/student.ts";
import { stepKeyboard } from "./keyboards.ts";
import { STEPS, type Choices, type Outcome, type Step, type StepContext, type StepDef } from "./conversation.ts";
import { done, name, phone, summary } from "./flows/apply.ts";
import { daypart, instructor, instructors, slot, slotday, transmission, waitday, waitpart } from "./flows/instructor.ts";
import { category, format, school, schools } from "./flows/school.ts";
import { certificate, city, licence } from "./flows/start.ts";
import { runClaimed, send, type Outgoing, type Reply } from "./replies.ts";

const steps: Record<Step, StepDef> = {
  licence, certificate, city, category, format, schools, school,
  transmission, instructors, instructor, slotday, slot, daypart, waitday, waitpart, phone, name, summary, done,
};

export interface EngineDeps {
  db: Db;
  catalog: CatalogCache;
  config: Config;
  now?: () => Date;
  /** How long a stored reply waits for the direct send before the outbox takes it (replies.ts). */
  replyHoldSeconds?: number;
}

/** The student and their conversation, inside the update's transaction. */
export interface Turn {
  c: StepContext;
  step: Step;
  /** The student has no conversation yet (never pressed /start): `step` is only where one would begin. */
  noConversation?: boolean;
}

function turnOf(deps: EngineDeps, tx: Tx, { student, conversation, catalogVersion }: Claimed): Turn {
  const step = conversation && (STEPS as readonly string[]).includes(conversation.step) ? (conversation.step as Step) : "licence";
  // `writes` is shared by every turn derived from this one, and saved once at the end.
  const writes: TurnWrites = { funnel: [], dirty: false };
  const c: StepContext = {
    tx,
    student,
    choices: (conversation?.choices ?? {}) as Choices,
    writes,
    catalog: deps.catalog.reader(tx, catalogVersion),
    text: t(student.language),
    config: deps.config,
    now: deps.now?.() ?? new Date(),
  };
  return { c, step, ...(conversation ? {} : { noConversation: true }) };
}

/**
 * Runs `work` once per update. Claiming the update, the student and their conversation is one
 * statement; the funnel and conversation writes and the replies are stored in one more, and the
 * replies are sent after the commit.
 */
export function runUpdate(deps: EngineDeps, updateId: number, person: TelegramPerson, work: (turn: Turn) => Promise<Reply[]>): Promise<Outgoing | null> {
  return runClaimed(deps, person.chatId, (tx) => claimStudentUpdate(tx, updateId, person), async (tx, claimed, alsoWrite) => {
    const turn = turnOf(deps, tx, claimed);
    // A student blocked by the platform's staff gets one plain answer and nothing else.
    if (turn.c.student.blocked) return [{ kind: "send", text: turn.c.text.blocked }];
    const replies = await work(turn);
    alsoWrite.push(...turnWriteParts(turn.c.student.id, turn.c.writes));
    return replies;
  });
}

/** Renders a screen as a reply: an edit of the pressed message when possible, else a new message. */
export async function show(turn: Turn, editMessageId?: number): Promise<Reply> {
  const screen = await steps[turn.step].render(turn.c);
  const withBack = Boolean(turn.c.choices.stack?.length) && turn.step !== "done";
  const markup = stepKeyboard(turn.step, screen, turn.c.text, withBack);
  if (editMessageId && !screen.askContact) return { kind: "edit", messageId: editMessageId, text: screen.text, markup };
  return { kind: "send", text: screen.text, markup };
}

/** Where the student now is: saved at the end of the update. */
export function save(turn: Turn, state = { flow: turn.c.choices.path ?? "start", step: turn.step as string, choices: turn.c.choices as Record<string, unknown> }): void {
  turn.c.writes.conversation = state;
}

/**
 * Records a funnel event (saved at the end of the update). Back, restart, abandon and submit
 * also mark the student's discipline for recomputing; plain step entries do not (one write less
 * on the hot path: the next of those marks, or the nightly recompute, includes their timing).
 */
export function funnel(turn: Turn, action: FunnelAction): void {
  turn.c.writes.funnel.push({ flow: turn.c.choices.path ?? "start", step: turn.step, action });
  if (action !== "enter") turn.c.writes.dirty = true;
}

/** Starts over at the licence question (with a city, school or instructor already chosen by a deep link). */
export async function restart(turn: Turn, preset: Partial<Choices>, stepAfter: Step = "licence"): Promise<Reply[]> {
  const wasMidFlow = turn.step !== "licence" && turn.step !== "done";
  if (wasMidFlow) funnel(turn, "restart");
  // Messages kept for an open "which application?" question survive: its buttons still deliver them.
  const { pending } = turn.c.choices;
  const next: Turn = {
    c: { ...turn.c, choices: { nonce: randomBytes(6).toString("hex"), ...preset, stack: stepAfter === "licence" ? [] : ["licence"], ...(pending?.length ? { pending } : {}) } },
    step: stepAfter,
  };
  funnel(next, "enter");
  save(next);
  return [await show(next)];
}

/** Applies a step's outcome and renders where it leads. `via` tells how the student answered. */
export async function apply(turn: Turn, outcome: Outcome, via: { messageId?: number; callbackId?: string }): Promise<Reply[]> {
  const replies: Reply[] = [];
  const toast = "invalid" in outcome ? outcome.invalid : "toast" in outcome ? outcome.toast : undefined;
  if (via.callbackId) replies.push({ kind: "answer", callbackId: via.callbackId, text: toast });
  else if (toast) replies.push({ kind: "send", text: toast });
  if ("invalid" in outcome) return [...replies, await show(turn, via.messageId)];

  const choices: Choices = { ...turn.c.choices, ...outcome.patch };
  let step = turn.step;
  if ("go" in outcome) {
    choices.stack = [...(choices.stack ?? []), turn.step];
    step = outcome.go;
  } else if ("jump" in outcome) {
    const at = choices.stack?.indexOf(outcome.jump) ?? -1;
    if (at >= 0) choices.stack = choices.stack!.slice(0, at);
    step = outcome.jump;
  }
  const next: Turn = { c: { ...turn.c, choices }, step };
  if (step !== turn.step) funnel(next, step === "done" ? "submit" : "enter");
  if (turn.step === "phone" && step !== "phone") replies.push(phoneAccepted(next));
  save(next);
  const then = "then" in outcome ? (outcome.then ?? []).map(send) : [];
  return [...replies, await show(next, turn.step === "phone" ? undefined : via.messageId), ...then];
}

/** Back: the previous step with its earlier choices. */
export async function back(turn: Turn, via: { messageId?: number; callbackId?: string }): Promise<Reply[]> {
  const stack = [...(turn.c.choices.stack ?? [])];
  const previous = stack.pop();
  const replies: Reply[] = via.callbackId ? [{ kind: "answer", callbackId: via.callbackId }] : [];
  if (!previous) return [...replies, await show(turn, via.messageId)];
  funnel(turn, "back");
  const next: Turn = { c: { ...turn.c, choices: { ...turn.c.choices, stack } }, step: previous };
  save(next);
  if (turn.step === "phone") replies.push({ kind: "send", text: next.c.text.keyboardClosed, markup: removeKeyboard });
  return [...replies, await show(next, turn.step === "phone" ? undefined : via.messageId)];
}

/** Leaving the phone step: thank the student and take the contact keyboard away. */
function phoneAccepted(turn: Turn): Reply {
  return { kind: "send", text: phoneSaved(turn.c.student.language, turn.c.choices.phone ?? ""), markup: removeKeyboard };
}

export { steps };
