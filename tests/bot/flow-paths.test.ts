// The flow's state is the path: walking one branch, going Back to where two branches part and
// walking the other shows exactly what walking the other straight shows. Every ordered pair of
// the branches below (no licence, licence, and each certificate option), in Russian and Kazakh.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { t, type Texts } from "../../src/i18n/index.ts";
import type { Language } from "../../src/db/schema.ts";
import { FLOW } from "../../src/bot/flow.ts";
import { startBotHarness, type BotHarness } from "../support/bot.ts";
import { student, type Student } from "../support/student.ts";

setDefaultTimeout(180_000);

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.dispose());

/** A branch: the buttons pressed from the licence question to a list, by their labels in a language. */
type Branch = { name: string; presses: (d: Texts) => string[] };

const B = (d: Texts) => `B — ${d.categoryHint.B}`;
const practiceWith = (d: Texts, who: "school" | "instructor") => d.practiceWith[who](0).replace(/ \(0\)$/, "");

// Every answer of the licence and certificate steps starts one branch (checked below against the flow table).
const BRANCHES: Branch[] = [
  { name: "no licence, weekend groups", presses: (d) => [d.licenceNo, "Алматы", B(d), d.formatNames.weekend] },
  { name: "no licence, in person", presses: (d) => [d.licenceNo, "Алматы", B(d), d.formatNames.in_person] },
  { name: "licence, manual", presses: (d) => [d.licenceYes, "Алматы", B(d), d.transmissionNames.manual] },
  { name: "certificate, practice at a school", presses: (d) => [d.licenceCertificate, d.certPractice, "Алматы", B(d), practiceWith(d, "school")] },
  { name: "certificate, practice with an instructor", presses: (d) => [d.licenceCertificate, d.certPractice, "Алматы", B(d), practiceWith(d, "instructor"), d.transmissionNames.automatic] },
  { name: "certificate, full course", presses: (d) => [d.licenceCertificate, d.certFullCourse, "Алматы", B(d), d.formatNames.weekend] },
  { name: "certificate, test prep", presses: (d) => [d.licenceCertificate, d.certTestPrep, "Алматы"] },
];

test("the branches cover every answer of the first two questions in the flow table", () => {
  const d = t("ru");
  const firsts = new Set(BRANCHES.map((b) => b.presses(d)[0]));
  expect(firsts).toEqual(new Set([d.licenceNo, d.licenceYes, d.licenceCertificate]));
  expect(Object.keys(FLOW.licence.next)).toEqual(["no", "yes", "cert"]);
  const certificateAnswers = new Set(BRANCHES.filter((b) => b.presses(d)[0] === d.licenceCertificate).map((b) => b.presses(d)[1]));
  expect(certificateAnswers).toEqual(new Set([d.certPractice, d.certFullCourse, d.certTestPrep]));
  expect(Object.keys(FLOW.certificate.next)).toEqual(["practice", "course", "testprep"]);
});

let nextId = 700_000;
const newStudent = (lang: Language): Student => student(h.tg, { id: nextId++, first_name: "Тест", language_code: lang });

/** Walks `presses` after /start; returns the last screen (text and buttons). */
async function walk(s: Student, presses: string[], fromStart = true): Promise<{ text: string; buttons: string[] }> {
  if (fromStart) await s.send("/start");
  for (const label of presses) await s.press(label);
  return { text: s.text(), buttons: s.buttons() };
}

const commonPrefix = (a: string[], b: string[]) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/** Runs `work` over `items` with at most `limit` at a time (one chat each: the bot serves chats side by side). */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) await work(item);
  }));
}

describe.each(["ru", "kk"] as const)("every pair of branches, Back in between (%s)", (lang) => {
  const d = t(lang);
  test("shows what the straight walk shows", async () => {
    const straight = new Map<string, { text: string; buttons: string[] }>();
    await inParallel(BRANCHES, 7, async (b) => void straight.set(b.name, await walk(newStudent(lang), b.presses(d))));
    // The straight walks themselves reach a list with entries (else the comparison proves little).
    for (const b of BRANCHES) expect(straight.get(b.name)!.buttons.some((x) => /^1\. /.test(x))).toBe(true);

    const pairs = BRANCHES.flatMap((a) => BRANCHES.map((b) => [a, b] as const));
    const wrong: string[] = [];
    await inParallel(pairs, 8, async ([a, b]) => {
      const s = newStudent(lang);
      const first = a.presses(d);
      const second = b.presses(d);
      await walk(s, first);
      const keep = commonPrefix(first, second);
      for (let i = first.length; i > keep; i--) await s.press(d.back);
      const seen = await walk(s, second.slice(keep), false);
      const expected = straight.get(b.name)!;
      if (seen.text !== expected.text || seen.buttons.join("|") !== expected.buttons.join("|")) wrong.push(`${a.name} → Back → ${b.name}`);
    });
    expect(wrong).toEqual([]);
  });
});

test("the reported detour: full course for weekend groups, Back ×4, test prep lists the test-prep schools", async () => {
  const s = newStudent("ru");
  await walk(s, ["Есть свидетельство автошколы, прав ещё нет", "Полный курс в автошколе", "Алматы", "B — легковые", "Группы выходного дня"]);
  for (let i = 0; i < 4; i++) await s.press("← Назад");
  expect(s.text()).toBe("Чем помочь после автошколы?");
  await s.press("Подготовка к теоретическому экзамену");
  const m = await s.press("Алматы");
  expect(m.text).not.toContain("Подходящих автошкол пока нет");
  expect(m.text).toContain("Автошкола «Жол»");
});
