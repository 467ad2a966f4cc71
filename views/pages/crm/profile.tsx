// Profiles (school and instructor) and a school's offers, in the page's language. What a school
// writes for students has a Kazakh version beside the Russian one (name, address, description,
// what an offer's price includes: issue 17); the bot shows the student's language and falls back
// to the other. Forms keep what was typed and show each error next to its field.
import { offerKinds, transmissions, type Language } from "../../../src/db/schema.ts";
import type { Instructor, Offer, School } from "../../../src/domain/profile.ts";
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "../../../src/domain/reference.ts";
import { profileTexts } from "../../../src/i18n/crm/profile.ts";
import { Field, Select, TextArea } from "../../components/form-field.tsx";
import { formatName, offerFormTexts, offerKindName, transmissionName } from "../../format.ts";
import { MAX_INCLUDES } from "../../../src/domain/profile.ts";
import { offerLabel } from "../../../src/notify/catalog.ts";
import { formatPhone } from "../../../src/model/phone.ts";

type Values = Record<string, string | number | null | undefined>;

/** A stored number as people write it ("+7 701 234 56 01"); a typed one as it was typed. */
const phone = (value: Values[string]) => (typeof value === "string" ? formatPhone(value) : value);

function Saved({ saved, language }: { saved?: boolean; language: Language }) {
  return saved ? (
    <p class="ok" role="status" safe>
      {profileTexts[language].saved}
    </p>
  ) : (
    ""
  );
}

export function SchoolProfileForm({ base, v, errors = {}, saved, language }: { base: string; v: Values | School; errors?: Record<string, string>; saved?: boolean; language: Language }) {
  const val = v as Values;
  const T = profileTexts[language];
  return (
    <form id="profile" class="card" method="post" action={`${base}/profile`} hx-post={`${base}/profile`} hx-target="this" hx-swap="outerHTML">
      <h1 safe>{T.schoolTitle}</h1>
      <Saved saved={saved} language={language} />
      <Field name="name" label={T.name} value={val.name} error={errors.name} required maxlength={120} />
      <Field name="nameKk" label={T.nameKk} value={val.nameKk} error={errors.nameKk} maxlength={120} hint={T.kazakhHint} />
      <Field name="address" label={T.address} value={val.address} error={errors.address} maxlength={200} />
      <Field name="addressKk" label={T.addressKk} value={val.addressKk} error={errors.addressKk} maxlength={200} />
      <Field name="phone" label={T.phone} value={phone(val.phone)} error={errors.phone} type="tel" required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label={T.whatsapp} value={phone(val.whatsapp)} error={errors.whatsapp} type="tel" placeholder="+7 701 123 45 67" />
      <TextArea name="description" label={T.description} value={val.description} error={errors.description} maxlength={2000} />
      <TextArea name="descriptionKk" label={T.descriptionKk} value={val.descriptionKk} error={errors.descriptionKk} maxlength={2000} />
      <Field name="kaspiUrl" label={T.kaspiUrl} value={val.kaspiUrl} error={errors.kaspiUrl} type="url" placeholder="https://pay.kaspi.kz/…" />
      <Field name="halykUrl" label={T.halykUrl} value={val.halykUrl} error={errors.halykUrl} type="url" placeholder="https://homebank.kz/…" />
      <button type="submit" safe>
        {T.save}
      </button>
    </form>
  );
}

