// Flow 2 (and extra practice): transmission → instructors → a card → day → time, or a part of
// the day when the instructor has no free slots. From the day, time and part-of-day screens,
// "no suitable time" leads to the waitlist: a local day → a part of it (src/domain/waitlist.ts).
import { PAGE_SIZE } from "../../domain/catalog.ts";
import { findFreeSlot, freeSlots, type Slot } from "../../domain/slots.ts";
import { addDays, isoDay, localDate } from "../../model/time.ts";
import { DAYPARTS, isDaypart, isWaitlistDaypart, WAITLIST_DAYPARTS } from "../../model/daypart.ts";
import { waitlistDay } from "../../notify/waitlist.ts";
import { formatDay, formatTime } from "../../i18n/format.ts";
import { instructorCard, instructorsList } from "../../notify/catalog.ts";
import { transmissions, type Transmission } from "../../db/schema.ts";
import { parseId } from "../callback-data.ts";
import { chunk, row, type Button, type Choices, type StepContext, type StepDef } from "../conversation.ts";
import { pager } from "./school.ts";
import { withReviewBlock } from "./review-card.ts"; // reviews (issue 16)

/** The instructors the path lists: in the city, teaching the category the student chose. */
const filter = (c: Choices) => ({ cityId: c.cityId!, category: c.category, transmission: c.transmission });

export const transmission: StepDef<"transmission"> = {
  async render({ catalog, text, choices }) {
    const offered = await catalog.offeredTransmissions(choices.cityId!, choices.category);
    if (!offered.length) return { text: text.noInstructors, buttons: [] };
    return {
      text: text.chooseTransmission,
      buttons: [transmissions.filter((t) => offered.includes(t)).map((t) => ({ text: text.transmissionNames[t]!, value: t }))],
    };
  },
  async choose(c, value) {
    const offered = await c.catalog.offeredTransmissions(c.choices.cityId!, c.choices.category);
    if (!(offered as string[]).includes(value)) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { transmission: value as Transmission } };
  },
};

export const instructors: StepDef<"instructors"> = {
  async render({ catalog, text, choices, student }) {
    const page = choices.page ?? 0;
    const { items, total } = await catalog.listInstructors(filter(choices), page);
    if (!items.length) return { text: text.noInstructors, buttons: [] };
    const first = page * PAGE_SIZE + 1;
    return {
      text: instructorsList(student.language, items, first, total),
      buttons: [...items.map((i, n) => row({ text: `${first + n}. ${i.name}`, value: `i${i.id}` })), pager(text, page, total)],
    };
  },
  async choose(c, value) {
    if (value.startsWith("page:")) return { stay: true, patch: { page: Math.max(0, Number(value.slice(5)) || 0) } };
    // Only an instructor the list could show: a forged button for another city or filter is stale.
    const id = value.startsWith("i") ? parseId(value.slice(1)) : null;
    if (!id || !(await c.catalog.instructorMatches(filter(c.choices), id))) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { instructorId: id } };
  },
};

export const instructor: StepDef<"instructor"> = {
  async render(c) {
    const { catalog, text, choices, student } = c;
    const found = await catalog.findActiveInstructor(choices.instructorId!);
    if (!found) return { text: text.outdatedButton, buttons: [] };
    return {
      text: await withReviewBlock(c, "instructor", found.id, instructorCard(student.language, found)),
      buttons: [row({ text: text.chooseTimeButton, value: "time" })],
    };
  },
  async choose(c, value) {
    if (value !== "time") return { invalid: c.text.useButtons };
    const found = await c.catalog.findActiveInstructor(c.choices.instructorId!);
    if (!found) return { invalid: c.text.outdatedButton };
    const slots = await freeSlots(c.tx, found.id, c.now);
    return { next: slots.length ? "slots" : "noslots", patch: { transmission: found.transmission } };
  },
};

const dayKey = (c: StepContext, s: Slot) => {
  const d = localDate(c.config.timeZone, s.startsAt);
  return `${d.y}-${String(d.m).padStart(2, "0")}-${String(d.d).padStart(2, "0")}`;
};

/** Free slots over the next 14 days, grouped by local day. */
async function slotsByDay(c: StepContext): Promise<Map<string, Slot[]>> {
  const byDay = new Map<string, Slot[]>();
  for (const s of await freeSlots(c.tx, c.choices.instructorId!, c.now)) byDay.set(dayKey(c, s), [...(byDay.get(dayKey(c, s)) ?? []), s]);
  return byDay;
}

