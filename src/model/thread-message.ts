// What a student's message in the conversation can be (src/domain/thread.ts stores it as an
// application_events 'message' payload). Pure: the bot reads a Telegram message into this shape,
// the CRM and the staff alert read it back.

/** Media the bot relays by Telegram file_id (nothing is downloaded to relay them). */
export const MEDIA_KINDS = ["photo", "document"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export interface ThreadMedia {
  kind: MediaKind;
  fileId: string;
  /** A photo's small size (about THUMB_SIZE px), for the CRM's thumbnail; absent: the thumbnail is the full photo. */
  thumbFileId?: string;
  fileName?: string;
  mime?: string;
  size?: number;
}

/** The side, in px, of the photo size kept for a thumbnail (Telegram makes 90, 320, 800, 1280…). */
export const THUMB_SIZE = 320;

/** Message kinds the bot cannot relay: the thread records them as a note ("стикер"). */
export const UNSUPPORTED_KINDS = ["sticker", "voice", "video_note", "video", "audio", "animation", "location", "contact", "poll", "other"] as const;
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

/** A student's message: text (or a media caption) with optional media, or a kind we do not relay. */
export type StudentContent = { text: string; media?: ThreadMedia } | { unsupported: UnsupportedKind };

/** Telegram's limit for one message's text, in characters (Bot API sendMessage). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** The longest text a thread message keeps (a student's message is at most one Telegram message). */
export const MAX_THREAD_TEXT = TELEGRAM_TEXT_LIMIT;

/**
 * Cuts a text into pieces of at most `limit` characters for Telegram, preferring a line break,
 * then a space, near the end of each piece; never splits a surrogate pair.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(" ", limit);
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // a high surrogate stays with its pair
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}

/** The payload stored for a message, checked when read back (jsonb from the database). */
export function contentOf(payload: Record<string, unknown>): StudentContent {
  if (typeof payload.unsupported === "string" && (UNSUPPORTED_KINDS as readonly string[]).includes(payload.unsupported)) {
    return { unsupported: payload.unsupported as UnsupportedKind };
  }
  const text = typeof payload.text === "string" ? payload.text : "";
  const m = payload.media as Partial<ThreadMedia> | undefined;
  const media =
    m && typeof m.fileId === "string" && (MEDIA_KINDS as readonly string[]).includes(m.kind as string)
      ? { kind: m.kind as MediaKind, fileId: m.fileId, thumbFileId: typeof m.thumbFileId === "string" ? m.thumbFileId : undefined, fileName: typeof m.fileName === "string" ? m.fileName : undefined, mime: typeof m.mime === "string" ? m.mime : undefined, size: typeof m.size === "number" ? m.size : undefined }
      : undefined;
  return media ? { text, media } : { text };
}
