-- Inbox search (issue 7): the search box matches a case-insensitive substring of the student's
-- name or of the phone (stored as +77XXXXXXXXX). One trigram index on one lower-cased expression,
-- with the school and the status in the same GIN index (btree_gin), so a search within a school
-- (and a status) is one index scan instead of ILIKE's case folding over every row of the school.
-- src/domain/inbox.ts searchText spells the same expression; keep the two identical.
-- GIN's default fastupdate is kept: new rows go to a pending list that autovacuum merges (bulk
-- inserts, e.g. tests on PGlite, are ~5x slower with fastupdate off).
create extension if not exists pg_trgm;
--> statement-breakpoint
create extension if not exists btree_gin;
--> statement-breakpoint
create index if not exists "applications_school_search_idx" on "applications" using gin ("school_id", "status", (lower("student_name") || ' ' || "student_phone") gin_trgm_ops);
