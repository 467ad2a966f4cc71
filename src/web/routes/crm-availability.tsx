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
  DAY_OFF_TEXT,
  DAY_RETURNED_TEXT,
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
 * inside setWeeklyTemplate; its "Строка N:" messages go to row N).
 */
function parseRows(rows: TemplateRowForm[]): { input: TemplateRowInput[]; rowErrors: Record<number, string[]> } {
  const rowErrors: Record<number, string[]> = {};
  const input: TemplateRowInput[] = [];
  rows.forEach((r, i) => {
    const errors: string[] = [];
    const weekday = Number(r.weekday);
    if (!/^[1-7]$/.test(r.weekday)) errors.push("Выберите день недели.");
    const start = parseTime(r.from);
    if (start === null) errors.push("Время начала в формате ЧЧ:ММ.");
    let end = parseTime(r.to);
    if (end === null) errors.push("Время окончания в формате ЧЧ:ММ.");
    else if (end === 0) end = 1440; // 00:00 at the end: midnight
    const minutes = /^\d{1,3}$/.test(r.minutes) ? Number(r.minutes) : NaN;
    if (!Number.isInteger(minutes) || minutes < MIN_LESSON_MINUTES || minutes > MAX_LESSON_MINUTES)
      errors.push(`Длительность занятия — от ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`);
    if (errors.length) rowErrors[i] = errors;
    input.push({ weekday, startMinute: start ?? -1, endMinute: end ?? -1, lessonMinutes: minutes });
  });
  return { input, rowErrors };
}

