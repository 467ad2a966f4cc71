// The instructor's schedule (/crm/instructors/availability): the weekly template (saved with
// setWeeklyTemplate, then slots generated for the next DAYS days in TIME_ZONE), the upcoming
// slots, taking a day off, adding or cancelling one slot. Every change is a POST behind the CSRF
// guard, runs in one transaction with its audit record, and touches only the session's
// instructor: another instructor's slot id is a 404.
import {
  addSlot,
  AvailabilityError,
  blockDay,
  cancelSlot,
  generateSlots,
  getSlotWithHolder,
  getWeeklyTemplate,
  listSlotsWithHolders,
  localDayBounds,
  MAX_LESSON_MINUTES,
  MIN_LESSON_MINUTES,
  setWeeklyTemplate,
  type AvailabilityRow,
  type TemplateRowInput,
} from "../../domain/availability.ts";
import { recordAudit } from "../../domain/audit.ts";
import { DAY_MS, localToUtc, parseDay, parseTime } from "../../model/time.ts";
import {
  AddSlotForm,
  AvailabilityPage,
  BLANK_ROW,
  BlockDayForm,
  hhmm,
  localTime,
  SlotRow,
  SlotsPartial,
  TemplateForm,
  type SlotFormState,
  type TemplateFormState,
  type TemplateRowForm,
} from "../../../views/pages/crm/availability.tsx";
import { crmArea, formOf, fragment, idOf, page, seeOther, wantsFragment, type CrmDeps } from "../crm.tsx";
import { HttpError } from "../plugins/errors.tsx";

/** Slots are generated and listed this many local days ahead. */
export const DAYS = 14;
/** More rows than anyone needs (7 days × a few intervals); a bigger form is cut here. */
const MAX_ROWS = 28;

const toForm = (r: AvailabilityRow): TemplateRowForm => ({
  weekday: String(r.weekday),
  from: hhmm(r.startMinute),
  to: hhmm(r.endMinute === 1440 ? 0 : r.endMinute),
  minutes: String(r.lessonMinutes),
});

