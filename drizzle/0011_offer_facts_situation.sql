-- Flow 3 done right (issue 18): the student's situation when applying (no licence, a licence, a
-- school certificate without a licence; src/model/situation.ts), shown to the school; a practice
-- offer's hours of driving and what any offer's price includes, shown to the student.
ALTER TABLE "applications" ADD COLUMN "situation" text;
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_situation_ck" CHECK ("situation" is null or "situation" in ('no_licence', 'licence', 'certificate'));
--> statement-breakpoint
ALTER TABLE "school_offers" ADD COLUMN "hours" smallint;
--> statement-breakpoint
ALTER TABLE "school_offers" ADD COLUMN "includes" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "school_offers" ADD CONSTRAINT "school_offers_hours_ck" CHECK ("hours" is null or "hours" > 0);
