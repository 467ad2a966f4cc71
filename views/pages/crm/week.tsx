// A week of lessons, Monday to Sunday in the configured zone: an instructor's own, or all of a
// school's instructors' (each card names its instructor). Phone first: the week is a vertical
// list of days, each with its lessons as cards (lesson-card.tsx), today marked; links to the
// previous and next week. A lesson is listed on the local day it starts.
import type { LessonItem } from "../../../src/domain/lesson-lists.ts";
import { localDay } from "../../../src/model/time.ts";
import type { LocalWeek } from "../../../src/model/week.ts";
import { LessonList, type CardView } from "./lesson-card.tsx";
import { dayName } from "./lessons.tsx";
import { lessonTexts } from "../../../src/i18n/crm/lessons.ts";
import { capitalized, dateOnly } from "../../format.ts";
import { localInstant } from "../../../src/model/time.ts";

export function WeekPage({ week, lessons, v, listLink }: { week: LocalWeek; lessons: LessonItem[]; v: CardView; listLink: boolean }) {
  const today = localDay(v.zone, v.now);
  const byDay = new Map<string, LessonItem[]>(week.days.map((d) => [d, []]));
  for (const l of lessons) byDay.get(localDay(v.zone, l.startsAt))?.push(l);
  const url = (day: string) => `${v.base}/week?start=${day}`;
  const LT = lessonTexts[v.language];
  const numeric = (day: string) => {
    const noon = localInstant(v.zone, day, "12:00");
    return noon ? dateOnly(noon, v.zone) : day;
  };
  return (
    <div id="week" class="week-page" data-start={week.days[0]}>
      <h1 safe>{LT.weekTitle(numeric(week.days[0]!), numeric(week.days[6]!))}</h1>
      <nav class="week-nav" aria-label={LT.week}>
        <a href={url(week.prev)} rel="prev" safe>
          {LT.prevWeek}
        </a>
        {week.days.includes(today) ? "" : (
          <a href={`${v.base}/week`} safe>
            {LT.thisWeek}
          </a>
        )}
        <a href={url(week.next)} rel="next" safe>
          {LT.nextWeek}
        </a>
      </nav>
      {listLink ? (
        <p>
          <a href={`${v.base}/lessons`} safe>
            {LT.lessonsList}
          </a>
        </p>
      ) : (
        ""
      )}
      {lessons.length === 0 ? <p class="empty" safe>{LT.weekEmpty}</p> : ""}
      <ol class="week-days">
        {week.days.map((day) => (
          <li class={day === today ? "week-day card today" : "week-day card"} data-day={day} aria-current={day === today ? "date" : undefined}>
            <h2>
              <span safe>{capitalized(dayName(day, v.zone, v.language))}</span>
              {day === today ? <span class="badge today-mark" safe>{LT.today}</span> : ""}
            </h2>
            <LessonList lessons={byDay.get(day)!} empty={LT.noLessons} v={v} />
          </li>
        ))}
      </ol>
    </div>
  );
}
