// The bot's catalog reads (cities, offers, school lists and cards, instructors), cached in the
// process while the catalog's version is unchanged. The version is bumped in the same
// transaction as any change to the catalog or to a school's or instructor's trust (migration
// 0007), and the bot reads it in each update's claim statement, so a cached answer is never
// older than what that update's own snapshot would have read. Slots are not cached: bookings
// change them all the time. The reads return what schools wrote in both languages (name_kk,
// description_kk, includes_kk, meeting_point_kk…): the student's language is picked after the
// cache (notify/catalog.ts, by model/content.ts inLanguage), so one entry serves both languages,
// and an edit of a Kazakh column bumps the version like any other (the triggers fire on every update).
import * as catalog from "./catalog.ts";
import { reviewSummary } from "./reviews.ts";
import type { Db, Tx } from "../db/client.ts";

type Q = Db | Tx;

/** The reads that are cached: catalog.ts functions whose first argument is the database. */
const reads = {
  listActiveCities: catalog.listActiveCities,
  findActiveCity: catalog.findActiveCity,
  listCitiesWithCounts: catalog.listCitiesWithCounts,
  offeredValues: catalog.offeredValues,
  listSchools: catalog.listSchools,
  schoolMatches: catalog.schoolMatches,
  findActiveSchool: catalog.findActiveSchool,
  schoolOffersFor: catalog.schoolOffersFor,
  findActiveOffer: catalog.findActiveOffer,
  listInstructors: catalog.listInstructors,
  findActiveInstructor: catalog.findActiveInstructor,
  offeredTransmissions: catalog.offeredTransmissions,
  offeredInstructorCategories: catalog.offeredInstructorCategories,
  instructorMatches: catalog.instructorMatches,
  // The review block of a card (issue 16): the reviews table bumps the version too (migration 0017).
  reviewSummary,
};

type WithoutDb<F> = F extends (db: Q, ...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** The same reads, without the database argument. */
export type CatalogReader = { [K in keyof typeof reads]: WithoutDb<(typeof reads)[K]> };

/** What one update's reader holds; the read methods (readerMethods) are built once. */
interface ReaderState {
  cache: CatalogCache;
  db: Q;
  version: number;
}

const readerMethods = Object.fromEntries(
  Object.entries(reads).map(([name, read]) => [
    name,
    function (this: ReaderState, ...args: unknown[]) {
      return this.cache.get(this.version, `${name}:${JSON.stringify(args)}`, () => (read as (db: Q, ...a: unknown[]) => unknown)(this.db, ...args));
    },
  ]),
);

/** Past this many distinct reads the cache starts over (filters × pages × cities stay far below). */
const MAX_ENTRIES = 5000;

export class CatalogCache {
  private version = -1;
  private entries = new Map<string, Promise<unknown>>();

  /** The reads of one update whose claim saw `version` (its methods are shared: one small object per update). */
  reader(db: Q, version: number): CatalogReader {
    const state: ReaderState = { cache: this, db, version };
    return Object.setPrototypeOf(state, readerMethods) as CatalogReader;
  }

  get(version: number, key: string, load: () => unknown): Promise<unknown> {
    // Run a read at once (a drizzle query is lazy: kept unawaited it would run again, later,
    // on whichever transaction it was built on).
    const run = async () => await load();
    // An update whose snapshot is older than the cache reads for itself.
    if (version < this.version) return run();
    if (version > this.version || this.entries.size >= MAX_ENTRIES) {
      this.version = version;
      this.entries.clear();
    }
    let hit = this.entries.get(key);
    if (!hit) {
      hit = run();
      this.entries.set(key, hit);
      // A failed read (the database away) is not remembered.
      hit.catch(() => this.entries.get(key) === hit && this.entries.delete(key));
    }
    return hit;
  }
}
