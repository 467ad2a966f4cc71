// The share link and its QR code, in both CRM areas (GET …/share, …/share/qr.svg, …/share/print):
// t.me/<bot>?start=s<id>[-<tag>] for a school, i<id>[-<tag>] for an instructor. Read-only: the
// tag lives only in the link (the bot stores it as the application's source), so a bad tag is a
// message at the field and changes nothing.
import { t } from "elysia";
import { getInstructor, getSchool } from "../../domain/profile.ts";
import type { Scope } from "../../domain/scope.ts";
import { deepLink, isSourceTag, MAX_SOURCE_TAG, startPayload, UNTAGGED_SOURCE } from "../../model/share-link.ts";
import { SharePrintSheet, ShareSection, type ShareView } from "../../../views/pages/crm/share.tsx";
import { qrSvg } from "../../../views/qr-code.ts";
import { inLanguage } from "../../model/content.ts";
import { crmArea, page, type AreaKind, type CrmDeps } from "../crm.tsx";
import { QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";
import { profileTexts } from "../../i18n/crm/profile.ts";
import type { Language } from "../../db/schema.ts";

export const ShareQuery = t.Object({ tag: QText(200) });

/** The share card's state for a tag as typed: the link, or the tag's error (in the page's language). */
export function shareView(botUsername: string | null, base: string, scope: Scope, rawTag: string | undefined, language: Language): ShareView & { payload: string } {
  const tag = (rawTag ?? "").trim();
  const T = profileTexts[language];
  const error = !tag ? undefined : !isSourceTag(tag) ? T.badTag(MAX_SOURCE_TAG) : tag === UNTAGGED_SOURCE ? T.reservedTag(UNTAGGED_SOURCE) : undefined;
  const payload = scope.kind === "school" ? startPayload("school", scope.schoolId, error ? undefined : tag) : startPayload("instructor", scope.instructorId, error ? undefined : tag);
  return { base, tag, error, payload, link: botUsername ? deepLink(botUsername, payload) : null, language };
}

export function shareRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  /** The link of a valid tag; the QR and print routes have nothing to show otherwise. */
  const linkOf = (base: string, scope: Scope, tag: string | undefined, language: Language) => {
    const view = shareView(config.telegramBotUsername, base, scope, tag, language);
    if (!view.link) throw new HttpError(404, profileTexts[language].noBotLink);
    if (view.error) throw new HttpError(400, view.error);
    return { ...view, link: view.link };
  };
  /** The name the sheet prints: a school's in the page's language (its Kazakh name when written). */
  const nameOf = async (scope: Scope, language: Language) => {
    if (scope.kind !== "school") return (await getInstructor(db, scope)).name;
    const school = await getSchool(db, scope);
    return inLanguage(language, school.name, school.nameKk);
  };

  return crmArea(deps, kind)
    .get("/share", ({ request, query, scope, shell, base }) => {
      const view = shareView(config.telegramBotUsername, base, scope, query.tag, shell.language);
      return page(request, shell, { title: profileTexts[shell.language].title, active: "profile", status: view.error ? 422 : 200 }, <ShareSection {...view} />);
    }, { query: ShareQuery })
    .get("/share/qr.svg", async ({ query, scope, base, shell }) => {
      const { link, payload } = linkOf(base, scope, query.tag, shell.language);
      return new Response(await qrSvg(link), {
        headers: {
          "content-type": "image/svg+xml; charset=utf-8",
          "content-disposition": `attachment; filename="avtomat-qr-${payload}.svg"`,
          "cache-control": "private, max-age=3600",
        },
      });
    }, { query: ShareQuery })
    .get("/share/print", async ({ request, query, scope, shell, base }) => {
      const view = linkOf(base, scope, query.tag, shell.language);
      const sheet = <SharePrintSheet base={base} name={await nameOf(scope, shell.language)} link={view.link} tag={view.tag} language={shell.language} />;
      return page(request, shell, { title: profileTexts[shell.language].printTitle, active: "profile" }, sheet);
    }, { query: ShareQuery });
}
