// Reads a Telegram message (raw Bot API object) into what the conversation stores: text, a photo
// or a document by file_id with the caption as text, or the kind of message we do not relay.
import { MAX_THREAD_TEXT, THUMB_SIZE, type StudentContent, type ThreadMedia, type UnsupportedKind } from "../model/thread-message.ts";

interface TgPhotoSize {
  file_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface TgContentMessage {
  text?: string;
  caption?: string;
  photo?: TgPhotoSize[];
  document?: { file_id: string; file_name?: string; mime_type?: string; file_size?: number };
  sticker?: unknown;
  voice?: unknown;
  video_note?: unknown;
  video?: unknown;
  audio?: unknown;
  animation?: unknown;
  location?: unknown;
  venue?: unknown;
  contact?: unknown;
  poll?: unknown;
}

// Checked before `document`: Telegram also fills `document` for an animation (GIF).
const UNSUPPORTED_FIELDS: [keyof TgContentMessage, UnsupportedKind][] = [
  ["sticker", "sticker"], ["voice", "voice"], ["video_note", "video_note"], ["video", "video"], ["audio", "audio"],
  ["animation", "animation"], ["venue", "location"], ["location", "location"], ["contact", "contact"], ["poll", "poll"],
];

/** The largest size Telegram made of a photo (the sizes come smallest first; compare anyway). */
function largest(sizes: TgPhotoSize[]): TgPhotoSize | undefined {
  return sizes.reduce<TgPhotoSize | undefined>((best, s) => (!best || s.width * s.height > best.width * best.height ? s : best), undefined);
}

/** The size for a thumbnail: the smallest whose longer side reaches THUMB_SIZE, else the largest below it. */
function thumbOf(sizes: TgPhotoSize[]): TgPhotoSize | undefined {
  const side = (s: TgPhotoSize) => Math.max(s.width, s.height);
  const big = sizes.filter((s) => side(s) >= THUMB_SIZE);
  const pool = big.length ? big : sizes;
  return pool.reduce<TgPhotoSize | undefined>((best, s) => (!best || (big.length ? side(s) < side(best) : side(s) > side(best)) ? s : best), undefined);
}

const clip = (text: string | undefined) => (text ?? "").slice(0, MAX_THREAD_TEXT);

export function studentContentOf(m: TgContentMessage): StudentContent {
  if (typeof m.text === "string") return { text: clip(m.text) };
  for (const [field, kind] of UNSUPPORTED_FIELDS) if (m[field] !== undefined) return { unsupported: kind };
  const photo = Array.isArray(m.photo) ? largest(m.photo) : undefined;
  const thumb = Array.isArray(m.photo) ? thumbOf(m.photo) : undefined;
  let media: ThreadMedia | undefined;
  if (photo?.file_id) {
    const thumbFileId = thumb?.file_id && thumb.file_id !== photo.file_id ? thumb.file_id : undefined;
    media = { kind: "photo", fileId: photo.file_id, ...(thumbFileId ? { thumbFileId } : {}), ...(photo.file_size ? { size: photo.file_size } : {}) };
  }
  else if (m.document?.file_id) {
    const d = m.document;
    media = { kind: "document", fileId: d.file_id, ...(d.file_name ? { fileName: d.file_name } : {}), ...(d.mime_type ? { mime: d.mime_type } : {}), ...(d.file_size ? { size: d.file_size } : {}) };
  }
  return media ? { text: clip(m.caption), media } : { unsupported: "other" };
}
