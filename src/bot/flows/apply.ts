// Applying: phone (once; "share contact" or typed) → name (prefilled from Telegram) → summary →
// Confirm, which creates exactly one application → the school's or instructor's details.
// (Before the phone, flows/duplicate.ts asks about an open application to the same place.)
import { and, eq } from "drizzle-orm";
import { applications } from "../../db/schema.ts";
import { createApplication, offerKindOf } from "../../domain/applications.ts";
import { findActiveInstructor, findActiveOffer, findActiveSchool } from "../../domain/catalog.ts";
import { updateStudent } from "../../domain/students.ts";
import { normalizePhone } from "../../model/phone.ts";
import { whatsappLink } from "../../model/whatsapp.ts";
import { instructorSlots } from "../../db/schema.ts";
import { applicationSummary, courseOf, lessonTime, submitted } from "../../notify/catalog.ts";
import { inLanguage } from "../../model/content.ts";
import { row, type Button, type Outcome, type StepContext, type StepDef } from "../conversation.ts";
import { myListData } from "../callback-data.ts";
import { STATUS } from "../../model/application-status.ts";
// waitlist (issue 15): an application without a slot waits for a day or part of it
import { joinWaitlist, waitlistEntryOf } from "../../domain/waitlist.ts";
import { isWaitlistDaypart, type WaitlistDaypart } from "../../model/daypart.ts";
import { waitlistJoined, waitlistWish } from "../../notify/waitlist.ts";

/** The waitlist wish the student chose (flows/instructor.ts waitday → waitpart), when they chose no slot. */
function waitlistWishOf(c: StepContext): { day: string; daypart: WaitlistDaypart } | null {
  const { waitDay, waitPart, slotId } = c.choices;
  return !slotId && waitDay && isWaitlistDaypart(waitPart) ? { day: waitDay, daypart: waitPart } : null;
}

export const phone: StepDef<"phone"> = {
  async render({ text }) {
    return { text: text.askPhone, buttons: [], askContact: true };
  },
  text: (c, input) => phoneAnswer(c, input, false),
};

/**
 * The phone step's answer, typed or (`confirmed`) from the student's own shared contact: a
 * contact is Telegram's word that the number is theirs, a typed one is only their word.
 */
export async function phoneAnswer(c: StepContext, input: string, confirmed: boolean): Promise<Outcome<"phone">> {
  const normalized = normalizePhone(input);
  if (!normalized) return { invalid: c.text.badPhone };
  await updateStudent(c.tx, c.student.id, { phone: normalized, phoneConfirmed: confirmed });
  return { next: "ok", patch: { phone: normalized, phoneConfirmed: confirmed } };
}

const telegramName = (c: StepContext) => [c.student.firstName, c.student.lastName].filter(Boolean).join(" ").trim();

function validName(input: string): string | null {
  const name = input.replace(/\s+/g, " ").trim();
  return name.length >= 2 && name.length <= 60 && /\p{L}/u.test(name) && !/[<>]/.test(name) ? name : null;
}

export const name: StepDef<"name"> = {
  async render(c) {
    const tgName = validName(telegramName(c));
    return { text: c.text.askName, buttons: tgName ? [row({ text: `✓ ${tgName}`, value: "tg" })] : [] };
  },
  async choose(c, value) {
    const tgName = validName(telegramName(c));
    if (value !== "tg" || !tgName) return { invalid: c.text.badName };
    return { next: "ok", patch: { name: tgName } };
  },
  async text(c, input) {
    const valid = validName(input);
    return valid ? { next: "ok", patch: { name: valid } } : { invalid: c.text.badName };
  },
};

/**
 * What the student asks the instructor for, in their language: a waitlist wish, the slot's time
 * ("ср, 27 нояб., 09:00") or the part of the day ("Утром"). The summary reads it from the choices,
 * the confirmation from the application.
 */
function whenText(c: StepContext, w: { wish: { day: string; daypart: WaitlistDaypart } | null; slot: { startsAt: Date } | null; daypart: string | null }): string {
  const lang = c.student.language;
  if (w.wish) return waitlistWish(lang, w.wish.day, w.wish.daypart, c.config.timeZone);
  if (w.slot) return lessonTime(lang, { startsAt: w.slot.startsAt, timeZone: c.config.timeZone });
  return w.daypart ? lessonTime(lang, { daypart: w.daypart }) : "";
}

async function slotOf(c: StepContext, slotId: number | null | undefined) {
  return slotId ? ((await c.tx.select().from(instructorSlots).where(eq(instructorSlots.id, slotId)))[0] ?? null) : null;
}

export const summary: StepDef<"summary"> = {
  async render(c) {
    const { text, choices } = c;
    const lang = c.student.language;
    const who = { studentName: choices.name ?? "", phone: choices.phone ?? "" };
    const buttons = [
      row({ text: text.confirm, value: "confirm" }),
      row({ text: text.changePhone, value: "phone" }, { text: text.changeName, value: "name" }),
    ];
    if (choices.offerId) {
      const offer = await c.catalog.findActiveOffer(choices.offerId);
      const school = offer && (await c.catalog.findActiveSchool(offer.schoolId));
      if (!offer || !school) return { text: text.outdatedButton, buttons: [] };
      return { text: applicationSummary(lang, { ...who, school: inLanguage(lang, school.name, school.nameKk), offer }), buttons };
    }
    const found = await c.catalog.findActiveInstructor(choices.instructorId!);
    if (!found) return { text: text.outdatedButton, buttons: [] };
    // The slot's length prices the lesson (a waitlist wish or a part of the day has no slot yet).
    const wish = waitlistWishOf(c);
    const slot = wish ? null : await slotOf(c, choices.slotId);
    const when = whenText(c, { wish, slot, daypart: choices.daypart ?? null });
    const lesson = { instructor: found.name, category: choices.category, when, pricePerHourKzt: found.pricePerHourKzt, minutes: slot?.minutes ?? null };
    return { text: applicationSummary(lang, { ...who, ...lesson }), buttons };
  },
  async choose(c, value) {
    if (value === "phone" || value === "name") return { next: value };
    if (value !== "confirm") return { invalid: c.text.useButtons };
    return confirm(c);
  },
};

