// The instructor's lessons (/crm/instructors/lessons): today's and this week's lessons, marking
// one conducted or missed (and by whom) with a button that answers with the updated row, and
// planning a lesson for an accepted application (?application=<id> preselects it, e.g. from the
// application's page). Writes go through src/domain/lessons.ts with the session's instructor id
// (another instructor's lesson or application is a 404) and are audited in the same transaction.
import { recordAudit } from "../../domain/audit.ts";
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
import { LessonListsSection, LessonRow, LessonsPage, PlanForm, type LessonLists, type PlanFormState } from "../../../views/pages/crm/lessons.tsx";
import { crmArea, formOf, fragment, idOf, page, seeOther, wantsFragment, type CrmDeps } from "../crm.tsx";
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
      const preselect = /^\d{1,9}$/.test(query.application ?? "") ? query.application : undefined;
      return page(
        request,
        shell,
        { title: "Занятия", active: "lessons" },
        <LessonsPage base={base} zone={zone} csrfToken={shell.csrfToken} now={now} lists={l} apps={apps} plan={{ values: { application: preselect } }} />,
      );
    })
    .post("/lessons/:id/mark", async ({ request, params, body, scope, shell, base }) => {
      const id = idOf(params.id);
      const f = formOf(body);
      const state = f.state;
      const by = f.by ? f.by : null;
      if ((state !== "conducted" && state !== "no_show") || (by !== null && by !== "student" && by !== "instructor") || (state === "conducted" && by))
        throw new HttpError(400, "Запрос не понят.");
      let notice: string | undefined;
      try {
        await db.transaction(async (tx) => {
          const lesson = await markLesson(tx, scope.instructorId, id, state, by, { accountId: scope.accountId });
          await recordAudit(tx, { accountId: scope.accountId, action: "lesson.mark", subject: `lesson:${id}`, before: { state: "planned" }, after: { state: lesson.state, noShowBy: lesson.noShowBy } });
        });
      } catch (e) {
        if (!(e instanceof LessonError)) throw e;
        if (e.code === "not_found") throw new HttpError(404, "Занятие не найдено.");
        notice = e.message;
      }
      if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
      const row = await getLesson(db, scope.instructorId, id);
      if (!row) throw new HttpError(404, "Занятие не найдено.");
      return fragment(<LessonRow lesson={row} base={base} zone={zone} csrfToken={shell.csrfToken} now={new Date()} notice={notice} />, notice ? 409 : 200);
    })
    .post("/lessons", async ({ request, body, scope, shell, base }) => {
      const f = formOf(body);
      const values = {
        application: (f.application ?? "").trim().slice(0, 12),
        day: (f.day ?? "").trim().slice(0, 20),
        time: (f.time ?? "").trim().slice(0, 8),
        minutes: (f.minutes ?? "").trim().slice(0, 6),
      };
      const errors: NonNullable<PlanFormState["errors"]> = {};
      if (!/^\d{1,9}$/.test(values.application)) errors.application = "Выберите заявку.";
      if (!localInstant(zone, values.day, "00:00")) errors.day = "Неверная дата: нужен формат ГГГГ-ММ-ДД.";
      if (parseTime(values.time) === null) errors.time = "Время в формате ЧЧ:ММ.";
      const minutes = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN;
      if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = `От ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`;
      const startsAt = errors.day || errors.time ? null : localInstant(zone, values.day, values.time);
      if (startsAt && startsAt.getTime() <= Date.now()) errors.time = "Это время уже прошло.";

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
      const applicationId = Number(values.application);
      try {
        await db.transaction(async (tx) => {
          const lesson = await planLesson(tx, scope.instructorId, applicationId, startsAt, minutes, { accountId: scope.accountId });
          await recordAudit(tx, { accountId: scope.accountId, action: "lesson.plan", subject: `lesson:${lesson.id}`, after: { applicationId, startsAt: lesson.startsAt.toISOString(), minutes: lesson.minutes } });
        });
      } catch (e) {
        if (!(e instanceof LessonError)) throw e;
        if (e.code === "not_found") throw new HttpError(404, "Заявка не найдена.");
        const atApplication = e.message.includes("заявке");
        return render({ values, errors: atApplication ? { application: e.message } : { form: e.message } }, 422);
      }
      if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
      return render({ values: { minutes: values.minutes }, done: `Занятие назначено: ${values.day} ${values.time}.` }, 200, true);
    });
}
