// Which language a CRM/admin page speaks (issue 17): the one the person chose (stored on their
// account, or, before login, in a cookie), else the browser's preference (Accept-Language), else
// Russian. The choice is made with POST /language (routes/language.tsx).
import type { Language } from "../db/schema.ts";

export const LANGUAGE_COOKIE = "avtomat_lang";

/** The browser's preferred language among ours: the highest-weighted kk* or ru* entry; Russian when neither. */
export function languageFromAcceptLanguage(header: string | null | undefined): Language {
  let best: { language: Language; q: number } | null = null;
  for (const part of (header ?? "").split(",").slice(0, 20)) {
    const [tag = "", ...params] = part.trim().toLowerCase().split(";");
    const language: Language | null = tag.startsWith("kk") ? "kk" : tag.startsWith("ru") ? "ru" : null;
    if (!language) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? "ru";
}

const LANGUAGE_IN_COOKIES = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=(ru|kk)(?:;|$)`);

/** The language cookie's value, if it holds one of ours. */
export function languageFromCookie(cookieHeader: string | null | undefined): Language | null {
  const m = (cookieHeader ?? "").match(LANGUAGE_IN_COOKIES);
  return (m?.[1] as Language | undefined) ?? null;
}

/** The page's language: the account's choice, the cookie's, the browser's. */
export function requestLanguage(request: Request, chosen: Language | null | undefined): Language {
  return chosen ?? languageFromCookie(request.headers.get("cookie")) ?? languageFromAcceptLanguage(request.headers.get("accept-language"));
}

/** The Set-Cookie value remembering a choice for a year (also before login, on the login pages). */
export function languageCookie(language: Language, secure: boolean): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;
}

/**
 * A path to go back to after switching: a path of this site ("/crm/…", "/admin/…"), never another
 * site. Control characters and backslashes are refused outright: browsers drop tabs and newlines
 * from a URL and read "\\" as "/", so "/\t/evil.example" would become "//evil.example".
 */
export function safeBackPath(back: string | undefined): string {
  if (!back || !back.startsWith("/") || back.startsWith("//") || /[\x00-\x1f\x7f\\]/.test(back)) return "/";
  return back;
}
