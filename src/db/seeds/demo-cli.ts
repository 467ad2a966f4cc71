// `bun run seed:demo [--json]`: demo schools, instructors and logins; prints the logins.
import { loadConfig } from "../../config.ts";
import { withDatabase } from "../cli.ts";
import { seedDemo, type DemoLogin } from "./demo.ts";

const asJson = process.argv.includes("--json");

function table(rows: DemoLogin[]): string {
  const head = ["role", "name", "login", "password"] as const;
  const widths = head.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [line([...head]), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(head.map((h) => r[h])))].join("\n");
}

await withDatabase(async ({ db }) => {
  const logins = await seedDemo(db, loadConfig().timeZone);
  if (asJson) console.log(JSON.stringify(logins));
  else console.log(`Demo data is ready. Logins (passwords are new on every run):\n\n${table(logins)}\n\nSchools: /crm/schools/login/  Instructors: /crm/instructors/login/  Admin: /admin/`);
});
