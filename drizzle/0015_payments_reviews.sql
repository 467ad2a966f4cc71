-- Issue 16: the payment as both sides tell it, reviews of finished applications, and when to ask
-- for them (src/db/schema.ts says what each column means).
CREATE TABLE "payments" (
	"application_id" integer PRIMARY KEY NOT NULL,
	"amount_kzt" integer,
	"receipt" jsonb,
	"student_at" timestamp with time zone,
	"staff_at" timestamp with time zone,
	"staff_account_id" integer,
	"disputed_at" timestamp with time zone,
	"dispute_reason" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_ck" CHECK ("payments"."amount_kzt" is null or "payments"."amount_kzt" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_staff_account_id_accounts_id_fk" FOREIGN KEY ("staff_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "payments_claimed_idx" ON "payments" USING btree ("application_id") WHERE "payments"."student_at" is not null and "payments"."staff_at" is null and "payments"."disputed_at" is null;
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"student_id" integer NOT NULL,
	"school_id" integer,
	"instructor_id" integer,
	"city_id" integer NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"show_name" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reply" text,
	"replied_at" timestamp with time zone,
	"replied_by" integer,
	"hidden_at" timestamp with time zone,
	"hidden_by" integer,
	CONSTRAINT "reviews_application_id_unique" UNIQUE("application_id"),
	CONSTRAINT "reviews_rating_ck" CHECK ("reviews"."rating" between 1 and 5),
	CONSTRAINT "reviews_subject_ck" CHECK (("reviews"."school_id" is null) <> ("reviews"."instructor_id" is null))
);
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_instructor_id_instructors_id_fk" FOREIGN KEY ("instructor_id") REFERENCES "public"."instructors"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_city_id_cities_id_fk" FOREIGN KEY ("city_id") REFERENCES "public"."cities"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_replied_by_accounts_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_hidden_by_accounts_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_student_school_idx" ON "reviews" USING btree ("student_id","school_id") WHERE "reviews"."school_id" is not null;
--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_student_instructor_idx" ON "reviews" USING btree ("student_id","instructor_id") WHERE "reviews"."instructor_id" is not null;
--> statement-breakpoint
CREATE INDEX "reviews_school_idx" ON "reviews" USING btree ("school_id","created_at" DESC) WHERE "reviews"."school_id" is not null;
--> statement-breakpoint
CREATE INDEX "reviews_instructor_idx" ON "reviews" USING btree ("instructor_id","created_at" DESC) WHERE "reviews"."instructor_id" is not null;
--> statement-breakpoint
CREATE INDEX "reviews_city_idx" ON "reviews" USING btree ("city_id");
--> statement-breakpoint
CREATE TABLE "review_requests" (
	"application_id" integer PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"asked_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "review_requests" ADD CONSTRAINT "review_requests_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "review_requests_due_idx" ON "review_requests" USING btree ("due_at") WHERE "review_requests"."closed_at" is null;
