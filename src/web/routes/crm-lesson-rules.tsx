// "Правила занятий" (issue 15) for both CRM areas: a school's lesson rules, an independent
// instructor's own (an instructor of a school sees the school's, read-only), the instructor's
// meeting point, and the account's Telegram alerts of students' answers to reminders. The domain
// checks and saves (src/domain/lesson-rules.ts); bad input is the form again with its messages (422).
import { lessonRulesOf, saveLessonRules } from "../../domain/lesson-rules.ts";
import { LessonRulesForm } from "../../../views/pages/crm/lesson-rules.tsx";
import { lessonRulesTexts } from "../../i18n/crm/lesson-rules.ts";
import { crmArea, fragment, page, seeOther, wantsFragment, type AreaKind, type CrmDeps } from "../crm.tsx";
import { Form, OptText } from "../input.ts";

const RulesFields = Form({
  reminderFirstHours: OptText(20),
  reminderSecondHours: OptText(20),
  cancelCutoffHours: OptText(20),
  meetingPoint: OptText(1000),
  meetingPointKk: OptText(1000),
  answerAlerts: OptText(10),
});

export function lessonRulesRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db } = deps;
  return crmArea(deps, kind)
    .get("/lesson-rules", async ({ request, scope, shell, base }) =>
      page(request, shell, { title: lessonRulesTexts[shell.language].title, active: "lesson-rules" }, <LessonRulesForm base={base} rules={await lessonRulesOf(db, scope)} csrfToken={shell.csrfToken} language={shell.language} />),
    )
    .post(
      "/lesson-rules",
      async ({ request, body: f, scope, shell, base }) => {
        const input = { reminderFirstHours: f.reminderFirstHours, reminderSecondHours: f.reminderSecondHours, cancelCutoffHours: f.cancelCutoffHours, meetingPoint: f.meetingPoint, meetingPointKk: f.meetingPointKk, answerAlerts: f.answerAlerts === "on" };
        const result = await saveLessonRules(db, scope, input);
        if (result.ok && !wantsFragment(request)) return seeOther(`${base}/lesson-rules`);
        const rules = result.ok ? result.rules : await lessonRulesOf(db, scope);
        const state = result.ok ? { saved: true } : { values: input, errors: result.errors };
        const form = <LessonRulesForm base={base} rules={rules} state={state} csrfToken={shell.csrfToken} language={shell.language} />;
        const status = result.ok ? 200 : 422;
        return wantsFragment(request) ? fragment(form, status) : page(request, shell, { title: lessonRulesTexts[shell.language].title, active: "lesson-rules", status }, form);
      },
      { body: RulesFields },
    );
}
