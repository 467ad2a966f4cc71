// `bun run analytics:recompute [--batch-size N]`: recomputes every school's and instructor's trust
// index and every student's discipline index into index_values (run it nightly: the indexes only
// look at the last year, so they change with time even without new data).
import { RECOMPUTE_BATCH, recomputeAll } from "../domain/indexes.ts";
import { withDatabase } from "./cli.ts";

function batchSizeArg(argv: readonly string[]): number {
  const i = argv.indexOf("--batch-size");
  if (i < 0) return RECOMPUTE_BATCH;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write("--batch-size: expected a positive whole number\n");
    process.exit(2);
  }
  return n;
}

const batchSize = batchSizeArg(process.argv.slice(2));
await withDatabase(async ({ db }) => {
  const started = Date.now();
  const summary = await recomputeAll(db, new Date(), { batchSize });
  console.log(
    `indexes recomputed: ${summary.schools} schools, ${summary.instructors} instructors, ${summary.students} students in ${Date.now() - started} ms`,
  );
});
