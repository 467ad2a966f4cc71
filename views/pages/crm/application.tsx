// One application: the student, the course, the status with its buttons, the conversation
// (views/partials/thread.tsx) with the reply form, and notes. Each form answers with the piece it
// changed and tells the thread to fetch its new entries (htmx), or the page reloads (no JS).
import type { ApplicationDetails, HistoryEntry, InboxRow } from "../../../src/domain/inbox.ts";
import type { Template } from "../../../src/domain/templates.ts";
import { PLACEHOLDERS } from "../../../src/domain/templates.ts";
import { MAX_REPLY } from "../../../src/domain/thread.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { dateTime, offerFacts, phoneOrigin, sourceName } from "../../format.ts";
import { t } from "../../../src/i18n/index.ts";
import { applicationTexts } from "../../../src/i18n/crm/application.ts";
import type { Language } from "../../../src/db/schema.ts";
import { formatPhone } from "../../../src/model/phone.ts";
import { whatsappLink } from "../../../src/model/whatsapp.ts";
import { courseOf, RejectForm, StatusActions } from "../../partials/application-row.tsx";
import { Thread } from "../../partials/thread.tsx";
import type { LessonItem } from "../../../src/domain/lesson-lists.ts";
import { formatTime } from "../../../src/i18n/format.ts";
import { localDay } from "../../../src/model/time.ts";
import { lessonWhen, stateNote, stateText } from "./lesson-card.tsx";
import { lessonTexts } from "../../../src/i18n/crm/lessons.ts";
import { UserText } from "../../components/user-text.tsx";
import type { Payment } from "../../../src/domain/payments.ts";
import { PaymentBlock } from "../../partials/payment-block.tsx";
import { lessonTime } from "../../../src/notify/catalog.ts";

/** The application's lessons, each linking to its week (where it can be moved or cancelled), and planning another. */
export function ApplicationLessons({ lessons, base, zone, language, appId, canPlan }: { lessons: LessonItem[]; base: string; zone: string; language: Language; appId: number; canPlan: boolean }) {
  const LT = lessonTexts[language];
  return (
    <section class="card" id="application-lessons">
      <h2 safe>{LT.appLessons}</h2>
      {lessons.length === 0 ? <p class="empty" safe>{LT.appNoLessons}</p> : ""}
      <ul class="app-lessons">
        {lessons.map((l) => (
          <li id={`app-lesson-${l.id}`} data-state={l.state}>
            <a href={`${base}/week?start=${localDay(zone, l.startsAt)}#lesson-${l.id}`} safe>
              {`${lessonWhen(l.startsAt, zone)}–${formatTime(new Date(l.startsAt.getTime() + l.minutes * 60_000), zone)}`}
            </a>{" "}
            <span class={`badge lesson-state-${l.state}`} safe>
              {stateText(l, language)}
            </span>
            {stateNote(l, language).map((n) => (
              <span class="badge lesson-note" safe>
                {` ${n}`}
              </span>
            ))}
            {l.place ? <small class="muted" safe>{` 📍 ${l.place}`}</small> : ""}
          </li>
        ))}
      </ul>
      {canPlan ? (
        <p>
          <a href={`${base}/lessons?application=${appId}`} safe>
            {`${LT.planOne} →`}
          </a>
        </p>
      ) : (
        ""
      )}
    </section>
  );
}

/** `oob`: sent beside another piece (the payment block) whose change moved the status, to replace itself by id. */
export function StatusPanel({ row, base, language, notice, rejecting, rejectError, oob }: { row: InboxRow; base: string; language: Language; notice?: string; rejecting?: boolean; rejectError?: string; oob?: boolean }) {
  return (
    <div id="status-panel" class="status-panel" data-status={row.status} hx-swap-oob={oob ? "true" : undefined}>
      <p>
        <span safe>{applicationTexts[language].status}</span> <StatusBadge status={row.status} language={language} />
      </p>
      {notice ? (
        <p class="notice" role="alert" safe>
          {notice}
        </p>
      ) : (
        ""
      )}
      {rejecting ? <RejectForm row={row} base={base} view="panel" language={language} error={rejectError} /> : <StatusActions row={row} base={base} target="#status-panel" language={language} />}
    </div>
  );
}

/**
 * The thread without polling or media links, as the admin panel shows an application's history.
 */
export function History({ history, zone, studentName, lessons = [], language }: { history: HistoryEntry[]; zone: string; studentName: string; lessons?: { id: number; startsAt: Date; minutes: number }[]; language: Language }) {
  return <Thread entries={history} ctx={{ zone, language, studentName, lessons: new Map(lessons.map((l) => [l.id, l])) }} />;
}

export function ReplyForm({ base, id, templates, language, errors = {}, text = "", templateId = "", sent }: { base: string; id: number; templates: Template[]; language: Language; errors?: Record<string, string>; text?: string; templateId?: string; sent?: boolean }) {
  const say = applicationTexts[language].reply;
  return (
    <form id="reply-form" method="post" action={`${base}/applications/${id}/reply`} hx-post={`${base}/applications/${id}/reply`} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{say.title}</h2>
      {sent ? (
        <p class="ok" role="status" safe>
          {say.sent}
        </p>
      ) : (
        ""
      )}
      <label class={errors.template ? "field invalid" : "field"}>
        <span safe>{say.template}</span>
        <select name="templateId">
          <option value="" safe>
            {say.noTemplate}
          </option>
          {templates.map((t) => (
            <option value={String(t.id)} selected={String(t.id) === templateId} safe>
              {/* With a Kazakh text the student gets their language's version. */}
              {t.bodyKk ? `${t.title} ${say.bothLanguages}` : t.title}
            </option>
          ))}
        </select>
        {errors.template ? <small class="error" role="alert" safe>{errors.template}</small> : ""}
      </label>
      <label class={errors.text ? "field invalid" : "field"}>
        <span safe>{say.ownText}</span>
        <textarea name="text" rows="3" maxlength={String(MAX_REPLY)} safe>
          {text}
        </textarea>
        {errors.text ? <small class="error" role="alert" safe>{errors.text}</small> : ""}
      </label>
      <small class="hint">
        <span safe>{say.placeholders}</span>
        {Object.keys(PLACEHOLDERS).map((p) => (
          <>
            {" "}
            <code safe>{p}</code>
          </>
        ))}
      </small>
      <button type="submit" safe>
        {say.send}
      </button>
    </form>
  );
}

