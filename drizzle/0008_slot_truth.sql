-- A slot's state is only whether its instructor offers it: 'free' or 'cancelled'. Whether it is
-- booked is decided by the live application on it (src/domain/slots.ts), never by a state that
-- could disagree; 'held' and 'booked' were never written by the application, only by hand.
UPDATE "instructor_slots" SET "state" = 'free' WHERE "state" NOT IN ('free', 'cancelled');
--> statement-breakpoint
ALTER TABLE "instructor_slots" ADD CONSTRAINT "instructor_slots_state_ck" CHECK ("instructor_slots"."state" in ('free', 'cancelled'));
