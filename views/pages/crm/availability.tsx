// The instructor's schedule: the weekly template editor (rows added and removed on the server,
// so it works without JavaScript too), the upcoming slots by day with their state, taking a day
// off and adding a one-off slot. Times are wall-clock times in the configured zone.
import type { SlotWithHolder } from "../../../src/domain/availability.ts";
import { dateFormat, localDay, parseDay, weekdayOf } from "../../../src/model/time.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { slotStatus, SLOT_STATUS_LABELS } from "../../../src/model/slot.ts";
import type { Language } from "../../../src/db/schema.ts";

/**
 * Days off in the list and "Вернуть день" (rolling availability, issue 15), in both languages so
 * a missing Kazakh text fails to compile; the CRM shows Russian for now, like the rest of it.
 */
export const DAY_OFF_TEXT: Readonly<Record<"badge" | "hint" | "giveBack" | "notOff", Record<Language, string>>> = {
  badge: { ru: "выходной", kk: "демалыс күні" },
  hint: { ru: "Шаблон не создаёт окна на этот день.", kk: "Үлгі бұл күнге уақыт ашпайды." },
  giveBack: { ru: "Вернуть день", kk: "Күнді қайтару" },
  notOff: { ru: "Этот день уже не выходной.", kk: "Бұл күн енді демалыс емес." },
};

/** "День возвращён, новых окон: 2." after "Вернуть день". */
export const DAY_RETURNED_TEXT: Readonly<Record<Language, (slots: number) => string>> = {
  ru: (slots) => `День возвращён, новых окон: ${slots}.`,
  kk: (slots) => `Күн қайтарылды, жаңа уақыттар: ${slots}.`,
};

export const WEEKDAY_NAMES = ["", "Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"];

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

/** "Пн, 10.03" for a "YYYY-MM-DD" day. */
export function dayTitle(day: string): string {
  const date = parseDay(day);
  return `${date ? WEEKDAY_NAMES[weekdayOf(date)] : ""}, ${day.slice(8, 10)}.${day.slice(5, 7)}`;
}

