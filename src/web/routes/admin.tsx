// The admin panel at /admin/: one plugin made of the per-noun route groups (admin-*.tsx).
// Every route needs an admin session (admin-common.tsx); app.ts adds this one plugin.
import { adminReviewRoutes } from "./admin-reviews.tsx";
import { Elysia } from "elysia";
import type { CrmDeps } from "../crm.tsx";
import { adminAccountRoutes } from "./admin-accounts.tsx";
import { adminApplicationRoutes } from "./admin-applications.tsx";
import { adminAuditRoutes } from "./admin-audit.tsx";
import { adminCityRoutes } from "./admin-cities.tsx";
import { adminDashboardRoutes } from "./admin-dashboard.tsx";
import { adminInstructorRoutes } from "./admin-instructors.tsx";
import { adminSchoolRoutes } from "./admin-schools.tsx";
import { adminStudentRoutes } from "./admin-students.tsx";

export function adminRoutes(deps: CrmDeps) {
  // Added one by one (Elysia registers in place): one long chain is too big for the type checker.
  const app = new Elysia({ name: "admin", strictPath: true });
  app.use(adminDashboardRoutes(deps));
  app.use(adminCityRoutes(deps));
  app.use(adminSchoolRoutes(deps));
  app.use(adminInstructorRoutes(deps));
  app.use(adminAccountRoutes(deps));
  app.use(adminApplicationRoutes(deps));
  app.use(adminStudentRoutes(deps));
  app.use(adminReviewRoutes(deps)); // reviews (issue 16)
  app.use(adminAuditRoutes(deps));
  return app;
}
