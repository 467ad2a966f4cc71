// The instructor's lessons: today, the rest of this week, planned lessons left unmarked, later
// ones, each a card (lesson-card.tsx: mark, move, cancel in place), and the form that plans a
// lesson for an accepted application. Times are shown in the configured zone.
import type { PlannableApplication } from "../../../src/domain/lessons.ts";
import type { LessonItem } from "../../../src/domain/lesson-lists.ts";
import type { Language } from "../../../src/db/schema.ts";
import { lessonTexts } from "../../../src/i18n/crm/lessons.ts";
import { localDay, localInstant } from "../../../src/model/time.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { capitalized, dayLong } from "../../format.ts";
import { LessonList, type CardView } from "./lesson-card.tsx";

export interface LessonLists {
  today: LessonItem[];
  /** The rest of this week (Monday–Sunday), today excluded. */
  week: LessonItem[];
  /** Planned lessons that started before this week and were never marked. */
  unmarked: LessonItem[];
  /** Planned lessons in the two weeks after this one. */
  later: LessonItem[];
}

/** A local day "YYYY-MM-DD" as a heading names it: "пятница, 4 декабря" / "4 желтоқсан, жұма". */
export function dayName(day: string, zone: string, language: Language): string {
  const noon = localInstant(zone, day, "12:00");
  return noon ? dayLong(noon, zone, language) : day;
}

export function LessonListsSection({ lists, v }: { lists: LessonLists; v: CardView }) {
  const byDay = new Map<string, LessonItem[]>();
  for (const l of lists.week) {
    const key = localDay(v.zone, l.startsAt);
    byDay.set(key, [...(byDay.get(key) ?? []), l]);
  }
  const dated = { ...v, showDay: true };
  const LT = lessonTexts[v.language];
  return (
    <div id="lesson-lists">
      {lists.unmarked.length ? (
        <section class="card" id="lessons-unmarked">
          <h2 safe>{LT.unmarked}</h2>
          <LessonList lessons={lists.unmarked} empty="" v={dated} />
        </section>
      ) : (
        ""
      )}
      <section class="card" id="lessons-today">
        <h2 safe>{LT.todayTitle(dayName(localDay(v.zone, v.now), v.zone, v.language))}</h2>
        <LessonList lessons={lists.today} empty={LT.todayEmpty} v={v} />
      </section>
      <section class="card" id="lessons-week">
        <h2 safe>{LT.thisWeekTitle}</h2>
        {byDay.size === 0 ? <p class="empty" safe>{LT.weekRestEmpty}</p> : ""}
        {[...byDay.entries()].map(([day, list]) => (
          <div class="lesson-day" data-day={day}>
            <h3 safe>{capitalized(dayName(day, v.zone, v.language))}</h3>
            <LessonList lessons={list} empty="" v={v} />
          </div>
        ))}
      </section>
      {lists.later.length ? (
        <section class="card" id="lessons-later">
          <h2 safe>{LT.later}</h2>
          <LessonList lessons={lists.later} empty="" v={dated} />
        </section>
      ) : (
        ""
      )}
    </div>
  );
}

export interface PlanFormState {
  values?: { application?: string; day?: string; time?: string; minutes?: string; place?: string };
  errors?: { application?: string; day?: string; time?: string; minutes?: string; place?: string; form?: string };
  done?: string;
}

export function PlanForm({ base, csrfToken, apps, state = {}, language }: { base: string; csrfToken: string; apps: PlannableApplication[]; state?: PlanFormState; language: Language }) {
  const LT = lessonTexts[language];
  const url = `${base}/lessons`;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const input = (name: "day" | "time" | "minutes" | "place", label: string, type: string, extra: Record<string, string> = {}) => (
    <label class={e[name] ? "field invalid" : "field"} for={`f-plan-${name}`}>
      <span safe>{label}</span>
      <input id={`f-plan-${name}`} type={type} name={name} value={v[name] ?? (name === "minutes" ? "90" : "")} aria-invalid={e[name] ? "true" : undefined} {...extra} />
      {e[name] ? <small class="error" role="alert" safe>{e[name]}</small> : ""}
    </label>
  );
  return (
    <form id="plan-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{LT.planOne}</h2>
      <CsrfInput token={csrfToken} />
      <label class={e.application ? "field invalid" : "field"} for="f-plan-application">
        <span safe>{LT.acceptedApplication}</span>
        <select id="f-plan-application" name="application">
          <option value="" safe>{LT.choose}</option>
          {apps.map((a) => (
            <option value={String(a.id)} selected={String(a.id) === v.application} safe>
              {`№ ${a.publicNumber} — ${a.studentName}`}
            </option>
          ))}
        </select>
        {e.application ? <small class="error" role="alert" safe>{e.application}</small> : ""}
      </label>
      {apps.length === 0 ? <p class="hint" safe>{LT.noAccepted}</p> : ""}
      {input("day", LT.day, "date")}
      {input("time", LT.time, "time")}
      {input("minutes", LT.minutes, "number", { min: "30", max: "240", step: "5" })}
      {input("place", LT.place, "text", { maxlength: "200", placeholder: LT.placeHint })}
      {e.form ? <p class="error" role="alert" safe>{e.form}</p> : ""}
      {state.done ? <p class="ok" role="status" safe>{state.done}</p> : ""}
      <button type="submit" safe>{LT.planSubmit}</button>
    </form>
  );
}

export function LessonsPage(props: { v: CardView; lists: LessonLists; apps: PlannableApplication[]; plan?: PlanFormState }) {
  const LT = lessonTexts[props.v.language];
  return (
    <div id="lessons" class="lessons-page">
      <h1 safe>{LT.title}</h1>
      <p>
        <a href={`${props.v.base}/week`} class="week-link" safe>
          {`${LT.week} →`}
        </a>
      </p>
      <LessonListsSection lists={props.lists} v={props.v} />
      <PlanForm base={props.v.base} csrfToken={props.v.csrfToken} apps={props.apps} state={props.plan} language={props.v.language} />
    </div>
  );
}
