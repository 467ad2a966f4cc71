// The instructor's lessons: today, the rest of this week, planned lessons left unmarked, the
// buttons that record how a lesson went (each answers with its updated row), and the form that
// plans a lesson for an accepted application. Times are shown in the configured zone.
import { isMarkable, type LessonListItem, type PlannableApplication } from "../../../src/domain/lessons.ts";
import { CsrfInput } from "../../components/form-field.tsx";
import { localDay } from "../../../src/model/time.ts";
import { dayTitle, localTime } from "./availability.tsx";

const LESSON_STATES: Record<string, string> = {
  planned: "Запланировано",
  conducted: "Проведено",
  no_show: "Неявка",
  cancelled: "Отменено",
};

const NO_SHOW_BY: Record<string, string> = { student: "ученика", instructor: "инструктора" };

function stateText(l: LessonListItem): string {
  if (l.state === "no_show") return l.noShowBy ? `Неявка ${NO_SHOW_BY[l.noShowBy]}` : "Неявка";
  return LESSON_STATES[l.state] ?? l.state;
}

function MarkButton({ base, id, csrfToken, state, by, label }: { base: string; id: number; csrfToken: string; state: string; by?: string; label: string }) {
  const url = `${base}/lessons/${id}/mark`;
  return (
    <form method="post" action={url} hx-post={url} hx-target={`#lesson-${id}`} hx-swap="outerHTML" class="inline">
      <CsrfInput token={csrfToken} />
      <input type="hidden" name="state" value={state} />
      {by ? <input type="hidden" name="by" value={by} /> : ""}
      <button type="submit" data-mark={by ? `${state}:${by}` : state} safe>
        {label}
      </button>
    </form>
  );
}

export function LessonRow({ lesson, base, zone, csrfToken, now, notice, showDay }: { lesson: LessonListItem; base: string; zone: string; csrfToken: string; now: Date; notice?: string; showDay?: boolean }) {
  const end = new Date(lesson.startsAt.getTime() + lesson.minutes * 60_000);
  const markable = isMarkable(lesson, now);
  return (
    <tr id={`lesson-${lesson.id}`} class={`lesson lesson-${lesson.state}`} data-state={lesson.state}>
      <td class="nowrap" safe>
        {`${showDay ? `${dayTitle(localDay(zone, lesson.startsAt))} ` : ""}${localTime(lesson.startsAt, zone)}–${localTime(end, zone)}`}
      </td>
      <td>
        <span safe>{lesson.studentName}</span>
        <br />
        <a href={`tel:${lesson.studentPhone}`} safe>
          {lesson.studentPhone}
        </a>
      </td>
      <td>
        <a href={`${base}/applications/${lesson.applicationId}`} safe>
          {`№ ${lesson.publicNumber}`}
        </a>
      </td>
      <td>
        <span class={`badge lesson-state-${lesson.state}`} safe>
          {stateText(lesson)}
        </span>
        {notice ? <small class="notice" role="alert" safe>{notice}</small> : ""}
      </td>
      <td>
        {markable ? (
          <div class="actions">
            <MarkButton base={base} id={lesson.id} csrfToken={csrfToken} state="conducted" label="Проведено" />
            <MarkButton base={base} id={lesson.id} csrfToken={csrfToken} state="no_show" by="student" label="Не пришёл ученик" />
            <MarkButton base={base} id={lesson.id} csrfToken={csrfToken} state="no_show" by="instructor" label="Не смог я" />
          </div>
        ) : lesson.state === "planned" ? (
          <small class="muted">отметить после начала</small>
        ) : (
          ""
        )}
      </td>
    </tr>
  );
}

function LessonTable({ lessons, empty, ...ctx }: { lessons: LessonListItem[]; empty: string; base: string; zone: string; csrfToken: string; now: Date; showDay?: boolean }) {
  if (lessons.length === 0) return <p class="empty" safe>{empty}</p>;
  return (
    <table class="lessons">
      <tbody>
        {lessons.map((l) => (
          <LessonRow lesson={l} {...ctx} />
        ))}
      </tbody>
    </table>
  );
}

export interface LessonLists {
  today: LessonListItem[];
  /** The rest of this week (Monday–Sunday), today excluded. */
  week: LessonListItem[];
  /** Planned lessons that started before this week and were never marked. */
  unmarked: LessonListItem[];
  /** Planned lessons in the two weeks after this one. */
  later: LessonListItem[];
}

