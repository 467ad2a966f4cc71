// A press on a waitlist offer (src/notify/waitlist.ts): "Записаться" confirms it
// (domain/waitlist.ts takeOffer: the first to confirm gets the time), "Выйти из листа ожидания"
// leaves the waitlist. Either way the offer message is edited to say what happened, in the
// student's language; a refusal (taken, past, not theirs, no longer waiting) says why.
import type { TelegramPerson } from "../../domain/students.ts";
import { leaveWaitlist, takeOffer, WaitlistError } from "../../domain/waitlist.ts";
import { waitlistBooked, waitlistLeft, waitlistRefused } from "../../notify/waitlist.ts";
import { runUpdate, type EngineDeps } from "../engine.ts";
import { edit, type Outgoing } from "../replies.ts";

export function onWaitlistOffer(
  deps: EngineDeps,
  updateId: number,
  person: TelegramPerson,
  press: { entryId: number; slotId: number; take: boolean },
  via: { messageId: number; callbackId: string },
): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async ({ c }) => {
    const lang = c.student.language;
    let message;
    try {
      if (press.take) message = waitlistBooked(lang, (await takeOffer(c.tx, c.student.id, press.entryId, press.slotId, c.now, { timeZone: c.config.timeZone })).facts);
      else {
        await leaveWaitlist(c.tx, c.student.id, press.entryId);
        message = waitlistLeft(lang);
      }
    } catch (err) {
      if (!(err instanceof WaitlistError)) throw err;
      message = waitlistRefused(lang, err.refusal);
    }
    return [{ kind: "answer", callbackId: via.callbackId }, edit(via.messageId, message)];
  });
}
