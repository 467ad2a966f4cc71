// The Elysia root: plugins and route groups, nothing else. Handlers call domain/.
import { Elysia } from "elysia";
import type { Database } from "../db/client.ts";
import type { Config } from "../config.ts";
import { errorPages } from "./plugins/errors.tsx";
import { SERVER_BODY_CAP_BYTES, security, undeclaredBodyLimit } from "./plugins/security.tsx";
import { entrances } from "./routes/entrances.tsx";
import { exportRoutes } from "./routes/crm-export.tsx";
import { health, type BotState } from "./routes/health.ts";
import { publicFiles } from "./routes/public.ts";
import { languageRoutes } from "./routes/language.tsx";
import { loginRoutes } from "./routes/login.tsx";
import { applicationRoutes } from "./routes/crm-applications.tsx";
import { paymentRoutes } from "./routes/crm-payments.tsx";
import { mediaRoutes } from "./routes/crm-media.tsx";
import { commonRoutes } from "./routes/crm-common.tsx";
import { schoolRoutes } from "./routes/crm-schools.tsx";
import { instructorRoutes } from "./routes/crm-instructors.tsx";
import { shareRoutes } from "./routes/crm-share.tsx";
import { calendarFeed } from "./routes/calendar-feed.ts";
import { lessonRulesRoutes } from "./routes/crm-lesson-rules.tsx"; // reminders (issue 15)
import { reviewRoutes } from "./routes/crm-reviews.tsx"; // reviews (issue 16)
import { adminRoutes } from "./routes/admin.tsx";
import type { CrmDeps } from "./crm.tsx";
import { simulatorRoutes } from "./routes/simulator.tsx";
import { telegramWebhook } from "./routes/telegram-webhook.ts";
import type { WebhookHandler } from "../bot/webhook.ts";
import type { Simulator } from "../simulator/bot-api.ts";

export interface AppDeps {
  config: Config;
  database: Database;
  botState: () => BotState;
  /** The bot simulator when it stands in for Telegram (see src/simulator/). */
  simulator?: Simulator | null;
  /** Handles an update Telegram POSTs, in webhook mode (BOT_MODE=webhook). */
  botWebhook?: WebhookHandler | null;
}

export function createApp(deps: AppDeps) {
  const crm: CrmDeps = { db: deps.database.db, config: deps.config, security: security({ db: deps.database.db, config: deps.config }) };
  // Bun's body cap sits above the app's 64 KiB limit so that the app, not Bun, answers most
  // oversized bodies: Bun's own 413 carries no security headers (see SERVER_BODY_CAP_BYTES).
  const app = new Elysia({ strictPath: true, serve: { maxRequestBodySize: SERVER_BODY_CAP_BYTES } }).use(errorPages).use(undeclaredBodyLimit);
  // Before the guard: Telegram proves itself with the webhook's secret token, not a session.
  if (deps.botWebhook) app.use(telegramWebhook({ secretKey: deps.config.secretKey, handle: deps.botWebhook }));
  app
    // Session and CSRF guard before every route (see plugins/security.tsx).
    .use(crm.security)
    .use(publicFiles)
    .use(health(deps))
    .use(entrances({ simulator: deps.config.simulator && !deps.config.telegramToken, security: crm.security }))
    .use(loginRoutes(crm))
    .use(languageRoutes(crm));
  // Added one by one (Elysia registers in place): one long chain is too big for the type checker.
  for (const kind of ["school", "instructor"] as const) {
    app.use(applicationRoutes(crm, kind));
    app.use(mediaRoutes(crm, kind));
    app.use(paymentRoutes(crm, kind)); // payments (issue 16)
    app.use(commonRoutes(crm, kind));
    app.use(shareRoutes(crm, kind));
    app.use(lessonRulesRoutes(crm, kind)); // reminders (issue 15)
    app.use(reviewRoutes(crm, kind)); // reviews (issue 16)
    app.use(exportRoutes(crm, kind)); // own applications as CSV (issue 17)
  }
  app.use(schoolRoutes(crm));
  app.use(instructorRoutes(crm));
  app.use(adminRoutes(crm));
  // The instructor's iCalendar feed (issue 15, iCal part): public, the token is the credential.
  app.use(calendarFeed({ db: deps.database.db, config: deps.config }));
  if (deps.config.simulator) app.use(simulatorRoutes({ config: deps.config, security: crm.security, simulator: deps.simulator ?? null }));
  return app;
}

export type App = ReturnType<typeof createApp>;