function assignProblems(problems: string[], rowErrors: Record<number, string[]>): string[] {
  const general: string[] = [];
  for (const p of problems) {
    const m = /^Строка (\d+):\s*(.*)$/.exec(p);
    if (m) {
      const i = Number(m[1]) - 1;
      (rowErrors[i] ??= []).push(m[2]!.charAt(0).toLocaleUpperCase("ru") + m[2]!.slice(1));
    } else general.push(p);
  }
  return general;
}

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
    page(request, shell, { title: "Расписание", active: "availability", status }, body);
  /** One slot of the instructor with its booking; another instructor's (or none) is a 404. */
  const slotOf = async (instructorId: number, id: number) => {
    const row = await getSlotWithHolder(db, instructorId, id);
    if (!row) throw new HttpError(404, "Окно не найдено.");
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
      return answer(request, shell, 200, <AvailabilityPage base={base} csrfToken={shell.csrfToken} zone={zone} days={horizon} template={{ rows: template.map(toForm) }} {...slots} />);
    })
    .post(
      "/availability/template",
      async ({ request, body, scope, shell, base }) => {
        const rows = rowsOf(body);
        const op = body.op ?? "save";
        const render = (state: TemplateFormState, status = 200, extra: JSX.Element | string = "") => formAnswer(request, shell, <TemplateForm base={base} csrfToken={shell.csrfToken} state={state} days={horizon} />, status, extra);
        // Adding and removing rows only redraws the form; nothing is saved until "save".
        if (op === "add") return render({ rows: rows.length >= MAX_ROWS ? rows : [...rows, rows.at(-1) ? { ...rows.at(-1)! } : { ...BLANK_ROW }] });
        const removed = /^remove:(\d{1,3})$/.exec(op);
        if (removed) return render({ rows: rows.filter((_, i) => i !== Number(removed[1])) });
        if (op !== "save") throw new HttpError(400, "Запрос не понят.");

        const { input, rowErrors } = parseRows(rows);
        if (Object.keys(rowErrors).length) return render({ rows, rowErrors, error: "Исправьте отмеченные строки." }, 422);
        let created: number;
        try {
          ({ created } = await saveTemplate(db, scope, input, { now: new Date(), days: horizon, timeZone: zone }));
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          const errors: Record<number, string[]> = {};
          const general = assignProblems(e.problems, errors);
          return render({ rows, rowErrors: errors, error: general.join(" ") || "Исправьте отмеченные строки." }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const saved = (await getWeeklyTemplate(db, scope.instructorId)).map(toForm);
        return render(
          { rows: saved, saved: `Шаблон сохранён. Новых окон: ${created}.` },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} />,
        );
      },
      // Row fields are r<index>_weekday / _from / _to / _minutes; op is save, add or remove:<index>.
      { body: t.Record(t.String({ maxLength: 40 }), Text(100)) },
    )
    .post(
      "/availability/block",
      async ({ request, body, scope, shell, base }) => {
        const values = { day: body.day.trim(), reason: (body.reason ?? "").trim(), bookings: body.bookings === "cancel" };
        const render = (state: Parameters<typeof BlockDayForm>[0]["state"], status: number, extra: JSX.Element | string = "") => formAnswer(request, shell, <BlockDayForm base={base} csrfToken={shell.csrfToken} state={state} />, status, extra);
        let result: Awaited<ReturnType<typeof blockDay>>;
        try {
          result = await blockDay(db, scope, values.day, { timeZone: zone, cancelBookings: values.bookings ? { reason: values.reason } : undefined });
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          return render({ ...values, error: e.problems.join(" ") }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const keptAll = [...result.kept, ...result.keptLessons];
        const kept = keptAll.length
          ? ` Записи учеников остались: ${keptAll.map((s) => `${localTime(s.startsAt, zone)} (№ ${s.publicNumber})`).join(", ")}. Чтобы отменить и их, укажите причину — ученики получат её в боте.`
          : "";
        const released = result.released.length ? ` Отменено записей: ${result.released.length}, ученики получили причину.` : "";
        return render(
          { day: values.day, kept: keptAll.length > 0, done: `День закрыт: отменено свободных окон — ${result.cancelled}.${released}${kept}` },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} />,
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
          throw new HttpError(400, e.problems.join(" "));
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const notice = result.returned ? DAY_RETURNED_TEXT.ru(result.slots) : DAY_OFF_TEXT.notOff.ru;
        return fragment(<SlotsList {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} notice={notice} />);
      },
      { body: Form({ day: Text(20) }) },
    )
    .post(
      "/availability/slots",
      async ({ request, body, scope, shell, base }) => {
        const values = { day: body.day.trim(), time: body.time.trim(), minutes: body.minutes.trim() };
        const errors: NonNullable<SlotFormState["errors"]> = {};
        if (!localInstant(zone, values.day, "00:00")) errors.day = "Неверная дата: нужен формат ГГГГ-ММ-ДД.";
        if (parseTime(values.time) === null) errors.time = "Время в формате ЧЧ:ММ.";
        const minutes = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN;
        if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = `От ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`;
        const startsAt = localInstant(zone, values.day, values.time);
        const render = (state: SlotFormState, status: number, extra: JSX.Element | string = "") => formAnswer(request, shell, <AddSlotForm base={base} csrfToken={shell.csrfToken} state={state} />, status, extra);
        if (Object.keys(errors).length || !startsAt) return render({ values, errors }, 422);
        let slotId: number;
        try {
          slotId = (await addSlot(db, scope, startsAt, minutes, new Date())).id;
        } catch (e) {
          if (!(e instanceof AvailabilityError)) throw e;
          return render({ values, errors: { form: e.problems.join(" ") } }, 422);
        }
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        return render(
          { values: { minutes: values.minutes }, done: `Окно добавлено (№ ${slotId}).` },
          200,
          <SlotsPartial {...await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={horizon} />,
        );
      },
      { body: Form({ day: Text(20), time: Text(10), minutes: Text(10) }) },
    )
    // One slot's row ("Не отменять" on the reason form swaps it back).
    .get(
      "/availability/slots/:id/row",
      async ({ request, params, scope, shell, base }) => {
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        return fragment(<SlotRow slot={await slotOf(scope.instructorId, params.id)} base={base} zone={zone} csrfToken={shell.csrfToken} />);
      },
      { params: IdParams },
    )
    // A booked slot's row with the reason form (its "Отменить запись…" button); an open slot's row.
    .get(
      "/availability/slots/:id/cancel",
      async ({ request, params, scope, shell, base }) => {
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const row = await slotOf(scope.instructorId, params.id);
        return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={shell.csrfToken} cancelling={row.applicationId != null} />);
      },
      { params: IdParams },
    )
    .post(
      "/availability/slots/:id/cancel",
      async ({ request, params, body, scope, shell, base }) => {
        const result = await cancelSlot(db, scope, params.id, { reason: body?.reason, timeZone: zone });
        if (!result.ok && result.reason === "not_found") throw new HttpError(404, "Окно не найдено.");
        if (!wantsFragment(request)) return seeOther(`${base}/availability`);
        const row = await slotOf(scope.instructorId, params.id);
        const csrfToken = shell.csrfToken;
        if (result.ok)
          return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={csrfToken} notice={result.released ? `Запись № ${result.released.publicNumber} отменена, ученик получил причину.` : undefined} />);
        return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={csrfToken} cancelling reason={body?.reason ?? ""} notice={result.problem ?? "Окно занято заявкой: напишите причину, ученик получит её в боте."} />, 422);
      },
      // No body at all is an open slot's plain "cancel" (no reason given).
      { params: IdParams, body: t.Optional(Form({ reason: OptText(MAX_CANCEL_REASON + 100) })) },
    );
}
