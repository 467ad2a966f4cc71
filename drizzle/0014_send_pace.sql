-- Sending at Telegram's limits (issue 19): the send pace shared by every instance of the bot
-- (src/domain/send-pace.ts). Row 0 is the whole bot; every other row is a chat that was sent to
-- recently. next_at is the "theoretical arrival time" of GCRA: the earliest moment the next
-- message may go. reserved_from (row 0 only) is where the latest reservation began, so one
-- statement can return both ends of the slots it gave out.
CREATE TABLE "send_pace" (
	"chat_id" bigint PRIMARY KEY NOT NULL,
	"next_at" timestamp with time zone NOT NULL,
	"reserved_from" timestamp with time zone
);
--> statement-breakpoint
INSERT INTO "send_pace" ("chat_id", "next_at") VALUES (0, now());
--> statement-breakpoint
-- The lane of a queued message: replies to what a student just did (held replies the outbox
-- takes over) go before bulk messages (notifications, alerts, reminders).
ALTER TABLE "outbox" ADD COLUMN "interactive" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
DROP INDEX "outbox_due_idx";
--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("interactive" DESC, "next_attempt_at", "id") WHERE "outbox"."state" = 'pending';
