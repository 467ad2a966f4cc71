-- A version number of what the bot lists (cities, schools, offers, instructors and their trust
-- indexes), bumped in the same transaction as any change to them. The bot reads it with each
-- update's claim and keeps the catalog cached while it is unchanged (src/domain/catalog-cache.ts).
-- The triggers are deferred to commit time, so a transaction takes the version row's lock last
-- and two writers cannot deadlock on it; a transaction bumps it once however many rows it changes.
CREATE TABLE "catalog_version" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
	"version" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "catalog_version" ("id", "version") VALUES (true, 1);
--> statement-breakpoint
CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('avtomat.catalog_bumped_in', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE catalog_version SET version = version + 1;
    PERFORM set_config('avtomat.catalog_bumped_in', txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cities_catalog_version AFTER INSERT OR UPDATE OR DELETE ON cities DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER schools_catalog_version AFTER INSERT OR UPDATE OR DELETE ON schools DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER school_offers_catalog_version AFTER INSERT OR UPDATE OR DELETE ON school_offers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER instructors_catalog_version AFTER INSERT OR UPDATE OR DELETE ON instructors DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
-- Trust of schools and instructors orders the bot's lists; students' discipline does not.
CREATE CONSTRAINT TRIGGER index_values_catalog_version AFTER INSERT OR UPDATE ON index_values DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.subject_kind <> 'student') EXECUTE FUNCTION bump_catalog_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER index_values_deleted_catalog_version AFTER DELETE ON index_values DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.subject_kind <> 'student') EXECUTE FUNCTION bump_catalog_version();
