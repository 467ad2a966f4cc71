// The whole domain model (DESIGN.md "Domain model"), one pg-core schema for both
// PostgreSQL and PGlite. Times are timestamptz; they are shown in TIME_ZONE.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { LessonAnswer, LessonCanceller } from "../model/lesson-event.ts";
import type { ReminderKind } from "../model/lesson-policy.ts";
import type { WaitlistDaypart } from "../model/daypart.ts";
import type { ThreadMedia } from "../model/thread-message.ts";
import { sqlSituationList, type Situation } from "../model/situation.ts";
import { applicationKinds, applicationStatuses, SLOT_RELEASING_STATUSES, sqlStatusList, type ApplicationKind, type ApplicationStatus } from "../model/application-status.ts";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => tz("created_at").notNull().defaultNow();

/**
 * Lesson rules of a school (for all its instructors) or an independent instructor: when the two
 * reminders go out and until when a student may move or cancel a lesson themselves
 * (src/model/lesson-policy.ts reads them).
 */
const lessonPolicyColumns = () => ({
  reminderFirstHours: smallint("reminder_first_hours").notNull().default(24),
  reminderSecondHours: smallint("reminder_second_hours").notNull().default(2),
  cancelCutoffHours: smallint("cancel_cutoff_hours").notNull().default(24),
});

export const cities = pgTable("cities", {
  id: serial("id").primaryKey(),
  nameRu: text("name_ru").notNull().unique(),
  nameKk: text("name_kk").notNull(),
  sort: integer("sort").notNull().default(100),
  active: boolean("active").notNull().default(true),
});

