-- The conversation after the application (src/domain/thread.ts): the student's messages and the
-- school's answers are application_events ('message', 'reply', 'auto'); the application keeps
-- when the student last wrote, since when they wait for an answer, and when staff last read.
ALTER TABLE "applications" ADD COLUMN "last_student_message_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "awaiting_reply_since" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "staff_read_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "applications_school_waiting_idx" ON "applications" USING btree ("school_id","awaiting_reply_since") WHERE "applications"."awaiting_reply_since" is not null;
--> statement-breakpoint
CREATE INDEX "applications_instructor_waiting_idx" ON "applications" USING btree ("instructor_id","awaiting_reply_since") WHERE "applications"."awaiting_reply_since" is not null;
--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "thread_application_id" integer;
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "reply_application_id" integer;
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "reply_started_at" timestamp with time zone;
--> statement-breakpoint
-- The bot looks up a staff chat on every free message (is it answering an application?).
CREATE INDEX "accounts_telegram_chat_idx" ON "accounts" USING btree ("telegram_chat_id") WHERE "accounts"."telegram_chat_id" is not null;
--> statement-breakpoint
ALTER TABLE "reply_templates" ADD COLUMN "body_kk" text DEFAULT '' NOT NULL;
--> statement-breakpoint
CREATE TABLE "auto_replies" (
	"owner_kind" text NOT NULL,
	"owner_id" integer NOT NULL,
	"event" text NOT NULL,
	"body_ru" text DEFAULT '' NOT NULL,
	"body_kk" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auto_replies_owner_kind_owner_id_event_pk" PRIMARY KEY("owner_kind","owner_id","event")
);
