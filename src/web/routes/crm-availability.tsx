// The instructor's schedule (/crm/instructors/availability): the weekly template (saved, then
// slots generated for the next SLOT_HORIZON_DAYS days in TIME_ZONE, and kept that far ahead by
// src/jobs/slot-generation.ts), the upcoming slots and days off, taking a day off and giving it
// back, adding or cancelling one slot. Every change is a POST behind the CSRF guard; the domain runs it
// in one transaction with its audit record, for the session's instructor only (another
// instructor's slot id is a 404). A booked slot is cancelled only with a reason the student gets.
import {
  addSlot,
  AvailabilityError,
  getSlotWithHolder,
  getWeeklyTemplate,
  listDaysOff,
  listSlotsWithHolders,
  MAX_LESSON_MINUTES,
  MIN_LESSON_MINUTES,
  returnDay,
  saveTemplate,
  type AvailabilityRow,
  type TemplateRowInput,
} from "../../domain/availability.ts";
import { blockDay, cancelSlot, MAX_CANCEL_REASON } from "../../domain/slot-cancel.ts";
import { DAY_MS, localDay, localInstant, parseTime } from "../../model/time.ts";
import {
  AddSlotForm,
  AvailabilityPage,
  BLANK_ROW,
  BlockDayForm,
  hhmm,
  localTime,
  SlotRow,
  SlotsList,
  SlotsPartial,
  TemplateForm,
  type SlotFormState,
  type TemplateFormState,
  type TemplateRowForm,
} from "../../../views/pages/crm/availability.tsx";
import { crmArea, fragment, page, seeOther, wantsFragment, type CrmDeps } from "../crm.tsx";
import { Form, IdParams, OptText, Text } from "../input.ts";
import { t, type AnyElysia } from "elysia";
import { HttpError } from "../plugins/errors.tsx";
import { said } from "../../i18n/admin/errors.ts";
import { availabilityProblemText, availabilityTexts } from "../../i18n/crm/availability.ts";
import type { AvailabilityProblem } from "../../domain/availability.ts";
import type { Language } from "../../db/schema.ts";

/** More rows than anyone needs (7 days × a few intervals); a bigger form is cut here. */
const MAX_ROWS = 28;

const toForm = (r: AvailabilityRow): TemplateRowForm => ({
  weekday: String(r.weekday),
  from: hhmm(r.startMinute),
  to: hhmm(r.endMinute === 1440 ? 0 : r.endMinute),
  minutes: String(r.lessonMinutes),
});

/** The template rows as typed: fields named r<index>_weekday / _from / _to / _minutes, in index order. */
function rowsOf(form: Readonly<Record<string, string>>): TemplateRowForm[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(form)) {
    const m = /^r(\d{1,3})_(weekday|from|to|minutes)$/.exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS)
    .map((i) => ({
      weekday: (form[`r${i}_weekday`] ?? "").trim().slice(0, 2),
      from: (form[`r${i}_from`] ?? "").trim().slice(0, 8),
      to: (form[`r${i}_to`] ?? "").trim().slice(0, 8),
      minutes: (form[`r${i}_minutes`] ?? "").trim().slice(0, 6),
    }));
}

/**
 * Field checks first (each message at its row), then the domain's rules (validateTemplate runs
 * inside setWeeklyTemplate; a problem naming row N goes to row N).
 */
