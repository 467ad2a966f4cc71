// The student's conversation: which step they are on and what they chose so far. It lives in
// bot_conversations (PostgreSQL), so a restart in the middle of a flow loses nothing.
import type { Config } from "../config.ts";
import type { Tx } from "../db/client.ts";
import type { OfferKind, Transmission } from "../db/schema.ts";
import type { CatalogReader } from "../domain/catalog-cache.ts";
import type { Student, TurnWrites } from "../domain/students.ts";
import type { Texts } from "../i18n/index.ts";
import type { StudentContent } from "../model/thread-message.ts";
import type { ChatMessage } from "../notify/message.ts";

export const STEPS = [
  "licence", "certificate", "city", "category", "format", "schools", "school",
  "transmission", "instructors", "instructor", "slotday", "slot", "daypart",
  "waitday", "waitpart", // waitlist (issue 15): no suitable time → a day → a part of it
  "phone", "name", "summary", "done",
] as const;
export type Step = (typeof STEPS)[number];

/** Which of the three ways the student is going: to a school, to an instructor, to test prep. */
export type Path = "school" | "instructor" | "testprep";

export interface Choices {
  path?: Path;
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
  name?: string;
  nonce?: string; // makes the application's idempotency key: one per flow
  source?: string; // deep-link source tag, kept on the application
  stack?: Step[]; // the steps behind this one, for Back
  // Messages to the school kept until the student says which of their applications they are
  // for (flows/thread.ts): here, because they belong to this student's chat and are saved in
  // the same transaction as the update that received them.
  pending?: StudentContent[];
}

export const offerKind = (c: Choices): OfferKind => (c.path === "testprep" ? "test_prep" : "full_course");

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
export type Outcome =
  | { go: Step; patch?: Partial<Choices> } // forward: the current step is remembered for Back
  | { stay: true; patch?: Partial<Choices>; toast?: string } // same step, e.g. another page
  | { jump: Step; patch?: Partial<Choices>; toast?: string; then?: ChatMessage[] } // elsewhere without remembering (e.g. slot taken); `then` follows the screen
  | { invalid: string }; // not a valid choice any more: a short message, the step again

export interface StepDef {
  render(c: StepContext): Promise<Screen>;
  choose?(c: StepContext, value: string): Promise<Outcome>;
  /** Free text typed on this step (phone, name); other steps answer with a hint. */
  text?(c: StepContext, input: string): Promise<Outcome>;
}

export const row = (...buttons: Button[]) => buttons;

/** Buttons `size` to a row (names of cities and categories are short; times shorter). */
export function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

/** Entering the application: the phone is asked only when we do not have it yet. */
export function startApplying(c: StepContext, patch: Partial<Choices>): Outcome {
  return c.student.phone ? { go: "name", patch: { ...patch, phone: c.student.phone } } : { go: "phone", patch };
}
