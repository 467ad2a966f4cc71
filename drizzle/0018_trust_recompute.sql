-- Issue 16: the trust index reads payments, reviews and kept promises, and stores whether it has
-- enough data to be shown. Every school and instructor is marked for the index refresher, which
-- recomputes them in the background after start-up (a hundred at a time), so no stored value in
-- the old format outlives the deploy; `bun run analytics:recompute` does the same at once.
INSERT INTO "index_dirty" ("subject_kind", "subject_id")
SELECT 'school', "id" FROM "schools"
UNION ALL
SELECT 'instructor', "id" FROM "instructors"
ON CONFLICT DO NOTHING;
