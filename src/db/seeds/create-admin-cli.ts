// `bun run create-admin -- --login L --password P`, or interactively without flags.
import { parseArgs } from "node:util";
import { AccountError, createAccount, validateLogin, validatePassword } from "../../domain/accounts.ts";
import { PASSWORD_MIN_LENGTH } from "../../domain/passwords.ts";
import { withDatabase } from "../cli.ts";

const { values } = parseArgs({ options: { login: { type: "string" }, password: { type: "string" } } });

function ask(question: string, check: (v: string) => string | null): string {
  for (;;) {
    const answer = prompt(question)?.trim() ?? "";
    const problem = check(answer);
    if (!problem) return answer;
    console.log(problem);
    if (!process.stdin.isTTY) process.exit(1);
  }
}

const login = values.login ?? ask("Admin login:", validateLogin);
const password = values.password ?? ask(`Password (${PASSWORD_MIN_LENGTH}+ characters, not a common one):`, (p) => validatePassword(p, login));

await withDatabase(async ({ db }) => {
  try {
    await createAccount(db, { login, password, role: "admin", displayName: login });
    console.log(`admin "${login}" created; log in at /admin/`);
  } catch (err) {
    if (!(err instanceof AccountError)) throw err;
    console.error(`create-admin: ${err.message}`);
    process.exitCode = 1;
  }
});
