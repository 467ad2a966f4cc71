// GET /calendar/<token>.ics: an instructor's private iCalendar feed (src/domain/ical-feed.ts).
// No session: the secret token in the path is the credential, so an unknown, revoked or
// malformed one is the same plain 404 (nothing tells them apart). The security headers come
// from the security plugin like every answer; the path never reaches a log (src/log.ts).
import { Elysia, t } from "elysia";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { feedCalendar, feedLessons, findFeed, FEED_TTL_SECONDS } from "../../domain/ical-feed.ts";
import { NOT_FOUND_ID } from "../input.ts";

/**
 * `<token>.ics`. No length bound here: the token's exact shape is checked by findFeed before any
 * query, so anything else (too long included) gets the same plain 404 as an unknown token.
 */
const FeedParams = t.Object({ file: t.String({ error: NOT_FOUND_ID }) });

const notFound = () => new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export function calendarFeed(deps: { db: Db; config: Config; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return new Elysia({ name: "calendar-feed" }).get(
    "/calendar/:file",
    async ({ params }) => {
      if (!params.file.endsWith(".ics")) return notFound();
      const owner = await findFeed(deps.db, params.file.slice(0, -".ics".length));
      if (!owner) return notFound();
      const at = now();
      const body = feedCalendar(owner, await feedLessons(deps.db, owner.instructorId, at), { publicUrl: deps.config.publicUrl, timeZone: deps.config.timeZone, now: at });
      return new Response(body, {
        headers: {
          "content-type": "text/calendar; charset=utf-8",
          "content-disposition": 'inline; filename="avtomat.ics"',
          // Private to the one subscriber; calendars poll at the feed's own interval.
          "cache-control": `private, max-age=${Math.min(FEED_TTL_SECONDS, 300)}`,
          "x-robots-tag": "noindex",
        },
      });
    },
    { params: FeedParams },
  );
}
