// Reviews (issue 16): the student rates the school or instructor of a finished application (the
// job's question, or "Оставить отзыв" in /my), then types an optional comment, then says whether
// to show their first name; the review is saved with that last answer (domain/reviews.ts, in the
// update's transaction). The draft between the questions is kept in the conversation state
// (FlowState.review) beside the flow, so a student in the middle of applying somewhere else loses
// nothing. Only the draft's own buttons and the very next message may answer it: any other update
// (/start, /help, /my, another button) leaves it (engine.ts runUpdate), and so does the flow
// step's own input (the phone, the name), so a later message is never taken for the comment. Every press is checked again against the database: a
// forged or stale button (another student's application, one not finished, a subject already
// reviewed) is refused with a clear message and nothing is saved.
import type { TelegramPerson } from "../../domain/students.ts";
import { reviewTargetFor, saveReview, type ReviewRefusal } from "../../domain/reviews.ts";
import { MAX_REVIEW_TEXT } from "../../model/review.ts";
import { askComment, askShowName, reviewAsk, reviewWords } from "../../notify/review.ts";
import { ratingButtons, reviewNameData, reviewNoCommentData } from "../callback-data.ts";
import type { ReviewDraft } from "../conversation.ts";
import { forgetReview, runUpdate, save, type EngineDeps, type Turn } from "../engine.ts";
import { edit, send, type Outgoing, type Reply } from "../replies.ts";

type Via = { messageId: number; callbackId: string };

function setDraft(turn: Turn, draft: ReviewDraft | undefined): void {
  const { review: _, ...rest } = turn.state;
  turn.state = draft ? { ...rest, review: draft } : rest;
  save(turn);
}

function refusal(turn: Turn, reason: ReviewRefusal | "bad_rating" | "too_long"): string {
  const d = reviewWords(turn.c.student.language);
  return reason === "already" ? d.already : reason === "not_finished" ? d.notFinished : turn.c.text.outdatedButton;
}

const nameButtons = (applicationId: number) => ({ show: reviewNameData.pack({ id: applicationId, show: 1 }), anonymous: reviewNameData.pack({ id: applicationId, show: 0 }) });

/** "Оставить отзыв" in /my: the rating question as a new message (the list stays). */
export function onReviewOpen(deps: EngineDeps, updateId: number, person: TelegramPerson, applicationId: number, via: Via): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const found = await reviewTargetFor(turn.c.tx, turn.c.student.id, applicationId);
    if (!found.ok) return [{ kind: "answer", callbackId: via.callbackId, text: refusal(turn, found.reason) }];
    const t = found.target;
    return [{ kind: "answer", callbackId: via.callbackId }, send(reviewAsk(turn.c.student.language, { number: t.publicNumber, kind: t.kind, name: t.name, reminder: false }, ratingButtons(t.applicationId)))];
  });
}

/** A rating pressed: checked, kept in the draft, and the comment asked for in place of the question. */
export function onReviewRate(deps: EngineDeps, updateId: number, person: TelegramPerson, press: { applicationId: number; rating: number }, via: Via): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const found = await reviewTargetFor(turn.c.tx, turn.c.student.id, press.applicationId);
    if (!found.ok) return [{ kind: "answer", callbackId: via.callbackId, text: refusal(turn, found.reason) }];
    setDraft(turn, { applicationId: press.applicationId, rating: press.rating });
    return [{ kind: "answer", callbackId: via.callbackId }, edit(via.messageId, askComment(turn.c.student.language, press.rating, reviewNoCommentData.pack({ id: press.applicationId })))];
  });
}

/** "Без комментария": only for the draft waiting for its comment; then the name question. */
export function onReviewNoComment(deps: EngineDeps, updateId: number, person: TelegramPerson, applicationId: number, via: Via): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const draft = turn.state.review;
    if (!draft || draft.applicationId !== applicationId || draft.comment !== undefined) return [{ kind: "answer", callbackId: via.callbackId, text: turn.c.text.outdatedButton }];
    setDraft(turn, { ...draft, comment: "" });
    return [{ kind: "answer", callbackId: via.callbackId }, edit(via.messageId, askShowName(turn.c.student.language, nameButtons(applicationId)))];
  }, { keepReview: true });
}

/**
 * The message right after the rating: the draft's only chance to get its comment. Anything else
 * (`take` false: a /command, the step's own input; or a draft past its comment) leaves the draft.
 */
function waitingDraft(turn: Turn, take: boolean): ReviewDraft | null {
  const draft = turn.state.review;
  if (draft && take && draft.comment === undefined) return draft;
  if (draft) forgetReview(turn);
  return null;
}

/**
 * Typed text while a draft waits for its comment: the comment (too long: said, and asked again).
 * Null when no draft waits or `take` is false (a /command, the flow step's own input such as the
 * phone or the name): the text is someone else's business (onText), and the draft is left.
 */
export function reviewComment(turn: Turn, input: string, take: boolean): Reply[] | null {
  const draft = waitingDraft(turn, take);
  if (!draft) return null;
  const lang = turn.c.student.language;
  const comment = input.trim();
  if (comment.length > MAX_REVIEW_TEXT) {
    const again = askComment(lang, draft.rating, reviewNoCommentData.pack({ id: draft.applicationId }));
    return [send({ ...again, text: `${reviewWords(lang).tooLong(MAX_REVIEW_TEXT, comment.length)}\n\n${again.text}` })];
  }
  setDraft(turn, { ...draft, comment });
  return [send(askShowName(lang, nameButtons(draft.applicationId)))];
}

/**
 * A photo, a file, a sticker… right after the rating: refused, nothing kept, asked again. Null
 * without such a draft or with `take` false (the flow step's own input): the draft is then left.
 */
export function reviewNonText(turn: Turn, take: boolean): Reply[] | null {
  const draft = waitingDraft(turn, take);
  if (!draft) return null;
  const lang = turn.c.student.language;
  const again = askComment(lang, draft.rating, reviewNoCommentData.pack({ id: draft.applicationId }));
  return [send({ ...again, text: `${reviewWords(lang).notText}\n\n${again.text}` })];
}

/** "Показать имя" / "Анонимно": the review is saved (or refused, nothing saved) and the draft ends. */
export function onReviewName(deps: EngineDeps, updateId: number, person: TelegramPerson, press: { applicationId: number; show: boolean }, via: Via): Promise<Outgoing | null> {
  return runUpdate(deps, updateId, person, async (turn) => {
    const draft = turn.state.review;
    if (!draft || draft.applicationId !== press.applicationId || draft.comment === undefined) return [{ kind: "answer", callbackId: via.callbackId, text: turn.c.text.outdatedButton }];
    const result = await saveReview(turn.c.tx, turn.c.student.id, { applicationId: draft.applicationId, rating: draft.rating, comment: draft.comment, showName: press.show }, turn.c.now);
    setDraft(turn, undefined);
    if (!result.ok) return [{ kind: "answer", callbackId: via.callbackId, text: refusal(turn, result.reason) }, edit(via.messageId, { text: refusal(turn, result.reason) })];
    return [{ kind: "answer", callbackId: via.callbackId }, edit(via.messageId, { text: reviewWords(turn.c.student.language).thanks })];
  }, { keepReview: true });
}
