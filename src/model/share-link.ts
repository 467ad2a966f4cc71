// The link a school or an instructor shares (t.me/<bot>?start=s12-instagram): which profile the
// bot opens, and an optional source tag naming where the link was posted. The bot parses start
// payloads with these rules (src/bot/flows/commands.ts) and the CRM builds and checks them with the
// same ones, so a tag the CRM accepts is always one the bot stores as the application's source.

/** A source tag's longest length (the CRM's field and its message say it too). */
export const MAX_SOURCE_TAG = 40;
/** A source tag: Latin letters, digits and "_" (Telegram allows "-" too, but it separates the tag). */
export const SOURCE_TAG_RE = `[A-Za-z0-9_]{1,${MAX_SOURCE_TAG}}`;

/** The source of an application whose student came without a tag (applications.source's default). */
export const UNTAGGED_SOURCE = "bot";

export function isSourceTag(tag: string): boolean {
  return new RegExp(`^${SOURCE_TAG_RE}$`).test(tag);
}

/** Start payloads of a profile: s<id> school, i<id> instructor, c<id> city. */
export const PROFILE_PREFIX = { school: "s", instructor: "i", city: "c" } as const;
export type ProfileKind = keyof typeof PROFILE_PREFIX;

/** A profile's start payload: "s12", or "s12-instagram" with a tag. */
export function startPayload(kind: ProfileKind, id: number, tag?: string): string {
  return `${PROFILE_PREFIX[kind]}${id}${tag ? `-${tag}` : ""}`;
}

/** The deep link that starts the bot with `payload`. */
export function deepLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

/** Parses "s12" / "s12-instagram" (and i…, c…); null when it is not a profile's payload. */
export function parseProfilePayload(payload: string): { kind: ProfileKind; id: number; source?: string } | null {
  const m = payload.match(new RegExp(`^([sic])(\\d{1,9})(?:-(${SOURCE_TAG_RE}))?$`));
  if (!m) return null;
  const kind = ({ s: "school", i: "instructor", c: "city" } as const)[m[1] as "s" | "i" | "c"];
  return { kind, id: Number(m[2]), source: m[3] };
}
