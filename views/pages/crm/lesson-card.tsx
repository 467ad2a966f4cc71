// One lesson as every CRM lesson list shows it (the instructor's lessons page, the week of an
// instructor or a school, the application's page): when, who, where, its state with the student's
// answer to the reminders or how it was cancelled, and its actions. Marking how it went is the
// instructor's; moving and cancelling a planned lesson that has not started open an inline form
// (<details>, no script needed) that posts with htmx and answers with this card again, the
// form kept open with its message when refused. Every value is escaped.
import { isAhead, isMarkable } from "../../../src/domain/lessons.ts";
import type { LessonItem } from "../../../src/domain/lesson-lists.ts";
import type { Language } from "../../../src/db/schema.ts";
import { formatTime } from "../../../src/i18n/format.ts";
import { lessonTexts } from "../../../src/i18n/crm/lessons.ts";
import { localDay } from "../../../src/model/time.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { dateTime, dayLong } from "../../format.ts";
import { UserText } from "../../components/user-text.tsx";
import { formatPhone } from "../../../src/model/phone.ts";

/** "04.12.2026 09:00": a lesson's time in the CRM's messages, the date style of the rest of the CRM. */
export function lessonWhen(at: Date, zone: string): string {
  return dateTime(at, zone);
}

/** How the card is shown where it is listed. */
export interface CardView {
  base: string;
  zone: string;
  csrfToken: string;
  now: Date;
  /** The page's language. */
  language: Language;
  /** Show the day with the time (lists not grouped by day, and a card just moved). */
  showDay?: boolean;
  /** A school's lists name the instructor. */
  showInstructor?: boolean;
  /** Link the application (its page is in this area: the instructor's). */
  linkApp?: boolean;
  /** Offer the "how it went" buttons (the instructor's). */
  canMark?: boolean;
}

export type MoveValues = { day?: string; time?: string; minutes?: string; place?: string };
export type MoveErrors = { day?: string; time?: string; minutes?: string; place?: string; form?: string };

/** An open form on the card: the move with its values and messages, or the cancel with its reason and message. */
export type CardForm = { kind: "move"; values: MoveValues; errors: MoveErrors } | { kind: "cancel"; reason: string; error: string };

/** The lesson's state as staff read it ("Неявка ученика"). `language` defaults only for the application page until it passes its own (issue 17). */
export function stateText(l: LessonItem, language: Language): string {
  const say = lessonTexts[language];
  if (l.state === "no_show" && l.noShowBy) return say.noShowBy[l.noShowBy];
  return say.states[l.state] ?? l.state;
}

function MarkButton({ v, id, state, by, label }: { v: CardView; id: number; state: string; by?: string; label: string }) {
  const url = `${v.base}/lessons/${id}/mark`;
  return (
    <form method="post" action={url} hx-post={url} hx-target={`#lesson-${id}`} hx-swap="outerHTML" class="inline">
      <CsrfInput token={v.csrfToken} />
      <input type="hidden" name="state" value={state} />
      {by ? <input type="hidden" name="by" value={by} /> : ""}
      <button type="submit" data-mark={by ? `${state}:${by}` : state} safe>
        {label}
      </button>
    </form>
  );
}

function Field({ id, name, label, error, children }: { id: string; name: string; label: string; error?: string; children: JSX.Element }) {
  return (
    <label class={error ? "field invalid" : "field"} for={id} data-field={name}>
      <span safe>{label}</span>
      {children}
      {error ? <small class="error" role="alert" safe>{error}</small> : ""}
    </label>
  );
}

function MoveForm({ l, v, form }: { l: LessonItem; v: CardView; form?: Extract<CardForm, { kind: "move" }> }) {
  const url = `${v.base}/lessons/${l.id}/move`;
  const values: MoveValues = form?.values ?? { day: localDay(v.zone, l.startsAt), time: formatTime(l.startsAt, v.zone), minutes: String(l.minutes), place: l.place };
  const e = form?.errors ?? {};
  const id = (name: string) => `f-move-${l.id}-${name}`;
  const LT = lessonTexts[v.language];
  return (
    <details class="lesson-form move" open={form ? true : undefined}>
      <summary safe>{LT.move}</summary>
      <form method="post" action={url} hx-post={url} hx-target={`#lesson-${l.id}`} hx-swap="outerHTML">
        <CsrfInput token={v.csrfToken} />
        <Field id={id("day")} name="day" label={LT.day} error={e.day}>
          <input id={id("day")} type="date" name="day" value={values.day ?? ""} required />
        </Field>
        <Field id={id("time")} name="time" label={LT.time} error={e.time}>
          <input id={id("time")} type="time" name="time" value={values.time ?? ""} required />
        </Field>
        <Field id={id("minutes")} name="minutes" label={LT.minutes} error={e.minutes}>
          <input id={id("minutes")} type="number" name="minutes" value={values.minutes ?? ""} min="30" max="240" step="5" required />
        </Field>
        <Field id={id("place")} name="place" label={LT.place} error={e.place}>
          <input id={id("place")} type="text" name="place" value={values.place ?? ""} maxlength="200" placeholder={LT.placeHint} />
        </Field>
        {e.form ? <p class="error" role="alert" safe>{e.form}</p> : ""}
        <button type="submit" safe>{LT.moveSubmit}</button>
      </form>
    </details>
  );
}

