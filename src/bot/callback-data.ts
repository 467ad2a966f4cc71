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
import { STEPS, type Step } from "./conversation.ts";

/** A choice on a step: the step the button belongs to and the chosen value. */
export const stepData = new CallbackData("st").string("s").string("v");
/** /lang buttons. */
export const langData = new CallbackData("lg").string("l");
/** /my: cancel one of the student's applications. */
export const myCancelData = new CallbackData("mc").number("id");

/** What a pressed button asks for, once checked. */
export type ButtonPress =
  | { kind: "step"; step: Step; value: string }
  | { kind: "lang"; language: Language }
  | { kind: "cancelApplication"; applicationId: number }
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
  if (cancel) {
    const id = Number.isSafeInteger(cancel.id) ? parseId(String(cancel.id)) : null;
    return id ? { kind: "cancelApplication", applicationId: id } : stale;
  }
  return stale;
}
