// Cities, schools, offers and instructors as the bot and the CRM read them.
import { and, asc, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { cities } from "../db/schema.ts";

export type City = typeof cities.$inferSelect;

export function listActiveCities(db: Db | Tx): Promise<City[]> {
  return db.select().from(cities).where(eq(cities.active, true)).orderBy(asc(cities.sort), asc(cities.nameRu));
}

export async function findActiveCity(db: Db | Tx, id: number): Promise<City | null> {
  const [city] = await db
    .select()
    .from(cities)
    .where(and(eq(cities.id, id), eq(cities.active, true)));
  return city ?? null;
}
