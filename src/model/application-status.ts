// What an application's status means: the one place that says it. Pure (no database, no clock).
// Every fact is a field of STATUS, a Record over every status, so adding a status to the list
// fails to compile until each decision (transitions, final, slot hold, what it counts as, labels)
// is made here; the SQL that needs a status list builds it from here (sqlStatusList), and
// tests/unit/application-status.test.ts proves the migrations' hand-written lists agree.

export const applicationStatuses = [
  "new",
  "contacted",
  "confirmed",
  "paid",
  "studying",
  "completed",
  "accepted",
  "rejected",
  "cancelled",
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const applicationKinds = ["school", "instructor"] as const;
export type ApplicationKind = (typeof applicationKinds)[number];

export interface StatusFacts {
  /** The kinds of application that use this status (filters, selects). */
  kinds: readonly ApplicationKind[];
  /** Where staff may move an application of each kind from here; empty = no way on. */
  next: Readonly<Record<ApplicationKind, readonly ApplicationStatus[]>>;
  /** Nothing leaves a final status, not even a cancel by the student. */
  final: boolean;
  /** An application in this status keeps its instructor slot booked. */
  holdsSlot: boolean;
  /** The school or instructor has answered the student (reached "contacted" or further). */
  contacted: boolean;
  /** Confirmed by the school or accepted by the instructor. */
  confirmed: boolean;
  /** Paid (the school marked it; the indexes also read paid_at). */
  paid: boolean;
  /** Staff, in the CRM: the badge (ru, kk). */
  staff: { ru: string; kk: string };
  /** Staff: the button that moves an application here (null: no button leads here). */
  action: { ru: string; kk: string } | null;
  /** Students, in the bot: "Заявка № 12 (…): статус — «…»" (ru, kk). */
  student: { ru: string; kk: string };
}

const none = { school: [], instructor: [] } as const;

export const STATUS: Readonly<Record<ApplicationStatus, StatusFacts>> = {
  new: {
    kinds: ["school", "instructor"],
    next: { school: ["contacted", "confirmed", "rejected"], instructor: ["accepted", "rejected"] },
    final: false,
    holdsSlot: true,
    contacted: false,
    confirmed: false,
    paid: false,
    staff: { ru: "Новая", kk: "Жаңа" },
    action: null,
    student: { ru: "новая", kk: "жаңа" },
  },
  contacted: {
    kinds: ["school"],
    next: { school: ["confirmed", "rejected"], instructor: [] },
    final: false,
    holdsSlot: true,
    contacted: true,
    confirmed: false,
    paid: false,
    staff: { ru: "Связались", kk: "Хабарласты" },
    action: { ru: "Связались", kk: "Хабарластық" },
    student: { ru: "с вами связались", kk: "сізбен хабарласты" },
  },
  confirmed: {
    kinds: ["school"],
    next: { school: ["paid", "rejected"], instructor: [] },
    final: false,
    holdsSlot: true,
    contacted: true,
    confirmed: true,
    paid: false,
    staff: { ru: "Подтверждена", kk: "Расталды" },
    action: { ru: "Подтвердить", kk: "Растау" },
    student: { ru: "подтверждена", kk: "расталды" },
  },
  paid: {
    kinds: ["school"],
    next: { school: ["studying"], instructor: [] },
    final: false,
    holdsSlot: true,
    contacted: true,
    confirmed: true,
    paid: true,
    staff: { ru: "Оплачена", kk: "Төленді" },
    action: { ru: "Оплачено", kk: "Төленді" },
    student: { ru: "оплачена", kk: "төленді" },
  },
  studying: {
    kinds: ["school"],
    next: { school: ["completed"], instructor: [] },
    final: false,
    holdsSlot: true,
    contacted: true,
    confirmed: true,
    paid: true,
    staff: { ru: "Обучается", kk: "Оқып жатыр" },
    action: { ru: "Начал обучение", kk: "Оқу басталды" },
    student: { ru: "идёт обучение", kk: "оқу жүріп жатыр" },
  },
  completed: {
    kinds: ["school"],
    next: none,
    final: true,
    holdsSlot: true,
    contacted: true,
    confirmed: true,
    paid: true,
    staff: { ru: "Завершена", kk: "Аяқталды" },
    action: { ru: "Завершить", kk: "Аяқтау" },
    student: { ru: "обучение завершено", kk: "оқу аяқталды" },
  },
  accepted: {
    kinds: ["instructor"],
    next: none,
    final: false,
    holdsSlot: true,
    contacted: true,
    confirmed: true,
    paid: false,
    staff: { ru: "Принята", kk: "Қабылданды" },
    action: { ru: "Принять", kk: "Қабылдау" },
    student: { ru: "принята", kk: "қабылданды" },
  },
  rejected: {
    kinds: ["school", "instructor"],
    next: none,
    final: true,
    holdsSlot: false,
    // The funnel counts a rejection as contacted through first_response_at, not through its status.
    contacted: false,
    confirmed: false,
    paid: false,
    staff: { ru: "Отклонена", kk: "Қабылданбады" },
    action: { ru: "Отклонить", kk: "Қабылдамау" },
    student: { ru: "отклонена", kk: "қабылданбады" },
  },
  cancelled: {
    kinds: ["school", "instructor"],
    next: none,
    final: true,
    holdsSlot: false,
    contacted: false,
    confirmed: false,
    paid: false,
    staff: { ru: "Отменена учеником", kk: "Оқушы бас тартты" },
    action: null,
    student: { ru: "отменена", kk: "тоқтатылды" },
  },
};

const where = (test: (f: StatusFacts) => boolean): readonly ApplicationStatus[] =>
  applicationStatuses.filter((s) => test(STATUS[s]));

/** Statuses nothing can leave. */
export const FINAL_STATUSES = where((f) => f.final);
/** Statuses in which an application keeps its slot booked (the partial unique index's complement). */
export const SLOT_HOLDING_STATUSES = where((f) => f.holdsSlot);
/** Statuses that release a slot: what the unique index `applications_slot_live_idx` excludes. */
export const SLOT_RELEASING_STATUSES = where((f) => !f.holdsSlot);
/** Statuses that mean the school or instructor answered (the funnel's "contacted"). */
export const CONTACTED_STATUSES = where((f) => f.contacted);
/** Statuses that mean the application was confirmed (school) or accepted (instructor). */
export const CONFIRMED_STATUSES = where((f) => f.confirmed);
/** Statuses that mean the application was paid. */
export const PAID_STATUSES = where((f) => f.paid);

export function isFinal(status: ApplicationStatus): boolean {
  return STATUS[status].final;
}

export function holdsSlot(status: ApplicationStatus): boolean {
  return STATUS[status].holdsSlot;
}

/** The statuses staff can move an application of `kind` to from `from`. */
export function nextStatuses(kind: ApplicationKind, from: ApplicationStatus): readonly ApplicationStatus[] {
  return STATUS[from].next[kind];
}

export function canTransition(kind: ApplicationKind, from: ApplicationStatus, to: ApplicationStatus): boolean {
  return nextStatuses(kind, from).includes(to);
}

/** The statuses an application of `kind` can have, in the order filters show them. */
export function statusesOf(kind: ApplicationKind): readonly ApplicationStatus[] {
  return where((f) => f.kinds.includes(kind));
}

export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return typeof value === "string" && (applicationStatuses as readonly string[]).includes(value);
}

