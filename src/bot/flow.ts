// The order of the student's flows, in one place: every step, the answers it can give and where
// each leads. The engine (engine.ts) walks this table; a step (flows/*.ts) renders its screen,
// checks a choice and names the answer it took ("ok", "wait", …), never the step that follows.
//
//   no licence:   licence → city → category → format → schools → school → duplicate → situation → phone → name → summary → done
//   licence:      licence → city → category → transmission → instructors → instructor → slotday → slot | daypart | waitday → waitpart → duplicate → …
//   certificate:  licence → certificate → city → practice: category → provider → schools | transmission …
//                                              full course: as "no licence"; test prep: schools → school → …
//
// Some steps answer themselves ("auto"): the city a deep link chose, the duplicate question when
// there is no earlier application, the student's situation (known unless a link skipped the first
// question), the phone the bot already has. They stay on the path (so their answers hold) but
// Back passes them.
import type { Choices, Path, Step, StepContext } from "./conversation.ts";
import { openApplicationTo } from "../domain/applications.ts";
import { cityLeadsSomewhere } from "./flows/start.ts";

type To = Step | ((c: Choices) => Step);
/** Re-answer a step from the summary and come back to the summary. */
type Edit = { edit: Step };

interface Node {
  next: Record<string, To | Edit>;
  /** The step's answer when it needs no question (then its "ok" edge is taken), or null to ask. */
  auto?: (c: StepContext) => Promise<Partial<Choices> | null>;
}

const afterCity = (c: Choices): Step => (c.path === "testprep" ? "schools" : "category");
const afterCategory: Record<Path, Step> = { school: "format", practice: "provider", instructor: "transmission", testprep: "schools" };

export const FLOW = {
  licence: { next: { no: "city", yes: "city", cert: "certificate" } },
  certificate: { next: { practice: "city", course: "city", testprep: "city" } },
  city: {
    next: { ok: afterCity },
    // A deep link's city, unless the chosen path has nothing there: then the student picks one.
    auto: async (c) => {
      const { presetCity, cityId } = c.choices;
      return presetCity && cityId && (await cityLeadsSomewhere(c, cityId)) ? { cityId } : null;
    },
  },
  category: { next: { ok: (c) => afterCategory[c.path ?? "school"] } },
  provider: { next: { school: "schools", instructor: "transmission" } },
  format: { next: { ok: "schools" } },
  schools: { next: { ok: "school" } },
  school: { next: { ok: "duplicate" } },
  transmission: { next: { ok: "instructors" } },
  instructors: { next: { ok: "instructor" } },
  instructor: { next: { slots: "slotday", noslots: "daypart" } },
  slotday: { next: { ok: "slot", wait: "waitday", noslots: "daypart", part: "duplicate" } },
  slot: { next: { ok: "duplicate", wait: "waitday" } },
  daypart: { next: { ok: "duplicate", wait: "waitday" } },
  waitday: { next: { ok: "waitpart" } },
  waitpart: { next: { ok: "duplicate" } },
  duplicate: {
    next: { ok: "situation", open: "done" },
    auto: async (c) => ((await earlierApplication(c)) ? null : {}),
  },
  // Asked only after a school's or instructor's link (the first question was skipped).
  situation: {
    next: { ok: "phone" },
    auto: async (c) => (c.choices.situation ? {} : null),
  },
  phone: {
    next: { ok: "name" },
    auto: async (c) => (c.student.phone ? { phone: c.student.phone, phoneConfirmed: c.student.phoneConfirmed } : null),
  },
  name: { next: { ok: "summary" } },
  summary: { next: { confirm: "done", phone: { edit: "phone" }, name: { edit: "name" } } },
  done: { next: {} },
} satisfies Record<Step, Node>;

/** The answers a step may give (its edges in the table). */
export type Edge<S extends Step> = S extends Step ? Extract<keyof (typeof FLOW)[S]["next"], string> : never;

/** Where an answer leads: a step, or an edit of a step from the summary. */
export function target(step: Step, edge: string, c: Choices): { step: Step; edit: boolean } | null {
  const to = (FLOW[step].next as Record<string, To | Edit>)[edge];
  if (!to) return null;
  if (typeof to === "object") return { step: to.edit, edit: true };
  return { step: typeof to === "function" ? to(c) : to, edit: false };
}

/** The step's own answer when it needs no question, or null. */
export function autoAnswer(step: Step, c: StepContext): Promise<Partial<Choices> | null> {
  const node: Node = FLOW[step];
  return node.auto ? node.auto(c) : Promise.resolve(null);
}

/** The student's open application to the school or instructor this path applies to, if any. */
export function earlierApplication(c: StepContext) {
  const { offerId, schoolId, instructorId } = c.choices;
  const to = offerId && schoolId ? { schoolId } : instructorId ? { instructorId } : null;
  return to ? openApplicationTo(c.tx, c.student.id, to) : Promise.resolve(null);
}
