// `bun run seed:cities`: idempotent; a second run inserts nothing and says so.
import { withDatabase } from "../cli.ts";
import { KAZAKH_CITIES, seedCities } from "./cities.ts";

await withDatabase(async ({ db }) => {
  const n = await seedCities(db);
  console.log(
    n === 0
      ? `cities: all ${KAZAKH_CITIES.length} already present, nothing inserted`
      : `cities: inserted ${n} of ${KAZAKH_CITIES.length}`,
  );
});
