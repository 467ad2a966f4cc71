// Moves a student through the steps: checks that a pressed button belongs to the current step,
// applies the choice, remembers the way back, records funnel events, and renders the next
// screen. Each update's writes (and its update_id) commit in one transaction; the replies are
// returned to be sent after the commit.
import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import type { Db, Tx } from "../db/client.ts";
import { claimStudentUpdate, type Claimed, type TelegramPerson, type TurnWrites } from "../domain/students.ts";
import type { FunnelAction } from "../db/schema.ts";
import type { StudentContent } from "../model/thread-message.ts";
import type { CatalogCache } from "../domain/catalog-cache.ts";
import { t } from "../i18n/index.ts";
import { removeKeyboard } from "../notify/message.ts";
import { phoneSaved } from "../notify/student.ts";
import { stepKeyboard } from "./keyboards.ts";
import { STEPS, choicesOf, type Choices, type FlowState, type Outcome, type Step, type StepContext, type StepDef } from "./conversation.ts";
import { autoAnswer, target } from "./flow.ts";
import { done, name, phone, summary } from "./flows/apply.ts";
import { duplicate } from "./flows/duplicate.ts";
import { daypart, instructor, instructors, slot, slotday, transmission, waitday, waitpart } from "./flows/instructor.ts";
import { category, format, provider, school, schools } from "./flows/school.ts";
import { certificate, city, licence, situation } from "./flows/start.ts";
import { runClaimed, send, type Outgoing, type Reply } from "./replies.ts";

const steps: { [S in Step]: StepDef<S> } = {
  licence, certificate, city, category, provider, format, schools, school,
  transmission, instructors, instructor, slotday, slot, daypart, waitday, waitpart, situation, duplicate, phone, name, summary, done,
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
  /** The path so far; `c.choices` is what it stands for. */
  state: FlowState;
  /** The student has no conversation yet (never pressed /start): `step` is only where one would begin. */
  noConversation?: boolean;
}

/**
 * The stored state. A conversation saved before the flow state existed (a bag of choices and a
 * stack of steps) cannot say which step set which choice, so a flow left half-way then starts
 * again at the first question (its nonce, source, deep-linked city and kept messages stay); one
 * that had ended stays ended.
 */
export function stateOf(stored: Record<string, unknown> | undefined, step: Step): { state: FlowState; step: Step } {
  if (stored && Array.isArray(stored.trail)) return { state: stored as unknown as FlowState, step };
  const old = (stored ?? {}) as Choices;
  const base: Partial<Choices> = { nonce: old.nonce, source: old.source, ...(old.presetCity ? { presetCity: true, cityId: old.cityId } : {}) };
  for (const key of Object.keys(base) as (keyof Choices)[]) if (base[key] === undefined) delete base[key];
  const state: FlowState = { base, trail: [], here: {}, ...(old.pending?.length ? { pending: old.pending } : {}) };
  return { state, step: step === "done" ? "done" : "licence" };
}

function turnOf(deps: EngineDeps, tx: Tx, { student, conversation, catalogVersion }: Claimed): Turn {
  const stored = conversation && (STEPS as readonly string[]).includes(conversation.step) ? (conversation.step as Step) : "licence";
  const { state, step } = stateOf(conversation?.choices, stored);
  // `writes` is shared by every turn derived from this one, and saved once at the end.
  const writes: TurnWrites = { funnel: [], dirty: false };
  const c: StepContext = {
    tx,
    student,
    choices: choicesOf(state),
    writes,
    catalog: deps.catalog.reader(tx, catalogVersion),
    text: t(student.language),
    config: deps.config,
    now: deps.now?.() ?? new Date(),
  };
  return { c, step, state, ...(conversation ? {} : { noConversation: true }) };
}

/**
 * Runs `work` once per update. Claiming the update, the student and their conversation is one
 * statement; the funnel and conversation writes and the replies are stored in one more, and the
 * replies are sent after the commit.
 */
export function runUpdate(
  deps: EngineDeps,
  updateId: number,
  person: TelegramPerson,
  work: (turn: Turn) => Promise<Reply[]>,
  opts: { keepPayment?: boolean; keepReview?: boolean } = {},
): Promise<Outgoing | null> {
  return runClaimed(deps, person.chatId, (tx) => claimStudentUpdate(tx, updateId, person), async (tx, claimed, recorded) => {
    const turn = turnOf(deps, tx, claimed);
    // A student blocked by the platform's staff gets one plain answer and nothing else.
    if (turn.c.student.blocked) return [{ kind: "send", text: turn.c.text.blocked }];
    // Open payment questions (flows/payment.ts) are answered by the next message or their own
    // buttons; anything else (/start, /my, another button) leaves them.
    if (turn.state.payment && !opts.keepPayment) forgetPayment(turn);
    // Likewise a review draft (flows/review.ts): its own buttons and the very next message may
    // answer it; anything else leaves it, so a later message is never taken for its comment.
    if (turn.state.review && !opts.keepReview) forgetReview(turn);
    const replies = await work(turn);
    recorded.record = { studentId: turn.c.student.id, writes: turn.c.writes };
    return replies;
  });
}

