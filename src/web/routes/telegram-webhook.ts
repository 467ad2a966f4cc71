// POST /telegram/webhook (BOT_MODE=webhook). Registered before the session/CSRF guard: Telegram
// sends no Origin or session; the secret_token header, compared in constant time, is its proof.
import { timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import type { TelegramUpdate } from "../../bot/polling.ts";
import { WEBHOOK_PATH, webhookSecret, type WebhookHandler } from "../../bot/webhook.ts";

function sameSecret(given: string | null, expected: string): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export function telegramWebhook(deps: { secretKey: string; handle: WebhookHandler }) {
  const secret = webhookSecret(deps.secretKey);
  return new Elysia({ name: "telegram-webhook" }).post(WEBHOOK_PATH, async ({ request, body }) => {
    if (!sameSecret(request.headers.get("x-telegram-bot-api-secret-token"), secret)) return new Response("Unauthorized", { status: 401 });
    const update = body as TelegramUpdate | null; // Elysia has parsed the JSON
    if (!update || typeof update !== "object" || !Number.isInteger(update.update_id)) return new Response("Bad Request", { status: 400 });
    // 503 makes Telegram deliver the update again later (the database was away).
    return (await deps.handle(update)) === "retry" ? new Response("Retry later", { status: 503 }) : Response.json({ ok: true });
  });
}
