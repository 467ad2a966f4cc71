// Reviews (issue 16) as test data: a finished application of a school or instructor and its
// student's review, written through the domain (the request a finished application gets, then
// saveReview), so the rows are what the bot would have written.
import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { reviews } from "../../src/db/schema.ts";
import { requestReview, saveReview } from "../../src/domain/reviews.ts";
import * as fx from "./fixtures.ts";

export async function reviewOf(
  db: Db,
  target: { schoolId: number; cityId: number } | { instructorId: number; cityId: number },
  r: { rating: number; comment?: string; showName?: boolean; firstName?: string; at?: Date },
) {
  const st = await fx.createStudent(db, { firstName: r.firstName ?? "Айдана" });
  const app = await fx.createApplication(db, target, { studentId: st.id, status: "schoolId" in target ? "completed" : "accepted" });
  const at = r.at ?? new Date();
  await requestReview(db, app.id, at, "Asia/Almaty");
  const saved = await saveReview(db, st.id, { applicationId: app.id, rating: r.rating, comment: r.comment ?? "", showName: r.showName ?? false }, at);
  if (!saved.ok) throw new Error(`review not saved: ${saved.reason}`);
  const [row] = await db.select().from(reviews).where(eq(reviews.applicationId, app.id));
  return { review: row!, student: st, application: app };
}
