// "Правила занятий" (issue 15): when reminders go out, the cut-off for the student's own changes,
// the instructor's meeting point (Russian and Kazakh), and the account's Telegram alerts of
// students' answers. An instructor of a school sees the school's rules read-only. Words in the
// page's language (src/i18n/crm/lesson-rules.ts).
import type { Language } from "../../../src/db/schema.ts";
import type { LessonRules, LessonRulesErrors, LessonRulesField } from "../../../src/domain/lesson-rules.ts";
import { MAX_PLACE_LENGTH } from "../../../src/domain/lessons.ts";
import { lessonRulesProblemText, lessonRulesTexts } from "../../../src/i18n/crm/lesson-rules.ts";
import { CsrfInput, Field } from "../../components/form-field.tsx";

/** What the form shows: the saved rules, or what was typed with the problems. */
export interface LessonRulesFormState {
  values?: Partial<Record<LessonRulesField, string>> & { answerAlerts?: boolean };
  errors?: LessonRulesErrors;
  saved?: boolean;
}

export function LessonRulesForm({ base, rules, state = {}, csrfToken, language }: { base: string; rules: LessonRules; state?: LessonRulesFormState; csrfToken: string; language: Language }) {
  const T = lessonRulesTexts[language];
  const v = state.values ?? {};
  const err = (f: LessonRulesField) => {
    const problem = state.errors?.[f];
    return problem ? lessonRulesProblemText(problem, language) : undefined;
  };
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
        <>
          <Field name="meetingPoint" label={T.meetingPoint} value={v.meetingPoint ?? rules.meetingPoint} error={err("meetingPoint")} hint={T.meetingPointHint} maxlength={MAX_PLACE_LENGTH} />
          <Field name="meetingPointKk" label={T.meetingPointKk} value={v.meetingPointKk ?? rules.meetingPointKk} error={err("meetingPointKk")} hint={T.meetingPointKkHint} maxlength={MAX_PLACE_LENGTH} />
        </>
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
