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
import { formatPhone } from "../../../src/model/phone.ts";
import { whatsappLink } from "../../../src/model/whatsapp.ts";
import { courseOf, RejectForm, StatusActions } from "../../partials/application-row.tsx";
import { Thread } from "../../partials/thread.tsx";
import type { LessonItem } from "../../../src/domain/lesson-lists.ts";
import { formatTime } from "../../../src/i18n/format.ts";
import { localDay } from "../../../src/model/time.ts";
import { lessonWhen, stateNote, stateText } from "./lesson-card.tsx";
import { LT } from "./lesson-texts.ts";
import { UserText } from "../../components/user-text.tsx";
import type { Payment } from "../../../src/domain/payments.ts";
import { PaymentBlock } from "../../partials/payment-block.tsx";

/** The application's lessons, each linking to its week (where it can be moved or cancelled), and planning another. */
export function ApplicationLessons({ lessons, base, zone, appId, canPlan }: { lessons: LessonItem[]; base: string; zone: string; appId: number; canPlan: boolean }) {
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
              {stateText(l)}
            </span>
            {stateNote(l).map((n) => (
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
export function StatusPanel({ row, base, notice, rejecting, rejectError, oob }: { row: InboxRow; base: string; notice?: string; rejecting?: boolean; rejectError?: string; oob?: boolean }) {
  return (
    <div id="status-panel" class="status-panel" data-status={row.status} hx-swap-oob={oob ? "true" : undefined}>
      <p>
        Статус: <StatusBadge status={row.status} />
      </p>
      {notice ? (
        <p class="notice" role="alert" safe>
          {notice}
        </p>
      ) : (
        ""
      )}
      {rejecting ? <RejectForm row={row} base={base} view="panel" error={rejectError} /> : <StatusActions row={row} base={base} target="#status-panel" />}
    </div>
  );
}

/** The thread without polling or media links, as the admin panel shows an application's history. */
/** The history without the page's polling (the admin panel's application page). */
export function History({ history, zone, studentName, lessons = [] }: { history: HistoryEntry[]; zone: string; studentName: string; lessons?: { id: number; startsAt: Date; minutes: number }[] }) {
  return <Thread entries={history} ctx={{ zone, studentName, lessons: new Map(lessons.map((l) => [l.id, l])) }} />;
}

export function ReplyForm({ base, id, templates, errors = {}, text = "", templateId = "", sent }: { base: string; id: number; templates: Template[]; errors?: Record<string, string>; text?: string; templateId?: string; sent?: boolean }) {
  return (
    <form id="reply-form" method="post" action={`${base}/applications/${id}/reply`} hx-post={`${base}/applications/${id}/reply`} hx-target="this" hx-swap="outerHTML">
      <h2>Ответить студенту</h2>
      {sent ? <p class="ok" role="status">Сообщение отправлено в бот.</p> : ""}
      <label class={errors.template ? "field invalid" : "field"}>
        Шаблон
        <select name="templateId">
          <option value="">— без шаблона —</option>
          {templates.map((t) => (
            <option value={String(t.id)} selected={String(t.id) === templateId} safe>
              {/* With a Kazakh text the student gets their language's version. */}
              {t.bodyKk ? `${t.title} (рус./қаз.)` : t.title}
            </option>
          ))}
        </select>
        {errors.template ? <small class="error" role="alert" safe>{errors.template}</small> : ""}
      </label>
      <label class={errors.text ? "field invalid" : "field"}>
        Или свой текст
        <textarea name="text" rows="3" maxlength={String(MAX_REPLY)} safe>
          {text}
        </textarea>
        {errors.text ? <small class="error" role="alert" safe>{errors.text}</small> : ""}
      </label>
      <small class="hint" safe>{`Подстановки в шаблонах: ${Object.keys(PLACEHOLDERS).join(" ")}`}</small>
      <button type="submit">Отправить</button>
    </form>
  );
}

export function NoteForm({ base, id, error, text = "" }: { base: string; id: number; error?: string; text?: string }) {
  return (
    <form id="note-form" method="post" action={`${base}/applications/${id}/notes`} hx-post={`${base}/applications/${id}/notes`} hx-target="this" hx-swap="outerHTML">
      <h2>Заметка</h2>
      <label class={error ? "field invalid" : "field"}>
        Видна только сотрудникам, не ученику
        <textarea name="text" rows="2" maxlength="2000" safe>
          {text}
        </textarea>
        {error ? <small class="error" role="alert" safe>{error}</small> : ""}
      </label>
      <button type="submit">Сохранить</button>
    </form>
  );
}

export function ApplicationView({ d, row, base, zone, templates, lessons = [], payment }: { d: ApplicationDetails; row: InboxRow; base: string; zone: string; templates: Template[]; lessons?: LessonItem[]; payment?: { payment: Payment | null; receiptEventId: number | null } | null }) {
  const s = d.student;
  const lessonTimes = new Map(lessons.map((l) => [l.id, l]));
  const wa = whatsappLink(d.app.studentPhone);
  return (
    <div class="application">
      <p>
        <a href={`${base}/applications`}>← Все заявки</a>
      </p>
      <section class="card">
        <h1 safe>{`Заявка № ${d.app.publicNumber}`}</h1>
        <dl class="facts">
          <dt>Студент</dt>
          <dd>
            <UserText text={d.app.studentName} />
          </dd>
          <dt>Телефон</dt>
          <dd>
            <a href={`tel:${d.app.studentPhone}`} safe>
              {formatPhone(d.app.studentPhone)}
            </a>
            <small class="muted" data-phone-confirmed={String(d.app.phoneConfirmed)} safe>
              {` · ${phoneOrigin(d.app.phoneConfirmed)}`}
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
          <dt>Язык</dt>
          <dd>{s.language === "kk" ? "қазақша" : "русский"}</dd>
          <dt>Курс</dt>
          <dd safe>{courseOf(row, zone)}</dd>
          {d.app.situation ? (
            <>
              <dt>Ситуация ученика</dt>
              <dd data-situation={d.app.situation} safe>
                {t("ru").situationNames[d.app.situation]}
              </dd>
            </>
          ) : (
            ""
          )}
          {d.offer ? (
            <>
              <dt>Предложение</dt>
              <dd safe>{offerFacts(d.offer)}</dd>
            </>
          ) : (
            ""
          )}
          {d.app.preferredTime ? (
            <>
              <dt>Удобное время</dt>
              <dd safe>{d.app.preferredTime}</dd>
            </>
          ) : (
            ""
          )}
          <dt>Источник</dt>
          <dd safe>{sourceName(d.app.source)}</dd>
          <dt>Создана</dt>
          <dd safe>{dateTime(d.app.createdAt, zone)}</dd>
          <dt>Индекс дисциплины</dt>
          <dd>
            {d.discipline ? (
              <span safe>{`${d.discipline.value} из 100 (на ${dateTime(d.discipline.computedAt, zone)})`}</span>
            ) : (
              <span class="muted">ещё не рассчитан</span>
            )}
          </dd>
        </dl>
        <StatusPanel row={row} base={base} />
      </section>
      {payment ? <PaymentBlock row={row} payment={payment.payment} receiptEventId={payment.receiptEventId} base={base} zone={zone} /> : ""}
      {d.app.kind === "instructor" ? <ApplicationLessons lessons={lessons} base={base} zone={zone} appId={d.app.id} canPlan={d.app.status === "accepted"} /> : ""}
      <section class="card conversation">
        <h2>Переписка</h2>
        <Thread entries={d.history} ctx={{ zone, studentName: d.app.studentName, appUrl: `${base}/applications/${d.app.id}`, lessons: lessonTimes }} unreachable={d.student.unreachableAt !== null} />
        <ReplyForm base={base} id={d.app.id} templates={templates} />
      </section>
      <section class="card">
        <NoteForm base={base} id={d.app.id} />
      </section>
    </div>
  );
}
