// Schools: the list with search and filters (which ones lack Kazakh too), the create/edit form with
// the Kazakh texts beside the Russian ones, the offers and the logins.
import { offerKinds, type Language } from "../../../src/db/schema.ts";
import type { Offer, School, SchoolRow } from "../../../src/domain/admin-catalog.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "../../../src/domain/reference.ts";
import { CsrfInput, Field, Select, TextArea } from "../../components/form-field.tsx";
import { dateTime, formatName, offerFormTexts, offerKindName } from "../../format.ts";
import { MAX_INCLUDES } from "../../../src/domain/profile.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { schoolTexts } from "../../../src/i18n/admin/schools.ts";
import { formatKzt } from "../../../src/model/money.ts";
import { AccountCreateForm, OwnerAccounts, type OwnerAccount } from "./accounts.tsx";
import { ActiveBadge, Card, FilterForm, FormErrors, Notice, PostButton, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import { formatPhone } from "../../../src/model/phone.ts";

type Choices = [string, string][];
type Values = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

export interface SchoolListFilter {
  q?: string;
  city?: string;
  state?: string;
  kazakh?: string;
}

export function SchoolsPage(p: { rows: SchoolRow[]; page: number; hasMore: boolean; filter: SchoolListFilter; cities: Choices; language: Language }) {
  const say = schoolTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <p>
        <a href="/admin/schools/new" class="button" safe>
          {say.add}
        </a>
      </p>
      <FilterForm action="/admin/schools" language={p.language}>
        <Field name="q" label={say.search} value={p.filter.q} maxlength={100} />
        <Select name="city" label={all.city} value={p.filter.city} options={p.cities} empty={all.allCities} />
        <Select name="state" label={all.state} value={p.filter.state} options={[["active", all.activeMany], ["inactive", all.inactiveMany]]} empty={all.all} />
        <Select name="kazakh" label={say.kazakhFilter} value={p.filter.kazakh} options={[["missing", say.kazakhMissing], ["present", say.kazakhPresent]]} empty={all.all} />
      </FilterForm>
      <Card>
        <table id="schools">
          <thead>
            <tr>
              <th safe>{say.name}</th>
              <th safe>{all.city}</th>
              <th safe>{all.phone}</th>
              <th safe>{say.offers}</th>
              <th safe>{say.kazakh}</th>
              <th safe>{all.state}</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text={all.nothingFound} />
            {p.rows.map((s) => (
              <tr data-id={String(s.id)}>
                <td>
                  <a href={`/admin/schools/${s.id}`} safe>
                    {s.name}
                  </a>
                </td>
                <td safe>{s.cityName}</td>
                <td safe>{formatPhone(s.phone)}</td>
                <td safe>{String(s.offers)}</td>
                <td>
                  {s.lacksKazakh ? (
                    <span class="badge inactive no-kazakh" safe>
                      {say.noKazakh}
                    </span>
                  ) : (
                    <span class="badge active" safe>
                      {say.hasKazakh}
                    </span>
                  )}
                </td>
                <td>
                  <ActiveBadge active={s.active} on={all.activeShe} off={all.inactiveShe} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/schools", { ...p.filter, page: n })} language={p.language} />
      </Card>
    </>
  );
}

export function SchoolForm({ action, csrf, v, errors, cities, submit, language }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; cities: Choices; submit: string; language: Language }) {
  const say = schoolTexts[language];
  const all = adminTexts[language];
  return (
    <form method="post" action={action} class="admin-form" id="school-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} language={language} />
      <Select name="cityId" label={all.city} value={str(v.cityId)} options={cities} empty={all.choose} error={errors?.cityId} />
      <Field name="name" label={say.name} value={str(v.name)} error={errors?.name} required maxlength={120} />
      <Field name="nameKk" label={say.nameKk} value={str(v.nameKk)} error={errors?.nameKk} maxlength={120} hint={say.kazakhHint} />
      <Field name="address" label={say.address} value={str(v.address)} error={errors?.address} maxlength={200} />
      <Field name="addressKk" label={say.addressKk} value={str(v.addressKk)} error={errors?.addressKk} maxlength={200} />
      <Field name="phone" label={all.phone} type="tel" value={str(v.phone)} error={errors?.phone} required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label={say.whatsapp} type="tel" value={str(v.whatsapp)} error={errors?.whatsapp} />
      <TextArea name="description" label={say.description} value={str(v.description)} error={errors?.description} maxlength={2000} />
      <TextArea name="descriptionKk" label={say.descriptionKk} value={str(v.descriptionKk)} error={errors?.descriptionKk} maxlength={2000} />
      <Field name="kaspiUrl" label={say.kaspi} value={str(v.kaspiUrl)} error={errors?.kaspiUrl} placeholder="https://pay.kaspi.kz/…" />
      <Field name="halykUrl" label={say.halyk} value={str(v.halykUrl)} error={errors?.halykUrl} placeholder="https://homebank.kz/…" />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export const CATEGORY_OPTIONS = LICENCE_CATEGORIES.map((c) => [c, c] as const);
/** The formats and the kinds of an offer for a select, in the language. */
export const formatOptions = (language: Language) => TRAINING_FORMATS.map((f) => [f, formatName(f, language)] as [string, string]);
export const kindOptions = (language: Language) => offerKinds.map((k) => [k, offerKindName(k, language)] as [string, string]);

export function OfferForm({ action, csrf, v, errors, submit, language }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; submit: string; language: Language }) {
  const say = schoolTexts[language];
  const offer = offerFormTexts(language);
  return (
    <form method="post" action={action} class="admin-form" id="offer-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} language={language} />
      <Select name="kind" label={say.kind} value={str(v.kind || "full_course")} options={kindOptions(language)} error={errors?.kind} />
      <Select name="category" label={say.category} value={str(v.category || "B")} options={CATEGORY_OPTIONS} error={errors?.category} />
      <Select name="format" label={say.format} value={str(v.format || "in_person")} options={formatOptions(language)} error={errors?.format} />
      <Field name="priceKzt" label={say.price} value={str(v.priceKzt)} error={errors?.priceKzt} required />
      <Field name="durationWeeks" label={say.weeks} type="number" value={str(v.durationWeeks)} error={errors?.durationWeeks} required />
      <Field name="hours" label={offer.offerHoursLabel} value={str(v.hours)} error={errors?.hours} hint={offer.offerHoursHint} />
      <Field name="includes" label={offer.offerIncludesLabel} value={str(v.includes)} error={errors?.includes} maxlength={MAX_INCLUDES} placeholder={offer.offerIncludesExample} />
      <Field name="includesKk" label={offer.offerIncludesKkLabel} value={str(v.includesKk)} error={errors?.includesKk} maxlength={MAX_INCLUDES} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function OffersTable({ schoolId, offers, csrf, language }: { schoolId: number; offers: Offer[]; csrf: string; language: Language }) {
  const say = schoolTexts[language];
  return (
    <table id="offers">
      <thead>
        <tr>
          <th safe>{say.kindCol}</th>
          <th safe>{say.category}</th>
          <th safe>{say.format}</th>
          <th safe>{say.priceCol}</th>
          <th safe>{say.weeksCol}</th>
          <th safe>{say.hoursCol}</th>
          <th safe>{say.includesCol}</th>
          <th safe>{adminTexts[language].state}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        <EmptyRow when={offers.length === 0} columns={9} text={say.noOffers} />
        {offers.map((o) => (
          <tr data-id={String(o.id)}>
            <td safe>{offerKindName(o.kind, language)}</td>
            <td safe>{o.category}</td>
            <td safe>{formatName(o.format, language)}</td>
            <td safe>{formatKzt(o.priceKzt)}</td>
            <td safe>{say.weeksValue(o.durationWeeks)}</td>
            <td safe>{o.hours == null ? "—" : say.hoursValue(o.hours)}</td>
            {/* Both languages: the admin checks that the Kazakh one is there. */}
            <td safe>{[o.includes, o.includesKk].filter(Boolean).join(" / ") || "—"}</td>
            <td>
              <ActiveBadge active={o.active} on={say.offerActive} off={say.offerOff} />
            </td>
            <td>
              <a href={`/admin/schools/${schoolId}/offers/${o.id}`} safe>
                {adminTexts[language].edit}
              </a>{" "}
              {o.active ? (
                <PostButton action={`/admin/schools/${schoolId}/offers/${o.id}/deactivate`} csrf={csrf} label={say.withdraw} danger />
              ) : (
                <PostButton action={`/admin/schools/${schoolId}/offers/${o.id}/activate`} csrf={csrf} label={say.restore} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SchoolPage(p: {
  school: School;
  form?: Values;
  errors?: Record<string, string>;
  offerForm?: Values;
  offerErrors?: Record<string, string>;
  offers: Offer[];
  accounts: OwnerAccount[];
  accountForm?: Values;
  accountErrors?: Record<string, string>;
  cities: Choices;
  csrf: string;
  zone: string;
  language: Language;
  notice?: string;
}) {
  const s = p.school;
  const say = schoolTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <Notice text={p.notice} />
      <p>
        <ActiveBadge active={s.active} on={all.activeShe} off={all.inactiveShe} /> <span safe>{say.createdAt(dateTime(s.createdAt, p.zone))}</span>{" "}
        <a href={`/admin/applications?school=${s.id}`} safe>
          {say.schoolApplications}
        </a>{" "}
        ·{" "}
        <a href={`/admin/instructors?school=${s.id}`} safe>
          {say.schoolInstructors}
        </a>{" "}
        ·{" "}
        <a href={`/admin/audit?subject=school:${s.id}`} safe>
          {all.auditLink}
        </a>
      </p>
      <p>
        {s.active ? (
          <PostButton action={`/admin/schools/${s.id}/deactivate`} csrf={p.csrf} label={all.deactivateHide} danger />
        ) : (
          <PostButton action={`/admin/schools/${s.id}/activate`} csrf={p.csrf} label={all.activate} />
        )}
      </p>
      <Card title={say.data}>
        <SchoolForm action={`/admin/schools/${s.id}`} csrf={p.csrf} v={p.form ?? (s as unknown as Values)} errors={p.errors} cities={p.cities} submit={all.save} language={p.language} />
      </Card>
      <Card title={say.offersTitle}>
        <OffersTable schoolId={s.id} offers={p.offers} csrf={p.csrf} language={p.language} />
        <h3 safe>{say.addOffer}</h3>
        <OfferForm action={`/admin/schools/${s.id}/offers`} csrf={p.csrf} v={p.offerForm ?? {}} errors={p.offerErrors} submit={say.addOffer} language={p.language} />
      </Card>
      <Card title={all.logins}>
        <OwnerAccounts accounts={p.accounts} zone={p.zone} language={p.language} />
        <AccountCreateForm owner={`school:${s.id}`} csrf={p.csrf} v={p.accountForm ?? {}} errors={p.accountErrors} language={p.language} />
      </Card>
    </>
  );
}
