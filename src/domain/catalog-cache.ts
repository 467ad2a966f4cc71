// The bot's catalog reads (cities, offers, school lists and cards, instructors), cached in the
// process while the catalog's version is unchanged. The version is bumped in the same
// transaction as any change to the catalog or to a school's or instructor's trust (migration
// 0007), and the bot reads it in each update's claim statement, so a cached answer is never
// older than what that update's own snapshot would have read. Slots are not cached: bookings
// change them all the time.
import * as catalog from "./catalog.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Transmission } from "../db/schema.ts";

type Q = Db | Tx;

/** Past this many distinct reads the cache starts over (filters × pages × cities stay far below). */
const MAX_ENTRIES = 5000;

export class CatalogCache {
  private version = -1;
  private entries = new Map<string, Promise<unknown>>();

  /** The reads of one update whose claim saw `version`. */
  reader(db: Q, version: number): CatalogReader {
    const get = <T>(key: string, load: () => Promise<T>): Promise<T> => this.get(version, key, load);
    return {
      listActiveCities: () => get("cities", () => catalog.listActiveCities(db)),
      findActiveCity: (id) => get(`city:${id}`, () => catalog.findActiveCity(db, id)),
      offeredValues: (column, f) => get(`offered:${column}:${JSON.stringify(f)}`, () => catalog.offeredValues(db, column, f)),
      listSchools: (f, page) => get(`schools:${JSON.stringify(f)}:${page}`, () => catalog.listSchools(db, f, page)),
      findActiveSchool: (id) => get(`school:${id}`, () => catalog.findActiveSchool(db, id)),
      schoolOffersFor: (schoolId, f) => get(`offers:${schoolId}:${JSON.stringify(f)}`, () => catalog.schoolOffersFor(db, schoolId, f)),
      findActiveOffer: (id) => get(`offer:${id}`, () => catalog.findActiveOffer(db, id)),
      listInstructors: (f, page) => get(`instructors:${JSON.stringify(f)}:${page}`, () => catalog.listInstructors(db, f, page)),
      findActiveInstructor: (id) => get(`instructor:${id}`, () => catalog.findActiveInstructor(db, id)),
      offeredTransmissions: (cityId) => get(`transmissions:${cityId}`, () => catalog.offeredTransmissions(db, cityId)),
    };
  }

  private get<T>(version: number, key: string, load: () => Promise<T>): Promise<T> {
    // An update whose snapshot is older than the cache reads for itself.
    if (version < this.version) return (async () => await load())();
    if (version > this.version || this.entries.size >= MAX_ENTRIES) {
      this.version = version;
      this.entries.clear();
    }
    let hit = this.entries.get(key) as Promise<T> | undefined;
    if (!hit) {
      // Run the read now (a drizzle query is lazy: kept unawaited it would run again, later,
      // on whichever transaction it was built on).
      hit = (async () => await load())();
      this.entries.set(key, hit);
      // A failed read (the database away) is not remembered.
      hit.catch(() => this.entries.get(key) === hit && this.entries.delete(key));
    }
    return hit;
  }
}

/** catalog.ts's bot-facing reads, without the database argument. */
export interface CatalogReader {
  listActiveCities(): ReturnType<typeof catalog.listActiveCities>;
  findActiveCity(id: number): ReturnType<typeof catalog.findActiveCity>;
  offeredValues(column: "category" | "format", f: catalog.OfferFilter): ReturnType<typeof catalog.offeredValues>;
  listSchools(f: catalog.OfferFilter, page: number): ReturnType<typeof catalog.listSchools>;
  findActiveSchool(id: number): ReturnType<typeof catalog.findActiveSchool>;
  schoolOffersFor(schoolId: number, f: Partial<catalog.OfferFilter>): ReturnType<typeof catalog.schoolOffersFor>;
  findActiveOffer(id: number): ReturnType<typeof catalog.findActiveOffer>;
  listInstructors(f: { cityId: number; transmission: Transmission }, page: number): ReturnType<typeof catalog.listInstructors>;
  findActiveInstructor(id: number): ReturnType<typeof catalog.findActiveInstructor>;
  offeredTransmissions(cityId: number): ReturnType<typeof catalog.offeredTransmissions>;
}