export function LessonListsSection({ lists, base, zone, csrfToken, now }: { lists: LessonLists; base: string; zone: string; csrfToken: string; now: Date }) {
  const ctx = { base, zone, csrfToken, now };
  const byDay = new Map<string, LessonListItem[]>();
  for (const l of lists.week) {
    const key = localDay(zone, l.startsAt);
    byDay.set(key, [...(byDay.get(key) ?? []), l]);
  }
  return (
    <div id="lesson-lists">
      {lists.unmarked.length ? (
        <section class="card" id="lessons-unmarked">
          <h2>Не отмечены</h2>
          <LessonTable lessons={lists.unmarked} empty="" showDay {...ctx} />
        </section>
      ) : (
        ""
      )}
      <section class="card" id="lessons-today">
        <h2 safe>{`Сегодня, ${dayTitle(localDay(zone, now))}`}</h2>
        <LessonTable lessons={lists.today} empty="Сегодня занятий нет." {...ctx} />
      </section>
      <section class="card" id="lessons-week">
        <h2>На этой неделе</h2>
        {byDay.size === 0 ? <p class="empty">Других занятий на этой неделе нет.</p> : ""}
        {[...byDay.entries()].map(([day, list]) => (
          <div class="lesson-day" data-day={day}>
            <h3 safe>{dayTitle(day)}</h3>
            <LessonTable lessons={list} empty="" {...ctx} />
          </div>
        ))}
      </section>
      {lists.later.length ? (
        <section class="card" id="lessons-later">
          <h2>Позже</h2>
          <LessonTable lessons={lists.later} empty="" showDay {...ctx} />
        </section>
      ) : (
        ""
      )}
    </div>
  );
}

export interface PlanFormState {
  values?: { application?: string; day?: string; time?: string; minutes?: string };
  errors?: { application?: string; day?: string; time?: string; minutes?: string; form?: string };
  done?: string;
}

export function PlanForm({ base, csrfToken, apps, state = {} }: { base: string; csrfToken: string; apps: PlannableApplication[]; state?: PlanFormState }) {
  const url = `${base}/lessons`;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const input = (name: "day" | "time" | "minutes", label: string, type: string, extra: Record<string, string> = {}) => (
    <label class={e[name] ? "field invalid" : "field"} for={`f-plan-${name}`}>
      <span safe>{label}</span>
      <input id={`f-plan-${name}`} type={type} name={name} value={v[name] ?? (name === "minutes" ? "90" : "")} aria-invalid={e[name] ? "true" : undefined} {...extra} />
      {e[name] ? <small class="error" role="alert" safe>{e[name]}</small> : ""}
    </label>
  );
  return (
    <form id="plan-form" class="card" method="post" action={url} hx-post={url} hx-target="this" hx-swap="outerHTML">
      <h2>Назначить занятие</h2>
      <CsrfInput token={csrfToken} />
      <label class={e.application ? "field invalid" : "field"} for="f-plan-application">
        <span>Принятая заявка</span>
        <select id="f-plan-application" name="application">
          <option value="">— выберите —</option>
          {apps.map((a) => (
            <option value={String(a.id)} selected={String(a.id) === v.application} safe>
              {`№ ${a.publicNumber} — ${a.studentName}`}
            </option>
          ))}
        </select>
        {e.application ? <small class="error" role="alert" safe>{e.application}</small> : ""}
      </label>
      {apps.length === 0 ? <p class="hint">Принятых заявок нет: примите заявку во «Входящих».</p> : ""}
      {input("day", "Дата", "date")}
      {input("time", "Начало", "time")}
      {input("minutes", "Длительность, мин", "number", { min: "30", max: "240", step: "5" })}
      {e.form ? <p class="error" role="alert" safe>{e.form}</p> : ""}
      {state.done ? <p class="ok" role="status" safe>{state.done}</p> : ""}
      <button type="submit">Назначить</button>
    </form>
  );
}

export function LessonsPage(props: { base: string; zone: string; csrfToken: string; now: Date; lists: LessonLists; apps: PlannableApplication[]; plan?: PlanFormState }) {
  return (
    <div id="lessons" class="lessons-page">
      <h1>Занятия</h1>
      <LessonListsSection lists={props.lists} base={props.base} zone={props.zone} csrfToken={props.csrfToken} now={props.now} />
      <PlanForm base={props.base} csrfToken={props.csrfToken} apps={props.apps} state={props.plan} />
    </div>
  );
}
