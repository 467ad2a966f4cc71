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

export function instructorRoutes(deps: CrmDeps) {
  const { db, config } = deps;
  // Each section file is its own area plugin (its own prefix): mounted side by side here.
  const sections = new Elysia().use(instructorStatsRoutes(deps)).use(availabilityRoutes(deps)).use(lessonRoutes(deps));
  const own = crmArea(deps, "instructor")
    .get("/profile", async ({ request, query, scope, shell, base }) => {
      const share = shareView(config.telegramBotUsername, base, scope, query.tag);
      return page(
        request,
        shell,
        { title: "Профиль", active: "profile", status: share.error ? 422 : 200 },
        <>
          <InstructorProfileForm base={base} v={await getInstructor(db, scope)} />
          <ShareSection {...share} />
        </>,
      );
    }, { query: ShareQuery })
    .post("/profile", async ({ request, body: form, scope, shell, base }) => {
      const result = await updateInstructorProfile(db, scope, form);
      if (result.ok && !wantsFragment(request)) return seeOther(`${base}/profile`);
      const view = result.ok ? <InstructorProfileForm base={base} v={result.value} saved /> : <InstructorProfileForm base={base} v={form} errors={result.errors} />;
      return page(request, shell, { title: "Профиль", active: "profile", status: result.ok ? 200 : 422 }, view);
    }, { body: ProfileFields });
  return sections.use(own);
}
