-- Lessons from booking to reminder (issue 15). A lesson remembers the slot it took (so moving or
-- cancelling it frees that slot), when it got its current time (reminders only for windows that
-- open after the student was told), who cancelled it and whether inside the cut-off, the place,
-- and the student's answer to a reminder.
ALTER TABLE "lessons" ADD COLUMN "slot_id" integer REFERENCES "instructor_slots"("id");
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "timed_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
UPDATE "lessons" SET "timed_at" = "created_at";
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "place" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "cancelled_by" text;
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "cancelled_late" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "student_answer" text;
--> statement-breakpoint
ALTER TABLE "lessons" ADD COLUMN "answered_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_cancelled_by_ck" CHECK ("cancelled_by" is null or "cancelled_by" in ('student', 'instructor', 'school'));
--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_answer_ck" CHECK ("student_answer" is null or "student_answer" in ('coming', 'not_coming'));
--> statement-breakpoint
-- The reminder job reads planned lessons across all instructors by time.
CREATE INDEX "lessons_planned_idx" ON "lessons" USING btree ("starts_at") WHERE "lessons"."state" = 'planned';
--> statement-breakpoint
-- A planned lesson holds its slot: at most one planned lesson per slot.
CREATE UNIQUE INDEX "lessons_slot_planned_idx" ON "lessons" USING btree ("slot_id") WHERE "lessons"."slot_id" is not null and "lessons"."state" = 'planned';
--> statement-breakpoint
-- Lesson rules of a school (for all its instructors) or of an independent instructor.
ALTER TABLE "schools" ADD COLUMN "reminder_first_hours" smallint DEFAULT 24 NOT NULL;
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "reminder_second_hours" smallint DEFAULT 2 NOT NULL;
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "cancel_cutoff_hours" smallint DEFAULT 24 NOT NULL;
--> statement-breakpoint
ALTER TABLE "instructors" ADD COLUMN "reminder_first_hours" smallint DEFAULT 24 NOT NULL;
--> statement-breakpoint
ALTER TABLE "instructors" ADD COLUMN "reminder_second_hours" smallint DEFAULT 2 NOT NULL;
--> statement-breakpoint
ALTER TABLE "instructors" ADD COLUMN "cancel_cutoff_hours" smallint DEFAULT 24 NOT NULL;
--> statement-breakpoint
ALTER TABLE "instructors" ADD COLUMN "meeting_point" text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- The private iCalendar feed: the sha-256 of its secret token (the URL is shown once).
ALTER TABLE "instructors" ADD COLUMN "ical_token_hash" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "instructors_ical_token_idx" ON "instructors" USING btree ("ical_token_hash") WHERE "instructors"."ical_token_hash" is not null;
--> statement-breakpoint
-- A staff member who asked to get students' answers to reminders in Telegram.
ALTER TABLE "accounts" ADD COLUMN "lesson_answer_alerts" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- One row per reminder sent: (lesson, which reminder, the lesson time it was for). The job
-- inserts it in the same transaction as the outbox message, so a reminder is enqueued once.
CREATE TABLE "lesson_reminders" (
	"lesson_id" integer NOT NULL REFERENCES "lessons"("id"),
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lesson_reminders_pk" PRIMARY KEY("lesson_id","kind","starts_at"),
	CONSTRAINT "lesson_reminders_kind_ck" CHECK ("kind" in ('first', 'second'))
);
--> statement-breakpoint
-- A waiting application's wish for a day (or a part of it) with its instructor.
CREATE TABLE "waitlist_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL REFERENCES "applications"("id"),
	"instructor_id" integer NOT NULL REFERENCES "instructors"("id"),
	"day" date NOT NULL,
	"daypart" text NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_entries_daypart_ck" CHECK ("daypart" in ('morning', 'afternoon', 'evening', 'day')),
	CONSTRAINT "waitlist_entries_state_ck" CHECK ("state" in ('waiting', 'booked', 'left'))
);
--> statement-breakpoint
CREATE INDEX "waitlist_entries_waiting_idx" ON "waitlist_entries" USING btree ("instructor_id","day","created_at") WHERE "waitlist_entries"."state" = 'waiting';
--> statement-breakpoint
CREATE INDEX "waitlist_entries_application_idx" ON "waitlist_entries" USING btree ("application_id");
--> statement-breakpoint
-- A freed slot offered to a waiting entry: the first to confirm takes it, the others are told.
CREATE TABLE "waitlist_offers" (
	"entry_id" integer NOT NULL REFERENCES "waitlist_entries"("id"),
	"slot_id" integer NOT NULL REFERENCES "instructor_slots"("id"),
	"state" text DEFAULT 'offered' NOT NULL,
	"offered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_offers_pk" PRIMARY KEY("entry_id","slot_id"),
	CONSTRAINT "waitlist_offers_state_ck" CHECK ("state" in ('offered', 'taken', 'gone'))
);
--> statement-breakpoint
CREATE INDEX "waitlist_offers_slot_idx" ON "waitlist_offers" USING btree ("slot_id");
--> statement-breakpoint
-- Local days an instructor took off: the rolling slot generation never fills them.
CREATE TABLE "instructor_days_off" (
	"instructor_id" integer NOT NULL REFERENCES "instructors"("id"),
	"day" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instructor_days_off_pk" PRIMARY KEY("instructor_id","day")
);
--> statement-breakpoint
-- The waitlist round reads the open offers every minute: only those are in this index.
CREATE INDEX "waitlist_offers_open_idx" ON "waitlist_offers" USING btree ("slot_id") WHERE "waitlist_offers"."state" = 'offered';
