// The student's conversation: which step they are on and what they chose so far. It lives in
// bot_conversations (PostgreSQL), so a restart in the middle of a flow loses nothing.
import type { Config } from "../config.ts";
import type { Tx } from "../db/client.ts";
import type { OfferKind, Transmission } from "../db/schema.ts";
import type { CatalogReader } from "../domain/catalog-cache.ts";
import type { Student, TurnWrites } from "../domain/students.ts";
import type { Texts } from "../i18n/index.ts";
import type { StudentContent, ThreadMedia } from "../model/thread-message.ts";
import type { Situation } from "../model/situation.ts";
import type { Edge } from "./flow.ts";
import type { ChatMessage } from "../notify/message.ts";

export const STEPS = [
  "licence", "certificate", "city", "category", "provider", "format", "schools", "school",
  "transmission", "instructors", "instructor", "slotday", "slot", "daypart",
  "waitday", "waitpart", // waitlist (issue 15): no suitable time → a day → a part of it
  "duplicate", "situation", "phone", "name", "summary", "done",
] as const;
export type Step = (typeof STEPS)[number];

/**
 * Which way the student is going: a full course at a school, an instructor (with a licence),
 * practice after a school certificate (a school's practice offer or an instructor), test prep.
 */
export type Path = "school" | "instructor" | "practice" | "testprep";

/** The effective choices of the path so far (the engine folds them from the flow state). */
export interface Choices {
  path?: Path;
  situation?: Situation;
  cityId?: number;
  presetCity?: boolean; // chosen by a deep link: the city step is skipped
  category?: string;
  format?: string;
  schoolId?: number;
  offerId?: number;
  transmission?: Transmission;
  instructorId?: number;
  day?: string; // local date YYYY-MM-DD
  slotId?: number;
  daypart?: string;
  waitDay?: string; // waitlist: the local day "YYYY-MM-DD" the student waits for
  waitPart?: string; // waitlist: morning | afternoon | evening | day (src/model/daypart.ts)
  page?: number;
  phone?: string;
  phoneConfirmed?: boolean; // the phone came from the student's own shared contact
  name?: string;
  nonce?: string; // makes the application's idempotency key: one per flow
  source?: string; // deep-link source tag, kept on the application
  applicationId?: number; // the application made (or opened) at the end of the flow
  opened?: boolean; // the flow ended by opening an earlier application (flows/duplicate.ts)
  // Messages to the school kept until the student says which of their applications they are
  // for (flows/thread.ts): here, because they belong to this student's chat and are saved in
  // the same transaction as the update that received them.
  pending?: StudentContent[];
}

/** A step answered on the way here: the choices it set, and the page it was on ("stay" patches). */
export interface Frame {
  step: Step;
  set: Partial<Choices>;
  here?: Partial<Choices>;
  /** The step answered itself (a preset city, a known phone, no earlier application): Back passes it. */
  auto?: true;
}

/**
 * The stored conversation: the path is the state. `base` holds what belongs to the whole flow
 * (its nonce, a deep link's source and preset city); `trail` the steps answered, in order;
 * `here` the current step's own view (a page). Back drops the last answer, so no choice of an
 * abandoned branch can leak into a new one.
 */
export interface FlowState {
  base: Partial<Choices>;
  trail: Frame[];
  here: Partial<Choices>;
  /** Set while a step is re-answered from the summary ("Изменить телефон"): where to return. */
  returnTo?: Step;
  pending?: StudentContent[];
  /**
   * The student's "Я оплатил(а)" questions (flows/payment.ts): the receipt, then the amount. While
   * set, the student's next message answers them, before the thread takes it; any other update
   * (/start, another button) forgets them (engine.ts runUpdate).
   */
  payment?: PaymentQuestion;
  /** A review being written (flows/review.ts): kept beside the flow, which it does not change. */
  review?: ReviewDraft;
}

export interface PaymentQuestion {
  applicationId: number;
  step: "receipt" | "amount";
  /** The receipt sent at the first question (absent: "Без чека"). */
  receipt?: ThreadMedia;
}

/** A review between its rating and its last question: no comment yet = the comment is asked for. */
export interface ReviewDraft {
  applicationId: number;
  rating: number;
  comment?: string;
}

/** The choices a state stands for: later answers over earlier ones. */
export function choicesOf(state: FlowState): Choices {
  const folded: Choices = { ...state.base };
  for (const f of state.trail) Object.assign(folded, f.set);
  Object.assign(folded, state.here);
  if (state.pending?.length) folded.pending = state.pending;
  return folded;
}

/** What kind of school offer the path lists. */
export const offerKind = (c: Choices): OfferKind => (c.path === "testprep" ? "test_prep" : c.path === "practice" ? "practice" : "full_course");

/** Everything a step needs to render or handle a choice. */
export interface StepContext {
  tx: Tx;
  student: Student;
  choices: Choices;
  /** The update's funnel and conversation writes, saved together at its end. */
  writes: TurnWrites;
  /** Catalog reads, cached while the catalog is unchanged. */
  catalog: CatalogReader;
  text: Texts;
  config: Config;
  now: Date;
}

/** A step's choice (`value`), a link, or (`data`) a button of another flow, its callback data packed by the bot. */
export type Button = { text: string; value: string } | { text: string; url: string } | { text: string; data: string };

export interface Screen {
  text: string;
  buttons: Button[][];
  /** Ask for the phone with Telegram's "share contact" reply keyboard (sent as a new message). */
  askContact?: boolean;
}

/** What handling a choice leads to. */
export type Outcome<S extends Step = Step> =
  | { next: Edge<S>; patch?: Partial<Choices>; then?: ChatMessage[] } // forward along the flow table (flow.ts); `then` follows the screen
  | { stay: true; patch?: Partial<Choices>; toast?: string } // same step, e.g. another page
  | { jump: Step; toast?: string } // back to an earlier step of the path, dropping the answers after it (e.g. slot taken)
  | { invalid: string }; // not a valid choice any more: a short message, the step again

export interface StepDef<S extends Step = Step> {
  render(c: StepContext): Promise<Screen>;
  choose?(c: StepContext, value: string): Promise<Outcome<S>>;
  /** Free text typed on this step (phone, name); other steps answer with a hint. */
  text?(c: StepContext, input: string): Promise<Outcome<S>>;
}

export const row = (...buttons: Button[]) => buttons;

/** Buttons `size` to a row (names of cities and categories are short; times shorter). */
export function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