/** The turn moved to `step` with `state` (its choices folded again). */
function moved(turn: Turn, state: FlowState, step: Step): Turn {
  return { ...turn, c: { ...turn.c, choices: choicesOf(state) }, step, state };
}

/**
 * Renders a screen as a reply: an edit of the pressed message when possible, else a new message.
 * `notice` (why a typed answer was not taken) heads the screen: one message per mistake.
 */
export async function show(turn: Turn, editMessageId?: number, notice?: string): Promise<Reply> {
  const screen = await steps[turn.step].render(turn.c);
  const withBack = turn.state.trail.some((f) => !f.auto) && turn.step !== "done";
  const markup = stepKeyboard(turn.step, screen, turn.c.text, withBack);
  const text = notice ? `${notice}\n\n${screen.text}` : screen.text;
  if (editMessageId && !screen.askContact) return { kind: "edit", messageId: editMessageId, text, markup };
  return { kind: "send", text, markup };
}

/** Where the student now is: saved at the end of the update. */
export function save(turn: Turn): void {
  turn.c.writes.conversation = { flow: turn.c.choices.path ?? "start", step: turn.step, choices: turn.state as unknown as Record<string, unknown> };
}

/** Leaves the payment questions (flows/payment.ts): saved at the end of the update. */
export function forgetPayment(turn: Turn): void {
  const { payment: _, ...rest } = turn.state;
  turn.state = rest;
  save(turn);
}

/** Leaves the review draft (flows/review.ts): saved at the end of the update. */
export function forgetReview(turn: Turn): void {
  const { review: _, ...rest } = turn.state;
  turn.state = rest;
  save(turn);
}

/** Keeps (or forgets, with []) messages waiting for the student's "which application?" answer. */
export function keepPending(turn: Turn, pending: StudentContent[]): void {
  const { pending: _, ...rest } = turn.state;
  turn.state = pending.length ? { ...rest, pending } : rest;
  turn.c.choices = choicesOf(turn.state);
  save(turn);
}

