CREATE TABLE "index_dirty" (
	"subject_kind" text NOT NULL,
	"subject_id" integer NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "index_dirty_subject_kind_subject_id_pk" PRIMARY KEY("subject_kind","subject_id")
);
