-- A shared contact must be the student's own (issue 19): the phone is then "confirmed by
-- Telegram"; a typed one is not. The student keeps the flag with the phone, the application a copy
-- (the student may change the phone later), and the CRM shows which it is.
ALTER TABLE "students" ADD COLUMN "phone_confirmed" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "phone_confirmed" boolean DEFAULT false NOT NULL;