/** /cancel: no flow any more (kept messages stay: their question's buttons still deliver them). */
export function leaveFlow(turn: Turn): void {
  save(moved(turn, { base: {}, trail: [], here: {}, ...(turn.state.pending?.length ? { pending: turn.state.pending } : {}) }, "done"));
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

/** What a deep link chose before the first question. */
export interface Preset {
  /** Kept for the whole flow: the link's source tag, a city the city step then takes as answered. */
  base?: Partial<Choices>;
  /** The link's target (a school's or instructor's card): given as the first answer, so Back past the card forgets it. */
  start?: Partial<Choices>;
}

/** Starts over at the licence question, or (a deep link) at `stepAfter` with the link's choices. */
export async function restart(turn: Turn, preset: Preset, stepAfter: Step = "licence"): Promise<Reply[]> {
  const wasMidFlow = turn.step !== "licence" && turn.step !== "done";
  if (wasMidFlow) funnel(turn, "restart");
  // Messages kept for an open "which application?" question survive: its buttons still deliver them.
  const { pending } = turn.state;
  const state: FlowState = {
    base: { nonce: randomBytes(6).toString("hex"), ...preset.base },
    trail: stepAfter === "licence" ? [] : [{ step: "licence", set: preset.start ?? {} }],
    here: {},
    ...(pending?.length ? { pending } : {}),
  };
  const next = moved(turn, state, stepAfter);
  funnel(next, "enter");
  save(next);
  return [await show(next)];
}

type Via = { messageId?: number; callbackId?: string };

/** Applies a step's outcome and renders where it leads. `via` tells how the student answered. */
export async function apply(turn: Turn, outcome: Outcome, via: Via): Promise<Reply[]> {
  const replies: Reply[] = [];
  const toast = "invalid" in outcome ? outcome.invalid : "toast" in outcome ? outcome.toast : undefined;
  if (via.callbackId) replies.push({ kind: "answer", callbackId: via.callbackId, text: toast });
  if ("invalid" in outcome) return [...replies, await show(turn, via.messageId, via.callbackId ? undefined : outcome.invalid)];
  if (toast && !via.callbackId) replies.push({ kind: "send", text: toast });

  const next = "stay" in outcome ? stay(turn, outcome.patch) : "jump" in outcome ? jump(turn, outcome.jump) : await forward(turn, outcome.next, outcome.patch);
  // Opening an earlier application (flows/duplicate.ts) ends the flow without a submission.
  if (next.step !== turn.step) funnel(next, next.step === "done" && !next.c.choices.opened ? "submit" : "enter");
  if (turn.step === "phone" && next.step !== "phone") replies.push(phoneAccepted(next));
  save(next);
  const then = "next" in outcome ? (outcome.then ?? []).map(send) : [];
  return [...replies, await show(next, turn.step === "phone" ? undefined : via.messageId), ...then];
}

/** Another page of the same step. */
function stay(turn: Turn, patch: Partial<Choices> = {}): Turn {
  return moved(turn, { ...turn.state, here: { ...turn.state.here, ...patch } }, turn.step);
}

/** Back to the latest visit of `step` on the path, forgetting the answers given after it. */
function jump(turn: Turn, step: Step): Turn {
  const at = turn.state.trail.map((f) => f.step).lastIndexOf(step);
  if (at < 0) return turn;
  const { returnTo: _, ...state } = turn.state;
  return moved(turn, { ...state, trail: state.trail.slice(0, at), here: state.trail[at]!.here ?? {} }, step);
}

/**
 * Forward along the flow table: the answer joins the path, then every step that answers itself
 * is passed. Re-answering a step from the summary puts the new answer where the old one was and
 * returns to the summary.
 */
async function forward(turn: Turn, edge: string, patch: Partial<Choices> = {}): Promise<Turn> {
  const { state } = turn;
  const set = { ...state.here, ...patch };
  if (state.returnTo) return amend(turn, set);
  const to = target(turn.step, edge, { ...turn.c.choices, ...patch });
  if (!to) throw new Error(`no edge "${edge}" from step ${turn.step}`);
  let next = moved(turn, { ...state, trail: [...state.trail, { step: turn.step, set, ...(hereOf(state)) }], here: {} }, to.step);
  if (to.edit) return moved(next, { ...next.state, returnTo: turn.step }, to.step);
  for (let answer = await autoAnswer(next.step, next.c); answer; answer = await autoAnswer(next.step, next.c)) {
    const after = target(next.step, "ok", { ...next.c.choices, ...answer })!.step;
    next = moved(next, { ...next.state, trail: [...next.state.trail, { step: next.step, set: answer, auto: true }] }, after);
  }
  return next;
}

const hereOf = (state: FlowState) => (Object.keys(state.here).length ? { here: state.here } : {});

/** The step re-answered from the summary: its latest answer on the path becomes `set`. */
function amend(turn: Turn, set: Partial<Choices>): Turn {
  const { returnTo, ...state } = turn.state;
  const back = state.trail.map((f) => f.step).lastIndexOf(returnTo!);
  const trail = (back >= 0 ? state.trail.slice(0, back) : state.trail).map((f) => ({ ...f }));
  const at = trail.map((f) => f.step).lastIndexOf(turn.step);
  // A step the path passed without a frame (it cannot happen today) gets one: the answer must hold.
  if (at >= 0) trail[at] = { step: turn.step, set: { ...trail[at]!.set, ...set } };
  else trail.push({ step: turn.step, set });
  return moved(turn, { ...state, trail, here: {} }, returnTo!);
}

/** Back: the previous step the student answered, with the answers after it forgotten. */
export async function back(turn: Turn, via: Via): Promise<Reply[]> {
  const trail = [...turn.state.trail];
  let previous = trail.pop();
  while (previous?.auto) previous = trail.pop();
  const replies: Reply[] = via.callbackId ? [{ kind: "answer", callbackId: via.callbackId }] : [];
  if (!previous || turn.step === "done") return [...replies, await show(turn, via.messageId)];
  funnel(turn, "back");
  const { returnTo: _, ...state } = turn.state;
  const next = moved(turn, { ...state, trail, here: previous.here ?? {} }, previous.step);
  save(next);
  if (turn.step === "phone") replies.push({ kind: "send", text: next.c.text.keyboardClosed, markup: removeKeyboard });
  return [...replies, await show(next, turn.step === "phone" ? undefined : via.messageId)];
}

/** Leaving the phone step: thank the student and take the contact keyboard away. */
function phoneAccepted(turn: Turn): Reply {
  return { kind: "send", text: phoneSaved(turn.c.student.language, turn.c.choices.phone ?? ""), markup: removeKeyboard };
}

export { steps };
