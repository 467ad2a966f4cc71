// Why a student cancels an application: the codes the bot's buttons carry, the event payload and
// the audit row store, and the CRM names. The words are in the dictionaries (src/i18n/ru.ts,
// kk.ts: `cancelReasons`, a Record over these codes, so a missing label does not compile). Pure.
import type { ApplicationKind } from "./application-status.ts";

export const CANCEL_REASONS = ["other_school", "other_instructor", "time", "price", "changed_mind"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export function isCancelReason(value: unknown): value is CancelReason {
  return typeof value === "string" && (CANCEL_REASONS as readonly string[]).includes(value);
}

/**
 * The reasons offered for an application of `kind`, in the buttons' order: "another school" makes
 * no sense to an instructor, and the other way round. Giving no reason is always possible too.
 */
export function cancelReasonsFor(kind: ApplicationKind): readonly CancelReason[] {
  return [kind === "school" ? "other_school" : "other_instructor", "time", "price", "changed_mind"];
}