export function InstructorProfileForm({ base, v, errors = {}, saved, language }: { base: string; v: Values | Instructor; errors?: Record<string, string>; saved?: boolean; language: Language }) {
  const val = v as Values;
  const T = profileTexts[language];
  return (
    <form id="profile" class="card" method="post" action={`${base}/profile`} hx-post={`${base}/profile`} hx-target="this" hx-swap="outerHTML">
      <h1 safe>{T.instructorTitle}</h1>
      <Saved saved={saved} language={language} />
      <Field name="name" label={T.personName} value={val.name} error={errors.name} required maxlength={120} />
      <Field name="phone" label={T.phone} value={phone(val.phone)} error={errors.phone} type="tel" required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label={T.whatsapp} value={phone(val.whatsapp)} error={errors.whatsapp} type="tel" />
      <Field name="car" label={T.car} value={val.car} error={errors.car} required maxlength={100} />
      <Select name="transmission" label={T.transmission} value={val.transmission as string} error={errors.transmission} options={transmissions.map((x) => [x, transmissionName(x, language)] as const)} />
      <Field name="pricePerHourKzt" label={T.pricePerHour} value={val.pricePerHourKzt} error={errors.pricePerHourKzt} />
      <Field name="kaspiUrl" label={T.kaspiUrl} value={val.kaspiUrl} error={errors.kaspiUrl} type="url" />
      <Field name="halykUrl" label={T.halykUrl} value={val.halykUrl} error={errors.halykUrl} type="url" />
      <button type="submit" safe>
        {T.save}
      </button>
    </form>
  );
}

export interface OfferFormState {
  key: string;
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
}

function OfferForm({ base, o, state, language }: { base: string; o: Offer | null; state?: OfferFormState; language: Language }) {
  const T = profileTexts[language];
  const words = offerFormTexts(language);
  const key = o ? String(o.id) : "new";
  const mine = state?.key === key ? state : undefined;
  const v: Values = mine ? mine.values : o ? ({ ...o } as unknown as Values) : { category: "B", format: "in_person", kind: "full_course" };
  const e = mine?.errors ?? {};
  const action = o ? `${base}/offers/${o.id}` : `${base}/offers`;
  return (
    <form class="offer" method="post" action={action} hx-post={action} hx-target="#offers" hx-swap="outerHTML" data-offer={key}>
      <Select name="category" label={T.category} value={String(v.category ?? "")} error={e.category} options={LICENCE_CATEGORIES.map((c) => [c, c] as const)} />
      <Select name="format" label={T.format} value={String(v.format ?? "")} error={e.format} options={TRAINING_FORMATS.map((f) => [f, formatName(f, language)] as const)} />
      <Select name="kind" label={T.kind} value={String(v.kind ?? "")} error={e.kind} options={offerKinds.map((k) => [k, offerKindName(k, language)] as const)} />
      <Field name="priceKzt" label={T.price} value={v.priceKzt} error={e.priceKzt} />
      <Field name="durationWeeks" label={T.weeks} value={v.durationWeeks} error={e.durationWeeks} />
      <Field name="hours" label={words.offerHoursLabel} value={v.hours} error={e.hours} hint={words.offerHoursHint} />
      <Field name="includes" label={words.offerIncludesLabel} value={v.includes} error={e.includes} maxlength={MAX_INCLUDES} placeholder={words.offerIncludesExample} />
      <Field name="includesKk" label={words.offerIncludesKkLabel} value={v.includesKk} error={e.includesKk} maxlength={MAX_INCLUDES} />
      <div class="offer-actions">
        <button type="submit" safe>
          {o ? T.save : T.add}
        </button>
        {o ? (
          <button type="button" class="secondary" hx-post={`${base}/offers/${o.id}/delete`} hx-target="#offers" hx-swap="outerHTML" hx-confirm={T.withdrawConfirm} safe>
            {T.withdraw}
          </button>
        ) : (
          ""
        )}
      </div>
    </form>
  );
}

export function OffersSection({ base, offers, state, language }: { base: string; offers: Offer[]; state?: OfferFormState; language: Language }) {
  const T = profileTexts[language];
  return (
    <section id="offers" class="card">
      <h2 safe>{T.offersTitle}</h2>
      {offers.length === 0 ? <p class="muted" safe>{T.noOffers}</p> : ""}
      {offers.map((o) => (
        <div class="offer-row">
          {/* What a student of this language reads on the button in the bot. */}
          <p class="muted" safe>{offerLabel(language, o)}</p>
          <OfferForm base={base} o={o} state={state} language={language} />
        </div>
      ))}
      <h3 safe>{T.newOffer}</h3>
      <OfferForm base={base} o={null} state={state} language={language} />
    </section>
  );
}
