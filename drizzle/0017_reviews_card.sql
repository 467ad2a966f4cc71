-- Issue 16, reviews: the bot's cached school and instructor cards show reviews (average, count,
-- latest comments, the school's answer), so writing, answering or hiding a review bumps the
-- catalog's version like any other change the cards show (0007_catalog_version.sql).
CREATE CONSTRAINT TRIGGER reviews_catalog_version AFTER INSERT OR UPDATE OR DELETE ON reviews DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
-- Applications finished before reviews existed may be reviewed too ("Оставить отзыв" in /my), but
-- their students are not messaged out of the blue: their requests count as asked and reminded.
-- Finished: a school application completed; an instructor application with a conducted lesson
-- and no planned one left (the rule of src/domain/reviews.ts).
INSERT INTO review_requests (application_id, due_at, asked_at, reminded_at)
SELECT a.id, now(), now(), now() FROM applications a
WHERE (a.kind = 'school' AND a.status = 'completed')
   OR (a.kind = 'instructor'
       AND EXISTS (SELECT 1 FROM lessons l WHERE l.application_id = a.id AND l.state = 'conducted')
       AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.application_id = a.id AND l.state = 'planned'))
ON CONFLICT DO NOTHING;
