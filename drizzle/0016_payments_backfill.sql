-- Issue 16, payments: applications the school marked paid before the payments table existed
-- (paid_at set, no payments row) would read as 'none' — the trust index would lose their payment
-- and /my would offer "Я оплатил(а)" on them. What we know of them is the school's mark alone, dated
-- when it was made: a staff_only row each (staff_account_id unknown). Their schools and
-- instructors are marked for the index to recompute.
INSERT INTO index_dirty (subject_kind, subject_id)
SELECT DISTINCT CASE WHEN a.school_id IS NOT NULL THEN 'school' ELSE 'instructor' END, coalesce(a.school_id, a.instructor_id)
FROM applications a
WHERE a.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.application_id = a.id)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO payments (application_id, staff_at, updated_at)
SELECT a.id, a.paid_at, a.paid_at FROM applications a
WHERE a.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.application_id = a.id)
ON CONFLICT DO NOTHING;
