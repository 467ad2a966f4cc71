// /my, the student's overview: their lessons (upcoming ones with a button to open each, and the
// last few others with their outcome), then their applications with a cancel button each.
// Cancelling an application asks first (it also cancels the application's planned lessons), and
// asks why: a reason button cancels at once and the school sees the reason.
import { listStudentApplications } from "../../domain/applications.ts";
import { studentSchedule } from "../../domain/student-lessons.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import { cancelByStudent } from "../../domain/status.ts";
import { isFinal } from "../../model/application-status.ts";
import type { CancelReason } from "../../model/cancel-reason.ts";
import { confirmApplicationCancel, scheduleSection } from "../../notify/schedule.ts";
import { myApplications } from "../../notify/student.ts";
import { lessonData, myCancelData, payButtonData, myCancelReasonData, myCancelYesData, myListData, reviewOpenData } from "../callback-data.ts";
import { reviewableApplications } from "../../domain/reviews.ts";
import { reviewWords } from "../../notify/review.ts";
import { runUpdate, type EngineDeps, type Turn } from "../engine.ts";
import { edit, send, type Outgoing, type Reply } from "../replies.ts";

/** "← Мои занятия": the list in place of the pressed message. */
export const backToMy = () => myListData.pack({ edit: 1 });

/** The /my message: a new one, or (`editMessageId`) in place of the pressed one. */
export async function myScreen(turn: Turn, editMessageId?: number): Promise<Reply> {
  const { student, config, now, tx } = turn.c;
  const lang = student.language;
  const apps = await listStudentApplications(tx, student.id);
  const schedule = await studentSchedule(tx, student.id, now);
  const lessons = scheduleSection(lang, schedule, { timeZone: config.timeZone, openData: (id) => lessonData.pack({ id, a: "open" }) });
  // "Оставить отзыв" under each finished application not reviewed yet (reviews, issue 16).
  const reviewable = await reviewableApplications(tx, student.id);
  const more = apps.filter((a) => reviewable.has(a.id)).map((a) => [{ text: reviewWords(lang).leave(a.publicNumber), callback_data: reviewOpenData.pack({ id: a.id }) }]);
  const message = myApplications(lang, apps, { timeZone: config.timeZone, cancelData: (id) => myCancelData.pack({ id }), payData: (id) => payButtonData(id).claim, lessons, more });
  // An empty list is a new message, as before: nothing to edit the old list into.
  return editMessageId && apps.length ? edit(editMessageId, message) : send(message);
}

export function onMy(deps: EngineDeps, updateId: number, person: TelegramPerson): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => [await myScreen(turn)]);
}

/** "Мои занятия": under the confirmation a new message (the contacts stay); elsewhere the list in place. */
export function onMyList(deps: EngineDeps, updateId: number, person: TelegramPerson, inPlace: boolean, via: { messageId: number; callbackId: string }): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => [{ kind: "answer", callbackId: via.callbackId }, await myScreen(turn, inPlace ? via.messageId : undefined)]);
}

/**
 * "Отменить № 12" asks why; a reason or "Отменить без причины" (`confirmed`) cancels it and its
 * planned lessons, keeping the reason for the school.
 */
export function onMyCancel(
  deps: EngineDeps,
  updateId: number,
  person: TelegramPerson,
  press: { applicationId: number; confirmed: boolean; reason?: CancelReason },
  via: { messageId: number; callbackId: string },
): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const { text, tx, student } = turn.c;
    const { applicationId, reason } = press;
    if (!press.confirmed) {
      // Among the student's own applications only (a forged id finds nothing); students have few.
      const app = (await listStudentApplications(tx, student.id, 1000)).find((a) => a.id === applicationId);
      if (!app || isFinal(app.status)) return [{ kind: "answer", callbackId: via.callbackId, text: text.cannotCancel }, await myScreen(turn, via.messageId)];
      const ask = confirmApplicationCancel(student.language, app, {
        reasonData: (r) => myCancelReasonData.pack({ id: app.id, r }),
        withoutReasonData: myCancelYesData.pack({ id: app.id }),
        noData: backToMy(),
      });
      return [{ kind: "answer", callbackId: via.callbackId }, edit(via.messageId, ask)];
    }
    const result = await cancelByStudent(tx, applicationId, student.id, { now: turn.c.now, timeZone: turn.c.config.timeZone, reason });
    const toast = result.ok ? text.applicationCancelled(result.number) : text.cannotCancel;
    return [{ kind: "answer", callbackId: via.callbackId, text: toast }, await myScreen(turn, via.messageId)];
  });
}
