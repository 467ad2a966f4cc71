DROP INDEX "applications_school_inbox_idx";--> statement-breakpoint
DROP INDEX "applications_school_status_idx";--> statement-breakpoint
DROP INDEX "applications_instructor_inbox_idx";--> statement-breakpoint
CREATE INDEX "applications_school_inbox_idx" ON "applications" USING btree ("school_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_school_status_idx" ON "applications" USING btree ("school_id","status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_instructor_inbox_idx" ON "applications" USING btree ("instructor_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);