/** Which timestamp a move to `to` sets the first time: confirmation, payment or cancellation. */
export function stampOf(to: ApplicationStatus): "confirmedAt" | "paidAt" | "cancelledAt" | null {
  if (to === "cancelled") return "cancelledAt";
  const f = STATUS[to];
  if (f.paid) return "paidAt";
  return f.confirmed ? "confirmedAt" : null;
}

/** A reason is asked for (and sent to the student) when staff move an application here. */
export const REASON_STATUS: ApplicationStatus = "rejected";
export const MAX_REASON = 500;

/**
 * The reason staff give with a move, trimmed: required when an instructor rejects (the student
 * gets nothing else), optional for a school. Returns the reason or a problem for the form.
 */
export function checkReason(kind: ApplicationKind, to: ApplicationStatus, raw: string | undefined): { ok: true; reason: string } | { ok: false; problem: "too_long" | "required" } {
  if (to !== REASON_STATUS) return { ok: true, reason: "" };
  const reason = (raw ?? "").trim();
  if (reason.length > MAX_REASON) return { ok: false, problem: "too_long" };
  if (kind === "instructor" && !reason) return { ok: false, problem: "required" };
  return { ok: true, reason };
}

/** `('a', 'b')` for SQL written as text (the statuses are fixed identifiers, never input). */
export function sqlStatusList(statuses: readonly ApplicationStatus[]): string {
  return `(${statuses.map((s) => `'${s}'`).join(", ")})`;
}
