// GET /healthz: 200 when the database answers, 503 when not; says what the bot is doing.
import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";

/** "standby": another instance holds the poller lock; this one delivers the outbox only. */
export type BotState = "off" | "starting" | "standby" | "polling" | "webhook" | "stopping" | "stopped" | "failed";

export function health(deps: { database: Database; botState: () => BotState }) {
  return new Elysia({ name: "health" }).get("/healthz", async () => {
    const up = await deps.database.ping(1500);
    const body = { status: up ? "ok" : "unavailable", database: up ? "up" : "down", bot: deps.botState() };
    return Response.json(body, { status: up ? 200 : 503, headers: { "cache-control": "no-store" } });
  });
}