export function TemplateForm({ base, csrfToken, state, days }: { base: string; csrfToken: string; state: TemplateFormState; days: number }) {
  const url = `${base}/availability/template`;
  return (
    <form id="template-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2>Недельный шаблон</h2>
      <p class="hint" safe>{`Из шаблона создаются окна на ${days} дней вперёд, и каждый день добавляются новые. Занятые и отменённые окна и выходные дни не меняются. Конец дня — 00:00.`}</p>
      <CsrfInput token={csrfToken} />
      {/* The default button: Enter in any field saves (it is first in the form). */}
      <button type="submit" name="op" value="save" hidden>
        Сохранить
      </button>
      {state.saved ? <p class="ok" role="status" safe>{state.saved}</p> : ""}
      {state.error ? <p class="error" role="alert" safe>{state.error}</p> : ""}
      <table class="template">
        <thead>
          <tr>
            <th>День недели</th>
            <th>С</th>
            <th>До</th>
            <th>Занятие, мин</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {state.rows.length === 0 ? (
            <tr>
              <td colspan="5" class="empty">
                Строк нет: окна из шаблона не создаются.
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
                  <td data-label="День недели">
                    <select name={`r${i}_weekday`} aria-label={`Строка ${i + 1}: день недели`}>
                      {WEEKDAY_NAMES.slice(1).map((name, k) => (
                        <option value={String(k + 1)} selected={String(k + 1) === r.weekday} safe>
                          {name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-label="С">
                    <input type="time" name={`r${i}_from`} value={r.from} aria-label={`Строка ${i + 1}: с`} aria-invalid={errors.length ? "true" : undefined} />
                  </td>
                  <td data-label="До">
                    <input type="time" name={`r${i}_to`} value={r.to} aria-label={`Строка ${i + 1}: до`} aria-invalid={errors.length ? "true" : undefined} />
                  </td>
                  <td data-label="Занятие, мин">
                    <input type="number" name={`r${i}_minutes`} value={r.minutes} min="30" max="240" step="5" aria-label={`Строка ${i + 1}: длительность занятия`} />
                  </td>
                  <td>
                    <button type="submit" name="op" value={`remove:${i}`} class="link">
                      Удалить
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
        <button type="submit" name="op" value="add">
          Добавить строку
        </button>
        <button type="submit" name="op" value="save">
          Сохранить и создать окна
        </button>
      </div>
    </form>
  );
}

/**
 * One slot. An open slot has "Отменить окно"; a booked one "Отменить запись…", which opens a
 * reason field in the row (`cancelling`): the student gets the reason in the bot.
 */
export function SlotRow(props: { slot: SlotWithHolder; base: string; zone: string; csrfToken: string; notice?: string; cancelling?: boolean; reason?: string }) {
  const { slot, base, zone, csrfToken, notice } = props;
  const end = new Date(slot.startsAt.getTime() + slot.minutes * 60_000);
  const cancelUrl = `${base}/availability/slots/${slot.id}/cancel`;
  const status = slotStatus(slot);
  return (
    <tr id={`slot-${slot.id}`} class={`slot slot-${status}`} data-state={status}>
      <td class="nowrap" safe>{`${localTime(slot.startsAt, zone)}–${localTime(end, zone)}`}</td>
      <td>
        <span class={`badge slot-state-${status}`} safe>
          {SLOT_STATUS_LABELS[status].ru}
        </span>
        {slot.applicationId && slot.publicNumber ? (
          <>
            {" "}
            <a href={`${base}/applications/${slot.applicationId}`} safe>
              {`заявкой № ${slot.publicNumber}`}
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
            <button type="submit" class="link">
              Отменить окно
            </button>
          </form>
        ) : status === "booked" && props.cancelling ? (
          <form method="post" action={cancelUrl} hx-post={cancelUrl} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML" class="cancel-booking">
            <CsrfInput token={csrfToken} />
            <label class="field" for={`f-cancel-${slot.id}`}>
              <span>Причина для ученика</span>
              <textarea id={`f-cancel-${slot.id}`} name="reason" rows="2" maxlength="500" required safe>
                {props.reason ?? ""}
              </textarea>
            </label>
            <button type="submit" class="danger">
              Отменить запись
            </button>{" "}
            <button type="button" class="link" hx-get={`${base}/availability/slots/${slot.id}/row`} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML">
              Не отменять
            </button>
          </form>
        ) : status === "booked" ? (
          <button type="button" class="link" hx-get={cancelUrl} hx-target={`#slot-${slot.id}`} hx-swap="outerHTML">
            Отменить запись…
          </button>
        ) : (
          ""
        )}
      </td>
    </tr>
  );
}

/** A day off's "Вернуть день": the day is no longer off and its template slots come back at once. */
function GiveBackDay({ day, base, csrfToken }: { day: string; base: string; csrfToken: string }) {
  const url = `${base}/availability/return-day`;
  return (
    <form method="post" action={url} hx-post={url} hx-target="#slots" hx-swap="outerHTML" class="inline">
      <CsrfInput token={csrfToken} />
      <input type="hidden" name="day" value={day} />
      <button type="submit" class="link" safe>
        {DAY_OFF_TEXT.giveBack.ru}
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
  /** What the last change did ("Вернуть день"). */
  notice?: string;
}

export function SlotsList({ slots, daysOff, base, zone, csrfToken, days, notice }: SlotsListProps) {
  const byDay = new Map<string, SlotWithHolder[]>(daysOff.map((day) => [day, []]));
  for (const s of slots) {
    const key = localDay(zone, s.startsAt);
    byDay.set(key, [...(byDay.get(key) ?? []), s]);
  }
  const off = new Set(daysOff);
  return (
    <section id="slots" class="card">
      <h2 safe>{`Окна на ${days} дней`}</h2>
      {notice ? <p class="ok" role="status" safe>{notice}</p> : ""}
      {byDay.size === 0 ? <p class="empty">Окон нет. Заполните шаблон или добавьте окно вручную.</p> : ""}
      {[...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, list]) => (
          <div class={off.has(day) ? "slot-day day-off" : "slot-day"} data-day={day} data-off={off.has(day) ? "true" : undefined}>
            <h3>
              <span safe>{dayTitle(day)}</span>
              {off.has(day) ? (
                <>
                  {" "}
                  <span class="badge" safe>
                    {DAY_OFF_TEXT.badge.ru}
                  </span>
                </>
              ) : (
                ""
              )}
            </h3>
            {off.has(day) ? (
              <p class="hint">
                <span safe>{DAY_OFF_TEXT.hint.ru}</span> <GiveBackDay day={day} base={base} csrfToken={csrfToken} />
              </p>
            ) : (
              ""
            )}
            {list.length ? (
              <table class="slots">
                <tbody>
                  {list.map((slot) => (
                    <SlotRow slot={slot} base={base} zone={zone} csrfToken={csrfToken} />
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

export function BlockDayForm({ base, csrfToken, state = {} }: { base: string; csrfToken: string; state?: BlockFormState }) {
  const url = `${base}/availability/block`;
  return (
    <form id="block-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2>Выходной день</h2>
      <CsrfInput token={csrfToken} />
      <label class={state.error ? "field invalid" : "field"} for="f-block-day">
        <span>Дата</span>
        <input id="f-block-day" type="date" name="day" value={state.day ?? ""} required aria-invalid={state.error ? "true" : undefined} />
        {state.error ? <small class="error" role="alert" safe>{state.error}</small> : ""}
      </label>
      <label class="check" for="f-block-bookings">
        <input id="f-block-bookings" type="checkbox" name="bookings" value="cancel" checked={state.bookings === true} />
        <span>Отменить и записи учеников на этот день</span>
      </label>
      <label class="field" for="f-block-reason">
        <span>Причина для учеников (если отменяете записи)</span>
        <textarea id="f-block-reason" name="reason" rows="2" maxlength="500" safe>
          {state.reason ?? ""}
        </textarea>
      </label>
      {state.done ? <p class={state.kept ? "notice" : "ok"} role="status" safe>{state.done}</p> : ""}
      <button type="submit">Закрыть день</button>
    </form>
  );
}

export interface SlotFormState {
  values?: { day?: string; time?: string; minutes?: string };
  errors?: { day?: string; time?: string; minutes?: string; form?: string };
  done?: string;
}

export function AddSlotForm({ base, csrfToken, state = {} }: { base: string; csrfToken: string; state?: SlotFormState }) {
  const url = `${base}/availability/slots`;
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
      <h2>Разовое окно</h2>
      <CsrfInput token={csrfToken} />
      {field("day", "Дата", "date")}
      {field("time", "Начало", "time")}
      {field("minutes", "Длительность, мин", "number", { min: "30", max: "240", step: "5" })}
      {e.form ? <p class="error" role="alert" safe>{e.form}</p> : ""}
      {state.done ? <p class="ok" role="status" safe>{state.done}</p> : ""}
      <button type="submit">Добавить окно</button>
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
}) {
  return (
    <div id="availability" class="availability">
      <h1>Расписание</h1>
      <TemplateForm base={props.base} csrfToken={props.csrfToken} state={props.template} days={props.days} />
      <div class="columns">
        <BlockDayForm base={props.base} csrfToken={props.csrfToken} />
        <AddSlotForm base={props.base} csrfToken={props.csrfToken} />
      </div>
      <SlotsList slots={props.slots} daysOff={props.daysOff} base={props.base} zone={props.zone} csrfToken={props.csrfToken} days={props.days} />
    </div>
  );
}