export const schools = pgTable(
  "schools",
  {
    id: serial("id").primaryKey(),
    cityId: integer("city_id").notNull().references(() => cities.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    phone: text("phone").notNull().default(""),
    whatsapp: text("whatsapp").notNull().default(""),
    description: text("description").notNull().default(""),
    // The Kazakh versions ('' = written only in Russian: the bot falls back to it, model/content.ts).
    nameKk: text("name_kk").notNull().default(""),
    addressKk: text("address_kk").notNull().default(""),
    descriptionKk: text("description_kk").notNull().default(""),
    kaspiUrl: text("kaspi_url").notNull().default(""),
    halykUrl: text("halyk_url").notNull().default(""),
    active: boolean("active").notNull().default(true),
    ...lessonPolicyColumns(),
    createdAt: createdAt(),
  },
  (t) => [index("schools_city_idx").on(t.cityId, t.active)],
);

/** What a school sells: full course, extra practice or theory-test preparation. */
export const offerKinds = ["full_course", "practice", "test_prep"] as const;
export type OfferKind = (typeof offerKinds)[number];

export const schoolOffers = pgTable(
  "school_offers",
  {
    id: serial("id").primaryKey(),
    schoolId: integer("school_id").notNull().references(() => schools.id),
    category: text("category").notNull(),
    format: text("format").notNull(),
    kind: text("kind").$type<OfferKind>().notNull().default("full_course"),
    priceKzt: integer("price_kzt").notNull(),
    durationWeeks: smallint("duration_weeks").notNull(),
    // Hours of driving a practice offer gives (null: not said; required for new practice offers).
    hours: smallint("hours"),
    // What the price includes, as the school wrote it ("автомобиль школы, топливо, площадка").
    includes: text("includes").notNull().default(""),
    includesKk: text("includes_kk").notNull().default(""),
    active: boolean("active").notNull().default(true),
  },
  (t) => [
    index("school_offers_school_idx").on(t.schoolId),
    index("school_offers_lookup_idx").on(t.category, t.format),
    check("school_offers_price_ck", sql`${t.priceKzt} >= 0`),
    check("school_offers_hours_ck", sql`${t.hours} is null or ${t.hours} > 0`),
  ],
);

export const transmissions = ["automatic", "manual"] as const;
export type Transmission = (typeof transmissions)[number];

export const instructors = pgTable(
  "instructors",
  {
    id: serial("id").primaryKey(),
    cityId: integer("city_id").notNull().references(() => cities.id),
    schoolId: integer("school_id").references(() => schools.id),
    name: text("name").notNull(),
    phone: text("phone").notNull().default(""),
    whatsapp: text("whatsapp").notNull().default(""),
    transmission: text("transmission").$type<Transmission>().notNull(),
    car: text("car").notNull().default(""),
    pricePerHourKzt: integer("price_per_hour_kzt").notNull(),
    categories: text("categories").array().notNull().default(sql`'{B}'::text[]`),
    kaspiUrl: text("kaspi_url").notNull().default(""),
    halykUrl: text("halyk_url").notNull().default(""),
    active: boolean("active").notNull().default(true),
    // Used when the instructor has no school; a school's instructors follow the school's.
    ...lessonPolicyColumns(),
    // Where lessons start unless a lesson says otherwise ('' = not set).
    meetingPoint: text("meeting_point").notNull().default(""),
    meetingPointKk: text("meeting_point_kk").notNull().default(""),
    // The private iCalendar feed: sha-256 (hex) of its secret token; null = no feed.
    icalTokenHash: text("ical_token_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    index("instructors_city_idx").on(t.cityId, t.transmission, t.active),
    index("instructors_school_idx").on(t.schoolId),
    uniqueIndex("instructors_ical_token_idx").on(t.icalTokenHash).where(sql`${t.icalTokenHash} is not null`),
  ],
);

/** Offered by its instructor, or withdrawn. Whether a slot is booked is not a state: see src/domain/slots.ts. */
export const slotStates = ["free", "cancelled"] as const;
export type SlotState = (typeof slotStates)[number];

export const instructorSlots = pgTable(
  "instructor_slots",
  {
    id: serial("id").primaryKey(),
    instructorId: integer("instructor_id").notNull().references(() => instructors.id),
    startsAt: tz("starts_at").notNull(),
    minutes: smallint("minutes").notNull().default(60),
    state: text("state").$type<SlotState>().notNull().default("free"),
  },
  (t) => [
    uniqueIndex("instructor_slots_unique_idx").on(t.instructorId, t.startsAt),
    index("instructor_slots_free_idx").on(t.instructorId, t.state, t.startsAt),
    check("instructor_slots_state_ck", sql`${t.state} in ('free', 'cancelled')`),
  ],
);

export const languages = ["ru", "kk"] as const;
export type Language = (typeof languages)[number];

export const students = pgTable(
  "students",
  {
    id: serial("id").primaryKey(),
    telegramId: bigint("telegram_id", { mode: "number" }).notNull().unique(),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    username: text("username").notNull().default(""),
    phone: text("phone").notNull().default(""),
    // The phone came from the student's own shared contact (Telegram vouches for it), not typed.
    phoneConfirmed: boolean("phone_confirmed").notNull().default(false),
    language: text("language").$type<Language>().notNull().default("ru"),
    blocked: boolean("blocked").notNull().default(false),
    unreachableAt: tz("unreachable_at"),
    // The application the student's free messages go to, once they chose one of several.
    threadApplicationId: integer("thread_application_id"),
    createdAt: createdAt(),
  },
  (t) => [index("students_phone_idx").on(t.phone)],
);

// The statuses and kinds live with their meaning in the status model.
export { applicationKinds, applicationStatuses, type ApplicationKind, type ApplicationStatus };

export const applications = pgTable(
  "applications",
  {
    id: serial("id").primaryKey(),
    // Shown to people ("№ 1042"); the id is internal.
    publicNumber: text("public_number").notNull().unique(),
    studentId: integer("student_id").notNull().references(() => students.id),
    kind: text("kind").$type<ApplicationKind>().notNull(),
    cityId: integer("city_id").notNull().references(() => cities.id),
    schoolId: integer("school_id").references(() => schools.id),
    offerId: integer("offer_id").references(() => schoolOffers.id),
    instructorId: integer("instructor_id").references(() => instructors.id),
    slotId: integer("slot_id").references(() => instructorSlots.id),
    category: text("category"),
    format: text("format"),
    transmission: text("transmission").$type<Transmission>(),
    preferredTime: text("preferred_time"),
    // What the student said of themselves when applying (src/model/situation.ts); null: not asked.
    situation: text("situation").$type<Situation>(),
    studentName: text("student_name").notNull(),
    studentPhone: text("student_phone").notNull(),
    // Whether Telegram vouched for that phone (the student's own contact) when applying.
    phoneConfirmed: boolean("phone_confirmed").notNull().default(false),
    source: text("source").notNull().default("bot"),
    status: text("status").$type<ApplicationStatus>().notNull().default("new"),
    // The bot's confirm button carries this key: pressing it twice creates one application.
    idempotencyKey: text("idempotency_key").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    firstResponseAt: tz("first_response_at"),
    confirmedAt: tz("confirmed_at"),
    paidAt: tz("paid_at"),
    cancelledAt: tz("cancelled_at"),
    // The conversation (src/domain/thread.ts): when the student last wrote, since when they wait
    // for the school's answer (null: nobody waits), and when the school last opened the thread.
    lastStudentMessageAt: tz("last_student_message_at"),
    awaitingReplySince: tz("awaiting_reply_since"),
    staffReadAt: tz("staff_read_at"),
  },
  (t) => [
    // The inbox filter "waiting for our answer": only the waiting rows are in these indexes.
    index("applications_school_waiting_idx").on(t.schoolId, t.awaitingReplySince).where(sql`${t.awaitingReplySince} is not null`),
    index("applications_instructor_waiting_idx").on(t.instructorId, t.awaitingReplySince).where(sql`${t.awaitingReplySince} is not null`),
    // The inbox: one school's applications, newest first, optionally by status.
    // The id is the tie-breaker of the inbox order, so it is in the index too (no sort step).
    index("applications_school_inbox_idx").on(t.schoolId, t.createdAt.desc(), t.id.desc()),
    index("applications_school_status_idx").on(t.schoolId, t.status, t.createdAt.desc(), t.id.desc()),
    index("applications_instructor_inbox_idx").on(t.instructorId, t.createdAt.desc(), t.id.desc()),
    index("applications_student_idx").on(t.studentId, t.createdAt.desc()),
    index("applications_city_created_idx").on(t.cityId, t.createdAt),
    // The inbox search (migration 0019_inbox_word_search, replacing 0006's trigram index): the words
    // of the name as keys scoped to the owner, and to the owner and status (the migration's
    // inbox_name_keys), and the phone's
    // trigrams under the same owner key (pg_trgm + btree_gin). The owner expression is
    // src/domain/inbox.ts searchOwner; the query must spell it the same way for the indexes to apply.
    index("applications_name_words_idx").using(
      "gin",
      sql`inbox_name_keys((case ${t.kind} when 'school' then 's' || ${t.schoolId} else 'i' || ${t.instructorId} end), ${t.status}, ${t.studentName})`,
    ),
    index("applications_phone_search_idx").using(
      "gin",
      sql`(case ${t.kind} when 'school' then 's' || ${t.schoolId} else 'i' || ${t.instructorId} end)`,
      sql`${t.studentPhone} gin_trgm_ops`,
    ),
    // A slot is held by at most one live application: a constraint, not a check in code.
    uniqueIndex("applications_slot_live_idx")
      .on(t.slotId)
      .where(sql`${t.slotId} is not null and ${t.status} not in ${sql.raw(sqlStatusList(SLOT_RELEASING_STATUSES))}`),
    check("applications_situation_ck", sql`${t.situation} is null or ${t.situation} in ${sql.raw(sqlSituationList())}`),
    check(
      "applications_target_ck",
      sql`(${t.kind} = 'school' and ${t.schoolId} is not null) or (${t.kind} = 'instructor' and ${t.instructorId} is not null)`,
    ),
  ],
);

// slot: the instructor withdrew the booked time ({ action: "cancelled", slotId, startsAt, minutes, reason }).
// reply: staff wrote to the student ({ text, templateId?, via: "crm" | "telegram" }).
// message: the student wrote ({ text?, media?: ThreadMedia, unsupported?: kind }); accountId is null.
// auto: an automatic message the student got ({ event, text, custom }).
// lesson: a lesson planned, moved, cancelled, marked or answered (src/model/lesson-event.ts).
export const applicationEventTypes = ["created", "status", "reply", "note", "payment", "slot", "message", "auto", "lesson"] as const;
export type ApplicationEventType = (typeof applicationEventTypes)[number];

export const applicationEvents = pgTable(
  "application_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    applicationId: integer("application_id").notNull().references(() => applications.id),
    // null actor = the student or the system.
    accountId: integer("account_id").references(() => accounts.id),
    type: text("type").$type<ApplicationEventType>().notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    at: tz("at").notNull().defaultNow(),
  },
  (t) => [index("application_events_app_idx").on(t.applicationId, t.at)],
);

// A payment as both sides tell it (issue 16; src/model/payment.ts turns the sides into a state).
// One row per application: the student's "Я оплатил(а)" with the amount and an optional receipt
// (a photo or PDF kept by Telegram, we keep its file_id), and the school's or instructor's word:
// confirmed (staff_at) or disputed. Every change also writes an application_events 'payment' row.
export const payments = pgTable(
  "payments",
  {
    applicationId: integer("application_id").primaryKey().references(() => applications.id),
    amountKzt: integer("amount_kzt"),
    receipt: jsonb("receipt").$type<ThreadMedia>(),
    studentAt: tz("student_at"),
    staffAt: tz("staff_at"),
    staffAccountId: integer("staff_account_id").references(() => accounts.id),
    disputedAt: tz("disputed_at"),
    disputeReason: text("dispute_reason").notNull().default(""),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // The CRM's "ожидает проверки оплаты": claims the school has not checked yet.
    index("payments_claimed_idx").on(t.applicationId).where(sql`${t.studentAt} is not null and ${t.staffAt} is null and ${t.disputedAt} is null`),
    check("payments_amount_ck", sql`${t.amountKzt} is null or ${t.amountKzt} > 0`),
  ],
);

// A student's rating of the school or instructor of a finished application (issue 16). One per
// student and subject (a second finished course at the same school does not give a second vote).
// hidden_at: an admin hid an abusive review (audited); its comment and author are shown to nobody
// but the admin, its rating still counts (docs/analytics.md). reply: the school's one public answer.
export const reviews = pgTable(
  "reviews",
  {
    id: serial("id").primaryKey(),
    applicationId: integer("application_id").notNull().unique().references(() => applications.id),
    studentId: integer("student_id").notNull().references(() => students.id),
    schoolId: integer("school_id").references(() => schools.id),
    instructorId: integer("instructor_id").references(() => instructors.id),
    // The city the rating is shrunk toward (the application's city).
    cityId: integer("city_id").notNull().references(() => cities.id),
    rating: smallint("rating").notNull(),
    comment: text("comment").notNull().default(""),
    // The student chose to show their first name with the review (else "Ученик" / "Оқушы").
    showName: boolean("show_name").notNull().default(false),
    createdAt: createdAt(),
    reply: text("reply"),
    repliedAt: tz("replied_at"),
    repliedBy: integer("replied_by").references(() => accounts.id),
    hiddenAt: tz("hidden_at"),
    hiddenBy: integer("hidden_by").references(() => accounts.id),
  },
  (t) => [
    uniqueIndex("reviews_student_school_idx").on(t.studentId, t.schoolId).where(sql`${t.schoolId} is not null`),
    uniqueIndex("reviews_student_instructor_idx").on(t.studentId, t.instructorId).where(sql`${t.instructorId} is not null`),
    index("reviews_school_idx").on(t.schoolId, t.createdAt.desc()).where(sql`${t.schoolId} is not null`),
    index("reviews_instructor_idx").on(t.instructorId, t.createdAt.desc()).where(sql`${t.instructorId} is not null`),
    index("reviews_city_idx").on(t.cityId),
    check("reviews_rating_ck", sql`${t.rating} between 1 and 5`),
    check("reviews_subject_ck", sql`(${t.schoolId} is null) <> (${t.instructorId} is null)`),
  ],
);

// When to ask a student for a review of a finished application (src/jobs/): a future send lives in
// its own table, not in the outbox (DESIGN.md "Time-based work"). asked_at / reminded_at are set in
// the transaction that enqueues the message, so each goes out once across instances.
export const reviewRequests = pgTable(
  "review_requests",
  {
    applicationId: integer("application_id").primaryKey().references(() => applications.id),
    dueAt: tz("due_at").notNull(),
    askedAt: tz("asked_at"),
    remindedAt: tz("reminded_at"),
    // Answered, or no longer wanted (the student reviewed this subject through another application).
    closedAt: tz("closed_at"),
  },
  (t) => [index("review_requests_due_idx").on(t.dueAt).where(sql`${t.closedAt} is null`)],
);

export const lessonStates = ["planned", "conducted", "no_show", "cancelled"] as const;
export type LessonState = (typeof lessonStates)[number];
// Who cancelled a lesson and the student's answer to a reminder: the lesson's history model.
export type { LessonAnswer, LessonCanceller } from "../model/lesson-event.ts";

export const lessons = pgTable(
  "lessons",
  {
    id: serial("id").primaryKey(),
    applicationId: integer("application_id").notNull().references(() => applications.id),
    instructorId: integer("instructor_id").notNull().references(() => instructors.id),
    startsAt: tz("starts_at").notNull(),
    minutes: smallint("minutes").notNull().default(60),
    state: text("state").$type<LessonState>().notNull().default("planned"),
    // Who missed it, when state is no_show: the student or the instructor.
    noShowBy: text("no_show_by").$type<"student" | "instructor">(),
    // The slot the lesson took (booked, or chosen when moved); moving or cancelling frees it.
    slotId: integer("slot_id").references(() => instructorSlots.id),
    // When the lesson got its current time: a reminder whose window opened before that is not sent.
    timedAt: tz("timed_at").notNull().defaultNow(),
    place: text("place").notNull().default(""),
    cancelledBy: text("cancelled_by").$type<LessonCanceller>(),
    // The student cancelled inside the cut-off: counts like a no-show in the discipline index.
    cancelledLate: boolean("cancelled_late").notNull().default(false),
    studentAnswer: text("student_answer").$type<LessonAnswer>(),
    answeredAt: tz("answered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("lessons_instructor_idx").on(t.instructorId, t.startsAt),
    index("lessons_application_idx").on(t.applicationId),
    index("lessons_planned_idx").on(t.startsAt).where(sql`${t.state} = 'planned'`),
    // A planned lesson holds its slot: one planned lesson per slot, a constraint.
    uniqueIndex("lessons_slot_planned_idx").on(t.slotId).where(sql`${t.slotId} is not null and ${t.state} = 'planned'`),
    check("lessons_cancelled_by_ck", sql`${t.cancelledBy} is null or ${t.cancelledBy} in ('student', 'instructor', 'school')`),
    check("lessons_answer_ck", sql`${t.studentAnswer} is null or ${t.studentAnswer} in ('coming', 'not_coming')`),
  ],
);

export { reminderKinds, type ReminderKind } from "../model/lesson-policy.ts";

// One row per reminder enqueued (src/jobs/reminders.ts): written in the same transaction as the
// outbox message, so each (lesson, reminder, lesson time) goes out once across instances and restarts.
export const lessonReminders = pgTable(
  "lesson_reminders",
  {
    lessonId: integer("lesson_id").notNull().references(() => lessons.id),
    kind: text("kind").$type<ReminderKind>().notNull(),
    startsAt: tz("starts_at").notNull(),
    sentAt: tz("sent_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "lesson_reminders_pk", columns: [t.lessonId, t.kind, t.startsAt] }), check("lesson_reminders_kind_ck", sql`${t.kind} in ('first', 'second')`)],
);

export { waitlistDayparts, type WaitlistDaypart } from "../model/daypart.ts";
export const waitlistStates = ["waiting", "booked", "left"] as const;
export type WaitlistState = (typeof waitlistStates)[number];

// A waiting application's wish for a local day (or part of it) with its instructor (src/domain/waitlist.ts).
export const waitlistEntries = pgTable(
  "waitlist_entries",
  {
    id: serial("id").primaryKey(),
    applicationId: integer("application_id").notNull().references(() => applications.id),
    instructorId: integer("instructor_id").notNull().references(() => instructors.id),
    day: date("day", { mode: "string" }).notNull(),
    daypart: text("daypart").$type<WaitlistDaypart>().notNull(),
    state: text("state").$type<WaitlistState>().notNull().default("waiting"),
    createdAt: createdAt(),
  },
  (t) => [
    index("waitlist_entries_waiting_idx").on(t.instructorId, t.day, t.createdAt).where(sql`${t.state} = 'waiting'`),
    index("waitlist_entries_application_idx").on(t.applicationId),
    check("waitlist_entries_daypart_ck", sql`${t.daypart} in ('morning', 'afternoon', 'evening', 'day')`),
    check("waitlist_entries_state_ck", sql`${t.state} in ('waiting', 'booked', 'left')`),
  ],
);

export const waitlistOfferStates = ["offered", "taken", "gone"] as const;
export type WaitlistOfferState = (typeof waitlistOfferStates)[number];

// A freed slot offered to a waiting entry: the first to confirm takes it, the others are told it is gone.
export const waitlistOffers = pgTable(
  "waitlist_offers",
  {
    entryId: integer("entry_id").notNull().references(() => waitlistEntries.id),
    slotId: integer("slot_id").notNull().references(() => instructorSlots.id),
    state: text("state").$type<WaitlistOfferState>().notNull().default("offered"),
    offeredAt: tz("offered_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "waitlist_offers_pk", columns: [t.entryId, t.slotId] }),
    index("waitlist_offers_slot_idx").on(t.slotId),
    // The round reads the open offers every minute (src/domain/waitlist.ts goneOffers).
    index("waitlist_offers_open_idx").on(t.slotId).where(sql`${t.state} = 'offered'`),
    check("waitlist_offers_state_ck", sql`${t.state} in ('offered', 'taken', 'gone')`),
  ],
);

export const ownerKinds = ["school", "instructor"] as const;
export type OwnerKind = (typeof ownerKinds)[number];

export const replyTemplates = pgTable(
  "reply_templates",
  {
    id: serial("id").primaryKey(),
    ownerKind: text("owner_kind").$type<OwnerKind>().notNull(),
    ownerId: integer("owner_id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    // The Kazakh text ('' when the school wrote only Russian): the student gets their language's.
    bodyKk: text("body_kk").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("reply_templates_owner_idx").on(t.ownerKind, t.ownerId)],
);

// A school's or instructor's own text for an automatic message (a new application, each status
// change), in Russian and Kazakh ('' = not written). Without a row the built-in message is sent.
export const autoReplies = pgTable(
  "auto_replies",
  {
    ownerKind: text("owner_kind").$type<OwnerKind>().notNull(),
    ownerId: integer("owner_id").notNull(),
    event: text("event").notNull(),
    bodyRu: text("body_ru").notNull().default(""),
    bodyKk: text("body_kk").notNull().default(""),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerKind, t.ownerId, t.event] })],
);

export const botConversations = pgTable("bot_conversations", {
  studentId: integer("student_id")
    .primaryKey()
    .references(() => students.id),
  flow: text("flow").notNull().default("start"),
  step: text("step").notNull().default("start"),
  choices: jsonb("choices").$type<Record<string, unknown>>().notNull().default({}),
  messageId: integer("message_id"),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

export const funnelActions = ["enter", "back", "restart", "submit", "abandon"] as const;
export type FunnelAction = (typeof funnelActions)[number];

export const funnelEvents = pgTable(
  "funnel_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    studentId: integer("student_id").notNull().references(() => students.id),
    flow: text("flow").notNull(),
    step: text("step").notNull(),
    action: text("action").$type<FunnelAction>().notNull(),
    at: tz("at").notNull().defaultNow(),
  },
  // Each student's events in the discipline index's order (migration 0021_recompute_speed):
  // time, then flow, step and action in byte order, as src/domain/indexes.ts funnelTallies sorts.
  (t) => [
    index("funnel_events_student_order_idx").on(t.studentId, t.at, sql`${t.flow} collate "C"`, sql`${t.step} collate "C"`, sql`${t.action} collate "C"`),
  ],
);

export const indexSubjects = ["student", "school", "instructor"] as const;
export type IndexSubject = (typeof indexSubjects)[number];

// fillfactor 60 (migration 0021_recompute_speed): room on each page for a row's next version, so
// the recompute's and the refresher's updates stay on the page (HOT) instead of adding index entries.
export const indexValues = pgTable(
  "index_values",
  {
    subjectKind: text("subject_kind").$type<IndexSubject>().notNull(),
    subjectId: integer("subject_id").notNull(),
    value: smallint("value").notNull(),
    components: jsonb("components").$type<unknown>().notNull().default([]),
    computedAt: tz("computed_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("index_values_subject_idx").on(t.subjectKind, t.subjectId)],
);

// Subjects whose index inputs changed since their index was last computed: written in the same
// transaction as the change (cheap, idempotent), drained by the index refresher.
export const indexDirty = pgTable(
  "index_dirty",
  {
    subjectKind: text("subject_kind").$type<IndexSubject>().notNull(),
    subjectId: integer("subject_id").notNull(),
    markedAt: tz("marked_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId] })],
);

export const roles = ["admin", "school", "instructor"] as const;
export type Role = (typeof roles)[number];

export const accounts = pgTable(
  "accounts",
  {
    id: serial("id").primaryKey(),
    login: text("login").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    schoolId: integer("school_id").references(() => schools.id),
    instructorId: integer("instructor_id").references(() => instructors.id),
    displayName: text("display_name").notNull().default(""),
    telegramChatId: bigint("telegram_chat_id", { mode: "number" }),
    // One-time code the staff member sends to the bot to link Telegram (null when none pending).
    telegramLinkCode: text("telegram_link_code").unique(),
    telegramLinkExpiresAt: tz("telegram_link_expires_at"),
    disabled: boolean("disabled").notNull().default(false),
    // The application this staff member answers from Telegram after pressing "Ответить".
    replyApplicationId: integer("reply_application_id"),
    // When that reply mode began: it lapses after a while (domain/thread-telegram.ts).
    replyStartedAt: tz("reply_started_at"),
    // Asked to get students' answers to lesson reminders in Telegram.
    lessonAnswerAlerts: boolean("lesson_answer_alerts").notNull().default(false),
    // The language of the CRM/admin pages and of this person's Telegram alerts; null: not chosen,
    // the browser's Accept-Language decides the pages (src/web/language.ts) and alerts are Russian.
    language: text("language").$type<Language>(),
    lastLoginAt: tz("last_login_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // The bot asks, for every free message, whether its chat is a staff member's (thread-telegram.ts).
    index("accounts_telegram_chat_idx").on(t.telegramChatId).where(sql`${t.telegramChatId} is not null`),
    check("accounts_language_ck", sql`${t.language} is null or ${t.language} in ('ru', 'kk')`),
    check(
      "accounts_role_ck",
      sql`(${t.role} = 'admin') or (${t.role} = 'school' and ${t.schoolId} is not null) or (${t.role} = 'instructor' and ${t.instructorId} is not null)`,
    ),
  ],
);

// Lucia v3's session table shape: id, user id, expiry.
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => accounts.id),
    expiresAt: tz("expires_at").notNull(),
    csrfToken: text("csrf_token").notNull().default(sql`md5(random()::text || clock_timestamp()::text)`),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

// Failed logins, for rate limiting per login and per address (kept in the database so that
// several instances share the count).
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    login: text("login").notNull(),
    address: text("address").notNull(),
    at: tz("at").notNull().defaultNow(),
  },
  (t) => [index("login_attempts_login_idx").on(t.login, t.at), index("login_attempts_address_idx").on(t.address, t.at)],
);

// Single-use tokens (one-tap login links from the bot): a token's id is recorded when used.
export const usedTokens = pgTable("used_tokens", {
  jti: text("jti").primaryKey(),
  usedAt: tz("used_at").notNull().defaultNow(),
});

// An instructor's weekly availability template; slots are generated from it.
export const instructorAvailability = pgTable(
  "instructor_availability",
  {
    id: serial("id").primaryKey(),
    instructorId: integer("instructor_id").notNull().references(() => instructors.id),
    weekday: smallint("weekday").notNull(), // 1 = Monday … 7 = Sunday
    startMinute: smallint("start_minute").notNull(), // minutes after local midnight
    endMinute: smallint("end_minute").notNull(),
    lessonMinutes: smallint("lesson_minutes").notNull().default(90),
  },
  (t) => [
    index("instructor_availability_idx").on(t.instructorId, t.weekday),
    check("instructor_availability_ck", sql`${t.weekday} between 1 and 7 and ${t.startMinute} < ${t.endMinute}`),
  ],
);

// Local days an instructor took off (src/domain/slot-cancel.ts blockDay): the rolling slot
// generation (src/jobs/slot-generation.ts) never fills them, even beyond today's horizon.
export const instructorDaysOff = pgTable(
  "instructor_days_off",
  {
    instructorId: integer("instructor_id").notNull().references(() => instructors.id),
    day: date("day", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "instructor_days_off_pk", columns: [t.instructorId, t.day] })],
);

export const processedUpdates = pgTable("processed_updates", {
  updateId: bigint("update_id", { mode: "number" }).primaryKey(),
  at: tz("at").notNull().defaultNow(),
});

// The bot's durable inbox (polling mode): updates stored as fetched, deleted once handled
// (src/domain/bot-inbox.ts, src/bot/polling.ts). chat_key is the chat the update belongs to
// (src/bot/chat-queues.ts chatOf), for a look at who queued what.
export const botInbox = pgTable("bot_inbox", {
  updateId: bigint("update_id", { mode: "number" }).primaryKey(),
  chatKey: text("chat_key").notNull(),
  update: jsonb("update").$type<Record<string, unknown>>().notNull(),
  receivedAt: tz("received_at").notNull().defaultNow(),
});

export const outboxStates = ["pending", "sent", "failed"] as const;
export type OutboxState = (typeof outboxStates)[number];

export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    // The Bot API method and its parameters, e.g. { method: "sendMessage", params: {...} }.
    payload: jsonb("payload").$type<{ method: string; params: Record<string, unknown> }>().notNull(),
    state: text("state").$type<OutboxState>().notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: tz("sent_at"),
    // The lane (src/bot/pacer.ts): a reply to what a student just did (a held reply) goes before
    // bulk messages (notifications, staff alerts, reminders), which only fill the capacity left.
    interactive: boolean("interactive").notNull().default(false),
  },
  (t) => [
    // The delivery's claim order: interactive first, then oldest due.
    index("outbox_due_idx")
      .on(t.interactive.desc(), t.nextAttemptAt, t.id)
      .where(sql`${t.state} = 'pending'`),
    // Per-chat order: a message waits while an older one to the same chat is pending.
    index("outbox_chat_pending_idx")
      .on(t.chatId, t.id)
      .where(sql`${t.state} = 'pending'`),
  ],
);

// The send pace shared by every instance (src/domain/send-pace.ts, migration 0014): row 0 is the
// whole bot, the others are chats sent to recently. `nextAt` is GCRA's theoretical arrival time,
// the earliest moment the next message may go; `reservedFrom` (row 0) is where the latest
// reservation began.
export const sendPace = pgTable("send_pace", {
  chatId: bigint("chat_id", { mode: "number" }).primaryKey(),
  nextAt: tz("next_at").notNull(),
  reservedFrom: tz("reserved_from"),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: integer("account_id").references(() => accounts.id),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    at: tz("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_account_idx").on(t.accountId, t.at)],
);

// Key-value facts the process keeps about itself (e.g. last update received), shown on /healthz.
export const appState = pgTable("app_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

// ---- statistics pages (migration 0005_stats_speed; issue 7) ----
// Kept by database triggers on applications and application_events (the migration holds them,
// with application_stat_keys(), application_stats_add() and application_stats_refresh()),
// so every writer keeps them current in its own transaction. The same migration adds two partial
// expression indexes for the exact median response time: applications_school_response_idx and
// applications_instructor_response_idx on (school_id | instructor_id,
// extract(epoch from first_response_at - created_at)::float8) include (created_at, first_response_at).

/**
 * How many applications of a school or instructor, created in a UTC day or month, carry each key
 * of application_stat_keys() (src/domain/stats.ts): {"total": 185, "s:new": 20, "src:bot": 130, …}.
 */
export const applicationStats = pgTable(
  "application_stats",
  {
    subjectKind: text("subject_kind").$type<OwnerKind>().notNull(),
    subjectId: integer("subject_id").notNull(),
    grain: text("grain").$type<"day" | "month">().notNull(),
    period: date("period", { mode: "string" }).notNull(),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId, t.grain, t.period] })],
);

/** A subject's trust index as it stood at the end of a past week; computed once, forgotten by backdated writes. */
export const trustTrendPoints = pgTable(
  "trust_trend_points",
  {
    subjectKind: text("subject_kind").$type<OwnerKind>().notNull(),
    subjectId: integer("subject_id").notNull(),
    at: tz("at").notNull(),
    version: smallint("version").notNull(),
    value: smallint("value").notNull(),
    computedAt: tz("computed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId, t.at] })],
);
