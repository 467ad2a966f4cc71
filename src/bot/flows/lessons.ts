// The student's lessons from the bot: a lesson's card (from /my), cancelling it (with a warning
// when it would be late), moving it to one of the instructor's free times (days → times →
// "Перенести с … на …?"), and "Написать инструктору" when it can no longer be moved. The rules
// (who may, the cut-off, what is free) are the domain's: domain/lessons.ts refuses with a
// LessonError whose `refusal` the student reads in their language; nothing changes then. A press
// on a lesson that is not the student's (an old or forged button) is a stale button.
import { LessonError, cancelLesson, isAhead, moveLesson, type LessonActor } from "../../domain/lessons.ts";
import { lessonPolicyOf } from "../../domain/lesson-policy.ts";
import { findFreeSlot, freeSlots, type Slot } from "../../domain/slots.ts";
import { studentLesson, type StudentLesson } from "../../domain/student-lessons.ts";
import type { TelegramPerson } from "../../domain/students.ts";
import { chooseThread } from "../../domain/thread.ts";
import { insideCutoff } from "../../model/lesson-policy.ts";
import { localDay } from "../../model/time.ts";
import type { ChatMessage } from "../../notify/message.ts";
import * as schedule from "../../notify/schedule.ts";
import { lessonData, lessonDayData, lessonSlotData, type LessonAction } from "../callback-data.ts";
import { runUpdate, type EngineDeps, type Turn } from "../engine.ts";
import { edit, send, type Outgoing, type Reply } from "../replies.ts";
import { stale } from "./commands.ts";
import { backToMy } from "./my.ts";

type Via = { messageId: number; callbackId: string };

/** The actions of a lesson's card this file handles ("coming" / "not_coming" answer reminders: flows/reminder-answer.ts). */
export type CardAction = Exclude<LessonAction, "coming" | "not_coming">;

const press = (id: number, a: LessonAction) => lessonData.pack({ id, a });
const answer = (via: Via, text?: string): Reply => ({ kind: "answer", callbackId: via.callbackId, ...(text ? { text } : {}) });

/** Runs `work` on the student's own lesson; any other id is a stale button. */
function withLesson(deps: EngineDeps, updateId: number, person: TelegramPerson, lessonId: number, via: Via, work: (turn: Turn, lesson: StudentLesson) => Promise<Reply[]>) {
  return runUpdate(deps, updateId, person, async (turn) => {
    const lesson = await studentLesson(turn.c.tx, turn.c.student.id, lessonId);
    return lesson ? work(turn, lesson) : stale(turn, via);
  });
}

export function onLesson(deps: EngineDeps, updateId: number, person: TelegramPerson, lessonId: number, action: CardAction, via: Via): Promise<Outgoing | null> {
  return withLesson(deps, updateId, person, lessonId, via, (turn, lesson) => {
    switch (action) {
      case "open":
        return Promise.resolve([answer(via), card(turn, lesson, via.messageId)]);
      case "cancel":
        return askCancel(turn, lesson, via);
      case "cancel_yes":
        return cancel(turn, lesson, via);
      case "move":
        return startMove(turn, lesson, via);
      case "write":
        return write(turn, lesson, via);
    }
  });
}

/** The card: when, who, where; "Перенести" and "Отменить" while it is ahead. */
function card(turn: Turn, lesson: StudentLesson, messageId: number): Reply {
  const { student, config, now } = turn.c;
  const message = schedule.lessonCard(student.language, lesson, {
    timeZone: config.timeZone,
    upcoming: isAhead(lesson, now),
    moveData: press(lesson.id, "move"),
    cancelData: press(lesson.id, "cancel"),
    backData: backToMy(),
  });
  return edit(messageId, message);
}

/** A refusal in the student's words, in place of the pressed message. */
function refused(turn: Turn, lesson: StudentLesson, refusal: LessonError["refusal"], via: Via): Reply[] {
  const message = schedule.lessonRefused(turn.c.student.language, refusal, { moveData: press(lesson.id, "move"), writeData: press(lesson.id, "write"), backData: backToMy() });
  return [answer(via), edit(via.messageId, message)];
}

/** The refusal for a lesson no longer ahead (cancelled, held, or started meanwhile), else null. */
const notAhead = (turn: Turn, lesson: StudentLesson): LessonError["refusal"] | null =>
  isAhead(lesson, turn.c.now) ? null : lesson.state === "planned" ? "past" : "not_planned";

async function askCancel(turn: Turn, lesson: StudentLesson, via: Via): Promise<Reply[]> {
  const gone = notAhead(turn, lesson);
  if (gone) return refused(turn, lesson, gone, via);
  const policy = await lessonPolicyOf(turn.c.tx, lesson.instructorId);
  const late = insideCutoff(policy, lesson.startsAt, turn.c.now);
  const message = schedule.confirmLessonCancel(turn.c.student.language, lesson, {
    timeZone: turn.c.config.timeZone,
    lateWithin: late ? policy.cancelCutoffHours : null,
    yesData: press(lesson.id, "cancel_yes"),
    noData: press(lesson.id, "open"),
  });
  return [answer(via), edit(via.messageId, message)];
}

const studentActor = (turn: Turn): LessonActor => ({ kind: "student", studentId: turn.c.student.id });

/**
 * Runs a change of the domain inside the update's transaction (a savepoint: a refusal undoes
 * only the change, and the update is still recorded as handled).
 */
async function attempt<T>(run: () => Promise<T>): Promise<{ ok: T } | { refusal: LessonError["refusal"] }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (err instanceof LessonError) return { refusal: err.refusal };
    throw err;
  }
}

