// The instructor CRM's own pages: the profile. Applications (accept / reject with a reason),
// templates and Telegram are shared with schools.
import { getInstructor, updateInstructorProfile } from "../../domain/profile.ts";
import { InstructorProfileForm } from "../../../views/pages/crm/profile.tsx";
import { crmArea, page, wantsFragment, type CrmDeps } from "../crm.tsx";
import { seeOther } from "../html.ts";
import { Form, OptText } from "../input.ts";
import { Elysia } from "elysia";
import { instructorStatsRoutes } from "./crm-stats.tsx";
import { availabilityRoutes } from "./crm-availability.tsx";
import { lessonRoutes } from "./crm-lessons.tsx";
import { ShareQuery, shareView } from "./crm-share.tsx";
import { ShareSection } from "../../../views/pages/crm/share.tsx";
import { createFeedToken, feedPath, hasFeed, revokeFeedToken } from "../../domain/ical-feed.ts";
import { CalendarFeedSection, type CalendarFeedView } from "../../../views/partials/calendar-feed.tsx";
import type { CrmShell } from "../../../views/crm-layout.tsx";
import type { Scope } from "../../domain/scope.ts";
import { profileTexts } from "../../i18n/crm/profile.ts";

const ProfileFields = Form({
  name: OptText(),
  phone: OptText(),
  whatsapp: OptText(),
  car: OptText(),
  transmission: OptText(),
  pricePerHourKzt: OptText(),
  kaspiUrl: OptText(),
  halykUrl: OptText(),
});

type InstructorScope = Extract<Scope, { kind: "instructor" }>;

export function instructorRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  // Each section file is its own area plugin (its own prefix): mounted side by side here.
  const sections = new Elysia().use(instructorStatsRoutes(deps)).use(availabilityRoutes(deps)).use(lessonRoutes(deps));
  /** The profile page; `feed` is the calendar card as an action left it (else as stored). */
  const profilePage = async (request: Request, scope: InstructorScope, shell: CrmShell, base: string, tag: string | undefined, feed?: Partial<CalendarFeedView>) => {
    const share = shareView(config.telegramBotUsername, base, scope, tag, shell.language);
    const [instructor, enabled] = await Promise.all([getInstructor(db, scope), feed?.enabled ?? hasFeed(db, scope)]);
    return page(
      request,
      shell,
      { title: profileTexts[shell.language].title, active: "profile", status: share.error ? 422 : 200 },
      <>
        <InstructorProfileForm base={base} v={instructor} language={shell.language} />
        <ShareSection {...share} />
        <CalendarFeedSection base={base} csrfToken={shell.csrfToken} language={shell.language} {...feed} enabled={enabled} />
      </>,
    );
  };
  // The calendar card's answer: the card for htmx, the whole profile for a plain form (the new
  // URL cannot survive a redirect: it is shown once, in this answer).
  const feedAnswer = (request: Request, scope: InstructorScope, shell: CrmShell, base: string, feed: CalendarFeedView) =>
    wantsFragment(request) ? page(request, shell, { title: profileTexts[shell.language].title, active: "profile" }, <CalendarFeedSection {...feed} />) : profilePage(request, scope, shell, base, undefined, feed);
  // The private iCalendar feed (issue 15, iCal part): a new URL (the old stops working), or none.
  // Its own chain: one long chain is too big for the type checker.
  const calendar = crmArea(deps, "instructor")
    .post("/profile/calendar", async ({ request, scope, shell, base }) => {
      const url = config.publicUrl + feedPath(await createFeedToken(db, scope));
      return feedAnswer(request, scope, shell, base, { base, csrfToken: shell.csrfToken, language: shell.language, enabled: true, url });
    }, { body: Form({}) })
    .post("/profile/calendar/revoke", async ({ request, scope, shell, base }) => {
      await revokeFeedToken(db, scope);
      return feedAnswer(request, scope, shell, base, { base, csrfToken: shell.csrfToken, language: shell.language, enabled: false, revoked: true });
    }, { body: Form({}) });
  const own = crmArea(deps, "instructor")
    .get("/profile", ({ request, query, scope, shell, base }) => profilePage(request, scope, shell, base, query.tag), { query: ShareQuery })
    .post("/profile", async ({ request, body: form, scope, shell, base }) => {
      const result = await updateInstructorProfile(db, scope, form, shell.language);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/profile`);
      const view = result.ok ? (
        <InstructorProfileForm base={base} v={result.value} saved language={shell.language} />
      ) : (
        <InstructorProfileForm base={base} v={form} errors={result.errors} language={shell.language} />
      );
      return page(request, shell, { title: profileTexts[shell.language].title, active: "profile", status: result.ok ? 200 : 422 }, view);
    }, { body: ProfileFields });
  // Registered in place (its type is not kept: the whole chain is too big for the type checker).
  sections.use(calendar);
  return sections.use(own);
}
