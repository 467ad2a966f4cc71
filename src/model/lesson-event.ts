// A lesson's history on its application: the payload of an application_events row of type
// 'lesson' (written by src/domain/lessons.ts and the reminder answers). Its history line is
// src/notify/lesson-event-line.ts's.

/** Who cancelled (or moved) a lesson: the student (bot), its instructor, or the instructor's school (CRM). */
export type LessonCanceller = "student" | "instructor" | "school";
/** The student's answer to a reminder: "Приду" / "Не смогу". */
export type LessonAnswer = "coming" | "not_coming";

export type LessonEventPayload =
  | { lesson: number; action: "planned"; startsAt: string; minutes: number; fromBooking?: boolean }
  | { lesson: number; action: "moved"; from: string; startsAt: string; minutes: number; by: LessonCanceller }
  | { lesson: number; action: "cancelled"; startsAt: string; by: LessonCanceller; late?: boolean; reason?: string }
  | { lesson: number; action: "conducted"; startsAt: string }
  | { lesson: number; action: "no_show"; startsAt: string; noShowBy: "student" | "instructor" | null }
  | { lesson: number; action: "answered"; startsAt: string; answer: LessonAnswer };

export type LessonEventAction = LessonEventPayload["action"];
