-- The discipline index reads each student's funnel events in one total order: time, then flow,
-- step and action in byte order (collation "C", as JS compares them; src/domain/indexes.ts
-- funnelTallies). This index holds that order and every column the count reads, so the full
-- recompute walks it with an index-only scan instead of sorting ~4 M events (the longest part of
-- `bun run analytics:recompute`: 5.5 s of CPU, 3.5 s this way, bench/results.md), and the
-- refresher's batches read a student's events without visiting the table. It replaces
-- funnel_events_student_idx (student_id, at), whose lookups it serves as well: still one index
-- entry per event written. The build blocks writes to funnel_events (every bot turn writes one)
-- until the migration commits: 3-8 s at 5 M events on 2 cores (README, `bun run db:migrate`).
CREATE INDEX "funnel_events_student_order_idx" ON "funnel_events" USING btree ("student_id", "at", "flow" COLLATE "C", "step" COLLATE "C", "action" COLLATE "C");--> statement-breakpoint
DROP INDEX "funnel_events_student_idx";
--> statement-breakpoint
-- index_values: every row is rewritten by each recompute and refresh. Packed full, a page has no
-- room for a row's new version, so every update moved the row to another page and added an index
-- entry (1.3 % HOT updates over a full recompute); with room left on the page the new version stays
-- there, without an index entry, and the old one is pruned in place (72 % HOT, ~15 % less CPU for
-- the 312,000 upserts of the bench's recompute). Applies to pages written from now on.
ALTER TABLE "index_values" SET (fillfactor = 60);
