// The status model is the one place that says what a status means; the SQL written by hand in
// the migrations must say the same, and the model itself must be coherent.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import {
  applicationKinds,
  applicationStatuses,
  canTransition,
  checkReason,
  CONFIRMED_STATUSES,
  CONTACTED_STATUSES,
  FINAL_STATUSES,
  nextStatuses,
  PAID_STATUSES,
  SLOT_RELEASING_STATUSES,
  stampOf,
  STATUS,
  statusesOf,
} from "../../src/model/application-status.ts";

const migration = (name: string) => readFileSync(new URL(`../../drizzle/${name}`, import.meta.url), "utf8");
/** The quoted names of a SQL list `(... 'a', 'b' ...)`. */
const names = (list: string) => [...list.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

describe("the migrations' status lists equal the model's", () => {
  const keys = migration("0005_stats_speed.sql");
  const fn = keys.slice(keys.indexOf("create or replace function application_stat_keys"), keys.indexOf("$$;"));
  const cases = [...fn.matchAll(/case when ([\s\S]*?) then '(paid|confirmed|contacted)' end/g)].map((m) => ({ key: m[2]!, cond: m[1]! }));

  test("application_stat_keys(): paid, confirmed and contacted", () => {
    const listed = (cond: string) => sorted([...cond.matchAll(/p_status (?:in \(([^)]*)\)|= '([a-z_]+)')/g)].flatMap((m) => (m[1] ? names(m[1]) : [m[2]!])));
    expect(cases.map((c) => c.key)).toEqual(["paid", "confirmed", "contacted"]);
    expect(listed(cases[0]!.cond)).toEqual(sorted(PAID_STATUSES));
    expect(listed(cases[1]!.cond)).toEqual(sorted(CONFIRMED_STATUSES));
    expect(listed(cases[2]!.cond)).toEqual(sorted(CONTACTED_STATUSES));
  });

  test("the partial unique index on a slot's live holder (0000) excludes exactly the statuses that release a slot", () => {
    const index = migration("0000_init.sql").split("\n").find((l) => l.includes('"applications_slot_live_idx"'))!;
    expect(names(index.slice(index.indexOf("not in")))).toEqual(sorted(SLOT_RELEASING_STATUSES));
  });
});

describe("the model is coherent", () => {
  test("final statuses lead nowhere; every move stays within the kind's statuses", () => {
    for (const s of FINAL_STATUSES) for (const k of applicationKinds) expect(nextStatuses(k, s)).toEqual([]);
    for (const k of applicationKinds)
      for (const s of applicationStatuses)
        for (const to of nextStatuses(k, s)) {
          expect(statusesOf(k)).toContain(s);
          expect(statusesOf(k)).toContain(to);
        }
  });

  test("every status of a kind is reachable from new by staff moves, or is the student's cancel", () => {
    for (const k of applicationKinds) {
      const seen = new Set(["new"]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const s of [...seen]) for (const to of nextStatuses(k, s as never)) if (!seen.has(to)) (seen.add(to), (grew = true));
      }
      expect(sorted(statusesOf(k).filter((s) => !seen.has(s)))).toEqual(["cancelled"]);
    }
  });

  test("paid implies confirmed implies contacted; released slots are final", () => {
    for (const s of applicationStatuses) {
      const f = STATUS[s];
      if (f.paid) expect(f.confirmed).toBe(true);
      if (f.confirmed) expect(f.contacted).toBe(true);
      if (!f.holdsSlot) expect(f.final).toBe(true);
      expect(f.staff.ru && f.staff.kk && f.student.ru && f.student.kk).toBeTruthy();
    }
  });

  test("transitions and the stamps they set", () => {
    expect(canTransition("school", "new", "confirmed")).toBe(true);
    expect(canTransition("school", "new", "accepted")).toBe(false);
    expect(canTransition("instructor", "new", "accepted")).toBe(true);
    expect(canTransition("school", "completed", "rejected")).toBe(false);
    expect([stampOf("confirmed"), stampOf("accepted"), stampOf("paid"), stampOf("cancelled"), stampOf("rejected")]).toEqual(["confirmedAt", "confirmedAt", "paidAt", "cancelledAt", null]);
  });

  test("a reason: required when an instructor rejects, optional for a school, bounded", () => {
    expect(checkReason("instructor", "rejected", "  ")).toEqual({ ok: false, problem: "required" });
    expect(checkReason("school", "rejected", "  ")).toEqual({ ok: true, reason: "" });
    expect(checkReason("school", "rejected", "x".repeat(501))).toEqual({ ok: false, problem: "too_long" });
    expect(checkReason("instructor", "accepted", "ignored")).toEqual({ ok: true, reason: "" });
  });
});
