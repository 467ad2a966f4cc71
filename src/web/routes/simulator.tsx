// The bot simulator's web side: the page at /simulator/ and the small JSON endpoints its script
// uses. The student's actions become Telegram updates in the in-process Bot API
// (src/simulator/bot-api.ts) that the real bot polls; the page follows the chat by long-polling
// GET /simulator/chats/:id?after=<version> (answers at once when the chat changed after that
// version, else when it changes or after 20 s).
//
// Mounted only when the simulator is enabled (config.simulator). In production every route here
// needs an administrator's session (403 otherwise). The POSTs go through the app's security guard
// like every other: the Origin must be ours, and with a session the X-CSRF-Token header must
// match (the page reads the token from GET /simulator/csrf, so logging into the CRM in another
// tab does not break it).
import { Elysia, t } from "elysia";
import { said } from "../../i18n/admin/errors.ts";
import type { Config } from "../../config.ts";
import { BotApiError, type Simulator, type Transcript } from "../../simulator/bot-api.ts";
import { displayPhone, isSimulatedId, SIMULATED_STUDENTS } from "../../simulator/students.ts";
import { SimulatorPage } from "../../../views/pages/simulator.tsx";
import { htmlResponse } from "../html.ts";
import { IdParams, INT4_MAX, Text } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import type { Security } from "../plugins/security.tsx";

/** How long a page's GET /simulator/chats/:id waits for news (below the server's 30 s idle timeout). */
export const LONG_POLL_MS = 20_000;

const noStore = { "cache-control": "no-store" };

/** The simulated student's chat id (a path id, see IdParams), or 404. */
function chatIdOf(id: number): number {
  if (!isSimulatedId(id)) throw new HttpError(404, said("simulatorNoStudent"));
  return id;
}

/** A student action's answer: {ok: true}, or the simulator's refusal as JSON with its status. */
function act(work: () => unknown): Response {
  try {
    work();
    return Response.json({ ok: true }, { headers: noStore });
  } catch (err) {
    if (err instanceof BotApiError) return Response.json({ ok: false, error: err.description }, { status: err.code, headers: noStore });
    throw err;
  }
}

export interface SimulatorDeps {
  config: Config;
  security: Security;
  /** null when a real TELEGRAM_BOT_TOKEN is set: the page then says the real Telegram is in use. */
  simulator: Simulator | null;
}

export function simulatorRoutes(deps: SimulatorDeps) {
  const { config, simulator } = deps;
  const running = (): Simulator => {
    if (!simulator) throw new HttpError(409, said("simulatorOff"));
    return simulator;
  };
  const json = (transcript: Transcript) => Response.json(transcript, { headers: noStore });

  return (
    new Elysia({ name: "simulator", strictPath: true })
      .use(deps.security)
      // Production: only for administrators, whatever else holds.
      .onBeforeHandle(({ user }) => {
        if (config.env === "production" && user?.account.role !== "admin")
          throw new HttpError(403, said("simulatorAdminOnly"));
      })
      .get("/simulator", () => new Response(null, { status: 308, headers: { location: "/simulator/" } }))
      .get("/simulator/", ({ user }) =>
        htmlResponse(
          <SimulatorPage
            students={SIMULATED_STUDENTS.map((s) => ({ ...s, phone: displayPhone(s.id) }))}
            realTelegram={!simulator}
            csrfToken={user?.csrfToken}
          />,
          200,
          noStore,
        ),
      )
      .get("/simulator/csrf", ({ user }) => Response.json({ token: user?.csrfToken ?? null }, { headers: noStore }))
      .get(
        "/simulator/chats/:id",
        async ({ params, query, request }) => {
          const after = query.after === undefined ? -1 : query.after;
          return json(await running().waitForChange(chatIdOf(params.id), after, after < 0 ? 0 : LONG_POLL_MS, request.signal));
        },
        { params: IdParams, query: t.Object({ after: t.Optional(t.Integer({ minimum: -1, maximum: INT4_MAX })) }) },
      )
      .post("/simulator/chats/:id/send", ({ params, body }) => act(() => running().sendText(chatIdOf(params.id), body.text)), {
        params: IdParams,
        body: t.Object({ text: Text(4096, 1) }),
      })
      .post("/simulator/chats/:id/press", ({ params, body }) => act(() => running().press(chatIdOf(params.id), body.messageId, body.data)), {
        params: IdParams,
        body: t.Object({ messageId: t.Integer({ minimum: 1, maximum: INT4_MAX }), data: Text(64, 1) }),
      })
      .post("/simulator/chats/:id/contact", ({ params }) => act(() => running().shareContact(chatIdOf(params.id))), { params: IdParams })
      .post("/simulator/chats/:id/profile", ({ params, body }) => act(() => running().setProfile(chatIdOf(params.id), { firstName: body.firstName.trim() || "Студент", language: body.language })), {
        params: IdParams,
        body: t.Object({ firstName: Text(64, 1), language: t.Union([t.Literal("ru"), t.Literal("kk")]) }),
      })
  );
}