function parseRows(rows: TemplateRowForm[], language: Language): { input: TemplateRowInput[]; rowErrors: Record<number, string[]> } {
  const T = availabilityTexts[language];
  const rowErrors: Record<number, string[]> = {};
  const input: TemplateRowInput[] = [];
  rows.forEach((r, i) => {
    const errors: string[] = [];
    const weekday = Number(r.weekday);
    if (!/^[1-7]$/.test(r.weekday)) errors.push(T.chooseWeekday);
    const start = parseTime(r.from);
    if (start === null) errors.push(T.startFormat);
    let end = parseTime(r.to);
    if (end === null) errors.push(T.endFormat);
    else if (end === 0) end = 1440; // 00:00 at the end: midnight
    const minutes = /^\d{1,3}$/.test(r.minutes) ? Number(r.minutes) : NaN;
    if (!Number.isInteger(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
      errors.push(T.problems.minutes(MIN_LESSON_MINUTES, MAX_LESSON_MINUTES));
    if (errors.length) rowErrors[i] = errors;
    input.push({ weekday, startMinute: start ?? -1, endMinute: end ?? -1, lessonMinutes: minutes });
  });
  return { input, rowErrors };
}

/** The domain's problems in the language: a row's at its row (0-based here), the rest returned. */
function assignProblems(problems: AvailabilityProblem[], rowErrors: Record<number, string[]>, language: Language): string[] {
  const general: string[] = [];
  for (const p of problems) {
    const text = availabilityProblemText(p, language);
    if ("row" in p) (rowErrors[p.row - 1] ??= []).push(text);
    else general.push(text);
  }
  return general;
}

/** Problems that belong to no row, said in one line. */
const problemsText = (problems: AvailabilityProblem[], language: Language) => problems.map((p) => availabilityProblemText(p, language)).join(" ");

// The plugin's type is erased to AnyElysia: its route types (used by no Eden client here) were
// too many for TypeScript once "Вернуть день" joined them (TS2590 where crm-instructors.tsx
// mounts the sections side by side). The handlers are still checked against their `t` models.
export function availabilityRoutes(deps: CrmDeps): AnyElysia {
  const { db, config } = deps;
  const zone = config.timeZone;
  /** Slots are generated (here and by the rolling job) and listed this many local days ahead. */
  const horizon = config.slotHorizonDays;
  /** The slots of the next horizon days, and every day off from today on (a day off beyond them too, so it can be given back). */
  const upcoming = async (instructorId: number) => {
    const now = new Date();
    const [slots, daysOff] = await Promise.all([
      listSlotsWithHolders(db, instructorId, now, new Date(now.getTime() + horizon * DAY_MS)),
      listDaysOff(db, instructorId, localDay(zone, now)),
    ]);
    return { slots, daysOff };
  };
  const answer = (request: Request, shell: Parameters<typeof page>[1], status: number, body: JSX.Element) =>
    page(request, shell, { title: availabilityTexts[shell.language].title, active: "availability", status }, body);
  /** One slot of the instructor with its booking; another instructor's (or none) is a 404. */
  const slotOf = async (instructorId: number, id: number, language: Language) => {
    const row = await getSlotWithHolder(db, instructorId, id);
    if (!row) throw new HttpError(404, said("slotNotFound"));
    return row;
  };
  /** A form's answer: for htmx the form (and `extra`, e.g. the slots list swapped beside it), else the page with the form. */
  const formAnswer = (request: Request, shell: Parameters<typeof page>[1], form: JSX.Element, status: number, extra: JSX.Element | string = "") =>
    wantsFragment(request)
      ? fragment(
          <>
            {form}
            {extra}
          </>,
          status,
        )
      : answer(request, shell, status, form);

  return crmArea(deps, "instructor")
    .get("/availability", async ({ request, scope, shell, base }) => {
      const [template, slots] = await Promise.all([getWeeklyTemplate(db, scope.instructorId), upcoming(scope.instructorId)]);
      return answer(request, shell, 200, <AvailabilityPage base={base} csrfToken={shell.csrfToken} zone={zone} days={horizon} template={{ rows: template.map(toForm) }} {...slots} language={shell.language} />);
    })
    .post(
      "/availability/template",
      async ({ request, body, scope, shell, base }) => {
        const rows = rowsOf(body);
        const op = body.op ?? "save";
        const { language } = shell;
        const T = availabilityTexts[language];
        const render = (state: TemplateFormState, status = 200, extra: JSX.Element | string = "") =>
          formAnswer(request, shell, <TemplateForm base={base} csrfToken={shell.csrfToken} state={state} days={horizon} language={language} />, status, extra);
        // Adding and removing rows only redraws the form; nothing is saved until "save".
        if (op === "add") return render({ rows: rows.length >= MAX_ROWS ? rows : [...rows, rows.at(-1) ? { ...rows.at(-1)! } : { ...BLANK_ROW }] });
        const removed = /^remove:(\d{1,3})$/.exec(op);
        if (removed) return render({ rows: rows.filter((_, i) => i !== Number(removed[1])) });
        if (op !== "save") throw new HttpError(400, T.badRequest);

        const { input, rowErrors } = parseRows(rows, language);
        if (Object.keys(rowErrors).length) return render({ rows, rowErrors, error: T.fixRows }, 422);
        let created: number;
        try {
          ({ created } = await saveTemplate(db, scope, input, { now: new Date(), days: horizon, timeZone: zone }));
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          const errors: Record<number, string[]> = {};
          const general = assignProblems(e.problems, errors, language);
          return render({ rows, rowErrors: errors, error: general.join(" ") || T.fixRows }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const saved = (await getWeeklyTemplate(db, scope.instructorId)).map(toForm);
        return render(
          { rows: saved, saved: T.templateSaved(created) },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} language={language} />,
        );
      },
      // Row fields are r<index>_weekday / _from / _to / _minutes; op is save, add or remove:<index>.
      { body: t.Record(t.String({ maxLength: 40 }), Text(100)) },
    )
    .post(
      "/availability/block",
      async ({ request, body, scope, shell, base }) => {
        const values = { day: body.day.trim(), reason: (body.reason ?? "").trim(), bookings: body.bookings === "cancel" };
        const { language } = shell;
        const T = availabilityTexts[language];
        const render = (state: Parameters<typeof BlockDayForm>[0]["state"], status: number, extra: JSX.Element | string = "") =>
          formAnswer(request, shell, <BlockDayForm base={base} csrfToken={shell.csrfToken} state={state} language={language} />, status, extra);
        let result: Awaited<ReturnType<typeof blockDay>>;
        try {
          result = await blockDay(db, scope, values.day, { timeZone: zone, cancelBookings: values.bookings ? { reason: values.reason } : undefined });
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          return render({ ...values, error: problemsText(e.problems, language) }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const keptAll = [...result.kept, ...result.keptLessons];
        const kept = keptAll.length ? T.kept(keptAll.map((s) => `${localTime(s.startsAt, zone)} (№ ${s.publicNumber})`).join(", ")) : "";
        const released = result.released.length ? T.released(result.released.length) : "";
        return render(
          { day: values.day, kept: keptAll.length > 0, done: [T.dayClosed(result.cancelled), released, kept].filter(Boolean).join(" ") },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} language={language} />,
        );
      },
      { body: Form({ day: Text(20), reason: OptText(MAX_CANCEL_REASON + 100), bookings: OptText(10) }) },
    )
    // "Вернуть день" on a day off in the list: the list comes back with the day's slots.
    .post(
      "/availability/return-day",
      async ({ request, body, scope, shell, base }) => {
        let result: Awaited<ReturnType<typeof returnDay>>;
        try {
          result = await returnDay(db, scope, body.day.trim(), { now: new Date(), timeZone: zone });
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          throw new HttpError(400, problemsText(e.problems, shell.language));
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const T = availabilityTexts[shell.language];
        const notice = result.returned ? T.dayReturned(result.slots) : T.notOff;
        return fragment(<SlotsList {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} notice={notice} language={shell.language} />);
      },
      { body: Form({ day: Text(20) }) },
    )
    .post(
      "/availability/slots",
      async ({ request, body, scope, shell, base }) => {
        const values = { day: body.day.trim(), time: body.time.trim(), minutes: body.minutes.trim() };
        const { language } = shell;
        const T = availabilityTexts[language];
        const errors: NonNullable<SlotFormState["errors"]> = {};
        if (!localInstant(zone, values.day, "00:00")) errors.day = T.problems.badDay;
        if (parseTime(values.time) === null) errors.time = T.timeFormat;
        const minutes = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN;
        if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = T.minutesRange(MIN_LESSON_MINUTES, MAX_LESSON_MINUTES);
        const startsAt = localInstant(zone, values.day, values.time);
        const render = (state: SlotFormState, status: number, extra: JSX.Element | string = "") =>
          formAnswer(request, shell, <AddSlotForm base={base} csrfToken={shell.csrfToken} state={state} language={language} />, status, extra);
        if (Object.keys(errors).length || !startsAt) return render({ values, errors }, 422);
        let slotId: number;
        try {
          slotId = (await addSlot(db, scope, startsAt, minutes, new Date())).id;
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          return render({ values, errors: { form: problemsText(e.problems, language) } }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        return render(
          { values: { minutes: values.minutes }, done: T.slotAdded(slotId) },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} language={language} />,
        );
      },
      { body: Form({ day: Text(20), time: Text(10), minutes: Text(10) }) },
    )
    // One slot's row ("Не отменять" on the reason form swaps it back).
    .get(
      "/availability/slots/:id/row",
      async ({ request, params, scope, shell, base }) => {
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        return fragment(<SlotRow slot={await slotOf(scope.instructorId, params.id, shell.language)} base={base} zone={zone} csrfToken={shell.csrfToken} language={shell.language} />);
      },
      { params: IdParams },
    )
    // A booked slot's row with the reason form (its "Отменить запись…" button); an open slot's row.
    .get(
      "/availability/slots/:id/cancel",
      async ({ request, params, scope, shell, base }) => {
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const row = await slotOf(scope.instructorId, params.id, shell.language);
        return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={shell.csrfToken} language={shell.language} cancelling={row.applicationId != null} />);
      },
      { params: IdParams },
    )
    .post(
      "/availability/slots/:id/cancel",
      async ({ request, params, body, scope, shell, base }) => {
        const result = await cancelSlot(db, scope, params.id, { reason: body?.reason, timeZone: zone });
        const { language } = shell;
        const T = availabilityTexts[language];
        if (!result.ok && result.reason === "not_found") throw new HttpError(404, said("slotNotFound"));
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const row = await slotOf(scope.instructorId, params.id, language);
        const csrfToken = shell.csrfToken;
        if (result.ok)
          return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={csrfToken} language={language} notice={result.released ? T.bookingReleased(result.released.publicNumber) : undefined} />);
        const notice = result.problem ? availabilityProblemText(result.problem, language) : T.slotBooked;
        return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={csrfToken} language={language} cancelling reason={body?.reason ?? ""} notice={notice} />, 422);
      },
      // No body at all is an open slot's plain "cancel" (no reason given).
      { params: IdParams, body: t.Optional(Form({ reason: OptText(MAX_CANCEL_REASON + 100) })) },
    );
}
