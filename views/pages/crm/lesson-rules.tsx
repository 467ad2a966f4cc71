// "Правила занятий" (issue 15): when reminders go out, the cut-off for the student's own changes,
// the instructor's meeting point, and the account's Telegram alerts of students' answers. An
// instructor of a school sees the school's rules read-only. Words from a typed {ru, kk} record;
// the CRM shows Russian like the rest of it.
import type { Language } from "../../../src/db/schema.ts";
import type { LessonRules, LessonRulesErrors, LessonRulesField } from "../../../src/domain/lesson-rules.ts";
import { MAX_POLICY_HOURS } from "../../../src/model/lesson-policy.ts";
import { CsrfInput, Field } from "../../components/form-field.tsx";

type Words = {
  title: string;
  intro: string;
  first: string;
  firstHint: string;
  second: string;
  secondHint: string;
  cutoff: string;
  cutoffHint: string;
  schoolRules: (school: string) => string;
  hoursBefore: (n: number) => string;
  meetingPoint: string;
  meetingPointHint: string;
  alerts: string;
  alertsHint: string;
  linkTelegram: string;
  save: string;
  saved: string;
};

export const LESSON_RULES_TEXT: Record<Language, Words> = {
  ru: {
    title: "Правила занятий",
    intro: "Ученик получает в Telegram два напоминания о занятии с кнопками «Приду» / «Не смогу».",
    first: "Первое напоминание, за сколько часов",
    firstHint: `По умолчанию 24. От 1 до ${MAX_POLICY_HOURS}.`,
    second: "Второе напоминание, за сколько часов",
    secondHint: "По умолчанию 2. Меньше, чем для первого.",
    cutoff: "Перенос и отмена учеником — не позже чем за (часов)",
    cutoffHint: "По умолчанию 24. Позже ученик не может перенести занятие, а отмена считается поздней.",
    schoolRules: (school) => `Правила занятий задаёт автошкола «${school}»:`,
    hoursBefore: (n) => `за ${n} ч`,
    meetingPoint: "Место встречи",
    meetingPointHint: "Где начинаются занятия, если у занятия не указано другое место. Ученик видит его в напоминании.",
    alerts: "Присылать ответы учеников в Telegram",
    alertsHint: "Telegram не привязан: ответы придут, когда вы его привяжете.",
    linkTelegram: "Привязать Telegram",
    save: "Сохранить",
    saved: "Сохранено.",
  },
  kk: {
    title: "Сабақ ережелері",
    intro: "Оқушы Telegram-да сабақ туралы «Келемін» / «Келе алмаймын» батырмалары бар екі еске салу алады.",
    first: "Бірінші еске салу, неше сағат бұрын",
    firstHint: `Әдепкі бойынша 24. 1-ден ${MAX_POLICY_HOURS}-ге дейін.`,
    second: "Екінші еске салу, неше сағат бұрын",
    secondHint: "Әдепкі бойынша 2. Біріншісінен аз.",
    cutoff: "Оқушы ауыстыруы және болдырмауы — кемінде (сағат) бұрын",
    cutoffHint: "Әдепкі бойынша 24. Одан кейін оқушы сабақты ауыстыра алмайды, ал болдырмау кеш деп есептеледі.",
    schoolRules: (school) => `Сабақ ережелерін «${school}» автомектебі белгілейді:`,
    hoursBefore: (n) => `${n} сағат бұрын`,
    meetingPoint: "Кездесу орны",
    meetingPointHint: "Сабақта басқа орын көрсетілмесе, сабақ осы жерден басталады. Оқушы оны еске салуда көреді.",
    alerts: "Оқушылардың жауаптарын Telegram-ға жіберу",
    alertsHint: "Telegram байланыстырылмаған: жауаптар оны байланыстырғаннан кейін келеді.",
    linkTelegram: "Telegram-ды байланыстыру",
    save: "Сақтау",
    saved: "Сақталды.",
  },
};

const T = LESSON_RULES_TEXT.ru;

/** What the form shows: the saved rules, or what was typed with the problems. */
export interface LessonRulesFormState {
  values?: Partial<Record<LessonRulesField, string>> & { answerAlerts?: boolean };
  errors?: LessonRulesErrors;
  saved?: boolean;
}

export function LessonRulesForm({ base, rules, state = {}, csrfToken }: { base: string; rules: LessonRules; state?: LessonRulesFormState; csrfToken: string }) {
  const v = state.values ?? {};
  const err = (f: LessonRulesField) => state.errors?.[f]?.ru;
  const value = (f: keyof LessonRules["policy"]) => v[f] ?? String(rules.policy[f]);
  const alerts = v.answerAlerts ?? rules.answerAlerts;
  const action = `${base}/lesson-rules`;
  return (
    <form id="lesson-rules" class="card" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML" novalidate>
      <h1 safe>{T.title}</h1>
      <CsrfInput token={csrfToken} />
      {state.saved ? (
        <p class="ok" role="status" safe>
          {T.saved}
        </p>
      ) : (
        ""
      )}
      <p class="hint" safe>{T.intro}</p>
      {rules.schoolName !== null ? (
        <div id="school-rules">
          <p safe>{T.schoolRules(rules.schoolName)}</p>
          <ul>
            <li safe>{`${T.first}: ${T.hoursBefore(rules.policy.reminderFirstHours)}`}</li>
            <li safe>{`${T.second}: ${T.hoursBefore(rules.policy.reminderSecondHours)}`}</li>
            <li safe>{`${T.cutoff}: ${rules.policy.cancelCutoffHours}`}</li>
          </ul>
        </div>
      ) : (
        <>
          <Field name="reminderFirstHours" label={T.first} type="number" value={value("reminderFirstHours")} error={err("reminderFirstHours")} hint={T.firstHint} required />
          <Field name="reminderSecondHours" label={T.second} type="number" value={value("reminderSecondHours")} error={err("reminderSecondHours")} hint={T.secondHint} required />
          <Field name="cancelCutoffHours" label={T.cutoff} type="number" value={value("cancelCutoffHours")} error={err("cancelCutoffHours")} hint={T.cutoffHint} required />
        </>
      )}
      {rules.meetingPoint !== null ? (
        <Field name="meetingPoint" label={T.meetingPoint} value={v.meetingPoint ?? rules.meetingPoint} error={err("meetingPoint")} hint={T.meetingPointHint} maxlength={200} />
      ) : (
        ""
      )}
      <label class="check" for="f-answerAlerts">
        <input id="f-answerAlerts" type="checkbox" name="answerAlerts" value="on" checked={alerts} />
        <span safe>{T.alerts}</span>
      </label>
      {rules.telegramLinked ? (
        ""
      ) : (
        <p class="hint" id="link-telegram-hint">
          <span safe>{T.alertsHint}</span>{" "}
          <a href={`${base}/telegram`} safe>
            {T.linkTelegram}
          </a>
        </p>
      )}
      <button type="submit" safe>
        {T.save}
      </button>
    </form>
  );
}
