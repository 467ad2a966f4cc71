// A student's photo or document, opened from the CRM thread. Found only through an application of
// the logged-in scope (another school's event, or an event of another application, is not found),
// then fetched from the Bot API on demand: Telegram keeps the file, we keep only its file_id.
// The Bot API client is the bot's own (src/bot/telegram-api.ts: timeouts, errors without the
// token); nothing here writes a table.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { applicationEvents, applications } from "../db/schema.ts";
import { telegramApi } from "../bot/telegram-api.ts";
import { contentOf, type ThreadMedia } from "../model/thread-message.ts";
import { ownApplication, type Scope } from "./scope.ts";

/** The Bot API lets a bot download files up to 20 MB (getFile). */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

/**
 * The media of the student's message `eventId` in application `applicationId` of the scope, or
 * null. A payment claim's receipt is the `media` of its 'payment' event (domain/payments.ts).
 */
export async function mediaOf(db: Db, scope: Scope, applicationId: number, eventId: number): Promise<ThreadMedia | null> {
  const [row] = await db
    .select({ payload: applicationEvents.payload })
    .from(applicationEvents)
    .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
    .where(and(eq(applicationEvents.id, eventId), eq(applicationEvents.applicationId, applicationId), inArray(applicationEvents.type, ["message", "payment"]), ownApplication(scope, applicationId)));
  if (!row) return null;
  const content = contentOf(row.payload);
  return "media" in content && content.media ? content.media : null;
}

export type MediaFile = { ok: true; bytes: Blob } | { ok: false; reason: "no_bot" | "too_large" | "unavailable" };

export interface BotApiAccess {
  telegramApiRoot: string;
  telegramToken: string | null;
}

/**
 * Downloads a file by its file_id: getFile names its path, then GET <root>/file/bot<token>/<path>.
 * Bounded in time (`timeoutMs` for each call) and size (`maxBytes`, checked before and while
 * reading); any failure of Telegram is "unavailable", never an exception.
 */
export async function fetchMedia(bot: BotApiAccess, fileId: string, opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<MediaFile> {
  const { timeoutMs = 15_000, maxBytes = MAX_MEDIA_BYTES } = opts;
  if (!bot.telegramToken) return { ok: false, reason: "no_bot" };
  let file: { file_size?: number; file_path?: string };
  try {
    file = await telegramApi(bot.telegramApiRoot, bot.telegramToken, timeoutMs).call("getFile", { file_id: fileId });
  } catch (err) {
    // Telegram refuses getFile for files over its download limit.
    return { ok: false, reason: /too big/i.test((err as Error).message) ? "too_large" : "unavailable" };
  }
  if ((file.file_size ?? 0) > maxBytes) return { ok: false, reason: "too_large" };
  if (!file.file_path) return { ok: false, reason: "unavailable" };
  const path = file.file_path.split("/").map(encodeURIComponent).join("/");
  try {
    const res = await fetch(`${bot.telegramApiRoot}/file/bot${bot.telegramToken}/${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok || !res.body) return { ok: false, reason: "unavailable" };
    if (Number(res.headers.get("content-length") ?? 0) > maxBytes) return (await res.body.cancel(), { ok: false, reason: "too_large" });
    return await readCapped(res.body, maxBytes);
  } catch {
    // The error may carry the URL, which holds the token: it is neither kept nor logged.
    return { ok: false, reason: "unavailable" };
  }
}

/** Reads a stream whole, giving up as soon as it is longer than `maxBytes`. */
async function readCapped(body: ReadableStream<Uint8Array<ArrayBuffer>>, maxBytes: number): Promise<MediaFile> {
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { ok: true, bytes: new Blob(chunks) };
    size += value.byteLength;
    if (size > maxBytes) return (await reader.cancel().catch(() => {}), { ok: false, reason: "too_large" });
    chunks.push(value);
  }
}