export function NoteForm({ base, id, language, error, text = "" }: { base: string; id: number; language: Language; error?: string; text?: string }) {
  const say = applicationTexts[language].note;
  return (
    <form id="note-form" method="post" action={`${base}/applications/${id}/notes`} hx-post={`${base}/applications/${id}/notes`} hx-target="this" hx-swap="outerHTML">
      <h2 safe>{say.title}</h2>
      <label class={error ? "field invalid" : "field"}>
        <span safe>{say.hint}</span>
        <textarea name="text" rows="2" maxlength="2000" safe>
          {text}
        </textarea>
        {error ? <small class="error" role="alert" safe>{error}</small> : ""}
      </label>
      <button type="submit" safe>
        {say.save}
      </button>
    </form>
  );
}

export function ApplicationView({ d, row, base, zone, language, templates, lessons = [], payment }: { d: ApplicationDetails; row: InboxRow; base: string; zone: string; language: Language; templates: Template[]; lessons?: LessonItem[]; payment?: { payment: Payment | null; receiptEventId: number | null } | null }) {
  const say = applicationTexts[language];
  const s = d.student;
  const lessonTimes = new Map(lessons.map((l) => [l.id, l]));
  const wa = whatsappLink(d.app.studentPhone);
  return (
    <div class="application">
      <p>
        <a href={`${base}/applications`} safe>
          {say.back}
        </a>
      </p>
      <section class="card">
        <h1 safe>{say.title(d.app.publicNumber)}</h1>
        <dl class="facts">
          <dt safe>{say.student}</dt>
          <dd>
            <UserText text={d.app.studentName} />
          </dd>
          <dt safe>{say.phone}</dt>
          <dd>
            <a href={`tel:${d.app.studentPhone}`} safe>
              {formatPhone(d.app.studentPhone)}
            </a>
            <small class="muted" data-phone-confirmed={String(d.app.phoneConfirmed)} safe>
              {` · ${phoneOrigin(d.app.phoneConfirmed, language)}`}
            </small>
            {wa ? (
              <>
                {" · "}
                <a href={wa} target="_blank" rel="noopener noreferrer">
                  WhatsApp
                </a>
              </>
            ) : (
              ""
            )}
          </dd>
          {s.username ? (
            <>
              <dt>Telegram</dt>
              <dd>
                <UserText text={`@${s.username}`} />
              </dd>
            </>
          ) : (
            ""
          )}
          <dt safe>{say.language}</dt>
          <dd safe>{say.languageNames[s.language === "kk" ? "kk" : "ru"]}</dd>
          <dt safe>{say.course}</dt>
          <dd safe>{courseOf(row, zone, language)}</dd>
          {d.app.situation ? (
            <>
              <dt safe>{say.situation}</dt>
              <dd data-situation={d.app.situation} safe>
                {t(language).situationNames[d.app.situation]}
              </dd>
            </>
          ) : (
            ""
          )}
          {d.offer ? (
            <>
              <dt safe>{say.offer}</dt>
              <dd safe>{offerFacts(d.offer, language)}</dd>
            </>
          ) : (
            ""
          )}
          {d.app.preferredTime ? (
            <>
              <dt safe>{say.preferredTime}</dt>
              <dd safe>{lessonTime(language, { daypart: d.app.preferredTime })}</dd>
            </>
          ) : (
            ""
          )}
          <dt safe>{say.source}</dt>
          <dd safe>{sourceName(d.app.source, language)}</dd>
          <dt safe>{say.created}</dt>
          <dd safe>{dateTime(d.app.createdAt, zone)}</dd>
          <dt safe>{say.discipline}</dt>
          <dd>
            {d.discipline ? (
              <span safe>{say.disciplineValue(d.discipline.value, dateTime(d.discipline.computedAt, zone))}</span>
            ) : (
              <span class="muted" safe>
                {say.notComputed}
              </span>
            )}
          </dd>
        </dl>
        <StatusPanel row={row} base={base} language={language} />
      </section>
      {payment ? <PaymentBlock row={row} payment={payment.payment} receiptEventId={payment.receiptEventId} base={base} zone={zone} language={language} /> : ""}
      {d.app.kind === "instructor" ? <ApplicationLessons lessons={lessons} base={base} zone={zone} language={language} appId={d.app.id} canPlan={d.app.status === "accepted"} /> : ""}
      <section class="card conversation">
        <h2 safe>{say.conversation}</h2>
        <Thread entries={d.history} ctx={{ zone, language, studentName: d.app.studentName, appUrl: `${base}/applications/${d.app.id}`, lessons: lessonTimes }} unreachable={d.student.unreachableAt !== null} />
        <ReplyForm base={base} id={d.app.id} templates={templates} language={language} />
      </section>
      <section class="card">
        <NoteForm base={base} id={d.app.id} language={language} />
      </section>
    </div>
  );
}