function CancelForm({ l, v, form }: { l: LessonItem; v: CardView; form?: Extract<CardForm, { kind: "cancel" }> }) {
  const url = `${v.base}/lessons/${l.id}/cancel`;
  const id = `f-cancel-${l.id}-reason`;
  const LT = lessonTexts[v.language];
  return (
    <details class="lesson-form cancel" open={form ? true : undefined}>
      <summary safe>{LT.cancel}</summary>
      <form method="post" action={url} hx-post={url} hx-target={`#lesson-${l.id}`} hx-swap="outerHTML">
        <CsrfInput token={v.csrfToken} />
        <Field id={id} name="reason" label={LT.reason} error={form?.error || undefined}>
          <textarea id={id} name="reason" rows="2" maxlength="500" safe>
            {form?.reason ?? ""}
          </textarea>
        </Field>
        <button type="submit" class="danger" safe>{LT.cancelSubmit}</button>
      </form>
    </details>
  );
}

/** The words beside the state: the student's answer to a reminder, or who cancelled and whether late. */
export function stateNote(l: LessonItem, language: Language): string[] {
  const LT = lessonTexts[language];
  if (l.state === "planned" && l.studentAnswer) return [LT.answers[l.studentAnswer]];
  if (l.state !== "cancelled") return [];
  return [l.cancelledBy ? LT.cancelledBy[l.cancelledBy] : "", l.cancelledLate ? LT.late : ""].filter(Boolean);
}

export function LessonCard({ lesson: l, v, notice, done, form }: { lesson: LessonItem; v: CardView; notice?: string; done?: string; form?: CardForm }) {
  const end = new Date(l.startsAt.getTime() + l.minutes * 60_000);
  const changeable = isAhead(l, v.now);
  const markable = v.canMark && isMarkable(l, v.now);
  const number = `№ ${l.publicNumber}`;
  const LT = lessonTexts[v.language];
  return (
    <li id={`lesson-${l.id}`} class={`lesson lesson-${l.state}`} data-state={l.state} data-answer={l.studentAnswer ?? undefined}>
      <div class="lesson-head">
        <strong class="when" safe>
          {`${v.showDay ? `${dayLong(l.startsAt, v.zone, v.language)} ` : ""}${formatTime(l.startsAt, v.zone)}–${formatTime(end, v.zone)}`}
        </strong>
        <span class={`badge lesson-state-${l.state}`} safe>
          {stateText(l, v.language)}
        </span>
        {stateNote(l, v.language).map((n) => (
          <span class={`badge lesson-note${l.studentAnswer === "not_coming" || l.cancelledLate ? " warn" : ""}`} safe>
            {n}
          </span>
        ))}
      </div>
      <div class="lesson-who">
        <UserText text={l.studentName} />
        {" · "}
        <a href={`tel:${l.studentPhone}`} safe>
          {formatPhone(l.studentPhone)}
        </a>
        {" · "}
        {v.linkApp ? (
          <a href={`${v.base}/applications/${l.applicationId}`} class="app-link" safe>
            {number}
          </a>
        ) : (
          <span class="app-number" safe>
            {number}
          </span>
        )}
      </div>
      {v.showInstructor ? <div class="lesson-instructor" safe>{`${LT.instructor}: ${l.instructorName}`}</div> : ""}
      {l.place ? <div class="lesson-place" safe>{`📍 ${l.place}`}</div> : ""}
      {notice ? <p class="notice" role="alert" safe>{notice}</p> : ""}
      {done ? <p class="ok" role="status" safe>{done}</p> : ""}
      {markable ? (
        <div class="actions">
          <MarkButton v={v} id={l.id} state="conducted" label={LT.markConducted} />
          <MarkButton v={v} id={l.id} state="no_show" by="student" label={LT.noShowBy.student} />
          <MarkButton v={v} id={l.id} state="no_show" by="instructor" label={LT.noShowBy.instructor} />
        </div>
      ) : (
        ""
      )}
      {changeable ? (
        <div class="lesson-actions">
          <MoveForm l={l} v={v} form={form?.kind === "move" ? form : undefined} />
          <CancelForm l={l} v={v} form={form?.kind === "cancel" ? form : undefined} />
        </div>
      ) : (
        ""
      )}
    </li>
  );
}

/** A list of cards, or the empty text. */
export function LessonList({ lessons, empty, v }: { lessons: LessonItem[]; empty: string; v: CardView }) {
  if (lessons.length === 0) return empty ? <p class="empty" safe>{empty}</p> : "";
  return (
    <ul class="lesson-list">
      {lessons.map((l) => (
        <LessonCard lesson={l} v={v} />
      ))}
    </ul>
  );
}