// Reads the catalog itself, not the cache: what the application is created for must be current.
async function confirm(c: StepContext): Promise<Outcome<"summary">> {
  const { choices, student } = c;
  const base = {
    studentId: student.id,
    idempotencyKey: `${student.id}:${choices.nonce}`,
    studentName: choices.name!,
    studentPhone: choices.phone!,
    phoneConfirmed: choices.phoneConfirmed ?? false,
    source: choices.source,
    situation: choices.situation ?? null,
  };
  let result;
  if (choices.offerId) {
    const offer = await findActiveOffer(c.tx, choices.offerId);
    const school = offer && (await findActiveSchool(c.tx, offer.schoolId));
    if (!offer || !school) return { invalid: c.text.outdatedButton };
    const target = { schoolId: school.id, offerId: offer.id, category: offer.category, format: offer.format };
    result = await createApplication(c.tx, { ...base, cityId: school.cityId, school: target }, c.config);
  } else {
    const found = await findActiveInstructor(c.tx, choices.instructorId!);
    if (!found) return { invalid: c.text.outdatedButton };
    // A waitlist wish is the preferred time in words (Russian: the CRM shows it as it is).
    const wish = waitlistWishOf(c);
    const preferredTime = wish ? waitlistWish("ru", wish.day, wish.daypart, c.config.timeZone) : (choices.daypart ?? null);
    const target = { instructorId: found.id, slotId: choices.slotId ?? null, transmission: found.transmission, category: choices.category ?? null, preferredTime };
    result = await createApplication(c.tx, { ...base, cityId: found.cityId, instructor: target }, c.config);
    if (wish && result.kind === "created") await joinWaitlist(c.tx, { applicationId: result.application.id, instructorId: found.id, ...wish });
  }
  if (result.kind === "slot_taken") return { jump: "slotday", toast: c.text.slotTaken };
  // The school's own message for a new application (if it wrote one) follows the confirmation.
  return { next: "confirm", patch: { applicationId: result.application.id }, then: result.kind === "created" ? result.messages : [] };
}

/** After confirming: the number, the contacts, WhatsApp and payment links, what happens next. */
export const done: StepDef<"done"> = {
  async render(c) {
    const { text } = c;
    const lang = c.student.language;
    // The application made at the end of this flow, or the earlier one the student chose to open.
    const { applicationId } = c.choices;
    const [a] = await c.tx
      .select()
      .from(applications)
      .where(applicationId ? and(eq(applications.id, applicationId), eq(applications.studentId, c.student.id)) : eq(applications.idempotencyKey, `${c.student.id}:${c.choices.nonce}`));
    if (!a) return { text: text.myEmpty, buttons: [] };
    const target = a.schoolId ? await c.catalog.findActiveSchool(a.schoolId) : await c.catalog.findActiveInstructor(a.instructorId!);
    if (!target) return { text: submitted(lang, a.publicNumber, null), buttons: [] };
    const entry = await waitlistEntryOf(c.tx, a.id);
    const course = courseOf(lang, { ...a, offerKind: await offerKindOf(c.tx, a.offerId) }, a.kind === "school" ? "" : whenText(c, { wish: entry, slot: entry ? null : await slotOf(c, a.slotId), daypart: a.preferredTime }));
    // A school's name and address in the student's language (model/content.ts); an instructor's car is a car in any.
    const [name, address] = "address" in target ? [inLanguage(lang, target.name, target.nameKk), inLanguage(lang, target.address, target.addressKk)] : [target.name, target.car];
    const buttons: Button[][] = [];
    const wa = whatsappLink(target.whatsapp || target.phone, text.whatsappText(a.publicNumber, course));
    if (wa) buttons.push(row({ text: text.whatsapp, url: wa }));
    if (target.kaspiUrl) buttons.push(row({ text: text.payKaspi, url: target.kaspiUrl }));
    if (target.halykUrl) buttons.push(row({ text: text.payHalyk, url: target.halykUrl }));
    // The student's lessons and applications (flows/my.ts), as a new message: the contacts stay.
    buttons.push(row({ text: text.myLessonsButton, data: myListData.pack({ edit: 0 }) }));
    // An earlier application opened instead of a new one says its status, not "отправлена!".
    const heading = c.choices.opened ? text.duplicateOpened(a.publicNumber, STATUS[a.status].student[lang]) : undefined;
    let said = submitted(lang, a.publicNumber, { name, address, phone: target.phone }, heading);
    if (entry) said += `\n\n${waitlistJoined(lang, target.name, entry.day, entry.daypart, c.config.timeZone)}`;
    return { text: said, buttons };
  },
};
