// The CRM's lessons.
// - The instructor's lessons page (/crm/instructors/lessons): today's, this week's, unmarked and
//   later lessons; marking one conducted or missed (and by whom); planning a lesson for an accepted
//   application (?application=<id> preselects it, e.g. from the application's page).
// - For both areas (lessonChangeRoutes): the week view (/week?start=YYYY-MM-DD), and moving and
//   cancelling a planned lesson from its card, answered with the card again (the form kept open
//   with the refusal's message). A school acts on its instructors' lessons as the school.
// Writes go through src/domain/lessons.ts with the session's actor (another's lesson or
// application is a 404), which audits them, writes the history and tells the student.
import { Elysia, t, type AnyElysia } from "elysia";
import { localDayBounds } from "../../domain/availability.ts";
import { lessonActorOf, lessonItem, lessonItems } from "../../domain/lesson-lists.ts";
import {
  cancelLesson,
  LessonError,
  listAcceptedApplications,
  markLesson,
  MAX_LESSON_MINUTES,
  MAX_PLACE_LENGTH,
  MIN_LESSON_MINUTES,
  moveLesson,
  planLesson,
  type LessonActor,
} from "../../domain/lessons.ts";
import type { Scope } from "../../domain/scope.ts";
import { DAY_MS, localDay, localInstant, parseTime } from "../../model/time.ts";
import { localWeek } from "../../model/week.ts";
import { LessonCard, lessonWhen, type CardForm, type CardView, type MoveErrors, type MoveValues } from "../../../views/pages/crm/lesson-card.tsx";
import { LessonListsSection, LessonsPage, PlanForm, type LessonLists, type PlanFormState } from "../../../views/pages/crm/lessons.tsx";
import { lessonProblemText, lessonTexts } from "../../i18n/crm/lessons.ts";
import type { Language } from "../../db/schema.ts";
import type { CrmShell } from "../../../views/crm-layout.tsx";
import { WeekPage } from "../../../views/pages/crm/week.tsx";
import { crmArea, fragment, page, seeOther, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { dateParam, Form, idParam, IdParams, QText, Text } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";

/** Unmarked lessons older than this are not listed (they no longer matter for the week's work). */
const UNMARKED_DAYS = 30;
/** Planned lessons after this week are listed this far ahead (so a lesson just planned is visible). */
const LATER_DAYS = 14;

/** How a card looks in this area: a school's names the instructor; an instructor's links the application and can be marked. */
function viewOf(scope: Scope, base: string, zone: string, shell: CrmShell, now: Date, extra: Partial<CardView> = {}): CardView {
  const own = scope.kind === "instructor";
  return { base, zone, csrfToken: shell.csrfToken, language: shell.language, now, showInstructor: !own, linkApp: own, canMark: own, ...extra };
}

/** The day, time and minutes a form typed, checked; the instant when they are valid. */
function checkWhen(zone: string, v: { day: string; time: string; minutes: string }, language: Language) {
  const LT = lessonTexts[language];
  const errors: { day?: string; time?: string; minutes?: string } = {};
  if (!localInstant(zone, v.day, "00:00")) errors.day = LT.badDay;
  if (parseTime(v.time) === null) errors.time = LT.badTime;
  const minutes = /^\d{1,3}$/.test(v.minutes) ? Number(v.minutes) : NaN;
  if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = LT.badMinutes(MIN_LESSON_MINUTES, MAX_LESSON_MINUTES);
  const startsAt = errors.day || errors.time ? null : localInstant(zone, v.day, v.time);
  return { errors, startsAt, minutes };
}

/** Local [Monday 00:00, next Monday 00:00) and [today 00:00, tomorrow 00:00) around `now`. */
function bounds(now: Date, zone: string) {
  const today = localDayBounds(localDay(zone, now), zone);
  const week = localWeek(zone, now);
  return { today, week: { start: week.start, end: week.end } };
}

/**
 * The instructor's lessons page and, beside it, the week and the move / cancel routes. Typed as
 * AnyElysia: nobody uses its routes' types (no typed client), and keeping them makes the
 * instructor area's chain of plugins too big for the type checker.
 */
export function lessonRoutes(deps: CrmDeps): AnyElysia {
  const { db, config } = deps;
  const zone = config.timeZone;

  async function lists(actor: LessonActor, now: Date): Promise<LessonLists> {
    const b = bounds(now, zone);
    const [week, older, later] = await Promise.all([
      lessonItems(db, actor, b.week.start, b.week.end),
      lessonItems(db, actor, new Date(b.week.start.getTime() - UNMARKED_DAYS * DAY_MS), b.week.start, "planned"),
      lessonItems(db, actor, b.week.end, new Date(b.week.end.getTime() + LATER_DAYS * DAY_MS), "planned"),
    ]);
    const inToday = (t: Date) => t >= b.today.start && t < b.today.end;
    return { today: week.filter((l) => inToday(l.startsAt)), week: week.filter((l) => !inToday(l.startsAt)), unmarked: older, later };
  }

  const own = crmArea(deps, "instructor")
    .get("/lessons", async ({ request, query, scope, shell, base }) => {
      const now = new Date();
      const [l, apps] = await Promise.all([lists(lessonActorOf(scope), now), listAcceptedApplications(db, scope.instructorId)]);
      const preselect = idParam(query.application)?.toString();
      const v = viewOf(scope, base, zone, shell, now);
      return page(request, shell, { title: lessonTexts[shell.language].title, active: "lessons" }, <LessonsPage v={v} lists={l} apps={apps} plan={{ values: { application: preselect } }} />);
    }, { query: t.Object({ application: QText(20) }) })
    .post(
      "/lessons/:id/mark",
      async ({ request, params, body, scope, shell, base }) => {
        const { state } = body;
        const by = body.by || null;
        const LT = lessonTexts[shell.language];
        if (state === "conducted" && by) throw new HttpError(400, LT.badRequest);
        let notice: string | undefined;
        try {
          await markLesson(db, scope.instructorId, params.id, state, by, { accountId: scope.accountId, timeZone: zone });
        } catch (e) {
          if (!(e instanceof LessonError)) throw e;
          if (e.code === "not_found") throw new HttpError(404, LT.lessonNotFound);
          notice = lessonProblemText(e.problem, shell.language);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
        const row = await lessonItem(db, lessonActorOf(scope), params.id);
        if (!row) throw new HttpError(404, LT.lessonNotFound);
        return fragment(<LessonCard lesson={row} v={viewOf(scope, base, zone, shell, new Date(), { showDay: true })} notice={notice} />, notice ? 409 : 200);
      },
      {
        params: IdParams,
        body: Form({ state: t.Union([t.Literal("conducted"), t.Literal("no_show")]), by: t.Optional(t.Union([t.Literal(""), t.Literal("student"), t.Literal("instructor")])) }),
      },
    )
    .post(
      "/lessons",
      async ({ request, body, scope, shell, base }) => {
        const values = { application: body.application.trim(), day: body.day.trim(), time: body.time.trim(), minutes: body.minutes.trim(), place: (body.place ?? "").trim() };
        const LT = lessonTexts[shell.language];
        const when = checkWhen(zone, values, shell.language);
        const errors: NonNullable<PlanFormState["errors"]> = { ...when.errors };
        if (!/^\d{1,9}$/.test(values.application)) errors.application = LT.chooseApplication;
        if (values.place.length > MAX_PLACE_LENGTH) errors.place = LT.placeTooLong(MAX_PLACE_LENGTH);

        const render = async (state: PlanFormState, status: number, withLists = false) => {
          const form = <PlanForm base={base} csrfToken={shell.csrfToken} apps={await listAcceptedApplications(db, scope.instructorId)} state={state} language={shell.language} />;
          if (!wantsFragment(request)) return page(request, shell, { title: LT.title, active: "lessons", status }, form);
          const now = new Date();
          return fragment(
            <>
              {form}
              {withLists ? (
                <hx-partial hx-target="#lesson-lists" hx-swap="outerHTML">
                  <LessonListsSection lists={await lists(lessonActorOf(scope), now)} v={viewOf(scope, base, zone, shell, now)} />
                </hx-partial>
              ) : (
                ""
              )}
            </>,
            status,
          );
        };
        if (Object.keys(errors).length || !when.startsAt) return render({ values, errors }, 422);
        let lesson: Awaited<ReturnType<typeof planLesson>>;
        try {
          lesson = await planLesson(db, scope.instructorId, Number(values.application), when.startsAt, when.minutes, { accountId: scope.accountId, place: values.place, timeZone: zone });
        } catch (e) {
          if (!(e instanceof LessonError)) throw e;
          if (e.code === "not_found") throw new HttpError(404, said("applicationNotFound"));
          const field = e.field === "startsAt" ? "time" : (e.field ?? "form");
          return render({ values, errors: { [field]: lessonProblemText(e.problem, shell.language) } }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/lessons`);
        return render({ values: { minutes: values.minutes }, done: LT.planned(lessonWhen(lesson.startsAt, zone)) }, 200, true);
      },
      { body: Form({ application: Text(20), day: Text(20), time: Text(10), minutes: Text(10), place: t.Optional(Text(1000)) }) },
    );
  return new Elysia().use(own).use(lessonChangeRoutes(deps, "instructor"));
}

/** The week view and moving / cancelling a lesson: the same for an instructor and for a school (AnyElysia: as lessonRoutes). */
export function lessonChangeRoutes(deps: CrmDeps, kind: AreaKind): AnyElysia {
  const { db, config } = deps;
  const zone = config.timeZone;

  /** The card after a change or a refusal; a refused form stays open while the lesson can still change. */
  async function answer(request: Request, scope: Scope, base: string, shell: CrmShell, id: number, result: { done?: string; notice?: string; form?: CardForm; status: number }) {
    const LT = lessonTexts[shell.language];
    const row = await lessonItem(db, lessonActorOf(scope), id);
    if (!row) throw new HttpError(404, LT.lessonNotFound);
    if (!wantsFragment(request)) {
      if (result.status !== 200) throw new HttpError(result.status, result.notice ?? (result.form?.kind === "move" ? Object.values(result.form.errors)[0] : result.form?.error) ?? LT.badRequest);
      return seeOther(`${base}/week?start=${localDay(zone, row.startsAt)}`);
    }
    const v = viewOf(scope, base, zone, shell, new Date(), { showDay: true });
    return fragment(<LessonCard lesson={row} v={v} done={result.done} notice={result.notice} form={result.form} />, result.status);
  }

  /** A refusal from the domain: a missing lesson is a 404; the rest is said at the form (or on the card when the lesson can no longer change). */
  function refused(e: unknown, language: Language): { notice?: string; message: string; field: keyof MoveErrors } {
    if (!(e instanceof LessonError)) throw e;
    if (e.code === "not_found") throw new HttpError(404, lessonTexts[language].lessonNotFound);
    const field: keyof MoveErrors = e.field === "startsAt" ? "time" : e.field === "minutes" ? "minutes" : "form";
    // The lesson itself can no longer change (cancelled, marked or started meanwhile): said on the card, whose forms are gone.
    const lessonGone = e.refusal === "not_planned" || (e.refusal === "past" && e.field === null);
    const message = lessonProblemText(e.problem, language);
    return { notice: lessonGone ? message : undefined, message, field };
  }

  return crmArea(deps, kind)
    .get("/week", async ({ request, query, scope, shell, base }) => {
      const now = new Date();
      const week = localWeek(zone, now, dateParam(query.start));
      const lessons = await lessonItems(db, lessonActorOf(scope), week.start, week.end);
      const v = viewOf(scope, base, zone, shell, now);
      return page(request, shell, { title: lessonTexts[shell.language].week, active: "week" }, <WeekPage week={week} lessons={lessons} v={v} listLink={scope.kind === "instructor"} />);
    }, { query: t.Object({ start: QText(20) }) })
    .post(
      "/lessons/:id/move",
      async ({ request, params, body, scope, shell, base }) => {
        const values: MoveValues = { day: body.day.trim(), time: body.time.trim(), minutes: body.minutes.trim(), place: (body.place ?? "").trim() };
        const LT = lessonTexts[shell.language];
        const when = checkWhen(zone, { day: values.day!, time: values.time!, minutes: values.minutes! }, shell.language);
        const errors: MoveErrors = { ...when.errors };
        if (values.place!.length > MAX_PLACE_LENGTH) errors.place = LT.placeTooLong(MAX_PLACE_LENGTH);
        const reply = (r: Parameters<typeof answer>[5]) => answer(request, scope, base, shell, params.id, r);
        if (Object.keys(errors).length || !when.startsAt) return reply({ form: { kind: "move", values, errors }, status: 422 });
        try {
          const moved = await moveLesson(db, lessonActorOf(scope), params.id, { startsAt: when.startsAt, minutes: when.minutes, place: values.place }, { timeZone: zone });
          return reply({ done: LT.moved(lessonWhen(moved.startsAt, zone)), status: 200 });
        } catch (e) {
          const r = refused(e, shell.language);
          if (r.notice) return reply({ notice: r.notice, status: 409 });
          return reply({ form: { kind: "move", values, errors: { [r.field]: r.message } }, status: 409 });
        }
      },
      { params: IdParams, body: Form({ day: Text(20), time: Text(10), minutes: Text(10), place: t.Optional(Text(1000)) }) },
    )
    .post(
      "/lessons/:id/cancel",
      async ({ request, params, body, scope, shell, base }) => {
        const reason = (body.reason ?? "").trim();
        const reply = (r: Parameters<typeof answer>[5]) => answer(request, scope, base, shell, params.id, r);
        try {
          await cancelLesson(db, lessonActorOf(scope), params.id, { timeZone: zone, reason });
          return reply({ done: lessonTexts[shell.language].cancelled, status: 200 });
        } catch (e) {
          const r = refused(e, shell.language);
          if (r.notice) return reply({ notice: r.notice, status: 409 });
          return reply({ form: { kind: "cancel", reason, error: r.message }, status: 422 });
        }
      },
      { params: IdParams, body: Form({ reason: t.Optional(Text(2000)) }) },
    );
}
