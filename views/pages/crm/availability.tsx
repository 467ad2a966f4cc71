// The instructor's schedule: the weekly template editor (rows added and removed on the server,
// so it works without JavaScript too), the upcoming slots by day with their state, taking a day
// off and adding a one-off slot. Times are wall-clock times in the configured zone.
import type { SlotWithHolder } from "../../../src/domain/availability.ts";
import { dateFormat, localDay, parseDay, weekdayOf } from "../../../src/model/time.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { slotStatus, SLOT_STATUS_LABELS } from "../../../src/model/slot.ts";
import type { Language } from "../../../src/db/schema.ts";
import { availabilityTexts } from "../../../src/i18n/crm/availability.ts";

/** One template row as typed in the form (strings, kept as they were on error). */
export interface TemplateRowForm {
  weekday: string;
  from: string;
  to: string;
  minutes: string;
}

export interface TemplateFormState {
  rows: TemplateRowForm[];
  /** Messages per row index (0-based). */
  rowErrors?: Record<number, string[]>;
  error?: string;
  saved?: string;
}

export const BLANK_ROW: TemplateRowForm = { weekday: "1", from: "09:00", to: "18:00", minutes: "90" };

/** Minutes after midnight → "09:30"; 1440 → "24:00". */
export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

export function localTime(at: Date, zone: string): string {
  return dateFormat("ru-RU", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/** "Понедельник, 10.03" / "Дүйсенбі, 10.03" for a "YYYY-MM-DD" day. */
export function dayTitle(day: string, language: Language): string {
  const date = parseDay(day);
  return `${date ? availabilityTexts[language].weekdays[weekdayOf(date) - 1] : ""}, ${day.slice(8, 10)}.${day.slice(5, 7)}`;
}

export function TemplateForm({ base, csrfToken, state, days, language }: { base: string; csrfToken: string; state: TemplateFormState; days: number; language: Language }) {
  const url = `${base}/availability/template`;
  const T = availabilityTexts[language];
  return (
    <form id="template-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{T.templateTitle}</h2>
      <p class="hint" safe>{T.templateHint(days)}</p>
      <CsrfInput token={csrfToken} />
      {/* The default button: Enter in any field saves (it is first in the form). */}
      <button type="submit" name="op" value="save" hidden safe>
        {T.save}
      </button>
      {state.saved ? <p class="ok" role="status" safe>{state.saved}</p> : ""}
      {state.error ? <p class="error" role="alert" safe>{state.error}</p> : ""}
      <table class="template">
        <thead>
          <tr>
            <th safe>{T.weekday}</th>
            <th safe>{T.from}</th>
            <th safe>{T.to}</th>
            <th safe>{T.lessonMinutes}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {state.rows.length === 0 ? (
            <tr>
              <td colspan="5" class="empty" safe>
                {T.noRows}
              </td>
            </tr>
          ) : (
            ""
          )}
          {state.rows.map((r, i) => {
            const errors = state.rowErrors?.[i] ?? [];
            return (
              <>
                <tr class={errors.length ? "template-row invalid" : "template-row"} data-row={String(i)}>
                  <td data-label={T.weekday}>
                    <select name={`r${i}_weekday`} aria-label={T.rowWeekday(i + 1)}>
                      {T.weekdays.map((name, k) => (
                        <option value={String(k + 1)} selected={String(k + 1) === r.weekday} safe>
                          {name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-label={T.from}>
                    <input type="time" name={`r${i}_from`} value={r.from} aria-label={T.rowFrom(i + 1)} aria-invalid={errors.length ? "true" : undefined} />
                  </td>
                  <td data-label={T.to}>
                    <input type="time" name={`r${i}_to`} value={r.to} aria-label={T.rowTo(i + 1)} aria-invalid={errors.length ? "true" : undefined} />
                  </td>
                  <td data-label={T.lessonMinutes}>
                    <input type="number" name={`r${i}_minutes`} value={r.minutes} min="30" max="240" step="5" aria-label={T.rowMinutes(i + 1)} />
                  </td>
                  <td>
                    <button type="submit" name="op" value={`remove:${i}`} class="link" safe>
                      {T.remove}
                    </button>
                  </td>
                </tr>
                {errors.length ? (
                  <tr class="row-errors">
                    <td colspan="5">
                      {errors.map((e) => (
                        <small class="error" role="alert" safe>
                          {e}
                        </small>
                      ))}
                    </td>
                  </tr>
                ) : (
                  ""
                )}
              </>
            );
          })}
        </tbody>
      </table>
      <div class="actions">
        <button type="submit" name="op" value="add" safe>
          {T.addRow}
        </button>
        <button type="submit" name="op" value="save" safe>
          {T.saveAndCreate}
        </button>
      </div>
    </form>
  );
}

/**
 * One slot. An open slot has "Отменить окно"; a booked one "Отменить запись…", which opens a
 * reason field in the row (`cancelling`): the student gets the reason in the bot.
 */
export function SlotRow(props: { slot: SlotWithHolder; base: string; zone: string; csrfToken: string; language: Language; notice?: string; cancelling?: boolean; reason?: string }) {
  const { slot, base, zone, csrfToken, notice, language } = props;
  const T = availabilityTexts[language];
  const end = new Date(slot.startsAt.getTime() + slot.minutes * 60_000);
  const cancelUrl = `${base}/availability/slots/${slot.id}/cancel`;
  const status = slotStatus(slot);
  return (
    <tr id={`slot-${slot.id}`} class={`slot slot-${status}`} data-state={status}>
      <td class="nowrap" safe>{`${localTime(slot.startsAt, zone)}–${localTime(end, zone)}`}</td>
      <td>
        <span class={`badge slot-state-${status}`} safe>
          {SLOT_STATUS_LABELS[status][language]}
        </span>
        {slot.applicationId && slot.publicNumber ? (
          <>
            {" "}
            <a href={`${base}/applications/${slot.applicationId}`} safe>
              {T.byApplication(slot.publicNumber)}
            </a>
          </>
        ) : (
          ""
        )}
        {notice ? <small class="notice" role="alert" safe>{notice}</small> : ""}
      </td>
      <td>
        {status === "open" ? (
          <form method="post" action={cancelUrl} hx-post={cancelUrl} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML" class="inline">
            <CsrfInput token={csrfToken} />
            <button type="submit" class="link" safe>
              {T.cancelSlot}
            </button>
          </form>
        ) : status === "booked" && props.cancelling ? (
          <form method="post" action={cancelUrl} hx-post={cancelUrl} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML" class="cancel-booking">
            <CsrfInput token={csrfToken} />
            <label class="field" for={`f-cancel-${slot.id}`}>
              <span safe>{T.reasonForStudent}</span>
              <textarea id={`f-cancel-${slot.id}`} name="reason" rows="2" maxlength="500" required safe>
                {props.reason ?? ""}
              </textarea>
            </label>
            <button type="submit" class="danger" safe>
              {T.cancelBooking}
            </button>{" "}
            <button type="button" class="link" hx-get={`${base}/availability/slots/${slot.id}/row`} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML" safe>
              {T.keepBooking}
            </button>
          </form>
        ) : status === "booked" ? (
          <button type="button" class="link" hx-get={cancelUrl} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML" safe>
            {T.cancelBookingOpen}
          </button>
        ) : (
          ""
        )}
      </td>
    </tr>
  );
}

/** A day off's "Вернуть день": the day is no longer off and its template slots come back at once. */
function GiveBackDay({ day, base, csrfToken, language }: { day: string; base: string; csrfToken: string; language: Language }) {
  const url = `${base}/availability/return-day`;
  return (
    <form method="post" action={url} hx-post={url} hx-target="#slots" hx-swap="outerHTML" class="inline">
      <CsrfInput token={csrfToken} />
      <input type="hidden" name="day" value={day} />
      <button type="submit" class="link" safe>
        {availabilityTexts[language].giveBack}
      </button>
    </form>
  );
}

export interface SlotsListProps {
  slots: SlotWithHolder[];
  /** The instructor's days off from today on ("YYYY-MM-DD"), beyond the listed days too. */
  daysOff: string[];
  base: string;
  zone: string;
  csrfToken: string;
  days: number;
  language: Language;
  /** What the last change did ("Вернуть день"). */
  notice?: string;
}

export function SlotsList({ slots, daysOff, base, zone, csrfToken, days, notice, language }: SlotsListProps) {
  const T = availabilityTexts[language];
  const byDay = new Map<string, SlotWithHolder[]>(daysOff.map((day) => [day, []]));
  for (const s of slots) {
    const key = localDay(zone, s.startsAt);
    byDay.set(key, [...(byDay.get(key) ?? []), s]);
  }
  const off = new Set(daysOff);
  return (
    <section id="slots" class="card">
      <h2 safe>{T.slotsTitle(days)}</h2>
      {notice ? <p class="ok" role="status" safe>{notice}</p> : ""}
      {byDay.size === 0 ? <p class="empty" safe>{T.noSlots}</p> : ""}
      {[...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, list]) => (
          <div class={off.has(day) ? "slot-day day-off" : "slot-day"} data-day={day} data-off={off.has(day) ? "true" : undefined}>
            <h3>
              <span safe>{dayTitle(day, language)}</span>
              {off.has(day) ? (
                <>
                  {" "}
                  <span class="badge" safe>
                    {T.dayOff}
                  </span>
                </>
              ) : (
                ""
              )}
            </h3>
            {off.has(day) ? (
              <p class="hint">
                <span safe>{T.dayOffHint}</span> <GiveBackDay day={day} base={base} csrfToken={csrfToken} language={language} />
              </p>
            ) : (
              ""
            )}
            {list.length ? (
              <table class="slots">
                <tbody>
                  {list.map((slot) => (
                    <SlotRow slot={slot} base={base} zone={zone} csrfToken={csrfToken} language={language} />
                  ))}
                </tbody>
              </table>
            ) : (
              ""
            )}
          </div>
        ))}
    </section>
  );
}

/** The slots list swapped in beside the form that changed it (htmx 4's <hx-partial>). */
export function SlotsPartial(props: Parameters<typeof SlotsList>[0]) {
  return (
    <hx-partial hx-target="#slots" hx-swap="outerHTML">
      <SlotsList {...props} />
    </hx-partial>
  );
}

export interface BlockFormState {
  day?: string;
  reason?: string;
  /** "Cancel the students' bookings too" was ticked. */
  bookings?: boolean;
  error?: string;
  done?: string;
  /** Bookings stayed on the closed day: the message is a notice, not a plain success. */
  kept?: boolean;
}

export function BlockDayForm({ base, csrfToken, state = {}, language }: { base: string; csrfToken: string; state?: BlockFormState; language: Language }) {
  const url = `${base}/availability/block`;
  const T = availabilityTexts[language];
  return (
    <form id="block-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{T.blockTitle}</h2>
      <CsrfInput token={csrfToken} />
      <label class={state.error ? "field invalid" : "field"} for="f-block-day">
        <span safe>{T.date}</span>
        <input id="f-block-day" type="date" name="day" value={state.day ?? ""} required aria-invalid={state.error ? "true" : undefined} />
        {state.error ? <small class="error" role="alert" safe>{state.error}</small> : ""}
      </label>
      <label class="check" for="f-block-bookings">
        <input id="f-block-bookings" type="checkbox" name="bookings" value="cancel" checked={state.bookings === true} />
        <span safe>{T.cancelBookingsToo}</span>
      </label>
      <label class="field" for="f-block-reason">
        <span safe>{T.reasonForStudents}</span>
        <textarea id="f-block-reason" name="reason" rows="2" maxlength="500" safe>
          {state.reason ?? ""}
        </textarea>
      </label>
      {state.done ? <p class={state.kept ? "notice" : "ok"} role="status" safe>{state.done}</p> : ""}
      <button type="submit" safe>
        {T.closeDay}
      </button>
    </form>
  );
}

export interface SlotFormState {
  values?: { day?: string; time?: string; minutes?: string };
  errors?: { day?: string; time?: string; minutes?: string; form?: string };
  done?: string;
}

export function AddSlotForm({ base, csrfToken, state = {}, language }: { base: string; csrfToken: string; state?: SlotFormState; language: Language }) {
  const url = `${base}/availability/slots`;
  const T = availabilityTexts[language];
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const field = (name: "day" | "time" | "minutes", label: string, type: string, extra: Record<string, string> = {}) => (
    <label class={e[name] ? "field invalid" : "field"} for={`f-slot-${name}`}>
      <span safe>{label}</span>
      <input id={`f-slot-${name}`} type={type} name={name} value={v[name] ?? (name === "minutes" ? "90" : "")} aria-invalid={e[name] ? "true" : undefined} {...extra} />
      {e[name] ? <small class="error" role="alert" safe>{e[name]}</small> : ""}
    </label>
  );
  return (
    <form id="slot-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{T.oneOffTitle}</h2>
      <CsrfInput token={csrfToken} />
      {field("day", T.date, "date")}
      {field("time", T.start, "time")}
      {field("minutes", T.minutes, "number", { min: "30", max: "240", step: "5" })}
      {e.form ? <p class="error" role="alert" safe>{e.form}</p> : ""}
      {state.done ? <p class="ok" role="status" safe>{state.done}</p> : ""}
      <button type="submit" safe>
        {T.addSlot}
      </button>
    </form>
  );
}

export function AvailabilityPage(props: {
  base: string;
  csrfToken: string;
  zone: string;
  days: number;
  template: TemplateFormState;
  slots: SlotWithHolder[];
  daysOff: string[];
  language: Language;
}) {
  const { language } = props;
  return (
    <div id="availability" class="availability">
      <h1 safe>{availabilityTexts[language].title}</h1>
      <TemplateForm base={props.base} csrfToken={props.csrfToken} state={props.template} days={props.days} language={language} />
      <div class="columns">
        <BlockDayForm base={props.base} csrfToken={props.csrfToken} language={language} />
        <AddSlotForm base={props.base} csrfToken={props.csrfToken} language={language} />
      </div>
      <SlotsList slots={props.slots} daysOff={props.daysOff} base={props.base} zone={props.zone} csrfToken={props.csrfToken} days={props.days} language={language} />
    </div>
  );
}
