// Which automatic messages a school or instructor can write: one when an application arrives and
// one for every status staff can move an application of that kind to (from the status model).
import { STATUS, statusesOf, type ApplicationKind, type ApplicationStatus } from "./application-status.ts";

/** "new": the application arrived (an extra message after the bot's confirmation); else the status reached. */
export type AutoEvent = ApplicationStatus;

/** The events of `kind`, in the status model's order: "new", then every status a staff button leads to. */
export function autoEventsOf(kind: ApplicationKind): readonly AutoEvent[] {
  return statusesOf(kind).filter((s) => s === "new" || STATUS[s].action !== null);
}

export function isAutoEvent(kind: ApplicationKind, value: string): value is AutoEvent {
  return (autoEventsOf(kind) as readonly string[]).includes(value);
}