/** The template rows as typed: fields named r<index>_weekday / _from / _to / _minutes, in index order. */
function rowsOf(form: Record<string, string>): TemplateRowForm[] {
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

/** "09:30" → 570; anything else → null. */
export function minuteOf(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? h * 60 + min : null;
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

/** "2025-03-10" + "09:30" in the zone → the instant; null when either is malformed. */
export function localInstant(day: string, time: string, zone: string): Date | null {
  const minute = minuteOf(time);
  if (minute === null) return null;
  try {
    localDayBounds(day, zone); // validates the calendar date
  } catch {
    return null;
  }
  const [y, m, d] = day.split("-").map(Number);
  return localToUtc(zone, y!, m!, d!, Math.floor(minute / 60), minute % 60);
}

export function availabilityRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  const zone = config.timeZone;
  const upcoming = (instructorId: number) => {
    const now = new Date();
    return listSlotsWithHolders(db, instructorId, now, new Date(now.getTime() + DAYS * DAY_MS));
  };
  const answer = (request: Request, shell: Parameters<typeof page>[1], status: number, body: JSX.Element) =>
    page(request, shell, { title: "Расписание", active: "availability", status }, body);

  return crmArea(deps, "instructor")
    .get("/availability", async ({ request, scope, shell, base }) => {
      const [template, slots] = await Promise.all([getWeeklyTemplate(db, scope.instructorId), upcoming(scope.instructorId)]);
      return answer(request, shell, 200, <AvailabilityPage base={base} csrfToken={shell.csrfToken} zone={zone} days={DAYS} template={{ rows: template.map(toForm) }} slots={slots} />);
    })
    .post("/availability/template", async ({ request, body, scope, shell, base }) => {
      const form = formOf(body);
      const rows = rowsOf(form);
      const op = form.op ?? "save";
      const render = (state: TemplateFormState, status = 200, extra: JSX.Element | string = "") =>
        wantsFragment(request)
          ? fragment(
              <>
                <TemplateForm base={base} csrfToken={shell.csrfToken} state={state} />
                {extra}
              </>,
              status,
            )
          : answer(request, shell, status, <TemplateForm base={base} csrfToken={shell.csrfToken} state={state} />);
      // Adding and removing rows only redraws the form; nothing is saved until "save".
      if (op === "add") return render({ rows: rows.length >= MAX_ROWS ? rows : [...rows, rows.at(-1) ? { ...rows.at(-1)! } : { ...BLANK_ROW }] });
      const removed = /^remove:(\d{1,3})$/.exec(op);
      if (removed) return render({ rows: rows.filter((_, i) => i !== Number(removed[1])) });
      if (op !== "save") throw new HttpError(400, "Запрос не понят.");

      const { input, rowErrors } = parseRows(rows);
      if (Object.keys(rowErrors).length) return render({ rows, rowErrors, error: "Исправьте отмеченные строки." }, 422);
      const now = new Date();
      let created: number;
      try {
        created = await db.transaction(async (tx) => {
          const before = await getWeeklyTemplate(tx, scope.instructorId);
          const after = await setWeeklyTemplate(tx, scope.instructorId, input);
          const { created } = await generateSlots(tx, scope.instructorId, { from: now, days: DAYS, timeZone: zone });
          const plain = (list: AvailabilityRow[]) => list.map(({ weekday, startMinute, endMinute, lessonMinutes }) => ({ weekday, startMinute, endMinute, lessonMinutes }));
          await recordAudit(tx, { accountId: scope.accountId, action: "availability.template", subject: `instructor:${scope.instructorId}`, before: plain(before), after: { rows: plain(after), slotsCreated: created } });
          return created;
        });
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
        <SlotsPartial slots={await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={DAYS} />,
      );
    })
    .post("/availability/block", async ({ request, body, scope, shell, base }) => {
      const day = (formOf(body).day ?? "").trim().slice(0, 20);
      const render = (state: Parameters<typeof BlockDayForm>[0]["state"], status: number, extra: JSX.Element | string = "") =>
        wantsFragment(request)
          ? fragment(
              <>
                <BlockDayForm base={base} csrfToken={shell.csrfToken} state={state} />
                {extra}
              </>,
              status,
            )
          : answer(request, shell, status, <BlockDayForm base={base} csrfToken={shell.csrfToken} state={state} />);
      let result: Awaited<ReturnType<typeof blockDay>>;
      try {
        result = await db.transaction(async (tx) => {
          const r = await blockDay(tx, scope.instructorId, day, zone);
          await recordAudit(tx, { accountId: scope.accountId, action: "availability.block_day", subject: `instructor:${scope.instructorId}`, after: { day, cancelled: r.cancelled, kept: r.kept.map((s) => s.id) } });
          return r;
        });
      } catch (e) {
        if (!(e instanceof AvailabilityError)) throw e;
        return render({ day, error: e.problems.join(" ") }, 422);
      }
      if (!wantsFragment(request)) return seeOther(`${base}/availability`);
      const kept = result.kept.length
        ? ` Заняты и остались: ${result.kept.map((s) => localTime(s.startsAt, zone)).join(", ")} — свяжитесь с учениками.`
        : "";
      return render(
        { day, done: `День закрыт: отменено свободных окон — ${result.cancelled}.${kept}` },
        200,
        <SlotsPartial slots={await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={DAYS} />,
      );
    })
    .post("/availability/slots", async ({ request, body, scope, shell, base }) => {
      const f = formOf(body);
      const values = { day: (f.day ?? "").trim().slice(0, 20), time: (f.time ?? "").trim().slice(0, 8), minutes: (f.minutes ?? "").trim().slice(0, 6) };
      const errors: NonNullable<SlotFormState["errors"]> = {};
      const startsAt = localInstant(values.day, values.time || "00:00", zone);
      if (!startsAt) {
        if (!parseDay(values.day)) errors.day = "Неверная дата: нужен формат ГГГГ-ММ-ДД.";
      }
      if (parseTime(values.time) === null) errors.time = "Время в формате ЧЧ:ММ.";
      const minutes = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN;
      if (!(minutes >= MIN_LESSON_MINUTES && minutes <= MAX_LESSON_MINUTES)) errors.minutes = `От ${MIN_LESSON_MINUTES} до ${MAX_LESSON_MINUTES} минут.`;
      if (!errors.day && !errors.time && startsAt && startsAt.getTime() <= Date.now()) errors.time = "Это время уже прошло.";
      const render = (state: SlotFormState, status: number, extra: JSX.Element | string = "") =>
        wantsFragment(request)
          ? fragment(
              <>
                <AddSlotForm base={base} csrfToken={shell.csrfToken} state={state} />
                {extra}
              </>,
              status,
            )
          : answer(request, shell, status, <AddSlotForm base={base} csrfToken={shell.csrfToken} state={state} />);
      if (Object.keys(errors).length || !startsAt) return render({ values, errors }, 422);
      let slotId: number;
      try {
        slotId = await db.transaction(async (tx) => {
          const slot = await addSlot(tx, scope.instructorId, startsAt, minutes);
          await recordAudit(tx, { accountId: scope.accountId, action: "availability.add_slot", subject: `slot:${slot.id}`, after: { startsAt: slot.startsAt.toISOString(), minutes: slot.minutes, state: slot.state } });
          return slot.id;
        });
      } catch (e) {
        if (!(e instanceof AvailabilityError)) throw e;
        return render({ values, errors: { form: e.problems.join(" ") } }, 422);
      }
      if (!wantsFragment(request)) return seeOther(`${base}/availability`);
      return render(
        { values: { minutes: values.minutes }, done: `Окно добавлено (№ ${slotId}).` },
        200,
        <SlotsPartial slots={await upcoming(scope.instructorId)} base={base} zone={zone} csrfToken={shell.csrfToken} days={DAYS} />,
      );
    })
    .post("/availability/slots/:id/cancel", async ({ request, params, scope, shell, base }) => {
      const id = idOf(params.id);
      const result = await db.transaction(async (tx) => {
        const r = await cancelSlot(tx, scope.instructorId, id);
        if (r.ok) await recordAudit(tx, { accountId: scope.accountId, action: "availability.cancel_slot", subject: `slot:${id}`, before: { state: "free" }, after: { state: "cancelled" } });
        return r;
      });
      if (!result.ok && result.reason === "not_found") throw new HttpError(404, "Окно не найдено.");
      if (!wantsFragment(request)) return seeOther(`${base}/availability`);
      const row = await getSlotWithHolder(db, scope.instructorId, id);
      if (!row) throw new HttpError(404, "Окно не найдено.");
      return fragment(<SlotRow slot={row} base={base} zone={zone} csrfToken={shell.csrfToken} notice={result.ok ? undefined : "Окно занято заявкой: отменить его нельзя."} />, result.ok ? 200 : 409);
    });
}
