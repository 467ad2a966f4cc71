// Statistics pages of both CRM areas (GET /crm/schools/stats, /crm/instructors/stats): counts,
// rates and charts over an optional local date range (?from=YYYY-MM-DD&to=YYYY-MM-DD, both days
// included), and the trust index now with its weekly trend. Read-only: the numbers come from
// src/domain/stats.ts, scoped to the logged-in account's school or instructor.
import { t } from "elysia";
import { instructorStats, instructorTrustTrend, schoolStats, schoolTrustTrend } from "../../domain/stats.ts";
import { statusesOf } from "../../model/application-status.ts";
import { InstructorStatsSection, SchoolStatsSection, type StatsFilter } from "../../../views/pages/crm/stats.tsx";
import { dayBounds } from "../../model/time.ts";
import { crmArea, page, type CrmDeps } from "../crm.tsx";
import { QText } from "../input.ts";
import type { Language } from "../../db/schema.ts";
import { statsTexts } from "../../i18n/crm/stats.ts";

const RangeQuery = t.Object({ from: QText(20), to: QText(20) });

/** How many weeks the trust trend shows. */
const TREND_WEEKS = 8;

interface Range {
  filter: StatsFilter;
  from?: Date;
  to?: Date;
}

/** Parses the range; a bad value gets its message (in the page's language) at the field and is left out of the query. */
export function rangeOf(query: typeof RangeQuery.static, timeZone: string, language: Language): Range {
  const say = statsTexts[language];
  const raw = { from: (query.from ?? "").trim(), to: (query.to ?? "").trim() };
  const errors: StatsFilter["errors"] = {};
  /** The local day's bounds in the zone; a bad date gets its message. */
  const day = (key: "from" | "to") => {
    if (!raw[key]) return undefined;
    const bounds = dayBounds(timeZone, raw[key]);
    if (!bounds) errors[key] = say.badDate;
    return bounds ?? undefined;
  };
  const from = day("from")?.start;
  let to = day("to")?.end;
  if (from && to && to.getTime() <= from.getTime()) {
    errors.to = say.endBeforeStart;
    to = undefined;
  }
  return { filter: { ...raw, errors }, from, to };
}

const hasErrors = (f: StatsFilter) => Object.keys(f.errors).length > 0;

export function schoolStatsRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return crmArea(deps, "school").get("/stats", async ({ request, query, scope, shell, base }) => {
    const range = rangeOf(query, config.timeZone, shell.language);
    const now = new Date();
    const [stats, trust] = await Promise.all([
      schoolStats(db, scope.schoolId, { from: range.from, to: range.to, timeZone: config.timeZone, now }),
      schoolTrustTrend(db, scope.schoolId, { now, timeZone: config.timeZone, weeks: TREND_WEEKS }),
    ]);
    return page(
      request,
      shell,
      { title: statsTexts[shell.language].title, active: "stats", status: hasErrors(range.filter) ? 422 : 200 },
      <SchoolStatsSection base={base} filter={range.filter} stats={stats} trust={trust} statuses={statusesOf("school")} language={shell.language} />,
    );
  }, { query: RangeQuery });
}

export function instructorStatsRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  return crmArea(deps, "instructor").get("/stats", async ({ request, query, scope, shell, base }) => {
    const range = rangeOf(query, config.timeZone, shell.language);
    const now = new Date();
    const [stats, trust] = await Promise.all([
      instructorStats(db, scope.instructorId, { from: range.from, to: range.to, timeZone: config.timeZone, now }),
      instructorTrustTrend(db, scope.instructorId, { now, timeZone: config.timeZone, weeks: TREND_WEEKS }),
    ]);
    return page(
      request,
      shell,
      { title: statsTexts[shell.language].title, active: "stats", status: hasErrors(range.filter) ? 422 : 200 },
      <InstructorStatsSection base={base} filter={range.filter} stats={stats} trust={trust} statuses={statusesOf("instructor")} language={shell.language} />,
    );
  }, { query: RangeQuery });
}