export const slotday: StepDef<"slotday"> = {
  async render(c) {
    const byDay = await slotsByDay(c);
    if (!byDay.size) return daypart.render(c);
    const days = [...byDay.entries()].map(([key, slots]) => ({
      text: `${formatDay(slots[0]!.startsAt, c.student.language, c.config.timeZone)} (${slots.length})`,
      value: key,
    }));
    return { text: c.text.chooseDay, buttons: [...chunk(days, 2), waitlistRow(c)] };
  },
  async choose(c, value) {
    if (value === WAIT) return { next: "wait" };
    const byDay = await slotsByDay(c);
    // The times went meanwhile and the screen showed the parts of the day (render's fallback): a part is an answer.
    if (!byDay.size) return isDaypart(value) ? { next: "part", patch: { daypart: value } } : { next: "noslots" };
    if (!byDay.has(value)) return { invalid: c.text.slotTaken };
    return { next: "ok", patch: { day: value } };
  },
};

export const slot: StepDef<"slot"> = {
  async render(c) {
    const slots = (await slotsByDay(c)).get(c.choices.day!) ?? [];
    if (!slots.length) return slotday.render(c);
    const label = formatDay(slots[0]!.startsAt, c.student.language, c.config.timeZone);
    const times = slots.map((s) => ({ text: formatTime(s.startsAt, c.config.timeZone), value: String(s.id) }));
    return { text: c.text.chooseTime(label), buttons: [...chunk(times, 4), waitlistRow(c)] };
  },
  async choose(c, value) {
    if (value === WAIT) return { next: "wait" };
    // The day's times went meanwhile and the screen showed the days, or the parts of the day (render's fallbacks).
    if (isDaypart(value)) return (await slotsByDay(c)).size ? { invalid: c.text.slotTaken } : { next: "ok", patch: { daypart: value } };
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return (await slotsByDay(c)).has(value) ? { stay: true, patch: { day: value } } : { invalid: c.text.slotTaken };
    const slotId = parseId(value);
    const free = slotId && (await findFreeSlot(c.tx, c.choices.instructorId!, slotId, c.now));
    if (!free) return { invalid: c.text.slotTaken };
    return { next: "ok", patch: { slotId: free.id } };
  },
};

export { DAYPARTS };

export const daypart: StepDef<"daypart"> = {
  async render(c) {
    const { text } = c;
    return { text: text.noSlots, buttons: [DAYPARTS.map((d) => ({ text: text.dayparts[d]!, value: d })), waitlistRow(c)] };
  },
  async choose(c, value) {
    if (value === WAIT) return { next: "wait" };
    if (!isDaypart(value)) return { invalid: c.text.useButtons };
    return { next: "ok", patch: { daypart: value } };
  },
};

// ---- waitlist (issue 15, part "waitlist") ----
const WAIT = "wait";
/** How many local days ahead, today included, a student may wait for (as far as slots are shown). */
export const WAITLIST_DAYS = 14;

const waitlistRow = (c: StepContext): Button[] => row({ text: c.text.waitlistButton, value: WAIT });

/** The local days the student may wait for: today and the next ones. */
function waitlistDays(c: StepContext): string[] {
  const today = localDate(c.config.timeZone, c.now);
  return Array.from({ length: WAITLIST_DAYS }, (_, i) => isoDay(addDays(today, i)));
}

export const waitday: StepDef<"waitday"> = {
  async render(c) {
    const days = waitlistDays(c).map((day) => ({ text: waitlistDay(c.student.language, day, c.config.timeZone), value: day }));
    return { text: c.text.waitlistChooseDay, buttons: chunk(days, 3) };
  },
  async choose(c, value) {
    if (!waitlistDays(c).includes(value)) return { invalid: c.text.useButtons };
    return { next: "ok", patch: { waitDay: value } };
  },
};

export const waitpart: StepDef<"waitpart"> = {
  async render(c) {
    const label = waitlistDay(c.student.language, c.choices.waitDay ?? "", c.config.timeZone);
    const parts = WAITLIST_DAYPARTS.map((p) => ({ text: c.text.waitlistParts[p], value: p }));
    return { text: c.text.waitlistChoosePart(label), buttons: chunk(parts, 2) };
  },
  async choose(c, value) {
    if (!isWaitlistDaypart(value) || !c.choices.waitDay) return { invalid: c.text.useButtons };
    return { next: "ok", patch: { waitPart: value } };
  },
};
// ---- end waitlist ----
