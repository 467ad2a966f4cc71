// The student's answer to a lesson reminder ("Приду" / "Не смогу", src/notify/reminder.ts): the
// domain stores it and alerts the staff who asked for it; the bot edits the reminder to show the
// answer and, after "Не смогу", offers to move or cancel the lesson (the lesson flows handle those
// buttons). A button of a lesson that is gone, cancelled or already begun is answered with why
// (a toast); nothing changes.
import { answerReminder } from "../../domain/lesson-reminders.ts";
import { reminderButtons } from "../callback-data.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import type { LessonAnswer } from "../../db/schema.ts";
import { lessonReminderAnswered, reminderAnswerSaved, reminderRefused } from "../../notify/reminder.ts";
import { runUpdate, type EngineDeps } from "../engine.ts";
import { edit, type Outgoing } from "../replies.ts";

export function onReminderAnswer(
  deps: EngineDeps,
  updateId: number,
  person: TelegramPerson,
  lessonId: number,
  answer: LessonAnswer,
  via: { messageId: number; callbackId: string },
): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const lang = turn.c.student.language;
    const result = await answerReminder(turn.c.tx, turn.c.student.id, lessonId, answer, turn.c.now, { timeZone: deps.config.timeZone });
    if (!result.ok) return [{ kind: "answer", callbackId: via.callbackId, text: reminderRefused(lang, result.refusal) }];
    return [
      { kind: "answer", callbackId: via.callbackId, text: reminderAnswerSaved(lang) },
      edit(via.messageId, lessonReminderAnswered(lang, result.facts, result.answer, reminderButtons(lessonId))),
    ];
  });
}
