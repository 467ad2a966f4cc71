// The instructor's lessons (/crm/instructors/lessons): today's and this week's lessons, marking
// one conducted or missed (and by whom) with a button that answers with the updated row, and
// planning a lesson for an accepted application (?application=<id> preselects it, e.g. from the
// application's page). Writes go through src/domain/lessons.ts with the session's instructor id
// (another instructor's lesson or application is a 404), which audits them in its transaction.
import { t } from "elysia";
import { localDayBounds } from "../../domain/availability.ts";
import {
  getLesson,
  LessonError,
  listAcceptedApplications,
  listLessons,
  markLesson,
  MAX_LESSON_MINUTES,
  MIN_LESSON_MINUTES,
  planLesson,
} from "../../domain/lessons.ts";
import { DAY_MS, localDay, localInstant, parseTime } from "../../model/time.ts";
import { dateTime } from "../../../views/format.ts";
import { LessonListsSection, LessonRow, LessonsPage, PlanForm, type LessonLists, type PlanFormState } from "../../../views/pages/crm/lessons.tsx";
import { crmArea, fragment, page, seeOther, wantsFragment, type CrmDeps } from "../crm.tsx";
import { Form, idParam, IdParams, QText, Text } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

/** Unmarked lessons older than this are not listed (they no longer matter for the week's work). */
const UNMARKED_DAYS = 30;
/** Planned lessons after this week are listed this far ahead (so a lesson just planned is visible). */
const LATER_DAYS = 14;

/** Local [Monday 00:00, next Monday 00:00) and [today 00:00, tomorrow 00:00) around `now`. */
function bounds(now: Date, zone: string) {
  const todayIso = localDay(zone, now);
  const today = localDayBounds(todayIso, zone);
  const [y, m, d] = todayIso.split("-").map(Number);
  const back = (new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7;
  const iso = (days: number) => {
    const x = new Date(Date.UTC(y!, m! - 1, d! + days));
    return `${x.getUTCFullYear()}-${String(x.getUTCMonth() + 1).padStart(2, "0")}-${String(x.getUTCDate()).padStart(2, "0")}`;
  };
  return { today, week: { start: localDayBounds(iso(-back), zone).start, end: localDayBounds(iso(6 - back), zone).end } };
}

export function lessonRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  const zone = config.timeZone;

  async function lists(instructorId: number, now: Date): Promise<LessonLists> {
    const b = bounds(now, zone);
    const [week, older, later] = await Promise.all([
      listLessons(db, instructorId, b.week.start, b.week.end),
      listLessons(db, instructorId, new Date(b.week.start.getTime() - UNMARKED_DAYS * DAY_MS), b.week.start),
      listLessons(db, instructorId, b.week.end, new Date(b.week.end.getTime() + LATER_DAYS * DAY_MS)),
    ]);
    const inToday = (t: Date) => t >= b.today.start && t < b.today.end;
    return {
      today: week.filter((l) => inToday(l.startsAt)),
      week: week.filter((l) => !inToday(l.startsAt)),
      unmarked: older.filter((l) => l.state === "planned"),
      later: later.filter((l) => l.state === "planned"),
    };
  }

  return crmArea(deps, "instructor")
    .get("/lessons", async ({ request, query, scope, shell, base }) => {
      const now = new Date();
      const [l, apps] = await Promise.all([lists(scope.instructorId, now), listAcceptedApplications(db, scope.instructorId)]);
      const preselect = idParam(query.application)?.toString();
      return page(
        request,
        shell,
        { title: "Занятия", active: "lessons" },
        <LessonsPage base={base} zone={zone} csrfToken={shell.csrfToken} now={now} lists={l} apps={apps} plan={{ values: { application: preselect } }} />,
      );
    }, { query: t.Object({ application: QText(20) }) })
    .post(
      "/lessons/:id/mark",
      async ({ request, params, body, scope, shell, base }) => {
        const { state } = body;
        const by = body.by || null;
        if (state === "conducted" && by) throw new HttpError(400, "Запрос не понят.");
        let notice: string | undefined;
        try {
          await markLesson(db, scope.instructorId, params.id, state, by, { accountId: scope.accountId });
        } catch (e) {
          if (!(e instanceof LessonError)) throw e;
          if (e.code === "not_found") throw new HttpError(404, "Занятие не найдено.");
          notice = e.message;
        }
        if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
        const row = await getLesson(db, scope.instructorId, params.id);
        if (!row) throw new HttpError(404, "Занятие не найдено.");
        return fragment(<LessonRow lesson={row} base={base} zone={zone} csrfToken={shell.csrfToken} now={new Date()} notice={notice} />, notice ? 409 : 200);
      },
      {
        params: IdParams,
        body: Form({ state: t.Union([t.Literal("conducted"), t.Literal("no_show")]), by: t.Optional(t.Union([t.Literal(""), t.Literal("student"), t.Literal("instructor")])) }),
      },
    )
    .post(
      "/lessons",
      async ({ request, body, scope, shell, base }) => {
        const values = { application: body.application.trim(), day: body.day.trim(), time: body.time.trim(), minutes: body.minutes.trim() };
        const errors: NonNullable<PlanFormState["errors"]> = {};
        if (!/^\d{1,9}$/.test(values.application)) errors.application = "Выберите заявку.";
        if (!localInstant(zone, values.day, "00:00")) errors.day = "Неверная дата: нужен формат ГГГГ-ММ-ДД.";
        if (parseTime(values.time) === null) errors.time = "Время в формате ЧЧ:ММ.";
        const minutes = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN;
        if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = `От ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`;
        const startsAt = errors.day || errors.time ? null : localInstant(zone, values.day, values.time);

        const render = async (state: PlanFormState, status: number, withLists = false) => {
          const form = <PlanForm base={base} csrfToken={shell.csrfToken} apps={await listAcceptedApplications(db, scope.instructorId)} state={state} />;
          if (!wantsFragment(request)) return page(request, shell, { title: "Занятия", active: "lessons", status }, form);
          const now = new Date();
          return fragment(
            <>
              {form}
              {withLists ? (
                <hx-partial hx-target="#lesson-lists" hx-swap="outerHTML">
                  <LessonListsSection lists={await lists(scope.instructorId, now)} base={base} zone={zone} csrfToken={shell.csrfToken} now={now} />
                </hx-partial>
              ) : (
                ""
              )}
            </>,
            status,
          );
        };
        if (Object.keys(errors).length || !startsAt) return render({ values, errors }, 422);
        let lesson: Awaited<ReturnType<typeof planLesson>>;
        try {
          lesson = await planLesson(db, scope.instructorId, Number(values.application), startsAt, minutes, { accountId: scope.accountId });
        } catch (e) {
          if (!(e instanceof LessonError)) throw e;
          if (e.code === "not_found") throw new HttpError(404, "Заявка не найдена.");
          const field = e.field === "startsAt" ? "time" : e.field ?? "form";
          return render({ values, errors: { [field]: e.message } }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
        return render({ values: { minutes: values.minutes }, done: `Занятие назначено: ${dateTime(lesson.startsAt, zone)}.` }, 200, true);
      },
      { body: Form({ application: Text(20), day: Text(20), time: Text(10), minutes: Text(10) }) },
    );
}
