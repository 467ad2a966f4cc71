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
import { crmArea, page, type AreaKind, type CrmDeps } from "../crm.tsx";
import { QText } from "../input.ts";
import { HttpError } from "../plugins/errors.tsx";

export const ShareQuery = t.Object({ tag: QText(200) });

const BAD_TAG = `Метка: только латинские буквы, цифры и _, не длиннее ${MAX_SOURCE_TAG} символов.`;
const RESERVED_TAG = `Метка «${UNTAGGED_SOURCE}» занята: так в статистике отмечены заявки без метки.`;

/** The share card's state for a tag as typed: the link, or the tag's error. */
export function shareView(botUsername: string | null, base: string, scope: Scope, rawTag: string | undefined): ShareView & { payload: string } {
  const tag = (rawTag ?? "").trim();
  const error = !tag ? undefined : !isSourceTag(tag) ? BAD_TAG : tag === UNTAGGED_SOURCE ? RESERVED_TAG : undefined;
  const payload = scope.kind === "school" ? startPayload("school", scope.schoolId, error ? undefined : tag) : startPayload("instructor", scope.instructorId, error ? undefined : tag);
  return { base, tag, error, payload, link: botUsername ? deepLink(botUsername, payload) : null };
}

export function shareRoutes(deps: CrmDeps, kind: AreaKind) {
  const { db, config } = deps;
  /** The link of a valid tag; the QR and print routes have nothing to show otherwise. */
  const linkOf = (base: string, scope: Scope, tag: string | undefined) => {
    const view = shareView(config.telegramBotUsername, base, scope, tag);
    if (!view.link) throw new HttpError(404, "Имя бота не настроено: ссылки пока нет.");
    if (view.error) throw new HttpError(400, view.error);
    return { ...view, link: view.link };
  };
  const nameOf = async (scope: Scope) => (scope.kind === "school" ? (await getSchool(db, scope)).name : (await getInstructor(db, scope)).name);

  return crmArea(deps, kind)
    .get("/share", ({ request, query, scope, shell, base }) => {
      const view = shareView(config.telegramBotUsername, base, scope, query.tag);
      return page(request, shell, { title: "Профиль", active: "profile", status: view.error ? 422 : 200 }, <ShareSection {...view} />);
    }, { query: ShareQuery })
    .get("/share/qr.svg", async ({ query, scope, base }) => {
      const { link, payload } = linkOf(base, scope, query.tag);
      return new Response(await qrSvg(link), {
        headers: {
          "content-type": "image/svg+xml; charset=utf-8",
          "content-disposition": `attachment; filename="avtomat-qr-${payload}.svg"`,
          "cache-control": "private, max-age=3600",
        },
      });
    }, { query: ShareQuery })
    .get("/share/print", async ({ request, query, scope, shell, base }) => {
      const view = linkOf(base, scope, query.tag);
      return page(request, shell, { title: "QR-код для печати", active: "profile" }, <SharePrintSheet base={base} name={await nameOf(scope)} link={view.link} tag={view.tag} />);
    }, { query: ShareQuery });
}
