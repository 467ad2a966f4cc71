// postinstall: prepare the empty embedded-database template (see pglite-template.ts).
import { writeTemplate } from "./pglite-template.ts";

try {
  console.log(`embedded database template: ${await writeTemplate()}`);
} catch (err) {
  // Not fatal: the first start of a new data folder just runs initdb itself.
  console.warn(`embedded database template not prepared: ${(err as Error).message}`);
}