async function cancel(turn: Turn, lesson: StudentLesson, via: Via): Promise<Reply[]> {
  const { tx, now, config, student } = turn.c;
  const result = await attempt(() => cancelLesson(tx, studentActor(turn), lesson.id, { now, timeZone: config.timeZone }));
  if ("refusal" in result) return refused(turn, lesson, result.refusal, via);
  const message = schedule.lessonCancelledByStudent(student.language, lesson, { timeZone: config.timeZone, late: result.ok.cancelledLate, backData: backToMy() });
  return [answer(via), edit(via.messageId, message)];
}

// ---- moving ----

/** The instructor's free slots over the next 14 days, by local day ("YYYY-MM-DD"), earliest first. */
async function freeDays(turn: Turn, lesson: StudentLesson): Promise<Map<string, Slot[]>> {
  const byDay = new Map<string, Slot[]>();
  for (const s of await freeSlots(turn.c.tx, lesson.instructorId, turn.c.now)) {
    const day = localDay(turn.c.config.timeZone, s.startsAt);
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  return byDay;
}

/**
 * Why the lesson cannot be moved from the bot now: no longer ahead, inside the cut-off (with the
 * write button), or no free time (the same); null when it can.
 */
async function cannotMove(turn: Turn, lesson: StudentLesson, via: Via, days: Map<string, Slot[]>): Promise<Reply[] | null> {
  const gone = notAhead(turn, lesson);
  if (gone) return refused(turn, lesson, gone, via);
  const policy = await lessonPolicyOf(turn.c.tx, lesson.instructorId);
  const inside = insideCutoff(policy, lesson.startsAt, turn.c.now);
  if (!inside && days.size) return null;
  const message = schedule.cannotMove(turn.c.student.language, inside ? policy.cancelCutoffHours : null, { writeData: press(lesson.id, "write"), backData: backToMy() });
  return [answer(via), edit(via.messageId, message)];
}

function dayList(turn: Turn, lesson: StudentLesson, days: Map<string, Slot[]>): ChatMessage {
  const list = [...days.entries()].map(([day, slots]) => ({ day, first: slots[0]!.startsAt, count: slots.length }));
  return schedule.chooseMoveDay(turn.c.student.language, lesson, list, {
    timeZone: turn.c.config.timeZone,
    dayData: (day) => lessonDayData.pack({ id: lesson.id, day }),
    backData: press(lesson.id, "open"),
  });
}

async function startMove(turn: Turn, lesson: StudentLesson, via: Via): Promise<Reply[]> {
  const days = await freeDays(turn, lesson);
  return (await cannotMove(turn, lesson, via, days)) ?? [answer(via), edit(via.messageId, dayList(turn, lesson, days))];
}

/** A day chosen: its free times; a day emptied meanwhile shows the days again. */
export function onLessonDay(deps: EngineDeps, updateId: number, person: TelegramPerson, lessonId: number, day: string, via: Via): Promise<Outgoing | null> {
  return withLesson(deps, updateId, person, lessonId, via, async (turn, lesson) => {
    const days = await freeDays(turn, lesson);
    const no = await cannotMove(turn, lesson, via, days);
    if (no) return no;
    const slots = days.get(day);
    if (!slots) return [answer(via, turn.c.text.slotTaken), edit(via.messageId, dayList(turn, lesson, days))];
    const message = schedule.chooseMoveTime(turn.c.student.language, slots, {
      timeZone: turn.c.config.timeZone,
      slotData: (slot) => lessonSlotData.pack({ id: lesson.id, slot, ok: 0 }),
      backData: press(lesson.id, "move"),
    });
    return [answer(via), edit(via.messageId, message)];
  });
}

/** A time chosen: "Перенести с … на …?"; confirmed: the move, or the refusal. */
export function onLessonSlot(deps: EngineDeps, updateId: number, person: TelegramPerson, lessonId: number, slotId: number, confirmed: boolean, via: Via): Promise<Outgoing | null> {
  return withLesson(deps, updateId, person, lessonId, via, async (turn, lesson) => {
    const { tx, now, config, student } = turn.c;
    if (confirmed) {
      const result = await attempt(() => moveLesson(tx, studentActor(turn), lesson.id, { slotId }, { now, timeZone: config.timeZone }));
      if ("refusal" in result) return refused(turn, lesson, result.refusal, via);
      return [answer(via), edit(via.messageId, schedule.lessonMovedByStudent(student.language, result.ok, { timeZone: config.timeZone, backData: backToMy() }))];
    }
    const days = await freeDays(turn, lesson);
    const no = await cannotMove(turn, lesson, via, days);
    if (no) return no;
    const slot = await findFreeSlot(tx, lesson.instructorId, slotId, now);
    if (!slot) return [answer(via, turn.c.text.slotTaken), edit(via.messageId, dayList(turn, lesson, days))];
    const message = schedule.confirmMove(student.language, lesson.startsAt, slot.startsAt, {
      timeZone: config.timeZone,
      yesData: lessonSlotData.pack({ id: lesson.id, slot: slot.id, ok: 1 }),
      backData: lessonDayData.pack({ id: lesson.id, day: localDay(config.timeZone, slot.startsAt) }),
    });
    return [answer(via), edit(via.messageId, message)];
  });
}

// ---- writing to the instructor ----

/**
 * "Написать инструктору": the student's next messages go to the lesson's application (as when
 * they pick it among several, flows/thread.ts), and they are told so. A closed application says
 * so, like the thread's own button.
 */
async function write(turn: Turn, lesson: StudentLesson, via: Via): Promise<Reply[]> {
  const chosen = await chooseThread(turn.c.tx, turn.c.student.id, lesson.applicationId);
  if (chosen.kind === "unknown") return stale(turn, via);
  if (chosen.kind === "closed") return [answer(via, turn.c.text.threadClosed)];
  return [answer(via), send(schedule.writeToInstructor(turn.c.student.language, lesson))];
}
