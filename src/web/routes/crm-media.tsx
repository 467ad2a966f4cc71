// A photo or document a student sent, opened from the CRM thread: GET
// /crm/<area>/applications/:id/media/:eventId. Only for staff of that application (the domain
// finds the file through the scope, else 404), fetched from Telegram on demand
// (domain/thread-media.ts), served so that nothing a student sends can run on our origin.
import { t } from "elysia";
import { fetchMedia, mediaOf, type MediaFile } from "../../domain/thread-media.ts";
import type { ThreadMedia } from "../../model/thread-message.ts";
import { crmArea, type AreaKind, type CrmDeps } from "../crm.tsx";
import { Id, NOT_FOUND_ID, QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

/** Event ids are bigserial: any safe integer; anything else is a missing page. */
const EventId = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, error: NOT_FOUND_ID });
const MediaParams = t.Object({ id: Id, eventId: EventId });
/** `?size=thumb`: a photo's small size (the thread's thumbnail); any other value is the file itself. */
const MediaQuery = t.Object({ size: QText(10) });

/** Why a student's file cannot be shown, as the status and page staff get. */
const MEDIA_PROBLEMS: Record<Exclude<MediaFile, { ok: true }>["reason"], { status: number; message: string }> = {
  no_bot: { status: 503, message: "Бот не подключён (нет TELEGRAM_BOT_TOKEN): файлы из Telegram недоступны." },
  too_large: { status: 502, message: "Файл больше 20 МБ: Telegram не отдаёт такие боту. Попросите ученика прислать его иначе." },
  unavailable: { status: 502, message: "Telegram сейчас не отдаёт файл. Попробуйте через минуту." },
};

/**
 * How a student's file is served: a photo inline as the JPEG Telegram makes of it; a document
 * always as a download of opaque bytes (a student's HTML must never render on our origin).
 */
function mediaHeaders(media: ThreadMedia): Record<string, string> {
  const common = { "x-content-type-options": "nosniff", "cache-control": "private, max-age=3600" };
  if (media.kind === "photo") return { ...common, "content-type": "image/jpeg", "content-disposition": 'inline; filename="photo.jpg"' };
  const name = media.fileName || "document";
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return { ...common, "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}` };
}

export function mediaRoutes(deps: CrmDeps, kind: AreaKind) {
  return crmArea(deps, kind).get("/applications/:id/media/:eventId", async ({ params, query, scope }) => {
    const media = await mediaOf(deps.db, scope, params.id, params.eventId);
    if (!media) throw new HttpError(404, "Файл не найден.");
    // A message stored before thumbnails were kept has none: its thumbnail is the photo itself.
    const fileId = query.size === "thumb" && media.kind === "photo" && media.thumbFileId ? media.thumbFileId : media.fileId;
    const file = await fetchMedia(deps.config, fileId);
    if (!file.ok) throw new HttpError(MEDIA_PROBLEMS[file.reason].status, MEDIA_PROBLEMS[file.reason].message);
    return new Response(file.bytes, { headers: mediaHeaders(media) });
  }, { params: MediaParams, query: MediaQuery });
}
