// Profiles (school and instructor) and a school's offers. Forms keep what was typed and show
// each error next to its field.
import { offerKinds, transmissions } from "../../../src/db/schema.ts";
import type { Instructor, Offer, School } from "../../../src/domain/profile.ts";
import { FORMAT_NAMES, LICENCE_CATEGORIES, TRAINING_FORMATS } from "../../../src/domain/reference.ts";
import { Field, Select, TextArea } from "../../components/form-field.tsx";
import { offerFormTexts, offerKindName, transmissionName } from "../../format.ts";
import { MAX_INCLUDES } from "../../../src/domain/profile.ts";
import { offerLabel } from "../../../src/notify/catalog.ts";

type Values = Record<string, string | number | null | undefined>;

function Saved({ saved }: { saved?: boolean }) {
  return saved ? (
    <p class="ok" role="status">
      Сохранено.
    </p>
  ) : (
    ""
  );
}

export function SchoolProfileForm({ base, v, errors = {}, saved }: { base: string; v: Values | School; errors?: Record<string, string>; saved?: boolean }) {
  const val = v as Values;
  return (
    <form id="profile" class="card" method="post" action={`${base}/profile`} hx-post={`${base}/profile`} hx-target="this" hx-swap="outerHTML">
      <h1>Профиль автошколы</h1>
      <Saved saved={saved} />
      <Field name="name" label="Название" value={val.name} error={errors.name} required maxlength={120} />
      <Field name="address" label="Адрес" value={val.address} error={errors.address} maxlength={200} />
      <Field name="phone" label="Телефон" value={val.phone} error={errors.phone} type="tel" required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label="WhatsApp" value={val.whatsapp} error={errors.whatsapp} type="tel" placeholder="+7 701 123 45 67" />
      <TextArea name="description" label="Описание" value={val.description} error={errors.description} maxlength={2000} />
      <Field name="kaspiUrl" label="Ссылка на оплату Kaspi" value={val.kaspiUrl} error={errors.kaspiUrl} type="url" placeholder="https://pay.kaspi.kz/…" />
      <Field name="halykUrl" label="Ссылка на оплату Halyk" value={val.halykUrl} error={errors.halykUrl} type="url" placeholder="https://homebank.kz/…" />
      <button type="submit">Сохранить</button>
    </form>
  );
}

export function InstructorProfileForm({ base, v, errors = {}, saved }: { base: string; v: Values | Instructor; errors?: Record<string, string>; saved?: boolean }) {
  const val = v as Values;
  return (
    <form id="profile" class="card" method="post" action={`${base}/profile`} hx-post={`${base}/profile`} hx-target="this" hx-swap="outerHTML">
      <h1>Профиль инструктора</h1>
      <Saved saved={saved} />
      <Field name="name" label="Имя" value={val.name} error={errors.name} required maxlength={120} />
      <Field name="phone" label="Телефон" value={val.phone} error={errors.phone} type="tel" required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label="WhatsApp" value={val.whatsapp} error={errors.whatsapp} type="tel" />
      <Field name="car" label="Автомобиль" value={val.car} error={errors.car} required maxlength={100} />
      <Select name="transmission" label="Коробка передач" value={val.transmission as string} error={errors.transmission} options={transmissions.map((x) => [x, transmissionName(x)] as const)} />
      <Field name="pricePerHourKzt" label="Цена за час, ₸" value={val.pricePerHourKzt} error={errors.pricePerHourKzt} />
      <Field name="kaspiUrl" label="Ссылка на оплату Kaspi" value={val.kaspiUrl} error={errors.kaspiUrl} type="url" />
      <Field name="halykUrl" label="Ссылка на оплату Halyk" value={val.halykUrl} error={errors.halykUrl} type="url" />
      <button type="submit">Сохранить</button>
    </form>
  );
}

export interface OfferFormState {
  key: string;
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
}

function OfferForm({ base, o, state }: { base: string; o: Offer | null; state?: OfferFormState }) {
  const key = o ? String(o.id) : "new";
  const mine = state?.key === key ? state : undefined;
  const v: Values = mine ? mine.values : o ? ({ ...o } as unknown as Values) : { category: "B", format: "in_person", kind: "full_course" };
  const e = mine?.errors ?? {};
  const action = o ? `${base}/offers/${o.id}` : `${base}/offers`;
  return (
    <form class="offer" method="post" action={action} hx-post={action} hx-target="#offers" hx-swap="outerHTML" data-offer={key}>
      <Select name="category" label="Категория" value={String(v.category ?? "")} error={e.category} options={LICENCE_CATEGORIES.map((c) => [c, c] as const)} />
      <Select name="format" label="Формат" value={String(v.format ?? "")} error={e.format} options={TRAINING_FORMATS.map((f) => [f, FORMAT_NAMES[f].ru] as const)} />
      <Select name="kind" label="Вид" value={String(v.kind ?? "")} error={e.kind} options={offerKinds.map((k) => [k, offerKindName(k)] as const)} />
      <Field name="priceKzt" label="Цена, ₸" value={v.priceKzt} error={e.priceKzt} />
      <Field name="durationWeeks" label="Срок, недель" value={v.durationWeeks} error={e.durationWeeks} />
      <Field name="hours" label={offerFormTexts().offerHoursLabel} value={v.hours} error={e.hours} hint={offerFormTexts().offerHoursHint} />
      <Field name="includes" label={offerFormTexts().offerIncludesLabel} value={v.includes} error={e.includes} maxlength={MAX_INCLUDES} placeholder={offerFormTexts().offerIncludesExample} />
      <div class="offer-actions">
        <button type="submit">{o ? "Сохранить" : "Добавить"}</button>
        {o ? (
          <button type="button" class="secondary" hx-post={`${base}/offers/${o.id}/delete`} hx-target="#offers" hx-swap="outerHTML" hx-confirm="Убрать предложение из бота?">
            Убрать
          </button>
        ) : (
          ""
        )}
      </div>
    </form>
  );
}

export function OffersSection({ base, offers, state }: { base: string; offers: Offer[]; state?: OfferFormState }) {
  return (
    <section id="offers" class="card">
      <h2>Предложения в боте</h2>
      {offers.length === 0 ? <p class="muted">Пока нет ни одного предложения: бот не покажет вашу школу.</p> : ""}
      {offers.map((o) => (
        <div class="offer-row">
          {/* What the student reads on the button in the bot. */}
          <p class="muted" safe>{offerLabel("ru", o)}</p>
          <OfferForm base={base} o={o} state={state} />
        </div>
      ))}
      <h3>Новое предложение</h3>
      <OfferForm base={base} o={null} state={state} />
    </section>
  );
}
